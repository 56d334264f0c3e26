package render_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/getspectr/redline/internal/render"
)

// TestHTMLBlockText: raw HTML yields the blocks its text would show as,
// with or without unsafe_html, and the same blocks as that text written
// in Markdown; with unsafe_html off the HTML itself never reaches the page.
func TestHTMLBlockText(t *testing.T) {
	html := `<!-- exported -->
<style>p { color: red }</style>
<h2 id="data">Data we keep</h2>
<p>We keep <b>logs</b><br>for 30&nbsp;days.</p>
<ul>
  <li><p>Stripe processes payments.</p>
    <ul><li>card numbers</li></ul>
  </li>
</ul>
<table><tr><th>What</th><td>How long</td></tr></table>
<script>document.write("not text")</script>
<img src="x.png" alt="an illustration">
<dl><dt>Term</dt><dd>Its meaning.</dd></dl>
`
	want := []string{
		"heading 2|7||Data we keep",
		"paragraph|8|Data we keep|We keep logs for 30 days.",
		"item|10|Data we keep|Stripe processes payments.",
		"item|11|Data we keep|card numbers",
		"cell|14|Data we keep|What", "cell|14|Data we keep|How long",
		"term|17|Data we keep|Term", "definition|17|Data we keep|Its meaning.",
	}
	for _, unsafe := range []bool{false, true} {
		d := doc(t, html, render.Options{UnsafeHTML: unsafe})
		var got []string
		for _, b := range d.Blocks {
			k := string(b.Kind)
			if b.Level > 0 {
				k += " " + strconv.Itoa(b.Level)
			}
			got = append(got, k+"|"+strconv.Itoa(b.Line)+"|"+strings.Join(b.Section, "/")+"|"+b.Text)
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("unsafe_html %v: blocks:\n%s\nwant:\n%s", unsafe, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if !unsafe && (strings.Contains(string(d.HTML), "logs") || strings.Contains(string(d.HTML), "<h2")) {
			t.Errorf("raw HTML reached the page with unsafe_html off:\n%s", d.HTML)
		}
		if d.LeadingTitle() != "" || len(d.Headings) != 0 {
			t.Errorf("a heading in raw HTML became a heading of the page: title %q, headings %v", d.LeadingTitle(), d.Headings)
		}
	}
	md := doc(t, "## Data we keep\n\nWe keep **logs**\\\nfor 30 days.\n\n- Stripe processes payments.\n  - card numbers\n", render.Options{})
	h := doc(t, html, render.Options{})
	for i, b := range md.Blocks {
		if i >= len(h.Blocks) || h.Blocks[i].Kind != b.Kind || h.Blocks[i].Text != b.Text || strings.Join(h.Blocks[i].Section, "/") != strings.Join(b.Section, "/") {
			t.Errorf("Markdown block %d %s %q has no like in the HTML version", i, b.Kind, b.Text)
		}
	}
}

// TestInlineBreak: an inline <br> separates words, as a line break does.
func TestInlineBreak(t *testing.T) {
	d := doc(t, "We keep logs<br/>for 30 days.\n", render.Options{})
	if len(d.Blocks) != 1 || d.Blocks[0].Text != "We keep logs for 30 days." {
		t.Errorf("blocks = %+v", d.Blocks)
	}
}

// TestBlockLinks: each block lists the links in its own text, with the
// text they read as and their destination, in Markdown and in raw HTML.
func TestBlockLinks(t *testing.T) {
	for _, src := range []string{
		"Use the [Privacy *Center*](https://x.test/privacy) or [mail](mailto:a@x.test).\n\n- an [item](/item)\n  - [nested](/nested)\n",
		`<p>Use the <a href="https://x.test/privacy">Privacy <em>Center</em></a> or <a href="mailto:a@x.test">mail</a>.</p>
<ul><li>an <a href="/item">item</a><ul><li><a href="/nested">nested</a></li></ul></li></ul>
`,
	} {
		d := doc(t, src, render.Options{})
		var got []string
		for _, b := range d.Blocks {
			var ls []string
			for _, l := range b.Links {
				ls = append(ls, l.Text+"→"+l.Dest)
			}
			got = append(got, strings.Join(ls, ","))
		}
		want := "Privacy Center→https://x.test/privacy,mail→mailto:a@x.test|item→/item|nested→/nested"
		if strings.Join(got, "|") != want {
			t.Errorf("links = %s, want %s\nin %s", strings.Join(got, "|"), want, src)
		}
	}
}
