package render

import (
	"html"
	"net/url"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// A LinkResolver rewrites a link destination as written in the source (for
// example "../terms/index.md") into the URL the page should carry. It is
// called once per link and image; returning dest unchanged is fine.
type LinkResolver func(dest string) string

// Link is a link found in the source, with the line it is on, so that a
// broken one can be reported as file:line.
type Link struct {
	Dest    string // as written in the source
	Line    int
	Image   bool // an image: the page will load it
	Dropped bool // a dangerous destination, left out of the page
}

// dangerous reports whether a link destination uses a scheme that must never
// reach a page: script, data (other than images) and local files.
func dangerous(dest string) bool {
	// As a browser will read it: entities resolved (goldmark resolves
	// them when it writes the href), percent-escapes decoded.
	d := strings.ToLower(strings.TrimSpace(html.UnescapeString(dest)))
	if u, err := url.PathUnescape(d); err == nil {
		d = u
	}
	d = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, d)
	u, err := url.Parse(d)
	if err != nil {
		return strings.Contains(d, ":") // unparsable with a scheme-like part: refuse
	}
	switch u.Scheme {
	case "javascript", "vbscript", "file":
		return true
	case "data":
		return !strings.HasPrefix(d, "data:image/png") && !strings.HasPrefix(d, "data:image/gif") &&
			!strings.HasPrefix(d, "data:image/jpeg") && !strings.HasPrefix(d, "data:image/webp")
	}
	return false
}

// rewriteLinks records every link and image, drops dangerous destinations
// and applies the resolver.
func (d *Doc) rewriteLinks(root ast.Node, src []byte, lines *lineIndex, resolve LinkResolver) {
	var drop []*ast.AutoLink // replaced by their text after the walk
	defer func() {
		for _, l := range drop {
			l.Parent().ReplaceChild(l.Parent(), l, ast.NewString(l.Label(src)))
		}
	}()
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var dest *[]byte
		image := false
		switch l := n.(type) {
		case *ast.Link:
			dest = &l.Destination
		case *ast.Image:
			dest, image = &l.Destination, true
		case *ast.AutoLink:
			if u := string(l.URL(src)); dangerous(u) {
				d.Links = append(d.Links, Link{Dest: u, Line: lines.lineOf(n, src), Dropped: true})
				drop = append(drop, l)
			}
			return ast.WalkSkipChildren, nil
		default:
			return ast.WalkContinue, nil
		}
		orig := string(*dest)
		link := Link{Dest: orig, Line: lines.lineOf(n, src), Image: image, Dropped: dangerous(orig)}
		d.Links = append(d.Links, link)
		switch {
		case link.Dropped:
			*dest = nil
		case resolve != nil:
			*dest = []byte(resolve(orig))
		}
		return ast.WalkContinue, nil
	})
}

// lineIndex maps byte offsets of the source to 1-based line numbers.
type lineIndex struct {
	starts []int
	first  int
}

func newLineIndex(src []byte, first int) *lineIndex {
	li := &lineIndex{starts: []int{0}, first: first}
	for i, c := range src {
		if c == '\n' {
			li.starts = append(li.starts, i+1)
		}
	}
	return li
}

func (li *lineIndex) line(offset int) int {
	lo, hi := 0, len(li.starts)
	for lo+1 < hi {
		mid := (lo + hi) / 2
		if li.starts[mid] <= offset {
			lo = mid
		} else {
			hi = mid
		}
	}
	return li.first + lo
}

// lineOf finds the line of a node: its own first line, else that of the
// first descendant that has one, else that of the nearest block around it.
// Inline nodes other than text carry no position in goldmark.
func (li *lineIndex) lineOf(n ast.Node, src []byte) int {
	if off, ok := firstOffset(n); ok {
		return li.line(off)
	}
	for p := n.Parent(); p != nil; p = p.Parent() {
		if off, ok := firstOffset(p); ok {
			return li.line(off)
		}
	}
	return li.first
}

// firstOffset is the source offset of the first positioned node in n's
// subtree, in document order.
func firstOffset(n ast.Node) (int, bool) {
	if t, ok := n.(*ast.Text); ok {
		return t.Segment.Start, true
	}
	if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
		return firstSegment(n.Lines()).Start, true
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if off, ok := firstOffset(c); ok {
			return off, true
		}
	}
	return 0, false
}

func firstSegment(s *text.Segments) text.Segment { return s.At(0) }
