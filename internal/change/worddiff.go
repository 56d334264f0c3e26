package change

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// maxDiffTokens bounds the work of one word diff: when the two blocks of a
// pair hold more tokens than this between them, the pair is shown as a
// whole-block replacement instead. go-diff's Myers diff is O((N+M)·D), so
// the cap bounds one diff at about maxDiffTokens² steps. That bound, not a
// clock, is what keeps a diff cheap: go-diff runs without a deadline, so
// the result never depends on how busy the machine is
// (BenchmarkWordDiffAtCap measures the worst case).
const maxDiffTokens = 3000

// tokenize splits s into word, space and punctuation tokens whose
// concatenation is s. A word runs over letters, digits and marks, and over
// an apostrophe, hyphen, period, slash or underscore between two of them
// ("don’t", "e-mail", "customer.io", "and/or"), and a comma between digits
// ("1,000").
func tokenize(s string) []string {
	toks := make([]string, 0, len(s)/3+1) // words of a few letters, each with a space

	for i := 0; i < len(s); {
		n := tokenLen(s[i:])
		toks = append(toks, s[i:i+n])
		i += n
	}
	return toks
}

// tokenLen returns the byte length of the token at the start of s.
func tokenLen(s string) int {
	if c := s[0]; c < utf8.RuneSelf && !isWordRune(rune(c)) && c != ' ' && c != '\t' && c != '\n' && c != '\r' {
		return 1
	}
	r, n := utf8.DecodeRuneInString(s)
	switch {
	case isWordRune(r):
		return wordLen(s)
	case unicode.IsSpace(r):
		i := n
		for i < len(s) {
			r, m := utf8.DecodeRuneInString(s[i:])
			if !unicode.IsSpace(r) {
				break
			}
			i += m
		}
		return i
	}
	return n
}

// wordLen returns the byte length of the word at the start of s.
func wordLen(s string) int {
	i, prev := 0, rune(0)
	for i < len(s) {
		r, n := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s[i:])
		}
		if isWordRune(r) {
			i, prev = i+n, r
			continue
		}
		if i+n >= len(s) || !mayJoin(r) {
			break
		}
		next, _ := utf8.DecodeRuneInString(s[i+n:])
		if isWordRune(next) && joins(prev, r, next) {
			i, prev = i+n, r
			continue
		}
		break
	}
	return i
}

// isWordRune reports whether r is a letter, digit or mark. It is small
// enough to inline: ASCII, the common case, is one table lookup.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiWord[r]
	}
	return isWordRuneWide(r)
}

// asciiWord marks the ASCII letters and digits.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return t
}()

func isWordRuneWide(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// mayJoin reports whether r may continue a word (see joins).
func mayJoin(r rune) bool {
	switch r {
	case '\'', '’', '-', '.', '/', '_', '‑', ',':
		return true
	}
	return false
}

// joins reports whether r, between prev and next, continues a word.
func joins(prev, r, next rune) bool {
	switch r {
	case '\'', '’', '-', '.', '/', '_', '‑':
		return true
	case ',':
		return unicode.IsDigit(prev) && unicode.IsDigit(next)
	}
	return false
}

// isWord reports whether a token is a word (starts with a word rune).
func isWord(tok string) bool {
	r, _ := utf8.DecodeRuneInString(tok)
	return isWordRune(r)
}

// diffWords returns the word diff of two texts, semantically cleaned up.
// It falls back to a whole replacement when the pair is too large to
// diff within its bound.
func diffWords(a, b string, tc *tokenCache) []Op {
	if a == b {
		return appendOp(nil, OpEqual, a)
	}
	ra, rb := tc.runes(a), tc.runes(b)
	if len(ra)+len(rb) > maxDiffTokens || ra == nil && a != "" || rb == nil && b != "" {
		return replaceOps(a, b)
	}
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0 // bounded by maxDiffTokens; no deadline keeps results deterministic
	diffs := dmp.DiffCleanupSemantic(dmp.DiffMainRunes(ra, rb, false))
	var ops []Op
	var sb strings.Builder
	for _, d := range diffs {
		sb.Reset()
		for _, r := range d.Text {
			sb.WriteString(tc.token(r))
		}
		ops = appendOp(ops, opType(d.Type), sb.String())
	}
	return ops
}

// replaceOps is the diff of a whole replacement.
func replaceOps(a, b string) []Op {
	return appendOp(appendOp(nil, OpDelete, a), OpInsert, b)
}

func opType(t diffmatchpatch.Operation) string {
	switch t {
	case diffmatchpatch.DiffInsert:
		return OpInsert
	case diffmatchpatch.DiffDelete:
		return OpDelete
	}
	return OpEqual
}

// appendOp appends a non-empty op, merging it into the last one when they
// are of the same type.
func appendOp(ops []Op, typ, text string) []Op {
	if text == "" {
		return ops
	}
	if n := len(ops); n > 0 && ops[n-1].Type == typ {
		ops[n-1].Text += text
		return ops
	}
	return append(ops, Op{Type: typ, Text: text})
}
