package change

import (
	"slices"

	"github.com/getspectr/redline/internal/render"
)

// Compare compares the blocks of an old and a new version (as rendered by
// render) and returns the classified change. It is deterministic, never
// fails, and takes time roughly linear in the size of the documents. Block
// text is read as a reader sees it (see readable), in the comparison and
// in the redline.
func Compare(old, new []render.Block) *Change {
	d := diff(old, new)
	info := make([]blockInfo, len(d.es))
	for k, e := range d.es {
		b := entryBlock(d.old, d.new, e)
		info[k] = blockInfo{
			entry:    e,
			path:     d.secs[d.secOf[k]].Path,
			heading:  b.Kind == render.KindHeading,
			dateLine: e.op != OpEqual && (isDateLine(d.bcs[k].Old) || isDateLine(d.bcs[k].New)),
		}
	}
	findings := classify(d.old, d.new, d.bcs, info, d.tc)
	c := d.change()
	c.Reasons = reasons(findings, d.secs, d.secOf)
	for _, r := range c.Reasons {
		c.Level = max(c.Level, r.Level)
	}
	return c
}

// Redline aligns and word-diffs like Compare but does not classify: the
// sections, blocks and stats are filled in, Level is Editorial and there are
// no reasons. It is for a redline whose verdict comes from elsewhere, such
// as a page comparing an old version with the current one, whose verdict is
// that of the versions in between; it costs about a third of Compare.
func Redline(old, new []render.Block) *Change {
	return diff(old, new).change()
}

// diffed is an aligned, word-diffed pair of versions, before classification.
type diffed struct {
	old, new []render.Block
	tc       *tokenCache
	es       []entry
	bcs      []BlockChange
	secs     []Section
	secOf    []int
}

func diff(old, new []render.Block) *diffed {
	d := &diffed{tc: newTokenCache()}
	d.old, d.new = readable(old), readable(new)
	d.es = align(d.old, d.new, d.tc)
	d.bcs = make([]BlockChange, len(d.es))
	for k, e := range d.es {
		d.bcs[k] = blockChange(d.old, d.new, e, d.tc)
	}
	d.secs, d.secOf = buildSections(d.old, d.new, d.es)
	return d
}

// change assembles the sections. Block levels are those classify set, if it ran.
func (d *diffed) change() *Change {
	c := &Change{Stats: stats(d.old, d.new, d.bcs)}
	secs := slices.Clone(d.secs)
	for k := range d.bcs {
		s := &secs[d.secOf[k]]
		s.Blocks = append(s.Blocks, d.bcs[k])
		if d.bcs[k].Op != OpEqual && s.Status == StatusUnchanged {
			s.Status = StatusChanged
		}
		s.Level = max(s.Level, d.bcs[k].Level)
	}
	c.Sections = orderSections(secs)
	return c
}

// entryBlock returns the block an entry shows: the new one, or the old one
// when deleted.
func entryBlock(old, new []render.Block, e entry) render.Block {
	if e.new >= 0 {
		return new[e.new]
	}
	return old[e.old]
}

// blockChange builds the redline of one entry.
func blockChange(old, new []render.Block, e entry, tc *tokenCache) BlockChange {
	bc := BlockChange{Kind: entryBlock(old, new, e).Kind, Op: e.op}
	if e.old >= 0 {
		bc.Old = old[e.old].Text
	}
	if e.new >= 0 {
		bc.New = new[e.new].Text
	}
	switch e.op {
	case OpEqual:
		bc.Ops = appendOp(nil, OpEqual, bc.New)
	case OpInsert:
		bc.Ops = appendOp(nil, OpInsert, bc.New)
	case OpDelete:
		bc.Ops = appendOp(nil, OpDelete, bc.Old)
	default:
		bc.Ops = diffWords(bc.Old, bc.New, tc)
	}
	return bc
}

func stats(old, new []render.Block, bcs []BlockChange) Stats {
	s := Stats{BlocksOld: len(old), BlocksNew: len(new)}
	for _, bc := range bcs {
		switch bc.Op {
		case OpEqual:
			s.Equal++
		case OpModify:
			s.Modified++
		case OpInsert:
			s.Inserted++
		case OpDelete:
			s.Deleted++
		case OpMove:
			s.Moved++
		}
	}
	return s
}

// reasons turns findings into reasons, ranked by weight and grouped by
// section: the most severe first; within one level, section by section
// (in the order their first finding appears), then in reading order;
// without duplicates. A comparison without any visible change still gets
// one editorial reason saying so.
func reasons(fs []finding, secs []Section, secOf []int) []Reason {
	first := map[int]int{} // section → its first block with a finding
	for _, f := range fs {
		s := secOf[f.block]
		if b, ok := first[s]; !ok || f.block < b {
			first[s] = f.block
		}
	}
	slices.SortStableFunc(fs, func(a, b finding) int {
		if a.level != b.level {
			return int(b.level) - int(a.level)
		}
		if sa, sb := secOf[a.block], secOf[b.block]; sa != sb {
			return first[sa] - first[sb]
		}
		return a.block - b.block
	})
	var rs []Reason
	type key struct {
		level                   Level
		cat, sec, old, new, why string
	}
	seen := map[key]bool{}
	for _, f := range fs {
		s := &secs[secOf[f.block]]
		k := key{f.level, f.category, s.Title, f.old, f.new, f.why}
		if seen[k] {
			continue
		}
		seen[k] = true
		rs = append(rs, Reason{Level: f.level, Category: f.category, Section: s.Title, Anchor: s.Anchor,
			Old: f.old, New: f.new, Why: f.why, Quote: f.quote})
	}
	if len(rs) == 0 {
		rs = append(rs, Reason{Level: Editorial, Category: "other",
			Why: "no change to the visible text (formatting, links or metadata only)"})
	}
	return rs
}
