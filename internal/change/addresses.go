package change

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// email matches an e-mail address ("privacy@example.com").
var email = regexp.MustCompile(`(?i)\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b`)

// addressFindings reports e-mail and postal addresses that appear in or
// vanish from the document: where to exercise rights or reach the data
// protection officer. An address only counts when the whole document
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
		c.hintedFinding(Material, "", "contact", hi, fmt.Sprintf("address: %s", arrow(dl)))
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
	for b := range set {
		if b != a && editDistance(a, b) <= 2 {
			return true
		}
	}
	return false
}
