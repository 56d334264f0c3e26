package site

import (
	"slices"
)

// Notices compare the version a reader knew with the new one: a person told
// about an earlier version, or who signed up when it was current, gets one
// message covering every version since, and its "see every change" link
// points at /<doc>/<from>/to/<to>/ (notify.PairPath). A notice announces
// the newest published version of a document, so the site builds that page
// from every earlier public version more than one step back (one step is
// the /<to>/changes/ page, which exists anyway), with a material change in
// between, to the newest version and to the last pairTargets material
// versions before it: the pages that notices of the newest version, and of
// the few announcements before it, link to. Every pair of versions would be
// quadratic in the history (8,792 pages for 302 versions of one corpus);
// this is at most pairTargets+1 pages per version.
const pairTargets = 3

// Pairs returns the (from, to) pairs of d that get a comparison page,
// grouped by target, oldest target first.
func (d *Doc) Pairs() [][2]*Version {
	pub := d.Public()
	var targets []int
	if n := len(pub); n > 0 {
		targets = append(targets, n-1)
	}
	for i := len(pub) - 2; i >= 0 && len(targets) <= pairTargets; i-- {
		if pub[i].Material() {
			targets = append(targets, i)
		}
	}
	slices.Reverse(targets)
	var out [][2]*Version
	for _, i := range targets {
		material := false
		for j := i - 1; j >= 0; j-- {
			material = material || pub[j+1].Material()
			if material && j < i-1 {
				out = append(out, [2]*Version{pub[j], pub[i]})
			}
		}
	}
	return out
}

// pairPath is the page comparing from with to.
func (m *Model) pairPath(from, to *Version) string {
	return m.versionPath(from) + "to/" + to.ID + "/"
}

// pairOutputs lists the comparison pages of d.
func (b *builder) pairOutputs(d *Doc, levels *levelIndex) []output {
	var outs []output
	for _, p := range d.Pairs() {
		from, to := p[0], p[1]
		title := "What changed in " + to.Title + " from " + from.Effective.Format("January 2, 2006") + " to " + to.Effective.Format("January 2, 2006")
		outs = append(outs, output{d.Slug + "/" + from.ID + "/to/" + to.ID + "/index.html", b.spanPage(from, to, title, b.m.pairPath(from, to), levels, false)})
	}
	return outs
}
