package change

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// oneReasonPerEdit merges the findings about one hunk into one: the
// highest level and its category, the explanations joined, so that one
// edit gives one reason ("period: "30 days" → "7 days"", not a number
// reason and a duration reason).
func (c *classifier) oneReasonPerEdit() []finding {
	return mergeFindings(c.findings, func(f *finding) (string, bool) {
		return fmt.Sprint(f.hunk), f.hunk >= 0
	})
}

// oneReasonPerSentence merges the findings that quote the same sentence
// of the same block: several hunks of one sentence are one edit to it.
func (c *classifier) oneReasonPerSentence() []finding {
	return mergeFindings(c.findings, func(f *finding) (string, bool) {
		return fmt.Sprint(f.block, "\x00", f.old, "\x00", f.new), f.hunk >= 0 && (f.old != "" || f.new != "")
	})
}

// mergeFindings merges the findings with the same key, keeping the first
// one's place.
func mergeFindings(fs []finding, keyOf func(*finding) (string, bool)) []finding {
	var out []finding
	at := map[string]int{} // key → index in out
	for _, f := range fs {
		key, ok := keyOf(&f)
		if !ok {
			out = append(out, f)
			continue
		}
		k, ok := at[key]
		if !ok {
			at[key] = len(out)
			out = append(out, f)
			continue
		}
		g := &out[k]
		if strings.Contains("; "+g.why+"; ", "; "+f.why+"; ") {
			continue
		}
		switch {
		case f.level > g.level: // the weightier explanation replaces the lighter one
			g.level, g.category, g.why = f.level, f.category, f.why
		case f.level == g.level:
			g.why += "; " + f.why
		}
	}
	return out
}

// maxSentenceQuote is how long a quoted sentence may be before it is cut
// around the change.
const maxSentenceQuote = 320

// quoteSentences replaces each finding's quotes with the whole sentence
// or list item before and after its edit, and their word diff.
func (c *classifier) quoteSentences() {
	for i := range c.findings {
		f := &c.findings[i]
		bc := &c.bcs[f.block]
		if f.hunk < 0 {
			f.old, f.new = quote(bc.Old), quote(bc.New)
			f.quote = quoteOps(f.old, f.new, c.tc)
			continue
		}
		h := &c.hunks[f.hunk]
		o, n := "", ""
		if bc.Old != "" {
			o = sentenceAround(bc.Old, h.delAt, len(h.delText))
		}
		if bc.New != "" {
			n = sentenceAround(bc.New, h.insAt, len(h.insText))
		}
		if o == "" && n == "" {
			f.quote = quoteOps(f.old, f.new, c.tc)
			continue
		}
		o, n = fitQuote(o, h.delText), fitQuote(n, h.insText)
		f.old, f.new = o, n
		f.quote = quoteOps(o, n, c.tc)
	}
}

// fitQuote folds a sentence's spacing and, when it is very long, cuts it
// to the part around piece, with "…" where text is left out.
func fitQuote(s, piece string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= maxSentenceQuote {
		return s
	}
	piece = strings.Join(strings.Fields(piece), " ")
	i := strings.Index(s, piece)
	if i < 0 || piece == "" {
		i = 0
	}
	start := max(0, i-maxSentenceQuote/3)
	for start > 0 && s[start-1] != ' ' {
		start--
	}
	end := min(len(s), max(i+len(piece), start)+maxSentenceQuote/2)
	for end < len(s) && s[end] != ' ' {
		end++
	}
	out := s[start:end]
	if start > 0 {
		out = "…" + out
	}
	if end < len(s) {
		out += "…"
	}
	return out
}

// quoteOps is the word diff of two quotes.
func quoteOps(o, n string, tc *tokenCache) []Op {
	switch {
	case o == n:
		return appendOp(nil, OpEqual, n)
	case o == "":
		return appendOp(nil, OpInsert, n)
	case n == "":
		return appendOp(nil, OpDelete, o)
	}
	return slices.Clip(diffWords(o, n, tc))
}
