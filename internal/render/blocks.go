package render

import (
	"bytes"
	"html"
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/util"
)

// Kind says what a block is in the rendered page.
type Kind string

// The kinds of comparable block.
const (
	KindHeading    Kind = "heading"
	KindParagraph  Kind = "paragraph"
	KindListItem   Kind = "item"
	KindTableCell  Kind = "cell"
	KindCode       Kind = "code"
	KindTerm       Kind = "term"
	KindDefinition Kind = "definition"
	KindFootnote   Kind = "footnote"
)

// Block is one unit of what a reader sees: a heading, a paragraph, a list
// item, a table cell… as plain text with whitespace folded. Markdown syntax,
// emphasis, list markers, wrapping and link targets are gone, so comparing
// blocks compares what a reader reads.
type Block struct {
	Kind    Kind
	Level   int      // heading level, 1–6; 0 for other kinds
	Section []string // texts of the headings this block sits under, outermost first
	Anchor  string   // id of the nearest heading above ("" before the first)
	Text    string
	Line    int        // line in the source file
	Links   []TextLink // the links in Text, in order
}

// TextLink is a link of a block: its text as the block reads it, and its
// destination as written (after LinkResolver).
type TextLink struct {
	Text, Dest string
}

type blockWalker struct {
	src    []byte
	lines  *lineIndex
	unsafe bool
	blocks []Block
	levels []int // levels of the enclosing headings
	texts  []string
	anchor string
}

func (w *blockWalker) add(kind Kind, n ast.Node, text string) *Block {
	b := w.addAt(kind, w.lines.lineOf(n, w.src), text)
	if b != nil {
		b.Links = linksOf(b.Links, n, w.src)
	}
	return b
}

// linksOf appends the links inside n to ls.
func linksOf(ls []TextLink, n ast.Node, src []byte) []TextLink {
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if l, ok := c.(*ast.Link); ok && entering {
			ls = append(ls, TextLink{Text: fold(inlineText(l, src)), Dest: string(l.Destination)})
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return ls
}

// addAt adds a block at a given line.
func (w *blockWalker) addAt(kind Kind, line int, text string) *Block {
	text = fold(text)
	if text == "" {
		return nil
	}
	w.blocks = append(w.blocks, Block{
		Kind:    kind,
		Section: append([]string(nil), w.texts...),
		Anchor:  w.anchor,
		Text:    text,
		Line:    line,
	})
	return &w.blocks[len(w.blocks)-1]
}

func (w *blockWalker) heading(h *ast.Heading) {
	id, _ := h.AttributeString("id")
	anchor, _ := id.([]byte)
	w.addHeading(h.Level, w.lines.lineOf(h, w.src), inlineText(h, w.src), string(anchor))
}

// addHeading adds a heading block and opens its section. An empty anchor
// keeps that of the heading before.
func (w *blockWalker) addHeading(level, line int, text, anchor string) {
	for len(w.levels) > 0 && w.levels[len(w.levels)-1] >= level {
		w.levels, w.texts = w.levels[:len(w.levels)-1], w.texts[:len(w.texts)-1]
	}
	text = fold(text)
	if anchor != "" {
		w.anchor = anchor
	}
	if b := w.addAt(KindHeading, line, text); b != nil {
		b.Level = level
	}
	w.levels, w.texts = append(w.levels, level), append(w.texts, text)
}

// walk emits the blocks of the children of n.
func (w *blockWalker) walk(n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		w.visit(c)
	}
}

// visit emits the blocks of one node.
func (w *blockWalker) visit(c ast.Node) {
	switch b := c.(type) {
	case *ast.Heading:
		w.heading(b)
	case *ast.Paragraph, *ast.TextBlock:
		w.add(KindParagraph, c, inlineText(c, w.src))
	case *ast.ListItem:
		w.listItem(b)
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		w.add(KindCode, c, string(c.Lines().Value(w.src)))
	case *ast.HTMLBlock:
		w.htmlBlock(b)
	case *east.TableCell:
		w.add(KindTableCell, c, inlineText(c, w.src))
	case *east.DefinitionTerm:
		w.add(KindTerm, c, inlineText(c, w.src))
	case *east.DefinitionDescription:
		w.walkAs(KindDefinition, c)
	case *east.Footnote:
		w.walkAs(KindFootnote, c)
	default:
		w.walk(c)
	}
}

// walkAs emits the paragraphs inside n as blocks of the given kind.
func (w *blockWalker) walkAs(kind Kind, n ast.Node) {
	start := len(w.blocks)
	w.walk(n)
	for i := start; i < len(w.blocks); i++ {
		if w.blocks[i].Kind == KindParagraph {
			w.blocks[i].Kind = kind
		}
	}
}

// listItem emits one block for the item's own text; nested lists and other
// blocks inside it become blocks of their own.
func (w *blockWalker) listItem(li *ast.ListItem) {
	var own []string
	var links []TextLink
	var rest []ast.Node
	for c := li.FirstChild(); c != nil; c = c.NextSibling() {
		switch c.(type) {
		case *ast.Paragraph, *ast.TextBlock:
			own = append(own, inlineText(c, w.src))
			links = linksOf(links, c, w.src)
		default:
			rest = append(rest, c)
		}
	}
	if b := w.addAt(KindListItem, w.lines.lineOf(li, w.src), strings.Join(own, " ")); b != nil {
		b.Links = links
	}
	for _, c := range rest {
		w.visit(c)
	}
}

// inlineText returns the visible text of n's inline content.
func inlineText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(visible(t.Value(src)))
			if t.SoftLineBreak() || t.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			if t.IsCode() {
				b.WriteString(html.UnescapeString(string(t.Value)))
			} else {
				b.Write(t.Value)
			}
		case *ast.AutoLink:
			b.Write(t.Label(src))
			return ast.WalkSkipChildren, nil
		case *ast.RawHTML:
			if isBreak(t.Segments.Value(src)) {
				b.WriteByte(' ')
			}
			return ast.WalkSkipChildren, nil
		case *east.FootnoteLink, *east.FootnoteBacklink:
			return ast.WalkSkipChildren, nil
		case *ast.Paragraph, *ast.TextBlock:
			if c != n && b.Len() > 0 {
				b.WriteByte(' ')
			}
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// fold trims and folds runs of white space into single spaces.
func fold(s string) string { return strings.Join(strings.Fields(s), " ") }

// visible decodes what Markdown leaves in text segments for the renderer to
// resolve: backslash escapes and character references ("\\*", "&rsquo;").
func visible(v []byte) []byte {
	if bytes.IndexByte(v, '\\') < 0 && bytes.IndexByte(v, '&') < 0 {
		return v
	}
	return util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(v)))
}
