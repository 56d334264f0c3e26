package change

import (
	"regexp"
	"strings"
	"unicode"
)

// dateLine matches the "Last updated" or "Effective date" line of a
// policy, which templates print from front matter anyway.
var dateLine = regexp.MustCompile(`(?i)\b(last\s+(updated|modified|revised|changed|reviewed)|effective(\s+(date|as\s+of|from|on|since)\b|\s*:)|(updated|revised)\s*(on\b|:)|version\s+date)`)

// maxDateLineWords is how long a date line can be.
const maxDateLineWords = 16

// isDateLine reports whether a block is a date or version line ("Last
// updated …", "Effective date: …", "Version 3", a date alone, "This
// policy applies from …"), a "we have updated this policy" banner or a
// link to the previous version: lines that say when the text changed,
// not what it promises.
func isDateLine(text string) bool {
	if text == "" || strings.Count(text, " ") >= maxDateLineWords {
		return false
	}
	if dateCue(text) && dateLine.MatchString(text) {
		return true
	}
	if strings.ContainsAny(text, "0123456789") && (versionLine.MatchString(text) || dateAlone.MatchString(text)) {
		return true
	}
	return bannerCue(text) && banner.MatchString(text) && !hasTerm(normText(text, nil)) && !binds(text)
}

// bannerCue is a quick test for the words banner needs.
func bannerCue(text string) bool {
	for _, c := range []string{"pdated", "evised", "hanged", "mended", "ersion", "ppl", "ffect", "alid"} {
		if strings.Contains(text, c) {
			return true
		}
	}
	return false
}

// A date written out or as digits; a version line; a banner that says the
// policy changed or points to an earlier version.
const dateExpr = `(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}|` +
	`(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})|` +
	`(?:\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+\d{4})|` +
	`(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\s+\d{4}))`

var (
	versionLine = regexp.MustCompile(`(?i)^\W*(?:version|v\.?|rev\.?|revision)\s*\d+(?:\.\d+)*\W*(?:(?:of|from|dated|published|issued)?\s*` + dateExpr + `)?\W*$`)
	dateAlone   = regexp.MustCompile(`(?i)^\W*(?:(?:dated|as of|since|from|on|published|posted|issued|in effect|applies from|applicable from|valid from|last update)\s*:?\s*)?` + dateExpr + `\W*$`)
	banner      = regexp.MustCompile(`(?i)(?:\b(?:we(?:'|’)ve|we have|we)\s+(?:recently\s+)?(?:updated|revised|changed|amended)\s+(?:our|this|the)\b|` +
		`\b(?:this|our|the)\s+(?:\w+\s+){0,3}(?:has|have|was|were)\s+(?:been\s+)?(?:recently\s+)?(?:updated|revised|amended)\b|` +
		`\b(?:previous|prior|earlier|archived|older|past)\s+(?:\w+\s+)?versions?\b|` +
		`\b(?:applies|apply|in effect|effective|valid|applicable)\s+(?:from|as of|since|starting|beginning)\b)`)
)

// dateCue is a quick test for the words dateLine needs.
func dateCue(text string) bool {
	for _, c := range []string{"pdated", "PDATED", "ffective", "FFECTIVE", "evised", "EVISED", "odified",
		"ODIFIED", "hanged", "HANGED", "eviewed", "EVIEWED", "ersion", "ERSION"} {
		if strings.Contains(text, c) {
			return true
		}
	}
	return false
}

// functionWords may be added or dropped without changing what a sentence
// commits to ("adds missing 'we'").
var functionWords = set("a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "for", "by", "as",
	"is", "are", "be", "was", "were", "it", "its", "we", "you", "your", "our", "us", "that", "this",
	"these", "those", "which", "who", "with", "from", "also", "just", "so", "then", "there", "here")

// aliases are what a document calls its own author instead of its name.
var aliases = set("we", "us", "our", "ours", "company", "the company")

// editorialWhy returns why a hunk is editorial, or "" when it is a real
// wording change.
func editorialWhy(h *hunk) string {
	d, i := h.delText, h.insText
	dw, iw := wordTexts(h.del), wordTexts(h.ins)
	switch {
	case len(h.del)+len(h.ins) > 0 && allCovered(h.del) && allCovered(h.ins):
		return "moved text"
	case strings.Join(strings.Fields(d), "") == strings.Join(strings.Fields(i), ""):
		return "whitespace"
	case straighten.Replace(d) == straighten.Replace(i):
		return "quote style"
	case dw == iw:
		return "punctuation"
	case strings.EqualFold(dw, iw):
		return "case"
	case h.linkRenamed:
		return "link text renamed, same target"
	case (hasLink(h.del) || hasLink(h.ins)) && prose(h.del) == prose(h.ins):
		return "link"
	case len(h.del)+len(h.ins) > 0 && onlyRefs(h.del) && onlyRefs(h.ins):
		return "numbering"
	case sameNumbers(h.del, h.ins):
		return "number written out"
	case squash(h.del) == squash(h.ins):
		return "spelling"
	case isTypo(h.del, h.ins):
		return "typo"
	case onlyFunctionWords(h.del) && onlyFunctionWords(h.ins) && len(h.del)+len(h.ins) <= 2:
		return "grammar"
	}
	return ""
}

func wordTexts(ws []word) string {
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = w.text
	}
	return strings.Join(parts, " ")
}

// prose joins the lower-cased words that are not part of a link.
func prose(ws []word) string {
	var parts []string
	for _, w := range ws {
		if !w.link {
			parts = append(parts, w.lower)
		}
	}
	return strings.Join(parts, " ")
}

func hasLink(ws []word) bool {
	for _, w := range ws {
		if w.link {
			return true
		}
	}
	return false
}

func allCovered(ws []word) bool {
	for _, w := range ws {
		if !w.covered {
			return false
		}
	}
	return true
}

// squash joins the words, expanded and lower-cased, without spaces or
// hyphens: "can not" and "cannot", "e-mail" and "email" squash alike.
func squash(ws []word) string {
	var sb strings.Builder
	for _, w := range ws {
		for _, e := range expand(w.lower) {
			sb.WriteString(strings.Map(func(r rune) rune {
				if r == '-' || r == '\'' || unicode.IsSpace(r) {
					return -1
				}
				return r
			}, e))
		}
	}
	return sb.String()
}

// isTypo reports whether the words were replaced one for one, each by a
// close spelling: an edit distance of at most two, and small against the
// word. Numbers, negations and modal words never count as typos.
func isTypo(del, ins []word) bool {
	if len(del) != len(ins) || len(del) == 0 {
		return false
	}
	for k := range del {
		a, b := del[k].lower, ins[k].lower
		if a == b {
			continue
		}
		if hasDigit(a) || hasDigit(b) || significant(a) || significant(b) {
			return false
		}
		if !closeSpelling(a, b) {
			return false
		}
	}
	return true
}

// significant reports whether a word negates or modalises.
func significant(w string) bool {
	for _, e := range expand(w) {
		if negations[e] || modals[e] || scopes[e] {
			return true
		}
	}
	return false
}

func onlyFunctionWords(ws []word) bool {
	for _, w := range ws {
		if !functionWords[w.lower] {
			return false
		}
	}
	return true
}

// onlyRefs reports whether every word is a cross-reference, a word that
// introduces one ("Section") or a single letter.
func onlyRefs(ws []word) bool {
	for _, w := range ws {
		if !w.xref && !references[w.lower] && len(w.lower) > 1 {
			return false
		}
	}
	return true
}

// sameNumbers reports whether two pieces are the same numbers, written in
// digits or in words ("30" and "thirty (30)").
func sameNumbers(del, ins []word) bool {
	values := func(ws []word) map[string]bool {
		m := map[string]bool{}
		for _, w := range ws {
			_, spelled := wordValues[w.lower]
			if !spelled && !isDigits(strings.ReplaceAll(w.lower, ",", "")) {
				return nil
			}
			m[numberValue(w.lower)] = true
		}
		return m
	}
	a, b := values(del), values(ins)
	if len(a) == 0 || len(a) != len(b) {
		return false
	}
	for v := range a {
		if !b[v] {
			return false
		}
	}
	return true
}
