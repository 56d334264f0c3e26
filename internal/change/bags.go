package change

import (
	"fmt"
	"slices"
	"strings"
)

// delta is how one feature group differs between the two sides.
type delta struct {
	removed, added []string
	hunk           int
	inName         map[string]bool   // names whose every occurrence renames part of a longer name
	whole          map[string]string // the whole name each name is part of, to quote
}

// compareBags turns every difference between the deleted and inserted
// features of a unit into findings.
func (c *classifier) compareBags(del, ins bag) {
	deltas := map[string]*delta{}
	byTermCat := map[string]*delta{}
	for _, f := range sortedFeatures(del, ins) {
		d, i := del[f], ins[f]
		nd, ni := countOf(d), countOf(i)
		if nd == ni || f.group == groupAlias || (f.group == groupTerm || f.group == groupNumber) && nd > 0 && ni > 0 {
			continue // terms and numbers count by presence: rewording repeats or drops them freely ("thirty (30)")
		}
		key := f.group
		m := deltas
		if f.group == groupTerm {
			key, m = termCategory(f.key), byTermCat
		}
		dl := m[key]
		if dl == nil {
			dl = &delta{hunk: changedHunk(d, i)}
			m[key] = dl
		}
		o := i
		if nd > ni {
			o = d
			if !slices.Contains(dl.removed, display(d)) {
				dl.removed = append(dl.removed, display(d))
			}
		} else if !slices.Contains(dl.added, display(i)) {
			dl.added = append(dl.added, display(i))
		}
		if f.group == groupParty && o.whole != "" {
			if dl.whole == nil {
				dl.whole = map[string]string{}
			}
			dl.whole[o.display] = o.whole
		}
		if f.group == groupParty && o.inName == o.count {
			if dl.inName == nil {
				dl.inName = map[string]bool{}
			}
			dl.inName[o.display] = true
		}
	}
	for _, g := range groupOrder {
		if dl := deltas[g]; dl != nil {
			c.groupFinding(g, dl, del, ins)
		}
	}
	for _, cat := range Categories {
		if dl := byTermCat[cat]; dl != nil {
			c.hunkFinding(Material, cat, dl.hunk, categoryLabels[cat]+": "+changeWords(dl))
		}
	}
}

// groupFinding reports the difference in one feature group.
func (c *classifier) groupFinding(g string, dl *delta, del, ins bag) {
	switch g {
	case groupNegation:
		o, n := c.hunks[dl.hunk].quotes()
		c.hunkFinding(Material, "", dl.hunk, fmt.Sprintf("negation: %q → %q", o, n))
	case groupParty:
		c.partyFindings(dl, countOf(del[feature{groupAlias, "alias"}]), countOf(ins[feature{groupAlias, "alias"}]))
	case groupVersion:
		c.hunkFinding(Minor, "other", dl.hunk, "version: "+arrow(dl))
	case groupPlace:
		c.hintedFinding(Material, "", "sharing", dl.hunk, "places: "+arrow(dl))
	case groupModality:
		level := Material
		if len(dl.removed) == 0 && all(dl.added, tenses) || len(dl.added) == 0 && all(dl.removed, tenses) {
			level = Minor // "we will send" → "we send"
		}
		c.hunkFinding(level, "", dl.hunk, g+": "+arrow(dl))
	case groupNumber:
		label := "number"
		for _, d := range append(slices.Clone(dl.removed), dl.added...) {
			if i := strings.LastIndexByte(d, ' '); i >= 0 && timeUnits[strings.ToLower(d[i+1:])] != "" {
				label = periodLabel
			}
		}
		hint := ""
		if label == periodLabel && c.keepsData(dl.hunk) {
			hint = "retention" // "We keep logs for 30 days" → "90 days"
		}
		c.hintedFinding(Material, "", hint, dl.hunk, label+": "+arrow(dl))
	default:
		c.hunkFinding(Material, "", dl.hunk, g+": "+arrow(dl))
	}
}

// keepsData reports whether the sentence of a hunk (new text, else old)
// says that data is kept: a period in it is how long, a retention
// period, whatever the section is about.
func (c *classifier) keepsData(hi int) bool {
	h := &c.hunks[hi]
	bc := &c.bcs[h.block]
	text, at, n := bc.New, h.insAt, len(h.insText)
	if text == "" {
		text, at, n = bc.Old, h.delAt, len(h.delText)
	}
	s, e := sentenceSpan(text, at, n)
	for _, t := range tokenize(text[s:e]) {
		if keepVerbs[strings.ToLower(t)] {
			return true
		}
	}
	return false
}

// keepVerbs say that data is kept.
var keepVerbs = set("keep", "keeps", "kept", "retain", "retains", "retained", "store", "stores", "stored",
	"hold", "holds", "held", "preserve", "preserves", "preserved", "archive", "archives", "archived")

// periodLabel starts the explanation of a changed period; add names it
// after the finding's category ("retention period", "notice period").
const periodLabel = "period"

// periodNames name a period by the category of its clause.
var periodNames = map[string]string{"retention": "retention period", "rights": "response period",
	"fees": "billing period", "termination": "notice period", "security": "notification period",
	"children": "age"}

// hunkFinding records a finding about a hunk and flags the hunk as
// explained. category is a category id, or "" to categorize the hunk.
func (c *classifier) hunkFinding(level Level, category string, hi int, why string) {
	c.hintedFinding(level, category, "", hi, why)
}

// hintedFinding is hunkFinding with a hint: a category that gets a head
// start when the hunk is categorized (a party joining or leaving a policy
// is most often a recipient of data: "sharing").
func (c *classifier) hintedFinding(level Level, category, hint string, hi int, why string) {
	h := &c.hunks[hi]
	f := finding{level: level, category: category, hint: hint, block: h.block, hunk: hi, why: why}
	f.old, f.new = h.quotes()
	c.flagged[hi] = true
	c.add(f)
}

// sortedFeatures returns the features of both bags in a fixed order.
func sortedFeatures(a, b bag) []feature {
	var fs []feature
	for f := range a {
		fs = append(fs, f)
	}
	for f := range b {
		if a[f] == nil {
			fs = append(fs, f)
		}
	}
	slices.SortFunc(fs, func(x, y feature) int {
		return strings.Compare(x.group+"\x00"+x.key, y.group+"\x00"+y.key)
	})
	return fs
}

func countOf(o *occurrence) int {
	if o == nil {
		return 0
	}
	return o.count
}

func display(o *occurrence) string { return o.display }

// changedHunk returns the first hunk where a feature's deleted and
// inserted counts differ: the one to quote.
func changedHunk(del, ins *occurrence) int {
	net := map[int]int{}
	for _, o := range []*occurrence{del, ins} {
		if o == nil {
			continue
		}
		for _, h := range o.hunks {
			if o == del {
				net[h]++
			} else {
				net[h]--
			}
		}
	}
	best := -1
	for h, n := range net {
		if n != 0 && (best < 0 || h < best) {
			best = h
		}
	}
	if best < 0 { // counts differ overall, so some hunk differs; never reached
		for h := range net {
			if best < 0 || h < best {
				best = h
			}
		}
	}
	return best
}

// arrow renders a delta as `"30" → "60"`, `added "must"` or `removed "only"`.
func arrow(dl *delta) string {
	switch {
	case len(dl.removed) == 0:
		return "added " + quoteList(dl.added)
	case len(dl.added) == 0:
		return "removed " + quoteList(dl.removed)
	}
	return quoteList(dl.removed) + " → " + quoteList(dl.added)
}

// changeWords renders a delta of terms as `added "x"; removed "y"`.
func changeWords(dl *delta) string {
	var parts []string
	if len(dl.added) > 0 {
		parts = append(parts, "added "+quoteList(dl.added))
	}
	if len(dl.removed) > 0 {
		parts = append(parts, "removed "+quoteList(dl.removed))
	}
	return strings.Join(parts, "; ")
}

// quoteList renders words as `"a", "b"`, at most maxListed of them and
// then "and N more".
func quoteList(ws []string) string {
	var q []string
	for i, w := range ws {
		if i == maxListed {
			return strings.Join(q, ", ") + fmt.Sprintf(" and %d more", len(ws)-maxListed)
		}
		q = append(q, fmt.Sprintf("%q", w))
	}
	return strings.Join(q, ", ")
}

// all reports whether every word is in the set.
func all(ws []string, in map[string]bool) bool {
	for _, w := range ws {
		if !in[w] {
			return false
		}
	}
	return true
}
