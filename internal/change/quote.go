package change

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// oneReasonPerEdit merges the findings about one hunk into one: the
// highest level and its category, the explanations joined, so that one
// edit gives one reason ("period: "30 days" → "7 days"", not a number
// reason and a duration reason).
func (c *classifier) oneReasonPerEdit() []finding {
	return mergeFindings(c.findings, func(f *finding) (mergeKey, bool) {
		return mergeKey{hunk: f.hunk}, f.hunk >= 0
	})
}

// oneReasonPerSentence merges the findings that quote the same sentence
// of the same block: several hunks of one sentence are one edit to it.
func (c *classifier) oneReasonPerSentence() []finding {
	return mergeFindings(c.findings, func(f *finding) (mergeKey, bool) {
		return mergeKey{hunk: -1, block: f.block, old: f.old, new: f.new}, f.hunk >= 0 && (f.old != "" || f.new != "")
	})
}

// mergeKey identifies the findings mergeFindings merges.
type mergeKey struct {
	hunk, block int
	old, new    string
}

// mergeFindings merges the findings with the same key, keeping the first
// one's place.
func mergeFindings(fs []finding, keyOf func(*finding) (mergeKey, bool)) []finding {
	out := make([]finding, 0, len(fs))
	at := make(map[mergeKey]int, len(fs)) // key → index in out
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

// maxSentenceQuote is how long (in bytes) a quoted sentence may be before
// it is cut around the change.
const maxSentenceQuote = 320

// quoteSentences replaces each finding's quotes with the whole sentence
// or list item before and after its edit, and the part of the block's
// word diff that covers them (no second diff is run).
func (c *classifier) quoteSentences() {
	for i := range c.findings {
		f := &c.findings[i]
		bc := &c.bcs[f.block]
		var os, oe, ns, ne int
		if f.hunk < 0 { // a whole block (moved: its first sentence), or the sentence at f.at
			os, oe = sentenceSpan(bc.Old, f.at[sideOld], 0)
			os, oe = window(bc.Old, f.at[sideOld], os, oe)
			ns, ne = sentenceSpan(bc.New, f.at[sideNew], 0)
			ns, ne = window(bc.New, f.at[sideNew], ns, ne)
		} else {
			h := &c.hunks[f.hunk]
			if bc.Old != "" {
				os, oe = sentenceSpan(bc.Old, h.delAt, len(h.delText))
				os, oe = window(bc.Old, h.delAt, os, oe)
			}
			if bc.New != "" {
				ns, ne = sentenceSpan(bc.New, h.insAt, len(h.insText))
				ns, ne = window(bc.New, h.insAt, ns, ne)
			}
		}
		f.old, f.new = cut(bc.Old, os, oe), cut(bc.New, ns, ne)
		f.quote = sliceOps(bc.Ops, os, oe, ns, ne)
	}
}

// window narrows a long span [s, e) of text to about maxSentenceQuote
// bytes around at, at spaces.
func window(text string, at, s, e int) (int, int) {
	if e-s <= maxSentenceQuote {
		return s, e
	}
	if at > s+maxSentenceQuote/3 {
		s = at - maxSentenceQuote/3
		for s < e && text[s] != ' ' {
			s++
		}
	}
	if e > s+maxSentenceQuote {
		e = s + maxSentenceQuote
		for e > s && text[e] != ' ' {
			e--
		}
		if e == s {
			e = s + maxSentenceQuote
			for e < len(text) && !utf8.RuneStart(text[e]) {
				e++
			}
		}
	}
	return s, e
}

// cut returns text[s:e] with its spacing folded, "…" marking text left
// out at either end.
func cut(text string, s, e int) string {
	if s >= e {
		return ""
	}
	out := strings.Join(strings.Fields(text[s:e]), " ")
	if s > 0 && !sentenceBreakBefore(text, s) && text[s-1] != '\n' {
		out = "…" + out
	}
	if e < len(text) && !sentenceBreakAt(text, e-1) && text[e] != '\n' {
		out += "…"
	}
	return out
}

// sliceOps returns the part of a block's word diff that lies within the
// old span [os, oe) and the new span [ns, ne), spacing folded.
func sliceOps(ops []Op, os, oe, ns, ne int) []Op {
	var out []Op
	oPos, nPos := 0, 0
	take := func(typ, text string, from, to, pos int) {
		a, b := max(from, pos), min(to, pos+len(text))
		if a < b {
			out = appendOp(out, typ, foldSpaces(text[a-pos:b-pos]))
		}
	}
	for _, op := range ops {
		switch op.Type {
		case OpEqual:
			if ne > ns {
				take(OpEqual, op.Text, ns, ne, nPos)
			} else {
				take(OpEqual, op.Text, os, oe, oPos)
			}
			oPos += len(op.Text)
			nPos += len(op.Text)
		case OpDelete:
			take(OpDelete, op.Text, os, oe, oPos)
			oPos += len(op.Text)
		case OpInsert:
			take(OpInsert, op.Text, ns, ne, nPos)
			nPos += len(op.Text)
		}
	}
	if len(out) > 0 {
		out[0].Text = strings.TrimLeft(out[0].Text, " ")
		out[len(out)-1].Text = strings.TrimRight(out[len(out)-1].Text, " ")
	}
	return out
}

// foldSpaces replaces each run of white space with one space.
func foldSpaces(s string) string {
	if !needsFold(s) {
		return s
	}
	var sb strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space {
			sb.WriteByte(' ')
			space = false
		}
		sb.WriteRune(r)
	}
	if space {
		sb.WriteByte(' ')
	}
	return sb.String()
}
