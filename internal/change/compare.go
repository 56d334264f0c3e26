package change

import (
	"slices"

	"github.com/getspectr/redline/internal/render"
)

// Compare compares the blocks of an old and a new version (as rendered by
// render) and returns the classified change. It is deterministic, never
// fails, and takes time roughly linear in the size of the documents. HTML
// character references left in block text ("&rsquo;") are read as the
// characters a reader sees, in the comparison and in the redline.
func Compare(old, new []render.Block) *Change {
	old, new = decodeEntities(old), decodeEntities(new)
	tc := newTokenCache()
	es := align(old, new, tc)
	bcs := make([]BlockChange, len(es))
	for k, e := range es {
		bcs[k] = blockChange(old, new, e, tc)
	}
	secs, secOf := buildSections(old, new, es)
	info := make([]blockInfo, len(es))
	for k, e := range es {
		b := entryBlock(old, new, e)
		info[k] = blockInfo{
			entry:    e,
			path:     secs[secOf[k]].Path,
			heading:  b.Kind == render.KindHeading,
			dateLine: e.op != OpEqual && (isDateLine(bcs[k].Old) || isDateLine(bcs[k].New)),
		}
	}
	findings := classify(old, new, bcs, info, tc)
	c := &Change{Stats: stats(old, new, bcs)}
	for k := range bcs {
		s := &secs[secOf[k]]
		s.Blocks = append(s.Blocks, bcs[k])
		if bcs[k].Op != OpEqual && s.Status == StatusUnchanged {
			s.Status = StatusChanged
		}
		s.Level = max(s.Level, bcs[k].Level)
	}
	c.Sections = orderSections(secs)
	c.Reasons = reasons(findings, secs, secOf)
	for _, r := range c.Reasons {
		c.Level = max(c.Level, r.Level)
	}
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

// reasons turns findings into reasons, most severe first and otherwise in
// reading order, without duplicates. A comparison without any visible
// change still gets one editorial reason saying so.
func reasons(fs []finding, secs []Section, secOf []int) []Reason {
	slices.SortStableFunc(fs, func(a, b finding) int {
		if a.level != b.level {
			return int(b.level) - int(a.level)
		}
		return a.block - b.block
	})
	var rs []Reason
	seen := map[Reason]bool{}
	for _, f := range fs {
		s := &secs[secOf[f.block]]
		r := Reason{Level: f.level, Category: f.category, Section: s.Title, Anchor: s.Anchor,
			Old: f.old, New: f.new, Why: f.why}
		if !seen[r] {
			seen[r] = true
			rs = append(rs, r)
		}
	}
	if len(rs) == 0 {
		rs = append(rs, Reason{Level: Editorial, Category: "other",
			Why: "no change to the visible text (formatting, links or metadata only)"})
	}
	return rs
}
