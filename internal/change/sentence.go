package change

import (
	"strings"
	"unicode/utf8"
)

// sentenceAround returns the sentence (or list item) of text that holds
// text[at:at+n], trimmed.
func sentenceAround(text string, at, n int) string {
	s, e := sentenceSpan(text, at, n)
	return strings.TrimSpace(text[s:e])
}

// sentenceSpan returns the bounds of the sentence (or list item) of text
// that holds text[at:at+n]. A sentence ends at a full stop, question or
// exclamation mark or semicolon followed by a space, or at a line break.
// It looks at most maxSentenceScan bytes each way, so that a block without
// full stops costs no more than a short one.
func sentenceSpan(text string, at, n int) (int, int) {
	at = min(max(at, 0), len(text))
	start, end := at, min(len(text), at+n)
	for start > 0 && at-start < maxSentenceScan && !sentenceBreakBefore(text, start) {
		start--
	}
	for end < len(text) && end-at-n < maxSentenceScan && !sentenceBreakAt(text, end) {
		end++
	}
	if end < len(text) && sentenceBreakAt(text, end) {
		end++ // keep the full stop
	}
	for start > 0 && start < len(text) && !utf8.RuneStart(text[start]) {
		start++
	}
	for end < len(text) && !utf8.RuneStart(text[end]) {
		end++
	}
	for start < end && text[start] == ' ' {
		start++
	}
	for end > start && (text[end-1] == ' ' || text[end-1] == '\n') {
		end--
	}
	return start, end
}

// maxSentenceScan bounds how far sentenceAround looks for a sentence's ends.
const maxSentenceScan = 1000

// sentenceBreakAt reports whether text[i] ends a sentence.
func sentenceBreakAt(text string, i int) bool {
	switch text[i] {
	case '\n':
		return true
	case '.', '!', '?', ';':
		return i+1 >= len(text) || text[i+1] == ' ' || text[i+1] == '\n'
	}
	return false
}

// sentenceBreakBefore reports whether a sentence starts at text[i].
func sentenceBreakBefore(text string, i int) bool {
	return i >= 2 && text[i-1] == ' ' && sentenceBreakAt(text, i-2) || i >= 1 && text[i-1] == '\n'
}

// dutyWords state who pays, agrees or answers for what ("you pay for those
// features", "you agree to", "you are responsible for").
var dutyWords = set("pay", "pays", "charge", "charged", "charges", "bill", "billed", "owe", "owes", "agree",
	"agrees", "responsible", "liable")

// binds reports whether a sentence obliges, permits or forbids: it has a
// modal word of obligation or permission, a negation or a word of duty.
func binds(sentence string) bool {
	first := true
	for _, t := range tokenize(sentence) {
		if !isWord(t) {
			continue
		}
		if t == "May" && !first {
			continue // the month
		}
		first = false
		for _, e := range expand(lowerWord(t)) {
			if negations[e] || modals[e] || dutyWords[e] {
				return true
			}
		}
	}
	return false
}
