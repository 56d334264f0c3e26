package change

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/getspectr/redline/internal/render"
)

// nameIndex tells names (of companies, products, processors, places,
// laws) from ordinary words, using both documents: a capitalised word is
// a name unless the same word also appears in lower case somewhere (then
// it is an ordinary word that starts a sentence or a title). Words with
// inner capitals or digits ("GitHub", "HEY", "37signals") are names.
type nameIndex struct {
	blocks  [2][]render.Block
	changed [2][]bool       // blocks that are not equal on the other side
	lower   map[string]bool // lower-case words of both documents; built on first use
	inner   map[string]bool // capitalised words seen inside a sentence; built with lower
	text    [2]string       // each document's text; built on first use
	counts  [2]map[string]int
}

func newNameIndex(old, new []render.Block, es []entry) *nameIndex {
	x := &nameIndex{blocks: [2][]render.Block{old, new}}
	x.changed = [2][]bool{make([]bool, len(old)), make([]bool, len(new))}
	for _, e := range es {
		if e.op == OpEqual {
			continue
		}
		if e.old >= 0 {
			x.changed[sideOld][e.old] = true
		}
		if e.new >= 0 {
			x.changed[sideNew][e.new] = true
		}
	}
	return x
}

// isName reports whether w is a name. start says it begins a sentence,
// entry that it begins a list item, table cell or heading, where names
// often stand first. A capitalised word that begins a sentence of prose is
// only a name when it is also seen capitalised inside a sentence.
func (x *nameIndex) isName(w string, start, entry bool) bool {
	if utf8.RuneCountInString(w) < 2 || !capitalized(w) && !innerCaps(w) {
		return false
	}
	if hasDigit(w) && !innerCaps(w) {
		return false
	}
	k := x.key(w)
	if calendarWords[k] || aliases[k] || functionWords[k] || acronymPlural(w) {
		return false
	}
	if innerCaps(w) {
		return true
	}
	x.scan()
	if x.lower[k] {
		return false
	}
	// A capitalised word that starts a sentence is an ordinary word
	// ("Respect each other.", "Assume no malice") unless it is seen
	// capitalised inside a sentence or opens an entry (see word.entry).
	return !start || entry || x.inner[k]
}

// key is the lower-cased form of a name without a possessive ending, the
// key under which names are counted and compared.
func (x *nameIndex) key(w string) string {
	k := lowerWord(w)
	return strings.TrimSuffix(k, "'s")
}

// scan collects, once, the words that occur in lower case and the
// capitalised words that occur inside a sentence: in every changed block,
// and in the other blocks of either document up to scanBudget bytes each,
// which is plenty to see every common word in lower case while keeping
// the cost bounded for huge documents.
func (x *nameIndex) scan() {
	if x.lower != nil {
		return
	}
	x.lower, x.inner = map[string]bool{}, map[string]bool{}
	for side, bs := range x.blocks {
		budget := scanBudget
		for i, b := range bs {
			if budget > 0 || x.changed[side][i] {
				scanWords(b.Text, x.lower, x.inner)
				budget -= len(b.Text)
			}
		}
	}
}

// scanBudget bounds how much unchanged text scan reads per document.
const scanBudget = 256 << 10

// scanWords adds the words of s that start with a lower-case letter to
// lower, and those that start with a capital inside a sentence to inner.
func scanWords(s string, lower, inner map[string]bool) {
	start := true
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) {
			switch r {
			case '.', '!', '?', ':', ';', '•', '…':
				start = true
			}
			i += n
			continue
		}
		l := wordLen(s[i:])
		switch {
		case unicode.IsLower(r):
			lower[strings.TrimSuffix(lowerWord(s[i:i+l]), "'s")] = true
		case unicode.IsUpper(r) && !start:
			inner[strings.TrimSuffix(lowerWord(s[i:i+l]), "'s")] = true
		}
		start = false
		i += l
	}
}

// count returns how many times s occurs in the old (side 0) or new
// (side 1) document. Counts are cached; to bound the cost on huge
// documents with many changed names, only the first maxCounted names are
// counted and the others count as absent, which makes them new or gone
// parties: material, the safe side.
func (x *nameIndex) count(side int, s string) int {
	if s == "" {
		return 0
	}
	if n, ok := x.counts[side][s]; ok {
		return n
	}
	if x.counts[side] == nil {
		x.counts[side] = map[string]int{}
	}
	if len(x.counts[side]) >= maxCounted {
		return 0
	}
	n := strings.Count(x.docText(side), s)
	x.counts[side][s] = n
	return n
}

// contains reports whether the document of one side holds s, without
// counting (it stops at the first occurrence).
func (x *nameIndex) contains(side int, s string) bool {
	if n, ok := x.counts[side][s]; ok {
		return n > 0
	}
	return strings.Contains(x.docText(side), s)
}

// docText returns the text of one side's document, its blocks one a line,
// built on first use.
func (x *nameIndex) docText(side int) string {
	if x.text[side] == "" {
		var sb strings.Builder
		for _, b := range x.blocks[side] {
			sb.WriteString(b.Text)
			sb.WriteByte('\n')
		}
		x.text[side] = sb.String()
	}
	return x.text[side]
}

// maxCounted bounds how many names count looks up per document.
const maxCounted = 256

// gone reports whether a name used repeatedly in the old version is
// absent from the new one.
func (x *nameIndex) gone(name string) bool {
	return x.count(sideOld, name) >= renameMin && x.count(sideNew, name) == 0
}

// renamed reports whether old → new is a document-wide rename: the old
// name was used repeatedly and is gone, the new one is new and used
// repeatedly.
func (x *nameIndex) renamed(old, new string) bool {
	return x.count(0, old) >= renameMin && x.count(1, old) == 0 &&
		x.count(0, new) == 0 && x.count(1, new) >= renameMin
}

// renameMin is how often a name must occur for its replacement to count
// as a rename rather than a change of party.
const renameMin = 3

// acronymPlural reports whether w is the plural of an acronym ("PDFs",
// "URLs", "APIs"): a common noun, not a name.
func acronymPlural(w string) bool {
	base, ok := strings.CutSuffix(w, "s")
	if !ok || len(base) < 2 {
		return false
	}
	return strings.ToUpper(base) == base && strings.ToLower(base) != base
}
