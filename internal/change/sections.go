package change

import (
	"slices"

	"github.com/getspectr/redline/internal/render"
)

// owners returns, for each block, the index of the heading it sits under
// (itself for a heading), or -1 before the first heading.
func owners(bs []render.Block) []int {
	out := make([]int, len(bs))
	cur := -1
	for i, b := range bs {
		if b.Kind == render.KindHeading {
			cur = i
		}
		out[i] = cur
	}
	return out
}

// buildSections groups the entries into sections: one per heading of the
// new version (plus the text before the first heading), and one per
// heading of the old version that has no counterpart, as a removed
// section. Deleted blocks join the section their old heading became.
// secOf gives the section of each entry. Sections are in reading order.
func buildSections(old, new []render.Block, es []entry) (secs []Section, secOf []int) {
	oldOwner, newOwner := owners(old), owners(new)
	oldTo := fill(len(old), -1)
	for _, e := range es {
		if e.old >= 0 && e.new >= 0 {
			oldTo[e.old] = e.new
		}
	}
	index := map[[2]int]int{} // (side, heading) → section
	secOf = make([]int, len(es))
	for k, e := range es {
		side, h := sideNew, -1
		if e.new >= 0 {
			h = newOwner[e.new]
		} else if oh := oldOwner[e.old]; oh >= 0 && oldTo[oh] < 0 {
			side, h = sideOld, oh
		} else if oh >= 0 {
			h = oldTo[oh]
		}
		key := [2]int{side, h}
		si, ok := index[key]
		if !ok {
			si = len(secs)
			index[key] = si
			secs = append(secs, newSection(old, new, side, h))
		}
		secOf[k] = si
		if e.op == OpInsert && e.new == h && h >= 0 {
			secs[si].Status = StatusAdded
		}
	}
	return secs, secOf
}

// newSection describes the section under heading h of one side.
func newSection(old, new []render.Block, side, h int) Section {
	s := Section{Status: StatusUnchanged}
	if h < 0 {
		return s
	}
	var b render.Block
	if side == sideOld {
		b, s.Status = old[h], StatusRemoved
	} else {
		b = new[h]
	}
	s.Title, s.Anchor = b.Text, b.Anchor
	s.Path = append(append([]string(nil), b.Section...), b.Text)
	return s
}

// orderSections puts changed, added and removed sections first, then
// unchanged ones, each group in reading order.
func orderSections(secs []Section) []Section {
	out := slices.Clone(secs)
	slices.SortStableFunc(out, func(a, b Section) int {
		ua, ub := a.Status == StatusUnchanged, b.Status == StatusUnchanged
		switch {
		case ua == ub:
			return 0
		case ub:
			return -1
		}
		return 1
	})
	return out
}
