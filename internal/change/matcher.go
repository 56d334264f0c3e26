package change

import "strings"

// A lexTerm is a lower-case word prefix or phrase of a lexicon and the
// index of its category in Categories.
type lexTerm struct {
	text string
	cat  int
}

// terms flattens a lexicon given by category.
func terms(m map[string][]string) []lexTerm {
	var ts []lexTerm
	for ci, c := range Categories {
		for _, t := range m[c] {
			ts = append(ts, lexTerm{t, ci})
		}
	}
	return ts
}

// matcher finds the terms of a lexicon at the word starts of normalised
// text (see normText), indexed by first byte so that each word costs a
// few comparisons.
type matcher struct {
	terms   []lexTerm
	byFirst [256][]int
	index   map[string]int
}

func newMatcher(ts []lexTerm) *matcher {
	m := &matcher{terms: ts, index: map[string]int{}}
	for i, t := range ts {
		m.byFirst[t.text[0]] = append(m.byFirst[t.text[0]], i)
		m.index[t.text] = i
	}
	return m
}

// each calls fn with the index of every term occurrence in norm, and the
// position where it starts. norm has a space before every word.
func (m *matcher) each(norm string, fn func(ti, pos int)) {
	for pos := 0; pos < len(norm); {
		k := strings.IndexByte(norm[pos:], ' ')
		if k < 0 {
			return
		}
		pos += k + 1
		if pos >= len(norm) {
			return
		}
		for _, ti := range m.byFirst[norm[pos]] {
			if strings.HasPrefix(norm[pos:], m.terms[ti].text) {
				fn(ti, pos)
			}
		}
	}
}
