package change

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// domain matches a bare domain name ("app.example.com").
var domain = regexp.MustCompile(`(?i)\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}\b`)

// tlds are the top-level domains a bare domain must end in (so that "e.g"
// or "U.S" is no domain).
var tlds = set("com", "org", "net", "io", "ai", "co", "app", "dev", "eu", "de", "uk", "fr", "nl", "es", "it",
	"ch", "at", "be", "se", "no", "dk", "fi", "ie", "pl", "pt", "us", "ca", "au", "jp", "in", "br", "me",
	"info", "biz", "tech", "cloud", "so", "sh", "ly", "to", "tv", "fm", "xyz", "site", "online", "store")

// serviceCues say that a sentence lists what a policy covers ("This policy
// applies to example.com and app.example.com").
var serviceCues = []string{"appl", "cover", "govern", "our websites", "our sites", "our services", "our domains"}

// coversServices reports whether text says what a policy covers: only
// then are the domains it names the services covered, rather than
// examples or links.
func coversServices(text string) bool {
	if !isASCII(text) {
		l := strings.ToLower(text)
		for _, c := range serviceCues {
			if strings.Contains(l, c) {
				return true
			}
		}
		return false
	}
	for i := 0; i < len(text); i++ {
		for _, c := range cuesByFirst[lowerASCII(text[i])] {
			if hasPrefixFoldASCII(text[i:], c) {
				return true
			}
		}
	}
	return false
}

// cuesByFirst holds the service cues by their first byte.
var cuesByFirst = func() (t [256][]string) {
	for _, c := range serviceCues {
		t[c[0]] = append(t[c[0]], c)
	}
	return t
}()

// isASCII reports whether s is all ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// hasPrefixFoldASCII reports whether s, in lower case, starts with the
// lower-case ASCII prefix.
func hasPrefixFoldASCII(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for k := 0; k < len(prefix); k++ {
		if lowerASCII(s[k]) != prefix[k] {
			return false
		}
	}
	return true
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// email matches an e-mail address ("privacy@example.com").
var email = regexp.MustCompile(`(?i)\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b`)

// addressFindings reports e-mail and postal addresses that appear in or
// vanish from the document: where to exercise rights or reach the data
// protection officer; and the domains of a sentence that says what the
// policy covers. An address only counts when the whole document
// gains or loses it, so that a moved or re-linked address is not a
// change; one replaced by a close spelling of itself is a correction.
func (c *classifier) addressFindings(blocks [2][]string) {
	var have [2]map[string]bool // every address of each version, collected when first needed
	present := func(side int, a string) bool {
		if have[side] == nil {
			have[side] = map[string]bool{}
			for _, t := range blocks[side] {
				for _, a := range addressesIn(t, c.tc) {
					have[side][a] = true
				}
			}
		}
		return have[side][a]
	}
	firstHunk := make([]int, len(c.bcs))
	for bi := range firstHunk {
		firstHunk[bi] = -1
	}
	for hi := len(c.hunks) - 1; hi >= 0; hi-- {
		firstHunk[c.hunks[hi].block] = hi
	}
	for bi := range c.bcs {
		bc := &c.bcs[bi]
		if bc.Op == OpEqual || c.info[bi].dateLine {
			continue
		}
		var gone, added []string
		corrected := false
		for _, a := range addressesIn(bc.Old, c.tc) {
			if !present(sideNew, a) && !slices.Contains(gone, a) {
				gone = append(gone, a)
				corrected = corrected || hasClose(have[sideNew], a)
			}
		}
		for _, a := range addressesIn(bc.New, c.tc) {
			if !present(sideOld, a) && !slices.Contains(added, a) {
				added = append(added, a)
				corrected = corrected || hasClose(have[sideOld], a)
			}
		}
		if len(gone)+len(added) == 0 {
			continue
		}
		hi := firstHunk[bi]
		if hi < 0 {
			continue
		}
		dl := &delta{removed: gone, added: added}
		if len(gone)+len(added) == 1 && corrected || len(gone) == 1 && len(added) == 1 && editDistance(gone[0], added[0]) <= 2 {
			c.hintedFinding(Minor, "contact", "", hi, fmt.Sprintf("address corrected: %s", arrow(dl)))
			continue
		}
		label, hint := "address", "contact"
		if onlyDomains(gone) && onlyDomains(added) {
			label, hint = "services covered", "other"
		}
		c.hintedFinding(Material, "", hint, hi, fmt.Sprintf("%s: %s", label, arrow(dl)))
	}
}

// addressesIn returns the e-mail addresses in text, lower-cased, and its
// postal addresses, lower-cased with spacing folded.
func addressesIn(text string, tc *tokenCache) []string {
	var out []string
	if strings.Contains(text, "@") {
		for _, m := range email.FindAllString(text, -1) {
			out = append(out, strings.ToLower(m))
		}
	}
	if strings.IndexByte(text, '.') >= 0 && coversServices(text) {
		for _, m := range domain.FindAllStringIndex(text, -1) {
			d := strings.ToLower(text[m[0]:m[1]])
			if m[0] > 0 && strings.ContainsRune("/@.-", rune(text[m[0]-1])) || m[1] < len(text) && strings.ContainsRune("/@", rune(text[m[1]])) ||
				!tlds[d[strings.LastIndexByte(d, '.')+1:]] || givesExample(text[max(0, m[0]-exampleReach):m[0]]) {
				continue
			}
			out = append(out, d)
		}
	}
	if mayHaveStreet(text) && strings.ContainsAny(text, "0123456789") {
		toks := tc.cached(text)
		starts := sentenceStarts(toks)
		var ws []string
		var first []bool
		for i, t := range toks {
			if isWord(t) {
				ws, first = append(ws, t), append(first, starts[i])
			}
		}
		marks := make([]bool, len(ws))
		markAddresses(ws, marks)
		var cur []string
		flush := func() {
			for len(cur) > 0 && !hasDigit(cur[len(cur)-1]) && !capitalized(cur[len(cur)-1]) {
				cur = cur[:len(cur)-1]
			}
			if len(cur) > 1 && isDigits(cur[0]) && !strings.ContainsAny(strings.Join(cur, ""), "/:") {
				out = append(out, strings.ToLower(strings.Join(cur, " ")))
			}
			cur = nil
		}
		for k := range ws {
			if marks[k] && (len(cur) == 0 || !first[k]) {
				cur = append(cur, ws[k])
				continue
			}
			flush()
			if marks[k] {
				cur = append(cur, ws[k])
			}
		}
		flush()
	}
	return out
}

// mayHaveStreet is a quick test that text may hold a postal address: it
// has a capitalised street word.
func mayHaveStreet(text string) bool {
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case 'S', 'A', 'R', 'B', 'F', 'D', 'L', 'W', 'P', 'C', 'H':
			if i == 0 || text[i-1] == ' ' {
				n := wordLen(text[i:])
				if streetWords[strings.ToLower(text[i:i+n])] {
					return true
				}
			}
		}
	}
	return false
}

// hasClose reports whether some address of set is a close spelling of a
// (at most two edits apart): a typo in an address fixed.
func hasClose(set map[string]bool, a string) bool {
	if len(set) > maxCloseLookups {
		return false // a directory of addresses: too many to compare each, and no typo fix
	}
	for b := range set {
		if b != a && editDistance(a, b) <= 2 {
			return true
		}
	}
	return false
}

// exampleReach is how far before a domain givesExample looks.
const exampleReach = 24

// givesExample reports whether the text before a name introduces it as an
// example ("websites, such as example.com"): an illustration, not the
// list of what is covered.
func givesExample(before string) bool {
	l := strings.ToLower(before)
	for _, c := range []string{"such as ", "e.g. ", "e.g., ", "for example ", "for example, ", "for instance ", "like "} {
		if strings.Contains(l, c) {
			return true
		}
	}
	return false
}

// onlyDomains reports whether every address is a bare domain.
func onlyDomains(as []string) bool {
	for _, a := range as {
		if strings.ContainsAny(a, "@ ") {
			return false
		}
	}
	return true
}

// maxCloseLookups bounds the addresses hasClose compares with.
const maxCloseLookups = 32
