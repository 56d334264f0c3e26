package site

import "github.com/getspectr/redline/internal/change"

// Notices compare the version a reader knew with the new one: a person told
// about an earlier version, or who signed up when it was current, gets one
// message covering every version since, and its "see every change" link
// points at /<doc>/<from>/to/<to>/ (notify.PairPath). The site builds that
// page for every pair a notice can announce: any two public versions more
// than one step apart with a material change after the first (one step is
// the /<to>/changes/ page, which exists anyway). The page is the cumulative
// redline, with each version in between listed with its own verdict.

// Pairs returns the (from, to) pairs of d that get a comparison page.
func (d *Doc) Pairs() [][2]*Version {
	pub := d.Public()
	var out [][2]*Version
	for i := range pub {
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
func (b *builder) pairOutputs(d *Doc) []output {
	var outs []output
	for _, p := range d.Pairs() {
		from, to := p[0], p[1]
		outs = append(outs, output{d.Slug + "/" + from.ID + "/to/" + to.ID + "/index.html", b.pairPage(from, to)})
	}
	return outs
}

// pairPage renders the redline from one version to a later one, made when
// the page is, in the build's workers. Its verdict is the highest of the
// versions in between, each listed with its own verdict and summary.
func (b *builder) pairPage(from, to *Version) func() ([]byte, error) {
	return func() ([]byte, error) {
		title := "What changed in " + to.Title + " from " + from.Effective.Format("January 2, 2006") + " to " + to.Effective.Format("January 2, 2006")
		p := &Page{
			Kind: "changes", Title: title, Path: b.m.pairPath(from, to), Doc: to.Doc,
			From: from, To: to, Change: change.Redline(from.Page.Blocks, to.Page.Blocks),
		}
		for v := to; v != from && v != nil; v = v.Prev {
			p.Verdict.Level = max(p.Verdict.Level, v.Verdict.Level)
			p.KeyReasons = append(p.KeyReasons, ReasonView{
				Level: v.Level(), Category: "Version effective " + v.Effective.Format("January 2, 2006"),
				Section: "what changed", Href: b.m.versionPath(v) + "changes/", Why: versionWhy(v),
			})
		}
		p.Verdict.Detected = p.Verdict.Level
		b.m.sectionViews(p)
		return b.page(p)()
	}
}
