package render

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark/ast"
	"golang.org/x/net/html"
)

// legalHTML is the allow-list raw HTML passes through when unsafe_html is
// on: the elements legal text uses (headings, tables, abbreviations,
// superscripts, definition lists, notes…) and what goldmark itself writes
// (footnotes, task lists, table alignment), with links and images only to
// http, https, mailto and tel URLs, relative ones and data:image. Scripts,
// styles, forms, frames, <meta>, event handlers and style attributes are
// removed; so is any URL with another scheme, entity-encoded or not.
var legalHTML = func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowURLSchemes("http", "https", "mailto", "tel")
	p.RequireParseableURLs(true)
	p.AllowRelativeURLs(true)
	p.AllowDataURIImages()
	p.AllowAttrs("id", "class", "title", "lang", "dir").Globally()
	p.AllowElements("p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "b", "i", "u", "s",
		"del", "ins", "mark", "small", "sub", "sup", "abbr", "dfn", "cite", "code", "pre", "kbd", "samp", "var",
		"ul", "ol", "li", "dl", "dt", "dd", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
		"colgroup", "col", "figure", "figcaption", "section", "div", "span", "details", "summary", "address", "time")
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("src", "alt", "width", "height").OnElements("img")
	p.AllowAttrs("cite").OnElements("blockquote", "q", "del", "ins")
	p.AllowElements("blockquote", "q")
	p.AllowAttrs("start", "reversed").OnElements("ol")
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^(1|a|A|i|I|disc|circle|square)$`)).OnElements("ol", "ul")
	p.AllowAttrs("value").Matching(bluemonday.Integer).OnElements("li")
	p.AllowAttrs("align").Matching(regexp.MustCompile(`^(left|center|right)$`)).OnElements("th", "td", "col")
	p.AllowAttrs("colspan", "rowspan").Matching(bluemonday.Integer).OnElements("th", "td")
	p.AllowAttrs("scope").Matching(regexp.MustCompile(`^(row|col|rowgroup|colgroup)$`)).OnElements("th")
	p.AllowAttrs("span").Matching(bluemonday.Integer).OnElements("col", "colgroup")
	p.AllowAttrs("datetime").OnElements("time", "del", "ins")
	p.AllowAttrs("open").OnElements("details")
	p.AllowAttrs("role").Matching(regexp.MustCompile(`^doc-(noteref|endnotes|backlink)$`)).OnElements("a", "div", "section")
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^checkbox$`)).OnElements("input")
	p.AllowAttrs("checked", "disabled").OnElements("input")
	return p
}()

// sanitize runs rendered HTML through the allow-list.
func sanitize(b []byte) []byte { return legalHTML.SanitizeBytes(b) }

// headingAttrs are the attributes a heading may carry from Markdown's
// attribute syntax ("## Rights {#rights .note}"): no style, no handlers.
var headingAttrs = []string{"id", "class"}

// filterHeadingAttrs drops every other attribute from h.
func filterHeadingAttrs(h *ast.Heading) {
	var keep []ast.Attribute
	for _, a := range h.Attributes() {
		for _, name := range headingAttrs {
			if string(a.Name) == name {
				keep = append(keep, a)
			}
		}
	}
	if len(keep) == len(h.Attributes()) {
		return
	}
	h.RemoveAttributes()
	for _, a := range keep {
		h.SetAttribute(a.Name, a.Value)
	}
}

// rawImages records the images of raw HTML (with unsafe_html on), so that
// they are checked like Markdown images.
func (d *Doc) rawImages(root ast.Node, src []byte, lines *lineIndex) {
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var raw []byte
		var off int
		switch h := n.(type) {
		case *ast.HTMLBlock:
			if h.Lines().Len() == 0 {
				return ast.WalkContinue, nil
			}
			off = h.Lines().At(0).Start
			for i := range h.Lines().Len() {
				seg := h.Lines().At(i)
				raw = append(raw, seg.Value(src)...)
			}
		case *ast.RawHTML:
			if h.Segments.Len() == 0 {
				return ast.WalkContinue, nil
			}
			off = h.Segments.At(0).Start
			for i := range h.Segments.Len() {
				seg := h.Segments.At(i)
				raw = append(raw, seg.Value(src)...)
			}
		default:
			return ast.WalkContinue, nil
		}
		for _, img := range imgSources(raw) {
			line := lines.line(off + img.off)
			d.Links = append(d.Links, Link{Dest: img.src, Line: line, Image: true})
		}
		return ast.WalkSkipChildren, nil
	})
}

type imgSource struct {
	src string
	off int // in the fragment
}

// imgSources finds the src of every <img> in an HTML fragment.
func imgSources(frag []byte) []imgSource {
	var out []imgSource
	z := html.NewTokenizer(bytes.NewReader(frag))
	off := 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return out
		}
		raw := len(z.Raw())
		if tt == html.StartTagToken || tt == html.SelfClosingTagToken {
			if name, hasAttr := z.TagName(); string(name) == "img" && hasAttr {
				for {
					k, v, more := z.TagAttr()
					if string(k) == "src" {
						out = append(out, imgSource{src: strings.TrimSpace(string(v)), off: off})
					}
					if !more {
						break
					}
				}
			}
		}
		off += raw
	}
}
