package change

import (
	"regexp"
	"strings"

	"github.com/getspectr/redline/internal/render"
)

// A hunk is one run of deletions and insertions inside a block, between
// two stretches of unchanged text (or a whole inserted or deleted block).
type hunk struct {
	block          int // index of the BlockChange
	del, ins       []word
	delText        string
	insText        string
	before, after  string // one word of unchanged context on each side
	delAll, insAll bool   // the hunk is the whole old or new text of its block
	delAt, insAt   int    // byte offsets of the hunk in the block's old and new text
	linkRenamed    bool   // the hunk only renames a link whose target stays
}

// hunksOf splits a block change into hunks. Words are tagged with the
// hunk's index (offset by base) and whether they start a sentence.
func hunksOf(bi int, bc *BlockChange, base int, tc *tokenCache) []hunk {
	oldSide, newSide := newSideInfo(bc.Old, bc.Kind, tc), newSideInfo(bc.New, bc.Kind, tc)
	var hs []hunk
	var cur *hunk
	oi, ni := 0, 0
	var lastEqual string
	oldAt, newAt := 0, 0
	for _, op := range bc.Ops {
		var n int
		if op.Type == OpInsert {
			n = countTokens(newSide.toks[ni:], len(op.Text))
		} else {
			n = countTokens(oldSide.toks[oi:], len(op.Text))
		}
		switch op.Type {
		case OpEqual:
			if cur != nil {
				cur.after = headWord(op.Text)
				cur = nil
			}
			lastEqual = op.Text
			oi, ni = oi+n, ni+n
			oldAt, newAt = oldAt+len(op.Text), newAt+len(op.Text)
			continue
		}
		if cur == nil {
			hs = append(hs, hunk{block: bi, before: tailWord(lastEqual), delAt: oldAt, insAt: newAt})
			cur = &hs[len(hs)-1]
		}
		idx := base + len(hs) - 1
		if op.Type == OpDelete {
			cur.delText += op.Text
			cur.del = oldSide.appendWords(cur.del, oi, n, idx)
			oi += n
			oldAt += len(op.Text)
		} else {
			cur.insText += op.Text
			cur.ins = newSide.appendWords(cur.ins, ni, n, idx)
			ni += n
			newAt += len(op.Text)
		}
	}
	for i := range hs {
		hs[i].delAll = hs[i].delText != "" && hs[i].delText == bc.Old
		hs[i].insAll = hs[i].insText != "" && hs[i].insText == bc.New
	}
	return hs
}

// sideInfo is one side of a block, tokenized, with what each token needs.
type sideInfo struct {
	toks   []string
	starts []bool // first word of a sentence
	ends   []bool // last word of a sentence
	links  []bool // inside a link-like span
	refs   []bool // part of the name of a document
	addrs  []bool // part of a postal address
	item   bool   // a list item, table cell or heading: its first word may be a name
}

// countTokens returns how many of toks make up the next size bytes.
func countTokens(toks []string, size int) int {
	n := 0
	for n < len(toks) && size > 0 {
		size -= len(toks[n])
		n++
	}
	return n
}

// newSideInfo tokenizes one side of a block and marks its tokens.
func newSideInfo(text string, kind render.Kind, tc *tokenCache) *sideInfo {
	toks := tc.get(text)
	starts := sentenceStarts(toks)
	s := &sideInfo{toks: toks, starts: starts, ends: sentenceEnds(toks, starts), links: linkMask(text, toks),
		item: kind != render.KindParagraph && kind != render.KindFootnote && kind != render.KindDefinition}
	s.refs, s.addrs = wordMarks(text, toks)
	return s
}

// wordMarks marks the tokens that name documents (see markReferences) and
// those of postal addresses (see markAddresses); either is nil when there
// are none.
func wordMarks(text string, toks []string) (refs, addrs []bool) {
	ws, at := make([]string, 0, len(toks)/2+1), make([]int, 0, len(toks)/2+1)
	for i, t := range toks {
		if isWord(t) {
			ws, at = append(ws, t), append(at, i)
		}
	}
	spread := func(marks []bool) []bool {
		var out []bool
		for k, m := range marks {
			if m {
				if out == nil {
					out = make([]bool, len(toks))
				}
				out[at[k]] = true
			}
		}
		return out
	}
	marks := make([]bool, len(ws))
	markReferences(ws, marks)
	refs = spread(marks)
	if strings.ContainsAny(text, "0123456789") {
		clear(marks)
		markAddresses(ws, marks)
		addrs = spread(marks)
	}
	return refs, addrs
}

// appendWords appends the words among toks[from:from+n].
func (s *sideInfo) appendWords(ws []word, from, n, piece int) []word {
	if ws == nil {
		ws = make([]word, 0, n/2+1)
	}
	first := firstWordIndex(s.toks)
	for k := from; k < from+n && k < len(s.toks); k++ {
		if t := s.toks[k]; isWord(t) || isSymbol(t) {
			ws = append(ws, word{text: t, lower: lowerWord(t), piece: piece, xref: isCrossRef(s.toks, k, first),
				start: s.starts[k] || afterDash(s.toks, k) && capitalized(t) && isDictWord(t), end: s.ends[k], entry: s.starts[k] && s.item && k == first && (len(s.toks) <= maxLabelTokens || !isDictWord(t)),
				name: s.wholeName(k), link: s.links[k], ref: s.refs != nil && s.refs[k], address: s.addrs != nil && s.addrs[k], prev: neighbour(s.toks, k, -1), next: neighbour(s.toks, k, 1)})
		}
	}
	return ws
}

func firstWordIndex(toks []string) int {
	for i, t := range toks {
		if isWord(t) {
			return i
		}
	}
	return -1
}

// isSymbol reports whether a token is a currency or percent sign, which
// changes the meaning of a number as much as a word does.
func isSymbol(t string) bool {
	switch t {
	case "$", "€", "£", "¥", "%", "‰":
		return true
	}
	return false
}

// neighbour returns the word just before (dir -1) or after (dir 1)
// toks[k], across a single space ("Basecamp" for the "3" of "Basecamp 3").
func neighbour(toks []string, k, dir int) string {
	if j := k + 2*dir; j >= 0 && j < len(toks) && toks[k+dir] == " " && isWord(toks[j]) {
		return toks[j]
	}
	return ""
}

// headWord returns s up to the end of its first word: the context after
// a hunk.
func headWord(s string) string {
	n := 0
	for _, t := range tokenize(s) {
		n += len(t)
		if isWord(t) {
			break
		}
	}
	return s[:n]
}

// tailWord returns s from the start of its last word: the context before
// a hunk.
func tailWord(s string) string {
	toks := tokenize(s)
	n := len(s)
	for i := len(toks) - 1; i >= 0; i-- {
		n -= len(toks[i])
		if isWord(toks[i]) {
			break
		}
	}
	return s[n:]
}

// quotes returns the old and new text to quote for a hunk: the changed
// text, with a word of context on each side when one side is empty or a
// single word, so that `"will" → "will not"` reads naturally.
func (h *hunk) quotes() (string, string) {
	o, n := h.delText, h.insText
	if len(h.del) <= 1 || len(h.ins) <= 1 {
		o, n = h.before+o+h.after, h.before+n+h.after
	}
	return quote(o), quote(n)
}

// shingleSize is the length of the word n-grams that recognise moved text.
const shingleSize = 4

// shingles adds the hashes of the word n-grams of text to set. It returns
// buf, reused for the lower-cased words.
func shingles(text string, set map[uint64]bool, tc *tokenCache, buf []string) []string {
	ws := buf[:0]
	for _, t := range tc.get(text) {
		if isWord(t) {
			ws = append(ws, lowerWord(t))
		}
	}
	for i := 0; i+shingleSize <= len(ws); i++ {
		set[shingleHash(ws[i:i+shingleSize])] = true
	}
	return ws
}

// shingleHash hashes words with FNV-1a, a zero byte after each.
func shingleHash(ws []string) uint64 {
	const prime = 1099511628211
	h := uint64(14695981039346656037)
	for _, w := range ws {
		for i := 0; i < len(w); i++ {
			h = (h ^ uint64(w[i])) * prime
		}
		h *= prime
	}
	return h
}

// cover marks the words of ws that lie in an n-gram found in set: text
// that also appears among the other side's changes, so it moved.
func cover(ws []word, set map[uint64]bool) {
	if len(ws) < shingleSize || len(set) == 0 {
		return
	}
	key := make([]string, shingleSize)
	for i := 0; i+shingleSize <= len(ws); i++ {
		for k := range key {
			key[k] = ws[i+k].lower
		}
		if set[shingleHash(key)] {
			for k := i; k < i+shingleSize; k++ {
				ws[k].covered = true
			}
		}
	}
}

// maxLabelTokens is how long (in tokens, spaces and punctuation included)
// a list item, table cell or heading can be for its first word to be a
// name even when it is an English word: a row of a list of processors
// ("Stripe", "Slack (chat)") rather than a sentence ("Respect each
// other. Nothing sabotages …").
const maxLabelTokens = 16

// crossRefForm matches a numbered part of a document written as one word:
// "D.7", "B.5", "4.2.1".
var crossRefForm = regexp.MustCompile(`^(?:[A-Z]{1,2}(?:\.[0-9]+)+|[0-9]+(?:\.[0-9]+){2,}|[A-Z]{1,2}[0-9]{0,2}\.[0-9]+[a-z]?)$`)

// isCrossRef reports whether toks[k] only numbers a part of a document: a
// cross-reference ("Section B(4)", "D.7", "clause 3.2") or the enumerator
// that opens a heading or list item ("3.", "B)", "iv."). Renumbering
// follows an inserted or removed section; it promises nothing.
func isCrossRef(toks []string, k, first int) bool {
	t := toks[k]
	if !hasDigit(t) && len(t) > 4 {
		return false
	}
	if strings.IndexByte(t, '.') >= 0 && crossRefForm.MatchString(t) {
		return true
	}
	prevTok := func(d int) string {
		if k-d >= 0 {
			return toks[k-d]
		}
		return ""
	}
	next := ""
	if k+1 < len(toks) {
		next = toks[k+1]
	}
	isNum := isEnumerator(t)
	switch {
	case isNum && k == first && (next == "." || next == ")"):
		return true // "3. Security", "B) Fees"
	case isDigits(t) && prevTok(1) == "(" && next == ")" && (isCapLetter(prevTok(2)) || strings.IndexByte(prevTok(2), '.') >= 0 && crossRefForm.MatchString(prevTok(2))):
		return true // "B(4)"
	case isCapLetter(t) && (references[strings.ToLower(prevTok(2))] && prevTok(1) == " " || next == "(" && k+2 < len(toks) && isDigits(toks[k+2])):
		return true // "Section B", the "B" of "B(4)"
	case hasDigit(t) && strings.Contains(t, ".") && references[strings.ToLower(prevTok(2))] && prevTok(1) == " ":
		return true // "Section 3.2"
	}
	return false
}

// isEnumerator reports whether t can number a heading or list item: digits,
// one letter, or a short roman numeral.
func isEnumerator(t string) bool {
	if isDigits(t) && len(t) <= 3 || len(t) == 1 && isWordRune(rune(t[0])) {
		return true
	}
	return len(t) <= 4 && strings.Trim(strings.ToLower(t), "ivx") == ""
}

func isDigits(t string) bool {
	if t == "" {
		return false
	}
	for i := 0; i < len(t); i++ {
		if t[i] < '0' || t[i] > '9' {
			return false
		}
	}
	return true
}

func isCapLetter(t string) bool { return len(t) == 1 && t[0] >= 'A' && t[0] <= 'Z' }

// wholeName returns the run of capitalised words, joined by single spaces,
// that toks[k] is part of ("Google Ads", "Amazon Web Services"), or "" when
// toks[k] stands alone or is not capitalised. A run does not reach back
// over the word that starts a sentence when that word is a function word
// ("The"), and stops at connectors.
func (s *sideInfo) wholeName(k int) string {
	if !capitalized(s.toks[k]) && !innerCaps(s.toks[k]) {
		return ""
	}
	part := func(j int) bool {
		t := s.toks[j]
		return isWord(t) && (capitalized(t) || innerCaps(t)) && !(len(t) <= 5 && functionWords[strings.ToLower(t)]) && !hasDigit(t[:1])
	}
	i, j := k, k
	for i >= 2 && k-i <= 2*maxNameWords && s.toks[i-1] == " " && part(i-2) && !s.starts[i] {
		i -= 2
	}
	for j+2 < len(s.toks) && j-i <= 2*maxNameWords && s.toks[j+1] == " " && part(j+2) && !s.starts[j+2] {
		j += 2
	}
	if i == j || j-i >= 2*maxNameWords {
		return ""
	}
	return strings.Join(s.toks[i:j+1], "")
}

// maxNameWords is the longest run of capitalised words taken for one name;
// longer runs are titles.
const maxNameWords = 5

// afterDash reports whether toks[k] follows a dash standing between
// spaces ("Assume no malice - Humans make mistakes"): a capitalised
// English word there opens a clause, like the first word of a sentence.
func afterDash(toks []string, k int) bool {
	if k < 2 || toks[k-1] != " " {
		return false
	}
	switch toks[k-2] {
	case "-", "–", "—":
		return true
	}
	return false
}
