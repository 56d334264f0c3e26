package render

import (
	"testing"

	"github.com/getspectr/redline/internal/content"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// containerDepth is how deep lists, block quotes, definitions and footnotes
// really nest in a parsed document.
func containerDepth(n ast.Node) int {
	deepest := 0
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		deepest = max(deepest, containerDepth(c))
	}
	switch n.Kind() {
	case ast.KindList, ast.KindBlockquote, east.KindFootnote, east.KindDefinitionDescription:
		deepest++
	}
	return deepest
}

// FuzzNestingBound: content's count of nesting, made without parsing, is an
// upper bound of what goldmark builds, so MaxNesting cannot be slipped past.
func FuzzNestingBound(f *testing.F) {
	for _, s := range []string{"- a\n  - b\n    - c\n", "> > x", ">>>>x", "1. - > * x", "-\n  -\n    - x", "Term\n: - > x", "a[^1]\n\n[^1]: > - x",
		"- a\n\n      - b", "\t-\t-\tx", "* a\n *  b\n  - c", "1) x\n   1) y\n      1) z", "- [ ] a\n  - [x] b", "> - a\n>   - b\n>     > c"} {
		f.Add(s)
	}
	r := New(Options{})
	f.Fuzz(func(t *testing.T, md string) {
		src := []byte(md)
		bound := content.NestingDepth(src)
		if got := containerDepth(r.md.Parser().Parse(text.NewReader(src))); got > bound {
			t.Fatalf("goldmark nests %d deep, the bound says %d:\n%q", got, bound, md)
		}
	})
}
