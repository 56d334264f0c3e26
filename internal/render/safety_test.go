package render_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/getspectr/redline/internal/render"
)

// TestUnsafeHTMLSanitised: with unsafe_html on, raw HTML passes an
// allow-list for legal text; the vectors and their kin are removed.
func TestUnsafeHTMLSanitised(t *testing.T) {
	tests := []struct {
		name, md string
		bad      []string // must not appear in the page
		good     []string // must
	}{
		{"entity-encoded javascript link", `<a href="&#106;avascript:alert(1)">x</a>`, []string{"javascript", "&#106;", "href"}, []string{"x"}},
		{"javascript link", `<a href="javascript:alert(1)">x</a> <a href=" JaVaScRiPt:x">y</a>`, []string{"avascript", "href"}, nil},
		{"markdown entity link", `[x](&#106;avascript:alert(1))`, []string{"javascript", "&#106;"}, nil},
		{"meta refresh", "<meta http-equiv=refresh content=\"0;url=https://evil.test\">\n\ntext\n", []string{"<meta", "evil.test"}, []string{"text"}},
		{"script", "<script>alert(1)</script>\n\n<p>x<script src=//evil.test/a.js></script></p>\n", []string{"<script", "alert", "evil.test"}, nil},
		{"event handlers", `<p onclick="x()">a</p> <img src="a.png" onerror="x()"> <b onmouseover=x>b</b>`, []string{"onclick", "onerror", "onmouseover"}, []string{`<img src="a.png"`, "<b>b</b>"}},
		{"style", `<p style="position:fixed">a</p><style>body{display:none}</style>`, []string{"style", "position", "display"}, []string{"<p>a</p>"}},
		{"frames and forms", `<iframe src="https://evil.test"></iframe><form action="https://evil.test"><input name="card"></form><object data="x"></object>`, []string{"iframe", "form", "evil.test", "object", `name="card"`}, nil},
		{"data and vbscript", `<a href="data:text/html,<script>x</script>">a</a><a href="vbscript:x">b</a><img src="data:image/png;base64,iVBORw0KGgo=">`, []string{"data:text", "vbscript"}, []string{"data:image/png"}},
		{"base and link", `<base href="https://evil.test/"><link rel=stylesheet href="https://evil.test/x.css">`, []string{"<base", "<link", "evil.test"}, nil},
		{"svg", `<svg onload="x()"><use href="#a"/></svg>`, []string{"svg", "onload", "<use"}, nil},
		{"legal text survives", "<table><caption>Processors</caption><thead><tr><th scope=\"col\">Name</th></tr></thead><tbody><tr><td colspan=\"2\" align=\"right\">AWS</td></tr></tbody></table>\n\n<p><abbr title=\"General Data Protection Regulation\">GDPR</abbr> Art. 6<sup>1</sup> H<sub>2</sub>O <a href=\"https://gdpr.eu/\" title=\"t\">text</a> <a href=\"mailto:dpo@x.test\">DPO</a> <a href=\"#rights\">rights</a></p>\n\n<dl><dt>Data</dt><dd>Info</dd></dl>\n",
			nil, []string{"<caption>Processors</caption>", `<th scope="col">`, `colspan="2"`, `align="right"`, `<abbr title="General Data Protection Regulation">GDPR</abbr>`, "<sup>1</sup>", "<sub>2</sub>", `href="https://gdpr.eu/"`, `href="mailto:dpo@x.test"`, `href="#rights"`, "<dt>Data</dt>"}},
		{"goldmark's own output survives", "# T\n\n## Rights {#rights .note}\n\nA[^1] and ~~old~~.\n\n- [x] done\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\n[^1]: Note.\n",
			nil, []string{`<h2 id="rights" class="note">`, `role="doc-noteref"`, "<del>old</del>", `type="checkbox"`, `align="right"`, `id="fn:1"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := string(doc(t, tt.md, render.Options{UnsafeHTML: true}).HTML)
			for _, bad := range tt.bad {
				if strings.Contains(strings.ToLower(page), strings.ToLower(bad)) {
					t.Errorf("page contains %q:\n%s", bad, page)
				}
			}
			for _, good := range tt.good {
				if !strings.Contains(page, good) {
					t.Errorf("page lost %q:\n%s", good, page)
				}
			}
		})
	}
}

// TestDangerousLinksEitherWay: Markdown links with dangerous schemes are
// dropped whether raw HTML is on or off.
func TestDangerousLinksEitherWay(t *testing.T) {
	md := "[a](javascript:alert(1)) [b](&#106;avascript:x) [c](java&#x09;script:x) [d](vbscript:x) [e](file:///etc/passwd) [f](data:text/html,x) <javascript:alert(1)> [ok](https://ok.test)\n"
	for _, unsafe := range []bool{false, true} {
		page := strings.ToLower(string(doc(t, md, render.Options{UnsafeHTML: unsafe}).HTML))
		for _, bad := range []string{`href="javascript`, `href="&#106;`, `href="vbscript`, `href="file:`, `href="data:text`, `href="java`} {
			if strings.Contains(page, bad) {
				t.Errorf("unsafe_html %v: page contains %q:\n%s", unsafe, bad, page)
			}
		}
		if !strings.Contains(page, `href="https://ok.test"`) {
			t.Errorf("unsafe_html %v: safe link lost:\n%s", unsafe, page)
		}
	}
}

// TestHeadingAttributes: Markdown's {…} attributes on a heading keep only
// id and class, whether raw HTML is on or off.
func TestHeadingAttributes(t *testing.T) {
	md := "## Rights {#rights .note style=\"display:none\" onclick=\"x()\" tabindex=\"1\" title=\"t\"}\n"
	for _, unsafe := range []bool{false, true} {
		page := string(doc(t, md, render.Options{UnsafeHTML: unsafe}).HTML)
		if !strings.Contains(page, `id="rights"`) || !strings.Contains(page, `class="note"`) {
			t.Errorf("unsafe_html %v: id or class lost: %s", unsafe, page)
		}
		for _, bad := range []string{"style", "onclick", "tabindex", "title"} {
			if strings.Contains(page, bad) {
				t.Errorf("unsafe_html %v: heading carries %s: %s", unsafe, bad, page)
			}
		}
	}
}

// TestImagesRecorded: every image, Markdown or raw HTML, is in Links with
// its line and marked as an image, for the third-party check.
func TestImagesRecorded(t *testing.T) {
	md := "![logo](https://cdn.test/logo.png) [not an image](https://x.test)\n\n<p>\n<img src=\"https://cdn.test/raw.png\">\n</p>\n\nText <img src='//track.test/p.gif'> inline.\n"
	d, err := render.New(render.Options{UnsafeHTML: true}).Render(render.Input{Body: []byte(md), FirstLine: 10})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range d.Links {
		if l.Image {
			got = append(got, l.Dest+"@"+strconv.Itoa(l.Line))
		}
	}
	want := "https://cdn.test/logo.png@10 https://cdn.test/raw.png@13 //track.test/p.gif@16"
	if strings.Join(got, " ") != want {
		t.Errorf("images = %v, want %s", got, want)
	}
}
