package render_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/getspectr/redline/internal/render"
)

func TestSlug(t *testing.T) {
	tests := []struct{ in, want string }{
		{"What we collect", "what-we-collect"},
		{"Änderungen", "änderungen"},
		{"Données personnelles", "données-personnelles"},
		{"数据 保护", "数据-保护"},
		{"  Identity & access  ", "identity-access"},
		{"GDPR: your rights (EU)", "gdpr-your-rights-eu"},
		{"snake_case--and  spaces", "snake-case-and-spaces"},
		{"!!!", ""},
	}
	for _, tt := range tests {
		if got := render.Slug(tt.in); got != tt.want {
			t.Errorf("Slug(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func doc(t *testing.T, md string, opts render.Options) *render.Doc {
	t.Helper()
	d, err := render.New(opts).Render(render.Input{Body: []byte(md), FirstLine: 5})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestHeadingIDs(t *testing.T) {
	d := doc(t, "# Title\n\n## Rights\n\n## Rights\n\n### Änderungen {#custom}\n\n## Custom\n", render.Options{})
	var ids []string
	for _, h := range d.Headings {
		ids = append(ids, h.ID)
	}
	if got := strings.Join(ids, " "); got != "title rights rights-1 custom custom-1" {
		t.Errorf("ids = %s", got)
	}
	if d.LeadingTitle() != "Title" || d.TitleID != "title" || strings.Contains(string(d.HTML), "<h1") {
		t.Errorf("leading title %q id %q, html %s", d.LeadingTitle(), d.TitleID, d.HTML)
	}
	if toc := d.TOC(); len(toc) != 4 || toc[0].Text != "Rights" {
		t.Errorf("toc = %+v", toc)
	}
}

func TestBlocks(t *testing.T) {
	md := "Intro with *emphasis* and a [link](https://x.test).\n\n## Data\n\n- first item\n  continues\n  - nested item\n- \"quoted\" item\n\n| A | B |\n|---|---|\n| one | two |\n\nTerm\n: Definition text.\n"
	d := doc(t, md, render.Options{})
	want := []string{
		"paragraph|5||Intro with emphasis and a link.",
		"heading|7||Data",
		"item|9|Data|first item continues",
		"item|11|Data|nested item",
		"item|12|Data|“quoted” item",
		"cell|14|Data|A", "cell|14|Data|B", "cell|16|Data|one", "cell|16|Data|two",
		"term|18|Data|Term", "definition|19|Data|Definition text.",
	}
	var got []string
	for _, b := range d.Blocks {
		got = append(got, string(b.Kind)+"|"+strconv.Itoa(b.Line)+"|"+strings.Join(b.Section, "/")+"|"+b.Text)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("blocks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestSafety(t *testing.T) {
	md := "<script>alert(1)</script>\n\n[a](javascript:alert(1)) [b](JaVaScRiPt:x) [c](data:text/html,x) ![i](data:image/png;base64,AA) <b>bold</b>\n"
	safe := string(doc(t, md, render.Options{}).HTML)
	for _, bad := range []string{"<script", "javascript:", "JaVaScRiPt", "data:text/html", "<b>"} {
		if strings.Contains(safe, bad) {
			t.Errorf("safe HTML contains %q:\n%s", bad, safe)
		}
	}
	if !strings.Contains(safe, "data:image/png") {
		t.Errorf("image data URL dropped:\n%s", safe)
	}
	unsafe := string(doc(t, md, render.Options{UnsafeHTML: true}).HTML)
	if !strings.Contains(unsafe, "<b>bold</b>") || strings.Contains(unsafe, "javascript:") {
		t.Errorf("unsafe_html: raw HTML should pass, dangerous links never:\n%s", unsafe)
	}
}

func TestLinksAndResolve(t *testing.T) {
	d, err := render.New(render.Options{}).Render(render.Input{
		Body:      []byte("Para.\n\nSee [terms](../terms/index.md) and\n[more](#x).\n"),
		FirstLine: 10,
		Resolve:   func(dest string) string { return strings.ReplaceAll(dest, "../terms/index.md", "/terms/") },
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Links) != 2 || d.Links[0].Line != 12 || d.Links[1].Line != 13 || d.Links[0].Dest != "../terms/index.md" {
		t.Errorf("links = %+v", d.Links)
	}
	if !strings.Contains(string(d.HTML), `href="/terms/"`) {
		t.Errorf("resolver not applied: %s", d.HTML)
	}
}

// FuzzRender: any Markdown renders without panic, and every block has a
// line inside the input.
func FuzzRender(f *testing.F) {
	for _, s := range []string{"# T\n\n- a\n  - b\n", "| a |\n|---|\n| b |", "[x]: y\n[x]", "Term\n: def\n\n[^1]\n\n[^1]: n", "<div>\n*x*\n</div>", "> # q\n> - i", "<a href=\"&#106;avascript:x\">a</a>", "## H {style=\"x\" onclick=y}", "<img src=//t.test/p onerror=x>"} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, md string, unsafe bool) {
		d, err := render.New(render.Options{UnsafeHTML: unsafe}).Render(render.Input{Body: []byte(md), FirstLine: 3})
		if err != nil {
			t.Fatal(err)
		}
		if page := strings.ToLower(string(d.HTML)); strings.Contains(page, "<script") || strings.Contains(page, "href=\"javascript:") {
			t.Fatalf("dangerous HTML on the page:\n%s", d.HTML)
		}
		last := 3 + strings.Count(md, "\n")
		for _, b := range d.Blocks {
			if b.Line < 3 || b.Line > last {
				t.Fatalf("block %+v outside lines 3..%d", b, last)
			}
			if b.Text == "" || b.Text != strings.Join(strings.Fields(b.Text), " ") {
				t.Fatalf("block text not folded: %q", b.Text)
			}
		}
	})
}

func TestBlockTextDecoded(t *testing.T) {
	d := doc(t, "don&rsquo;t \\*panic\\* &#169; &amp;\n", render.Options{})
	if got := d.Blocks[0].Text; got != "don’t *panic* © &" {
		t.Errorf("text = %q", got)
	}
}

func TestReviewedEdgeCases(t *testing.T) {
	unsafe := string(doc(t, "<javascript:alert(1)> <https://ok.test> [x](javascript:y)\n", render.Options{UnsafeHTML: true}).HTML)
	if strings.Contains(unsafe, `href="javascript:`) || !strings.Contains(unsafe, `href="https://ok.test"`) {
		t.Errorf("autolinks: %s", unsafe)
	}
	d := doc(t, "<!-- ref -->\n\n# Terms\n\n## Main\n\ntext\n", render.Options{})
	if d.LeadingTitle() != "Terms" || strings.Contains(string(d.HTML), "<h1") {
		t.Errorf("title after an HTML comment stays in the body: %s", d.HTML)
	}
	if d.Headings[1].ID != "main-1" {
		t.Errorf("heading id %q, want main-1 (the template owns main)", d.Headings[1].ID)
	}
}
