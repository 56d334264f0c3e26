package render

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark/ast"
	"golang.org/x/net/html"
)

// htmlBlock emits the visible text of a raw HTML block as the blocks it
// would show as (a heading, paragraphs, list items, table cells…), so that
// a version written in HTML compares with the same text in Markdown. The
// text is for comparison only: whether the HTML itself reaches the page is
// up to unsafe_html. Scripts, styles, comments and images (an
// illustration's alt text is no promise) show nothing.
func (w *blockWalker) htmlBlock(b *ast.HTMLBlock) {
	segs := b.Lines()
	var value []byte
	var starts [][2]int // (offset in value, offset in source) of each line
	add := func(start, stop int) {
		starts = append(starts, [2]int{len(value), start})
		value = append(value, w.src[start:stop]...)
	}
	for i := 0; i < segs.Len(); i++ {
		s := segs.At(i)
		add(s.Start, s.Stop)
	}
	if b.HasClosure() {
		add(b.ClosureLine.Start, b.ClosureLine.Stop)
	}
	line := func(off int) int {
		if len(starts) == 0 || off < 0 {
			return w.lines.lineOf(b, w.src)
		}
		k := 0
		for k+1 < len(starts) && starts[k+1][0] <= off {
			k++
		}
		return w.lines.line(starts[k][1] + off - starts[k][0])
	}
	h := htmlText{w: w, line: line, at: -1}
	z := html.NewTokenizer(bytes.NewReader(value))
	for pos := 0; ; {
		tt := z.Next()
		start := pos
		pos += len(z.Raw())
		if tt == html.ErrorToken {
			h.flush()
			return
		}
		h.token(z, tt, start)
	}
}

// htmlText gathers the text of one HTML block into blocks.
type htmlText struct {
	w     *blockWalker
	line  func(offset int) int
	text  strings.Builder
	at    int      // offset of the pending text's first token, or -1
	open  []string // open elements that give a block its kind (li, td, h2…)
	ids   []string // their id attributes
	skip  int      // depth inside elements that show nothing
	dirty bool     // the pending text has something besides white space
	links []TextLink
	href  string // destination of the open <a>, if any
	from  int    // where its text starts in text
}

// token handles one token that starts at offset start.
func (h *htmlText) token(z *html.Tokenizer, tt html.TokenType, start int) {
	switch tt {
	case html.TextToken:
		if h.skip == 0 {
			h.write(z.Text(), start)
		}
	case html.StartTagToken, html.SelfClosingTagToken:
		name, hasAttr := z.TagName()
		tag := string(name)
		attrs := map[string]string{}
		for hasAttr {
			var k, v []byte
			k, v, hasAttr = z.TagAttr()
			attrs[string(k)] = string(v)
		}
		switch {
		case hiddenTags[tag]:
			if tt == html.StartTagToken {
				h.skip++
			}
		case h.skip > 0:
		case tag == "br":
			h.write([]byte(" "), start)
		case tag == "a" && tt == html.StartTagToken:
			h.href, h.from = attrs["href"], h.text.Len()
		case blockTags[tag]:
			h.flush()
			if k, _ := kindOf(tag); tt == html.StartTagToken && k != "" {
				h.open, h.ids = append(h.open, tag), append(h.ids, attrs["id"])
			}
		}
	case html.EndTagToken:
		name, _ := z.TagName()
		tag := string(name)
		switch {
		case hiddenTags[tag]:
			h.skip = max(0, h.skip-1)
		case h.skip > 0:
		case tag == "a":
			if t := fold(h.text.String()[min(h.from, h.text.Len()):]); h.href != "" && t != "" {
				h.links = append(h.links, TextLink{Text: t, Dest: h.href})
			}
			h.href = ""
		case blockTags[tag]:
			h.flush()
			for k := len(h.open) - 1; k >= 0; k-- {
				if h.open[k] == tag {
					h.open, h.ids = h.open[:k], h.ids[:k]
					break
				}
			}
		}
	}
}

func (h *htmlText) write(b []byte, at int) {
	if h.at < 0 {
		h.at = at
	}
	h.text.Write(b)
	h.dirty = h.dirty || len(bytes.TrimSpace(b)) > 0
}

// flush emits the pending text as a block of the kind the innermost open
// element gives it.
func (h *htmlText) flush() {
	if h.dirty {
		kind, level, id := KindParagraph, 0, ""
		if n := len(h.open); n > 0 {
			kind, level = kindOf(h.open[n-1])
			id = h.ids[n-1]
		}
		if !h.w.unsafe {
			id = "" // the element is not on the page: no anchor to link to
		}
		if kind == KindHeading {
			h.w.addHeading(level, h.line(h.at), h.text.String(), id)
		} else if b := h.w.addAt(kind, h.line(h.at), h.text.String()); b != nil {
			b.Links = h.links
		}
	}
	h.links, h.href = nil, ""
	h.text.Reset()
	h.at, h.dirty = -1, false
}

// hiddenTags are the elements whose content a reader never sees.
var hiddenTags = map[string]bool{"script": true, "style": true, "template": true, "head": true, "title": true,
	"noscript": true, "svg": true, "math": true, "select": true, "textarea": true, "iframe": true, "object": true}

// blockTags are the elements that end the text before them and start
// another block.
var blockTags = map[string]bool{}

func init() {
	for _, t := range strings.Fields(`address article aside blockquote body caption center details dialog dd div dl dt
		fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main menu nav ol p pre
		section summary table tbody td tfoot th thead tr ul`) {
		blockTags[t] = true
	}
}

// kindOf returns the kind of block an element's text makes, and a
// heading's level; "" for elements that do not set the kind (a <p> in an
// <li> is part of the item).
func kindOf(tag string) (Kind, int) {
	switch tag {
	case "h1", "h2", "h3", "h4", "h5", "h6":
		return KindHeading, int(tag[1] - '0')
	case "li":
		return KindListItem, 0
	case "td", "th":
		return KindTableCell, 0
	case "dt":
		return KindTerm, 0
	case "dd":
		return KindDefinition, 0
	case "pre":
		return KindCode, 0
	}
	return "", 0
}

// isBreak reports whether an inline HTML tag is a line break (<br>, <br/>).
func isBreak(raw []byte) bool {
	t := bytes.ToLower(bytes.TrimSpace(raw))
	t = bytes.TrimSuffix(bytes.TrimSuffix(t, []byte(">")), []byte("/"))
	return bytes.Equal(bytes.TrimSpace(t), []byte("<br"))
}
