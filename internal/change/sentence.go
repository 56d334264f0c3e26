package change

import "strings"

// sentenceAround returns the sentence (or list item) of text that holds
// piece, found with the words around it (before and after), or "" when it
// is not found. A sentence ends at a full stop, question or exclamation
// mark or semicolon followed by a space, or at a line break.
func sentenceAround(text, before, piece, after string) string {
	i, n := locate(text, before, piece, after)
	if i < 0 {
		return ""
	}
	start, end := i, i+n
	for start > 0 && !sentenceBreakBefore(text, start) {
		start--
	}
	for end < len(text) && !sentenceBreakAt(text, end) {
		end++
	}
	if end < len(text) {
		end++ // keep the full stop
	}
	return strings.TrimSpace(text[start:end])
}

// locate finds piece in text, preferring the place where it stands between
// before and after; it returns the offset and length of piece.
func locate(text, before, piece, after string) (int, int) {
	if piece == "" {
		piece, before = before, ""
	}
	if piece == "" {
		return -1, 0
	}
	if k := strings.Index(text, before+piece+after); k >= 0 {
		return k + len(before), len(piece)
	}
	if k := strings.Index(text, piece); k >= 0 {
		return k, len(piece)
	}
	return -1, 0
}

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

// binds reports whether a sentence obliges, permits or forbids: it has a
// modal word of obligation or permission, or a negation.
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
			if negations[e] || modals[e] {
				return true
			}
		}
	}
	return false
}
