package change

import (
	"slices"
	"strings"

	"github.com/getspectr/redline/internal/render"
)

// features computes, on demand, the set of words of each block (as sorted
// ids of lower-cased words) for similarity. Only blocks left unmatched by
// the exact alignment ever need it.
type features struct {
	tc       *tokenCache
	blocks   [2][]render.Block
	sets     [2][][]int32
	computed [2][]bool
}

const (
	sideOld = 0
	sideNew = 1
)

func newFeatures(old, new []render.Block, tc *tokenCache) *features {
	f := &features{tc: tc, blocks: [2][]render.Block{old, new}}
	for s := range f.blocks {
		f.sets[s] = make([][]int32, len(f.blocks[s]))
		f.computed[s] = make([]bool, len(f.blocks[s]))
	}
	return f
}

// words returns the sorted, distinct word ids of a block.
func (f *features) words(side, i int) []int32 {
	if f.computed[side][i] {
		return f.sets[side][i]
	}
	var ids []int32
	for _, id := range f.tc.idsOf(f.blocks[side][i].Text) {
		if l := f.tc.lower[id]; l >= 0 {
			ids = append(ids, l)
		}
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	f.sets[side][i], f.computed[side][i] = ids, true
	return ids
}

// common counts the ids two sorted sets share.
func common(a, b []int32) int {
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			n, i, j = n+1, i+1, j+1
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return n
}

// similarity scores how alike an old and a new block are, from 0 to 1: the
// Dice coefficient of their word sets, or, for a block that grew or shrank
// around the same words, most of their containment. A heading is only
// similar to a non-heading when their words nearly coincide.
func (f *features) similarity(i, j int) float64 {
	a, b := f.words(sideOld, i), f.words(sideNew, j)
	if len(a) == 0 || len(b) == 0 {
		if len(a) == 0 && len(b) == 0 && f.blocks[sideOld][i].Text == f.blocks[sideNew][j].Text {
			return 1
		}
		return 0
	}
	c := float64(common(a, b))
	dice := 2 * c / float64(len(a)+len(b))
	if (f.blocks[sideOld][i].Kind == render.KindHeading) != (f.blocks[sideNew][j].Kind == render.KindHeading) {
		if dice < 0.8 {
			return 0
		}
		return dice
	}
	small := min(len(a), len(b))
	if small >= 4 {
		if contain := 0.9 * c / float64(small); contain > dice {
			return contain
		}
	}
	return dice
}

// normKey is a block's text reduced to its lower-cased words, so that
// blocks differing only in case, punctuation or spacing share a key.
func normKey(text string, tc *tokenCache) string {
	var sb strings.Builder
	for _, t := range tc.get(text) {
		if isWord(t) {
			if sb.Len() > 0 {
				sb.WriteByte(' ')
			}
			sb.WriteString(strings.ToLower(t))
		}
	}
	return sb.String()
}
