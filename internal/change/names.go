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
	asked   map[string]bool // the keys scan looked for in unchanged text; nil when it read every word
	text    [2]string       // each document's text; built on first use
	counts  [2]map[string]int
	queries [2]int // counts and lookups made, per side
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
	if x.asked != nil && !x.asked[k] {
		x.scanAll() // a word from outside the changed blocks: read every word after all
	}
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
//
// isName only asks about capitalised words of the changed blocks, so in
// the unchanged blocks scan records only the words under those keys (see
// keyFilter); isName calls scanAll for any other key, so the answers are
// those of a scan that records every word.
func (x *nameIndex) scan() {
	if x.lower != nil {
		return
	}
	x.lower, x.inner, x.asked = map[string]bool{}, map[string]bool{}, map[string]bool{}
	for side, bs := range x.blocks {
		for i, b := range bs {
			if x.changed[side][i] {
				scanWords(b.Text, x.lower, x.inner, x.asked)
			}
		}
	}
	f := newKeyFilter(x.asked)
	x.scanUnchanged(&f)
}

// scanAll makes scan's maps hold every word of the scanned text.
func (x *nameIndex) scanAll() {
	x.asked = nil
	x.scanUnchanged(nil)
}

// scanUnchanged scans the unchanged blocks within scanBudget, recording
// only the words f lets through (every word when f is nil).
func (x *nameIndex) scanUnchanged(f *keyFilter) {
	for side, bs := range x.blocks {
		budget := scanBudget
		for i, b := range bs {
			if budget <= 0 {
				break
			}
			budget -= len(b.Text)
			switch {
			case x.changed[side][i]:
			case f != nil:
				scanFiltered(b.Text, x.lower, x.inner, f)
			default:
				scanWords(b.Text, x.lower, x.inner, nil)
			}
		}
	}
}

// scanBudget bounds how much unchanged text scan reads per document.
const scanBudget = 256 << 10

// scanWords adds the words of s that start with a lower-case letter to
// lower, and those that start with a capital inside a sentence to inner,
// under their keys. It adds the key of every capitalised word to asked,
// if not nil.
func scanWords(s string, lower, inner, asked map[string]bool) {
	start := true
	for i := 0; i < len(s); {
		w, r, wasStart := readWord(s, &i, &start)
		switch {
		case w == "":
		case asked != nil && unicode.IsUpper(r):
			k := strings.TrimSuffix(lowerWord(w), "'s")
			asked[k] = true
			if !wasStart {
				inner[k] = true
			}
		default:
			record(lower, inner, w, r, wasStart)
		}
	}
}

// readWord reads the word or the other rune at s[*i], moving *i past it
// and keeping *start, whether the next word starts a sentence. It returns
// the word ("" for another rune), its first rune, and whether it starts a
// sentence.
func readWord(s string, i *int, start *bool) (w string, r rune, wasStart bool) {
	r, n := rune(s[*i]), 1
	if r >= utf8.RuneSelf {
		r, n = utf8.DecodeRuneInString(s[*i:])
	}
	if !isWordRune(r) {
		switch r {
		case '.', '!', '?', ':', ';', '•', '…':
			*start = true
		}
		*i += n
		return "", r, false
	}
	w = s[*i : *i+wordLen(s[*i:])]
	*i += len(w)
	wasStart, *start = *start, false
	return w, r, wasStart
}

// record adds the key of a word that starts with r to lower when r is in
// lower case, to inner when it is a capital inside a sentence.
func record(lower, inner map[string]bool, w string, r rune, wasStart bool) {
	switch {
	case unicode.IsLower(r):
		addKey(lower, w)
	case unicode.IsUpper(r) && !wasStart:
		addKey(inner, w)
	}
}

// scanFiltered is scanWords without asked, for the words f lets through,
// with plain ASCII words (the bulk of most policies) hashed for f as they
// are read.
func scanFiltered(s string, lower, inner map[string]bool, f *keyFilter) {
	start := true
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			if w, r, wasStart := readWord(s, &i, &start); w != "" {
				record(lower, inner, w, r, wasStart)
			}
			continue
		}
		if !asciiWord[c] {
			switch c {
			case '.', '!', '?', ':', ';':
				start = true
			}
			i++
			continue
		}
		h, j := uint64(fnvOffset), i
		for ; j < len(s) && s[j] < utf8.RuneSelf && asciiWord[s[j]]; j++ {
			h = (h ^ uint64(s[j]|0x20)) * fnvPrime
		}
		plain := true
		if j < len(s) && (s[j] >= utf8.RuneSelf || joiner[s[j]]) {
			if l := wordLen(s[i:]); l != j-i {
				plain, j = false, i+l
			}
		}
		w := s[i:j]
		wasStart := start
		start = false
		i = j
		if !plain || f.has(h) {
			record(lower, inner, w, rune(c), wasStart)
		}
	}
}

// joiner marks the ASCII characters that may continue a word (see joins).
var joiner = [utf8.RuneSelf]bool{'\'': true, '-': true, '.': true, '/': true, '_': true, ',': true}

// addKey adds the key of w (see nameIndex.key) to m. The key of a plain
// ASCII word (letters and digits) is the word in lower case, looked up
// without allocating.
func addKey(m map[string]bool, w string) {
	var buf [32]byte
	if len(w) > len(buf) || !plainASCII(w) {
		m[strings.TrimSuffix(lowerWord(w), "'s")] = true
		return
	}
	b := buf[:len(w)]
	for i := 0; i < len(w); i++ {
		b[i] = w[i] | 0x20 // lower-cases letters, keeps digits
	}
	if !m[string(b)] {
		m[string(b)] = true
	}
}

// plainASCII reports whether w is made of ASCII letters and digits only.
func plainASCII(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i]; c >= utf8.RuneSelf || !asciiWord[c] {
			return false
		}
	}
	return true
}

// keyFilter rules out, cheaply, the plain ASCII words whose key is none
// of a set of keys: a bit set of hashes of the keys.
type keyFilter struct {
	bits [filterBits / 64]uint64
}

const filterBits = 1 << 14

func newKeyFilter(keys map[string]bool) keyFilter {
	var f keyFilter
	for k := range keys {
		h := filterHash(k)
		f.bits[h/64%uint64(len(f.bits))] |= 1 << (h % 64)
	}
	return f
}

// filterHash hashes a key with FNV-1a. Setting bit 5 of each byte lower-
// cases ASCII letters and leaves digits alone, so a plain ASCII word and
// its key (the word in lower case) hash alike.
func filterHash(s string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i]|0x20)) * fnvPrime
	}
	return h
}

// The parameters of 64-bit FNV-1a.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// has reports whether the filter holds hash h.
func (f *keyFilter) has(h uint64) bool {
	return f.bits[h/64%uint64(len(f.bits))]&(1<<(h%64)) != 0
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
	n := 0
	if t := x.docText(side, s); t != "" {
		n = strings.Count(t, s)
	} else {
		for _, b := range x.blocks[side] {
			n += strings.Count(b.Text, s)
		}
	}
	x.counts[side][s] = n
	return n
}

// contains reports whether the document of one side holds s, without
// counting (it stops at the first occurrence).
func (x *nameIndex) contains(side int, s string) bool {
	if n, ok := x.counts[side][s]; ok {
		return n > 0
	}
	if s == "" {
		return true
	}
	if t := x.docText(side, s); t != "" {
		return strings.Contains(t, s)
	}
	for _, b := range x.blocks[side] {
		if strings.Contains(b.Text, s) {
			return true
		}
	}
	return false
}

// docText returns the text of one side's document, its blocks one a line,
// for looking up s; or "" when s is better looked up block by block. Both
// find the same: a name or sentence without a line break cannot straddle
// two blocks. The first few lookups go block by block, which spares
// building a copy of the document; later ones, and any of text with a
// line break, use the copy, built on first use.
func (x *nameIndex) docText(side int, s string) string {
	if x.queries[side]++; x.queries[side] <= blockwiseQueries && strings.IndexByte(s, '\n') < 0 {
		return ""
	}
	if x.text[side] == "" {
		n := 0
		for _, b := range x.blocks[side] {
			n += len(b.Text) + 1
		}
		var sb strings.Builder
		sb.Grow(n)
		for _, b := range x.blocks[side] {
			sb.WriteString(b.Text)
			sb.WriteByte('\n')
		}
		x.text[side] = sb.String()
	}
	return x.text[side]
}

// blockwiseQueries is how many lookups per document go block by block.
const blockwiseQueries = 8

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
