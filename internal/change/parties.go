package change

import (
	"fmt"
	"slices"
	"strings"
)

// partyFindings reports names that appear or disappear. A name that
// still occurs elsewhere in the new version (or already occurred in the
// old one) is not a party joining or leaving the policy, only mentioned
// in a new place: minor. A rename (see renames) is minor. The author's
// name becoming "we" or back is editorial. Names of one kind are reported
// together, so a hunk yields at most one finding per kind.
func (c *classifier) partyFindings(dl *delta, delAlias, insAlias int) {
	renamed, used := c.renames(dl.removed, dl.added)
	var groups [6][]string
	const (
		partyRemoved = iota
		ownToPronoun
		mentionRemoved
		partyAdded
		pronounToOwn
		mentionAdded
	)
	partial := false
	for _, x := range dl.removed {
		switch {
		case used[x]:
		case dl.inName[x]:
			partial = true
		case c.names.count(sideNew, x) == 0:
			groups[partyRemoved] = append(groups[partyRemoved], x)
		case insAlias > delAlias:
			groups[ownToPronoun] = append(groups[ownToPronoun], x)
		default:
			groups[mentionRemoved] = append(groups[mentionRemoved], x)
		}
	}
	for _, y := range dl.added {
		switch {
		case used[y]:
		case dl.inName[y]:
			partial = true
		case c.names.count(sideOld, y) == 0:
			groups[partyAdded] = append(groups[partyAdded], y)
		case delAlias > insAlias:
			groups[pronounToOwn] = append(groups[pronounToOwn], y)
		default:
			groups[mentionAdded] = append(groups[mentionAdded], y)
		}
	}
	if len(renamed) > 0 {
		hi := dl.hunk
		if at, ok := c.swapAt[[2]string{renamed[0][0], renamed[0][1]}]; ok {
			hi = at
		}
		c.hunkFinding(Minor, "other", hi, "renamed: "+renameList(renamed))
	}
	if partial {
		o, n := c.hunks[dl.hunk].quotes()
		c.hunkFinding(Minor, "other", dl.hunk, fmt.Sprintf("name changed: %q → %q", o, n))
	}
	kinds := [6]struct {
		level          Level
		category, hint string
		single, many   string
	}{
		{Material, "", "sharing", "party removed", "parties removed"},
		{Editorial, "other", "", "own name → pronoun", "own names → pronoun"},
		{Minor, "", "", "mention removed", "mentions removed"},
		{Material, "", "sharing", "party added", "parties added"},
		{Editorial, "other", "", "pronoun → own name", "pronoun → own names"},
		{Minor, "", "", "mention added", "mentions added"},
	}
	shown := map[string]bool{}
	for k, names := range groups {
		var keep []string
		for _, n := range wholeNames(names, dl.whole) {
			if !shown[n] && !places[strings.ToLower(n)] {
				shown[n] = true
				keep = append(keep, n)
			}
		}
		names = keep
		if len(names) == 0 {
			continue
		}
		label := kinds[k].single
		if len(names) > 1 {
			label = kinds[k].many
		}
		c.hintedFinding(kinds[k].level, kinds[k].category, kinds[k].hint, dl.hunk, label+": "+quoteList(names))
	}
}

// renames pairs removed names with the added names they became: see
// renamedTo. It returns the pairs and the names used, in time linear in
// the number of names.
func (c *classifier) renames(removed, added []string) ([][2]string, map[string]bool) {
	var pairs [][2]string
	used := map[string]bool{}
	isAdded := map[string]bool{}
	byDigits := map[string][]string{}
	for _, y := range added {
		isAdded[y] = true
		if hasDigit(y) {
			k := stripDigits(y)
			byDigits[k] = append(byDigits[k], y)
		}
	}
	var fresh []string // added names new to the document and used repeatedly
	freshDone := false
	for _, x := range removed {
		var cands []string
		cands = append(cands, c.swapsFrom[x]...)
		if hasDigit(x) {
			cands = append(cands, byDigits[stripDigits(x)]...)
		}
		if c.names.gone(x) {
			if !freshDone {
				fresh, freshDone = c.freshNames(added), true
			}
			cands = append(cands, fresh...)
		}
		for _, y := range cands {
			if isAdded[y] && !used[y] && !used[x] && c.renamedTo(x, y) {
				pairs = append(pairs, [2]string{x, y})
				used[x], used[y] = true, true
			}
		}
	}
	return pairs, used
}

// freshNames returns the names among added that are new to the document
// and used repeatedly in the new version: candidates for a rename.
func (c *classifier) freshNames(added []string) []string {
	var out []string
	for _, y := range added {
		if c.names.count(sideOld, y) == 0 && c.names.count(sideNew, y) >= renameMin {
			out = append(out, y)
		}
	}
	return out
}

// renamedTo reports whether name x became y: it changed by its digits
// only ("BC3" → "BC4"), or y replaced x one for one in several places, or
// throughout a document that used x repeatedly.
func (c *classifier) renamedTo(x, y string) bool {
	return sameButDigits(x, y) || c.swaps[[2]string{x, y}] >= minSwaps || c.names.renamed(x, y)
}

// minSwaps is in how many places a name must be replaced by the same
// other name for the replacement to count as a rename.
const minSwaps = 2

// maxListed is how many names a reason lists before "and N more".
const maxListed = 5

// renameList renders renames as `"A" → "B", "C" → "D"`.
func renameList(pairs [][2]string) string {
	var parts []string
	for i, p := range pairs {
		if i == maxListed {
			parts = append(parts, fmt.Sprintf("and %d more", len(pairs)-maxListed))
			break
		}
		parts = append(parts, fmt.Sprintf("%q → %q", p[0], p[1]))
	}
	return strings.Join(parts, ", ")
}

// stripDigits lower-cases a name and drops its digits.
func stripDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return -1
		}
		return r
	}, strings.ToLower(s))
}

// sameButDigits reports whether two names differ only in their digits
// ("BC3" and "BC4", "Basecamp 3" and "Basecamp 4").
func sameButDigits(a, b string) bool {
	return a != b && hasDigit(a) && hasDigit(b) && stripDigits(a) == stripDigits(b)
}

// wholeNames replaces each name by the whole name it is part of ("Ads" by
// "Google Ads"), without repeating one.
func wholeNames(names []string, whole map[string]string) []string {
	var out []string
	for _, n := range names {
		if w := whole[n]; w != "" {
			n = w
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}
