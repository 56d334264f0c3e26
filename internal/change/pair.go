package change

// Thresholds of similarity for pairing blocks.
const (
	modifyThreshold = 0.5 // an unmatched old and new block in the same gap are one edited block
	moveThreshold   = 0.7 // an unmatched old and new block anywhere are one moved block
	dpCells         = 40000
	gapWindow       = 8
	maxPostings     = 64
)

// pairGaps pairs similar blocks inside each gap between anchors, keeping
// their order.
func (a *alignment) pairGaps() {
	gi, gj := 0, 0
	for {
		i, j := gi, gj
		for i < len(a.old) && a.oldTo[i] < 0 {
			i++
		}
		for j < len(a.new) && a.newTo[j] < 0 {
			j++
		}
		a.pairGap(gi, i, gj, j)
		if i >= len(a.old) || j >= len(a.new) {
			return
		}
		gi, gj = i+1, j+1
	}
}

// pairGap pairs old blocks [o0,o1) with new blocks [n0,n1) in order,
// maximising total similarity: exactly when the gap is small, greedily
// within a window along the diagonal when it is large.
func (a *alignment) pairGap(o0, o1, n0, n1 int) {
	m, n := o1-o0, n1-n0
	if m == 0 || n == 0 {
		return
	}
	if m*n > dpCells {
		a.pairGreedy(o0, o1, n0, n1)
		return
	}
	score := make([]float64, (m+1)*(n+1))
	at := func(i, j int) *float64 { return &score[i*(n+1)+j] }
	sim := make([]float64, m*n)
	for i := m - 1; i >= 0; i-- {
		for j := n - 1; j >= 0; j-- {
			best := max(*at(i+1, j), *at(i, j+1))
			s := a.feat.similarity(o0+i, n0+j)
			sim[i*n+j] = s
			if s >= modifyThreshold {
				best = max(best, *at(i+1, j+1)+s)
			}
			*at(i, j) = best
		}
	}
	for i, j := 0, 0; i < m && j < n; {
		s := sim[i*n+j]
		switch {
		case s >= modifyThreshold && *at(i, j) == *at(i+1, j+1)+s:
			a.pair(o0+i, n0+j, OpModify)
			i, j = i+1, j+1
		case *at(i, j) == *at(i+1, j):
			i++
		default:
			j++
		}
	}
}

// pairGreedy pairs each old block with the most similar later new block
// near the diagonal of a large gap.
func (a *alignment) pairGreedy(o0, o1, n0, n1 int) {
	m, n := o1-o0, n1-n0
	last := -1
	for i := 0; i < m; i++ {
		center := i * n / m
		best, bestJ := modifyThreshold, -1
		for j := max(center-gapWindow, last+1); j < min(center+gapWindow+1, n); j++ {
			if s := a.feat.similarity(o0+i, n0+j); s >= best && (bestJ < 0 || s > best) {
				best, bestJ = s, j
			}
		}
		if bestJ >= 0 {
			a.pair(o0+i, n0+bestJ, OpModify)
			last = bestJ
		}
	}
}

// moves pairs the blocks still unmatched anywhere in the documents: first
// those with the same words, then near-identical ones found through an
// index of their rarer words.
func (a *alignment) moves() {
	byKey := map[string][]int{}
	for j := range a.new {
		if a.newTo[j] < 0 {
			k := normKey(a.new[j].Text, a.feat.tc)
			byKey[k] = append(byKey[k], j)
		}
	}
	for i := range a.old {
		if a.oldTo[i] >= 0 {
			continue
		}
		k := normKey(a.old[i].Text, a.feat.tc)
		if js := byKey[k]; len(js) > 0 {
			a.pair(i, js[0], OpMove)
			byKey[k] = js[1:]
		}
	}
	a.nearMoves()
}

// nearMoves pairs leftover blocks whose words nearly coincide.
func (a *alignment) nearMoves() {
	post := map[int32][]int{}
	for j := range a.new {
		if a.newTo[j] < 0 {
			for _, w := range a.feat.words(sideNew, j) {
				post[w] = append(post[w], j)
			}
		}
	}
	for i := range a.old {
		if a.oldTo[i] >= 0 {
			continue
		}
		seen := map[int]bool{}
		best, bestJ := moveThreshold, -1
		for _, w := range a.feat.words(sideOld, i) {
			ps := post[w]
			if len(ps) > maxPostings {
				continue
			}
			for _, j := range ps {
				if seen[j] || a.newTo[j] >= 0 {
					continue
				}
				seen[j] = true
				if s := a.feat.similarity(i, j); s >= best && (bestJ < 0 || s > best) {
					best, bestJ = s, j
				}
			}
		}
		if bestJ >= 0 {
			a.pair(i, bestJ, OpMove)
		}
	}
}
