package change

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// A word is one word token of a changed piece of text, with what the
// classifier needs to know about it.
type word struct {
	text    string // as written
	lower   string // lower-cased, apostrophes straightened
	start   bool   // first word of a sentence
	end     bool   // last word of a sentence
	whole   bool   // part of a whole sentence added or removed
	aside   bool   // part of a sentence that only points elsewhere or gives instructions
	ref     bool   // part of the name of a document or page ("our Fair Refund policy")
	address bool   // part of a postal address
	entry   bool   // first word of a short list item, table cell or heading, or of one that is no English word
	link    bool   // part of a URL, path, e-mail address or markup
	piece   int    // index of the hunk it belongs to
	prev    string // the word just before it, if only a space separates them
	next    string // the word just after it, likewise
	covered bool   // found verbatim among the other side's changes: moved text
	twin    bool   // replaced by a close spelling of itself: a typo fix
	name    string // the whole name a capitalised word is part of ("Google Ads"), or ""
	inName  bool   // next to an unchanged capitalised word: part of a longer name that stays
	xref    bool   // a cross-reference or the enumerator of a heading or item ("B(4)", "D.7", "3.")
}

// straighten replaces typographic apostrophes and quotes with ASCII ones.
var straighten = strings.NewReplacer("’", "'", "‘", "'", "“", `"`, "”", `"`, "‑", "-", "–", "-", "—", "-")

// lowerWord lower-cases a word and straightens its apostrophes.
func lowerWord(t string) string {
	for i := 0; i < len(t); i++ {
		if t[i] >= utf8.RuneSelf {
			return straighten.Replace(strings.ToLower(t))
		}
	}
	return strings.ToLower(t)
}

// sentenceStarts reports, for each token, whether it is the first word of
// a sentence: the first word of the text, or the first after a full stop,
// question or exclamation mark, colon, semicolon or bullet.
func sentenceStarts(toks []string) []bool {
	out := make([]bool, len(toks))
	start := true
	for i, t := range toks {
		switch {
		case isWord(t):
			out[i], start = start, false
		case t == "." || t == "!" || t == "?" || t == ":" || t == ";" || t == "•" || t == "…":
			start = true
		}
	}
	return out
}

// sentenceEnds reports, for each token, whether it is the last word of a
// sentence: the next word starts one, or there is no next word.
func sentenceEnds(toks []string, starts []bool) []bool {
	out := make([]bool, len(toks))
	last := -1
	for i, t := range toks {
		if !isWord(t) {
			continue
		}
		if last >= 0 && starts[i] {
			out[last] = true
		}
		last = i
	}
	if last >= 0 {
		out[last] = true
	}
	return out
}

// contractions expands the contractions that carry negation or modality.
var contractions = map[string][]string{
	"won't": {"will", "not"}, "can't": {"can", "not"}, "cannot": {"can", "not"}, "shan't": {"shall", "not"},
	"ain't": {"not"},
}

// expand splits a lower-cased word into the words it stands for:
// "don't" → do not, "we'll" → we will, "cannot" → can not.
func expand(w string) []string {
	if e, ok := contractions[w]; ok {
		return e
	}
	switch {
	case strings.HasSuffix(w, "n't"):
		return []string{strings.TrimSuffix(w, "n't"), "not"}
	case strings.HasSuffix(w, "'ll"):
		return []string{strings.TrimSuffix(w, "'ll"), "will"}
	case strings.HasSuffix(w, "'d"):
		return []string{strings.TrimSuffix(w, "'d"), "would"}
	}
	return []string{w}
}

// hasDigit reports whether s contains a decimal digit.
func hasDigit(s string) bool {
	return strings.IndexFunc(s, unicode.IsDigit) >= 0
}

// capitalized reports whether a word starts with an upper-case letter.
func capitalized(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}

// innerCaps reports whether a word has an upper-case letter after its
// first rune, or glues digits and letters together without a hyphen
// ("GitHub", "hCaptcha", "HEY", "37signals", "BC3"): such words are names
// wherever they stand. "mid-2018" or "30-day" are not.
func innerCaps(w string) bool {
	letters, digits := false, false
	for i, r := range w {
		if i > 0 && unicode.IsUpper(r) {
			return true
		}
		if r == '-' || r == '‑' {
			return false
		}
		letters = letters || unicode.IsLetter(r)
		digits = digits || unicode.IsDigit(r)
	}
	return letters && digits
}

// editDistance is the number of single-rune insertions, deletions,
// substitutions and swaps of neighbours that turn a into b (optimal string
// alignment), for short words; "receive" and "recieve" are one apart.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 {
		return max(len(ra), len(rb))
	}
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// quote shortens text for quoting in a reason: whitespace folded, at most
// about maxQuote runes, cut at a word boundary with an ellipsis.
func quote(s string) string {
	if needsFold(s) {
		s = strings.Join(strings.Fields(s), " ")
	}
	if utf8.RuneCountInString(s) <= maxQuote {
		return s
	}
	rs := []rune(s)
	cut := maxQuote
	for i := maxQuote; i > maxQuote/2; i-- {
		if rs[i] == ' ' {
			cut = i
			break
		}
	}
	return string(rs[:cut]) + "…"
}

const maxQuote = 120

// needsFold reports whether s has white space other than single spaces
// between words.
func needsFold(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return true
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ' ' && i+1 < len(s) && s[i+1] == ' ', c == '\t', c == '\n', c == '\r', c == '\v', c == '\f',
			c >= utf8.RuneSelf:
			return true
		}
	}
	return false
}

// ignored reports whether a word's features do not count: it moved, it is
// a typo fix, an aside, part of a link or of an address.
func (w *word) ignored() bool { return w.covered || w.twin || w.link || w.aside || w.address || w.xref }

// pairTypos marks the deleted and inserted words of a hunk that are
// spelling variants of each other ("automaticaly" and "automatically",
// "cancelled" and "canceled"): at most two edits apart, and few against
// the length of the word. Numbers, names and short words never pair, so
// that "may" → "many", "30" → "60" or "reCAPTCHA" → "hCaptcha" stay
// changes. Each deleted word is tried against the inserted words near the
// same relative position only, which keeps the cost linear.
func pairTypos(del, ins []word) {
	pairJoined(del, ins)
	pairJoined(ins, del)
	for i := range del {
		a := &del[i]
		if !typoCandidate(a) {
			continue
		}
		center := i * len(ins) / len(del)
		for j := max(0, center-typoWindow); j < min(len(ins), center+typoWindow+1); j++ {
			b := &ins[j]
			if b.twin || !typoCandidate(b) {
				continue
			}
			if closeSpelling(a.lower, b.lower) {
				a.twin, b.twin = true, true
				break
			}
		}
	}
}

// closeSpelling reports whether two different words are spelling variants:
// at most two edits apart, few against their length, and not one the
// negation of the other ("lawful", "unlawful").
func closeSpelling(a, b string) bool {
	d := editDistance(a, b)
	return d <= 2 && d*4 <= max(len(a), len(b)) && !opposite(a, b) && !realWordSwap(a, b)
}

// negativePrefixes turn a word into its opposite.
var negativePrefixes = []string{"un", "in", "im", "il", "ir", "non", "non-", "dis"}

// opposite reports whether one word is the other with a negative prefix
// ("limited", "unlimited"; "encrypted", "unencrypted").
func opposite(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	for _, p := range negativePrefixes {
		if len(a) >= 3 && b == p+a {
			return true
		}
	}
	return false
}

// typoWindow is how far from the same relative position pairTypos looks.
const typoWindow = 4

// typoCandidate reports whether a word may be one side of a typo fix.
func typoCandidate(w *word) bool {
	return !w.ignored() && len(w.lower) >= minTypoLen && !hasDigit(w.lower) && !capitalized(w.text) && !innerCaps(w.text)
}

// minTypoLen is the shortest word a typo fix can change.
const minTypoLen = 5

// pairJoined marks the words of a that are two neighbouring words of b
// run together ("Serviceor" and "Service or", "Noticefor" and "Notice
// for"): a missing space restored or lost, near the same relative
// position.
func pairJoined(a, b []word) {
	for i := range a {
		x := &a[i]
		if x.twin || len(x.lower) < minTypoLen || hasDigit(x.lower) {
			continue
		}
		center := i * len(b) / max(1, len(a))
		for j := max(0, center-typoWindow); j+1 < min(len(b), center+typoWindow+2); j++ {
			if y, z := &b[j], &b[j+1]; !y.twin && !z.twin && len(y.lower)+len(z.lower) == len(x.lower) &&
				strings.HasPrefix(x.lower, y.lower) && strings.HasSuffix(x.lower, z.lower) {
				x.twin, y.twin, z.twin = true, true, true
				break
			}
		}
	}
}
