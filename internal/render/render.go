package render

import (
	"bytes"
	"fmt"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
)

// Options configure a Renderer.
type Options struct {
	// UnsafeHTML lets raw HTML in the Markdown through to the page, run
	// through an allow-list for legal text (see legalHTML). Off by default:
	// raw HTML is omitted. Dangerous link schemes are dropped either way.
	UnsafeHTML bool
}

// Renderer renders Markdown. It is safe for concurrent use.
type Renderer struct {
	md     goldmark.Markdown
	unsafe bool
}

// New returns a Renderer with GFM (tables, strikethrough, autolinks, task
// lists), footnotes, definition lists and typographic punctuation.
func New(opts Options) *Renderer {
	htmlOpts := []renderer.Option{html.WithXHTML()}
	if opts.UnsafeHTML {
		htmlOpts = append(htmlOpts, html.WithUnsafe())
	}
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Footnote, extension.DefinitionList, extension.Typographer),
		goldmark.WithParserOptions(parser.WithAutoHeadingID(), parser.WithHeadingAttribute()),
		goldmark.WithRendererOptions(htmlOpts...),
	)
	return &Renderer{md: md, unsafe: opts.UnsafeHTML}
}

// Input is one Markdown body to render.
type Input struct {
	Body      []byte
	FirstLine int          // line of Body's first byte in its file, for positions; 0 means 1
	Resolve   LinkResolver // optional
}

// Heading is an entry of the table of contents.
type Heading struct {
	Level int
	ID    string
	Text  string
}

// Doc is everything one parse of a version yields.
type Doc struct {
	HTML     []byte    // the body; a leading title heading is left out (see LeadingTitle)
	TitleID  string    // anchor of the leading title heading, if any
	Headings []Heading // every heading, in order
	Blocks   []Block   // comparable text blocks, in reading order
	Links    []Link    // every link and image destination, as written
	IDs      map[string]bool
}

// LeadingTitle returns the text of the first block when it is a level-1
// heading: a page's own title written into its body. HTML leaves it out, so
// that the page template can print it with the page's dates.
func (d *Doc) LeadingTitle() string {
	// The first heading block must be Markdown's first heading, not one
	// read out of raw HTML (which is no heading of the page).
	if len(d.Blocks) > 0 && d.Blocks[0].Kind == KindHeading && d.Blocks[0].Level == 1 &&
		len(d.Headings) > 0 && d.Headings[0].Level == 1 && d.Headings[0].Text == d.Blocks[0].Text {
		return d.Blocks[0].Text
	}
	return ""
}

// TOC returns the headings worth listing in a table of contents: the two
// levels below the top one, leaving out a leading title heading.
func (d *Doc) TOC() []Heading {
	hs := d.Headings
	if d.LeadingTitle() != "" && len(hs) > 0 {
		hs = hs[1:]
	}
	top := 7
	for _, h := range hs {
		top = min(top, h.Level)
	}
	var toc []Heading
	for _, h := range hs {
		if h.Level <= top+1 {
			toc = append(toc, h)
		}
	}
	return toc
}

// Render parses in.Body once and returns its HTML, headings, links and
// blocks. Rendering never fails on any input; an error means the output
// could not be written.
func (r *Renderer) Render(in Input) (*Doc, error) {
	first := in.FirstLine
	if first < 1 {
		first = 1
	}
	src := in.Body
	ids := newHeadingIDs()
	root := r.md.Parser().Parse(text.NewReader(src), parser.WithContext(parser.NewContext(parser.WithIDs(ids))))
	lines := newLineIndex(src, first)
	d := &Doc{IDs: ids.used}
	d.rewriteLinks(root, src, lines, in.Resolve)
	if r.unsafe {
		d.rawImages(root, src, lines)
	}
	w := &blockWalker{src: src, lines: lines, unsafe: r.unsafe}
	w.walk(root)
	d.Blocks = w.blocks
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering {
			filterHeadingAttrs(h)
			id, _ := h.AttributeString("id")
			b, _ := id.([]byte)
			d.Headings = append(d.Headings, Heading{Level: h.Level, ID: string(b), Text: fold(inlineText(h, src))})
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	// A leading level-1 heading is the page's title: the page template
	// prints it in its header, so it is left out of the body's HTML.
	if d.LeadingTitle() != "" {
		if h := firstHeading(root); h != nil && h.Level == 1 {
			d.TitleID = d.Headings[0].ID
			root.RemoveChild(root, h)
		}
	}
	var buf bytes.Buffer
	buf.Grow(len(src) + len(src)/4)
	if err := r.md.Renderer().Render(&buf, src, root); err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	d.HTML = buf.Bytes()
	if r.unsafe {
		d.HTML = sanitize(d.HTML)
	}
	return d, nil
}

// firstHeading is the first top-level heading, if only nodes that show no
// text (raw HTML, a rule, blank paragraphs) come before it.
func firstHeading(root ast.Node) *ast.Heading {
	for c := root.FirstChild(); c != nil; c = c.NextSibling() {
		switch n := c.(type) {
		case *ast.Heading:
			return n
		case *ast.HTMLBlock, *ast.ThematicBreak:
		default:
			return nil
		}
	}
	return nil
}
