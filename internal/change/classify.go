package change

import (
	"fmt"
	"strings"

	"github.com/getspectr/redline/internal/render"
)

// A finding is one classified edit, before it becomes a Reason.
type finding struct {
	level    Level
	category string
	hint     string // likely category, when the kind of finding suggests one
	block    int    // index of the BlockChange it is about
	hunk     int    // index of the hunk, or -1 for the whole block
	old, new string
	why      string
	quote    []Op   // word diff of old and new, once quoteSentences ran
	at       [2]int // without a hunk: the offsets in the old and new text of what it is about
}

// blockInfo is what the classifier knows about one BlockChange.
type blockInfo struct {
	entry    entry
	path     []string // section path (new version; old one for deleted blocks)
	heading  bool
	dateLine bool
}

// classifier classifies the edits of one comparison.
type classifier struct {
	bcs       []BlockChange
	info      []blockInfo
	hunks     []hunk
	names     *nameIndex
	findings  []finding
	flagged   map[int]bool                   // hunks with a material or minor feature finding
	swaps     map[[2]string]int              // how often one name replaces another one for one
	swapAt    map[[2]string]int              // the first hunk where it does
	swapsFrom map[string][]string            // the names each name is replaced by
	scores    map[string]*[numCategories]int // lexicon scores of block and section texts, cached
	tc        *tokenCache
}

// classify assigns a level to every block change and returns the findings.
func classify(old, new []render.Block, bcs []BlockChange, info []blockInfo, tc *tokenCache) []finding {
	es := make([]entry, len(info))
	for k := range info {
		es[k] = info[k].entry
	}
	c := &classifier{bcs: bcs, info: info, names: newNameIndex(old, new, es), flagged: map[int]bool{},
		swaps: map[[2]string]int{}, swapAt: map[[2]string]int{}, swapsFrom: map[string][]string{}, scores: map[string]*[numCategories]int{}, tc: tc}
	byBlock := make([][]int, len(bcs)) // hunk indexes of each block
	for bi := range bcs {
		if bcs[bi].Op == OpEqual {
			continue
		}
		for _, h := range hunksOf(bi, &bcs[bi], len(c.hunks), tc) {
			byBlock[bi] = append(byBlock[bi], len(c.hunks))
			c.hunks = append(c.hunks, h)
		}
	}
	c.markRenamedLinks(old, new)
	c.coverMoved(tc)
	for hi := range c.hunks {
		c.mark(hi)
	}
	for _, u := range c.units() {
		c.classifyUnit(u, byBlock)
	}
	c.addressFindings([2][]string{blockTexts(old), blockTexts(new)})
	c.linkTargetFindings(old, new)
	c.findings = c.oneReasonPerEdit()
	c.quoteSentences()
	c.findings = c.oneReasonPerSentence()
	for _, f := range c.findings {
		if f.level > c.bcs[f.block].Level {
			c.bcs[f.block].Level = f.level
		}
	}
	return c.findings
}

// coverMoved marks the deleted words found among the inserted text and
// the inserted words found among the deleted text.
func (c *classifier) coverMoved(tc *tokenCache) {
	size := 0 // bytes of changed text: about six per word, so per shingle
	for _, bc := range c.bcs {
		if bc.Op != OpEqual {
			size += len(bc.Old) + len(bc.New)
		}
	}
	sets := [2]map[uint64]bool{make(map[uint64]bool, size/12), make(map[uint64]bool, size/12)}
	var buf []string
	for _, bc := range c.bcs {
		if bc.Op == OpEqual {
			continue
		}
		buf = shingles(bc.Old, sets[sideOld], tc, buf)
		buf = shingles(bc.New, sets[sideNew], tc, buf)
	}
	for i := range c.hunks {
		cover(c.hunks[i].del, sets[sideNew])
		cover(c.hunks[i].ins, sets[sideOld])
	}
	c.coverDuplicates()
}

// coverDuplicates marks the words of removed text whose copy remains
// elsewhere in the new version: a duplicate removed takes nothing away.
// Only whole removed sentences or blocks are looked up, at most
// maxDuplicateLookups per comparison.
func (c *classifier) coverDuplicates() {
	n := 0
	for i := range c.hunks {
		h := &c.hunks[i]
		if len(h.ins) > 0 || len(h.del) < minDuplicateWords || allCovered(h.del) || !h.del[0].start || !h.del[len(h.del)-1].end {
			continue
		}
		if n++; n > maxDuplicateLookups {
			return
		}
		if t := strings.TrimSpace(h.delText); c.names.contains(sideNew, t) {
			for k := range h.del {
				h.del[k].covered = true
			}
		}
	}
}

// Bounds of coverDuplicates.
const (
	minDuplicateWords   = 3
	maxDuplicateLookups = 16
)

// mark finds, in a hunk, the words whose features do not count (asides
// and typo fixes; links, addresses and names of documents are marked with
// the block's words) and counts the names it replaces one for one.
func (c *classifier) mark(hi int) {
	h := &c.hunks[hi]
	markSentences(h.del, c.names)
	markSentences(h.ins, c.names)
	markInName(h.del, h.before, h.after)
	markInName(h.ins, h.before, h.after)
	markExample(h.del, h.delText)
	markExample(h.ins, h.insText)
	pairTypos(h.del, h.ins)
	x, y := c.soleName(h.del), c.soleName(h.ins)
	if k := [2]string{x, y}; x != "" && y != "" && x != y {
		if c.swaps[k] == 0 {
			c.swapAt[k] = hi
			c.swapsFrom[x] = append(c.swapsFrom[x], y)
		}
		c.swaps[k]++
	}
}

// soleName returns the only name among the counted words, if there is
// exactly one.
func (c *classifier) soleName(ws []word) string {
	name := ""
	for i := range ws {
		w := &ws[i]
		if !w.ignored() && !w.ref && c.names.isName(w.text, w.start, w.entry) {
			if name != "" {
				return ""
			}
			name = w.text
		}
	}
	return name
}

// units groups block changes into the units whose features are compared
// as a whole: each run of adjacent changed blocks (so that a paragraph
// split in two, or two rewritten in one, compares as one), and each move.
func (c *classifier) units() [][]int {
	var us [][]int
	var cur []int
	flush := func() {
		if len(cur) > 0 {
			us = append(us, cur)
			cur = nil
		}
	}
	for bi, bc := range c.bcs {
		switch bc.Op {
		case OpEqual:
			flush()
		case OpMove:
			flush()
			us = append(us, []int{bi})
		default:
			cur = append(cur, bi)
		}
	}
	flush()
	return us
}

// classifyUnit compares the features of a unit's deleted and inserted
// words, then gives every hunk without a finding an editorial or minor one.
func (c *classifier) classifyUnit(u []int, byBlock [][]int) {
	del, ins := bag{}, bag{}
	for _, bi := range u {
		inf := &c.info[bi]
		if inf.heading || inf.dateLine {
			continue
		}
		for _, hi := range byBlock[bi] {
			del.addWords(c.hunks[hi].del, c.names)
			ins.addWords(c.hunks[hi].ins, c.names)
			c.polarity(hi)
		}
	}
	c.compareBags(del, ins)
	for _, bi := range u {
		if c.bcs[bi].Op == OpMove {
			c.add(finding{level: Editorial, block: bi, hunk: -1, why: "moved",
				old: quote(c.bcs[bi].Old), new: quote(c.bcs[bi].New)})
		}
		for _, hi := range byBlock[bi] {
			if !c.flagged[hi] {
				c.classifyHunk(hi)
			}
		}
	}
}

// polarity reports a word replaced by its opposite in a hunk ("limited"
// → "unlimited"): a negation.
func (c *classifier) polarity(hi int) {
	h := &c.hunks[hi]
	for i := range h.del {
		for j := max(0, i-typoWindow); j < min(len(h.ins), i+typoWindow+1); j++ {
			if a, b := &h.del[i], &h.ins[j]; !a.ignored() && !b.ignored() && opposite(a.lower, b.lower) {
				c.hunkFinding(Material, "", hi, fmt.Sprintf("negation: %q → %q", a.text, b.text))
				return
			}
		}
	}
}

// classifyHunk gives an editorial or minor finding to a hunk that carries
// no feature.
func (c *classifier) classifyHunk(hi int) {
	h := &c.hunks[hi]
	inf := &c.info[h.block]
	f := finding{level: Minor, block: h.block, hunk: hi}
	f.old, f.new = h.quotes()
	why := editorialWhy(h)
	switch {
	case inf.dateLine:
		f.level, f.why = Editorial, "last-updated line"
	case why != "":
		f.level, f.why = Editorial, why
	case len(h.del) == 0 && len(h.ins) == 0:
		f.level, f.why = Editorial, "formatting"
	case inf.heading && h.insAll && len(h.del) == 0:
		f.why = "section added"
	case inf.heading && h.delAll && len(h.ins) == 0:
		f.why = "section removed"
	case inf.heading:
		f.why = "heading reworded"
	case h.insAll && len(h.del) == 0:
		f.why = "text added"
	case h.delAll && len(h.ins) == 0:
		f.why = "text removed"
	case c.swapsTerm(h):
		f.level, f.why = Material, fmt.Sprintf("wording of a commitment: %q → %q", soleWord(h.del).text, soleWord(h.ins).text)
	default:
		f.why = "reworded"
	}
	c.add(f)
}

// add records a finding, filling in its category.
func (c *classifier) add(f finding) {
	if f.category == "" {
		del, ins := f.old, f.new
		if f.hunk >= 0 {
			del, ins = c.hunks[f.hunk].delText, c.hunks[f.hunk].insText
		}
		f.category = c.categorize(del, ins, f.block, f.hint)
	}
	if rest, ok := strings.CutPrefix(f.why, periodLabel+": "); ok && periodNames[f.category] != "" {
		f.why = periodNames[f.category] + ": " + rest
	}
	c.findings = append(c.findings, f)
}

// swapsTerm reports whether a hunk replaces one content word with another
// in a sentence that obliges, permits or forbids ("if you choose to
// purchase" → "to use"; "because such content" → "where such content"):
// the word is what the obligation attaches to.
func (c *classifier) swapsTerm(h *hunk) bool {
	a, b := soleWord(h.del), soleWord(h.ins)
	if a == nil || b == nil || !plainWord(a) || !plainWord(b) || inflection(a.lower, b.lower) || sameWord(a.lower, b.lower) {
		return false
	}
	bc := &c.bcs[h.block]
	return binds(sentenceAround(bc.Old, h.delAt, len(h.delText))) &&
		binds(sentenceAround(bc.New, h.insAt, len(h.insText)))
}

// soleWord returns the only counted word of ws, or nil.
func soleWord(ws []word) *word {
	var one *word
	for i := range ws {
		if ws[i].ignored() {
			continue
		}
		if one != nil {
			return nil
		}
		one = &ws[i]
	}
	return one
}

// plainWord reports whether w is a lower-case dictionary-like word: not a
// name, number, contraction or function word.
func plainWord(w *word) bool {
	if functionWords[w.lower] || len(w.lower) < 3 {
		return false
	}
	for _, r := range w.text {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

// inflection reports whether two words are forms of one word ("does",
// "do"; "policy", "policies"; "share", "sharing") or one abbreviates the
// other ("info", "information").
func inflection(a, b string) bool {
	if strings.HasPrefix(a, b) || strings.HasPrefix(b, a) {
		return min(len(a), len(b)) >= 2
	}
	return stem(a) == stem(b)
}

// stem strips the commonest English inflections from a word.
func stem(w string) string {
	for _, sfx := range [...][2]string{{"ies", "y"}, {"ied", "y"}, {"ing", ""}, {"ed", ""}, {"es", ""}, {"s", ""}, {"e", ""}} {
		if b, ok := strings.CutSuffix(w, sfx[0]); ok && len(b) >= 2 {
			return b + sfx[1]
		}
	}
	return w
}

// sameWord reports whether two words are terms legal prose uses
// interchangeably (see sameTerm), in the singular or the plural.
func sameWord(a, b string) bool {
	canon := func(w string) string {
		w = strings.TrimSuffix(w, "s")
		if s, ok := sameTerm[w]; ok {
			return s
		}
		return w
	}
	return canon(a) == canon(b)
}

func blockTexts(bs []render.Block) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = b.Text
	}
	return out
}

// markInName marks the first and last changed words of a hunk when the
// unchanged word beside them is capitalised: the edit renames part of a
// longer name that stays ("GitHub Business Cloud" → "GitHub Enterprise
// Cloud", "Expert Services" → "Professional Services").
func markInName(ws []word, before, after string) {
	if len(ws) == 0 || len(ws) > maxNamePart {
		return
	}
	for i := range ws {
		if entitySuffix(ws[i].text) {
			return // "Acme Inc." → "Acme Ltd.": another legal entity
		}
	}
	b, a := strings.TrimSpace(before), strings.TrimSpace(after)
	if before != "" && before[len(before)-1] == ' ' && nameLike(b) && !entitySuffix(b) {
		ws[0].inName = true
	}
	if after != "" && after[0] == ' ' && nameLike(a) && !entitySuffix(a) {
		ws[len(ws)-1].inName = true
	}
}

// maxNamePart is how many words a renamed part of a name may have.
const maxNamePart = 2

func nameLike(w string) bool {
	return w != "" && (capitalized(w) || innerCaps(w)) && !functionWords[strings.ToLower(w)]
}

// entitySuffixes end the names of legal entities: a change next to one
// changes the contracting or controlling entity, never a product name.
var entitySuffixes = set("inc", "inc.", "llc", "ltd", "ltd.", "limited", "gmbh", "ag", "sa", "s.a", "sas",
	"sarl", "bv", "b.v", "nv", "n.v", "plc", "corp", "corp.", "corporation", "co", "co.", "lp", "llp", "pty",
	"oy", "ab", "as", "aps", "srl", "spa", "s.p.a", "kk", "kg", "ug", "pbc")

func entitySuffix(w string) bool { return entitySuffixes[strings.ToLower(strings.TrimRight(w, ".,"))] }

// markExample marks as an aside the words of a changed piece that is one
// parenthetical giving an example or a path through an interface ("(for
// example, AES-256)", "(Settings → Account → Delete account)"): it
// illustrates, it does not promise, unless it negates, obliges, names an
// amount, a place or a legal entity.
func markExample(ws []word, text string) {
	t := strings.TrimSpace(text)
	if len(ws) == 0 || len(t) < 3 || t[0] != '(' || t[len(t)-1] != ')' || strings.Count(t, "(") != 1 {
		return
	}
	inner := strings.ToLower(t[1 : len(t)-1])
	if !strings.ContainsAny(inner, "→>›") && !hasExampleCue(inner) {
		return
	}
	for i := range ws {
		w := &ws[i]
		for _, e := range expand(w.lower) {
			if negations[e] || modals[e] && e != "may" {
				return
			}
		}
		if isSymbol(w.text) || entitySuffix(w.text) || isPlace(w) != "" ||
			hasDigit(w.text) && !innerCaps(w.text) && timeUnits[strings.ToLower(w.next)] != "" {
			return
		}
	}
	for i := range ws {
		ws[i].aside = true
	}
}

// exampleCues open a parenthetical that gives examples or restates.
var exampleCues = []string{"for example", "for instance", "e.g.", "e.g,", "eg ", "such as", "like ", "i.e.",
	"including", "say,", "namely"}

func hasExampleCue(s string) bool {
	for _, c := range exampleCues {
		if strings.HasPrefix(s, c) {
			return true
		}
	}
	return false
}
