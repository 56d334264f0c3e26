package change

import (
	"github.com/getspectr/redline/internal/render"
	"github.com/sergi/go-diff/diffmatchpatch"
)

// An entry is one row of the aligned redline: an old block, a new block or
// both, and what happened between them. Entries are in reading order: new
// blocks in their order, deleted old blocks where they used to be.
type entry struct {
	old, new int // block indexes; -1 when absent
	op       string
}

// alignment pairs the blocks of two versions.
type alignment struct {
	old, new []render.Block
	oldTo    []int    // paired new block of each old block, or -1
	newTo    []int    // paired old block of each new block, or -1
	newOp    []string // op of each paired new block: equal, modify or move
	feat     *features
}

// align pairs old and new blocks: identical blocks in order first (a
// longest common subsequence over block hashes), then similar blocks
// within each gap between those anchors, then moved blocks anywhere.
func align(old, new []render.Block, tc *tokenCache) []entry {
	a := &alignment{
		old: old, new: new,
		oldTo: fill(len(old), -1), newTo: fill(len(new), -1),
		newOp: make([]string, len(new)),
		feat:  newFeatures(old, new, tc),
	}
	a.anchor()
	a.pairGaps()
	a.moves()
	return a.entries()
}

func fill(n, v int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = v
	}
	return s
}

func (a *alignment) pair(i, j int, op string) {
	a.oldTo[i], a.newTo[j], a.newOp[j] = j, i, op
}

// anchor pairs identical blocks that keep their order. Blocks whose text
// does not occur on the other side cannot match and are left out of the
// LCS, which keeps it fast even for unrelated documents.
func (a *alignment) anchor() {
	ids := make(map[string]int32, len(a.old)+len(a.new)/8)
	id := func(bs []render.Block) []int32 {
		out := make([]int32, len(bs))
		for i, b := range bs {
			v, ok := ids[b.Text]
			if !ok {
				v = int32(len(ids))
				ids[b.Text] = v
			}
			out[i] = v
		}
		return out
	}
	oldIDs, newIDs := id(a.old), id(a.new)
	inOld := make([]bool, len(ids))
	for _, v := range oldIDs {
		inOld[v] = true
	}
	inNew := make([]bool, len(ids))
	for _, v := range newIDs {
		inNew[v] = true
	}
	ro, oi := reduce(oldIDs, inNew)
	rn, ni := reduce(newIDs, inOld)
	if len(ids) >= maxRuneIDs {
		return // beyond what runes can carry; moves will pair identical blocks
	}
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0 // bounded by the block count; no deadline keeps results deterministic
	x, y := 0, 0
	for _, d := range dmp.DiffMainRunes(ro, rn, false) {
		n := len([]rune(d.Text))
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			for k := 0; k < n; k++ {
				a.pair(oi[x+k], ni[y+k], OpEqual)
			}
			x, y = x+n, y+n
		case diffmatchpatch.DiffDelete:
			x += n
		case diffmatchpatch.DiffInsert:
			y += n
		}
	}
}

// maxRuneIDs is how many distinct block texts fit in runes outside the
// surrogate range.
const maxRuneIDs = 0x110000 - 0x800 - 1

// reduce keeps the ids that occur on the other side, as runes, with the
// index each came from.
func reduce(ids []int32, other []bool) ([]rune, []int) {
	var rs []rune
	var idx []int
	for i, v := range ids {
		if other[v] {
			rs = append(rs, idRune(v))
			idx = append(idx, i)
		}
	}
	return rs, idx
}

// idRune maps an id to a rune, skipping the surrogates.
func idRune(v int32) rune {
	r := rune(v) + 1
	if r >= 0xD800 {
		r += 0x800
	}
	return r
}

// entries lays the pairs out in reading order: deleted blocks before the
// inserted ones at the same place, moved blocks at their new place.
func (a *alignment) entries() []entry {
	var out []entry
	i, j := 0, 0
	for i < len(a.old) || j < len(a.new) {
		switch {
		case i < len(a.old) && a.oldTo[i] < 0:
			out = append(out, entry{old: i, new: -1, op: OpDelete})
			i++
		case i < len(a.old) && a.newOp[a.oldTo[i]] == OpMove:
			i++ // shown where it moved to
		case j < len(a.new) && a.newTo[j] < 0:
			out = append(out, entry{old: -1, new: j, op: OpInsert})
			j++
		case j < len(a.new) && a.newOp[j] == OpMove:
			out = append(out, entry{old: a.newTo[j], new: j, op: OpMove})
			j++
		case i < len(a.old) && a.oldTo[i] == j:
			out = append(out, entry{old: i, new: j, op: a.newOp[j]})
			i, j = i+1, j+1
		case i < len(a.old):
			a.newOp[a.oldTo[i]] = OpMove // out of order: show it as a move
		default:
			a.newOp[j] = OpMove
		}
	}
	return out
}
