package render

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"
)

// headingIDs generates heading anchors that are stable (derived only from
// the heading text and the headings before it), unique within a page, and
// keep non-ASCII letters: "Änderungen" becomes "änderungen", not "nderungen".
type headingIDs struct {
	used map[string]bool
	next map[string]int // per base, the first suffix not yet known to be taken
}

// reservedIDs are used by the page templates; headings never take them.
var reservedIDs = []string{"main", "toc-title", "verdict-title", "redline-title", "versions-caption"}

func newHeadingIDs() *headingIDs {
	h := &headingIDs{used: map[string]bool{}, next: map[string]int{}}
	for _, id := range reservedIDs {
		h.used[id] = true
	}
	return h
}

// Slug turns heading text into an anchor: lower case, letters and digits
// kept (any script), runs of spaces, hyphens and underscores folded into one
// hyphen, everything else dropped.
func Slug(text string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(text) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '_' || unicode.IsSpace(r):
			dash = true
		}
	}
	return b.String()
}

// Generate implements parser.IDs.
func (h *headingIDs) Generate(value []byte, kind ast.NodeKind) []byte {
	base := Slug(string(value))
	if base == "" {
		base = "section"
	}
	// The first free of base, base-1, base-2…; ids are never freed, so
	// the search resumes where the last one for this base stopped (a page
	// of 100,000 identical headings stays linear).
	i, id := h.next[base], base
	for ; ; i++ {
		if i > 0 {
			id = base + "-" + strconv.Itoa(i)
		}
		if !h.used[id] {
			break
		}
	}
	h.next[base] = i + 1
	h.used[id] = true
	return []byte(id)
}

// Put implements parser.IDs: explicit {#id} attributes reserve their id.
func (h *headingIDs) Put(value []byte) { h.used[string(value)] = true }
