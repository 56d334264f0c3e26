package site

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"slices"
	"strings"

	"github.com/getspectr/redline/internal/change"
	"github.com/getspectr/redline/internal/render"
)

// Page is what every page template receives.
type Page struct {
	Site        *Model
	Kind        string // index, version, history, changes, 404
	Title       string
	Description string
	Path        string // site path of the page
	Canonical   string // absolute URL of the page this one duplicates or is
	NoIndex     bool
	Doc         *Doc
	Version     *Version
	Versions    []*Version // history: newest first
	Body        template.HTML
	TOC         []render.Heading
	// Changes pages: the redline from From to To.
	From, To  *Version
	Change    *change.Change
	Verdict   change.Verdict
	Summary   []string
	ToCurrent bool // comparing an archived version with the current one
	// The top five reasons, then the rest (at most maxReasons; Omitted
	// counts those left out).
	KeyReasons, OtherReasons []ReasonView
	Omitted                  int
	Sections                 []SectionView // changed sections, in the order of Change.Sections
	Unchanged                []string      // titles of unchanged sections
}

// SectionView is a changed section of a redline, ready to print.
type SectionView struct {
	Title, Status, Level string
	Blocks               []BlockView // changed blocks only
}

// BlockView is one changed block: its operation and its text as HTML, with
// <ins> and <del> around the inserted and deleted words. It is made in Go
// because a template walking every word is several times slower.
type BlockView struct {
	Op   string
	HTML template.HTML
}

// ReasonView is one reason, ready to print.
type ReasonView struct {
	Level, Category, Section, Href, Why, Old, New string
	Quote                                         template.HTML // the sentence with <del> and <ins> around the changed words
}

// maxReasons bounds each reasons list of a changes page: a rewrite can
// have thousands, and the redline below shows every edit anyway.
const maxReasons = 100

// topReasons is how many reasons a changes page shows before "N more".
const topReasons = 5

// views prepares the reasons and sections of a changes page.
func (m *Model) views(p *Page) {
	m.reasonViews(p)
	m.sectionViews(p)
}

// sectionViews prepares the changed and unchanged sections of a changes page.
func (m *Model) sectionViews(p *Page) {
	for _, s := range p.Change.Sections {
		title := s.Title
		if title == "" {
			title = "Introduction"
		}
		if s.Status == change.StatusUnchanged {
			p.Unchanged = append(p.Unchanged, title)
			continue
		}
		sv := SectionView{Title: title, Status: s.Status, Level: s.Level.String()}
		for _, b := range s.Blocks {
			if b.Op != change.OpEqual {
				sv.Blocks = append(sv.Blocks, BlockView{Op: b.Op, HTML: redlineHTML(b)})
			}
		}
		p.Sections = append(p.Sections, sv)
	}
}

// redlineHTML writes a changed block with its insertions and deletions marked.
func redlineHTML(b change.BlockChange) template.HTML {
	var sb strings.Builder
	if b.Op == change.OpMove {
		sb.WriteString(`<span class="moved">Moved here: </span>`)
	}
	for _, op := range b.Ops { // an inserted or deleted block is one op
		switch op.Type {
		case change.OpInsert:
			sb.WriteString("<ins>" + html.EscapeString(op.Text) + "</ins>")
		case change.OpDelete:
			sb.WriteString("<del>" + html.EscapeString(op.Text) + "</del>")
		default:
			sb.WriteString(html.EscapeString(op.Text))
		}
	}
	return template.HTML(sb.String())
}

// reasonViews splits the reasons of c (grouped by section, most severe
// first) into the top five and the rest.
func (m *Model) reasonViews(p *Page) {
	for i, r := range p.Change.Reasons {
		list := &p.OtherReasons
		if i < topReasons {
			list = &p.KeyReasons
		}
		if len(*list) == maxReasons {
			p.Omitted++
			continue
		}
		v := ReasonView{Level: r.Level.String(), Category: CategoryLabel(r.Category), Section: r.Section, Why: r.Why, Old: r.Old, New: r.New,
			Quote: redlineHTML(change.BlockChange{Ops: r.Quote})}
		if r.Section != "" {
			v.Href = m.versionPath(p.To) + "#" + r.Anchor
		}
		*list = append(*list, v)
	}
}

// output is one file of the site: its path inside the output folder and how
// to make its bytes.
type output struct {
	path string
	make func() ([]byte, error)
}

// builder renders the pages of one model with templates bound to it.
type builder struct {
	m     *Model
	pages map[string]*template.Template
	css   []byte
}

func newBuilder(m *Model, t *Templates) (*builder, error) {
	b := &builder{m: m, pages: map[string]*template.Template{}, css: t.css}
	for kind, tpl := range t.pages {
		c, err := tpl.Clone()
		if err != nil {
			return nil, err
		}
		b.pages[kind] = c.Funcs(m.funcs())
	}
	return b, nil
}

// outputs lists every file of the site.
func (b *builder) outputs() []output {
	m := b.m
	outs := []output{
		{"index.html", b.page(&Page{Kind: "index", Title: "Policies", Description: m.Config.Description, Path: m.BasePath})},
		{"404.html", b.page(&Page{Kind: "404", Title: "Page not found", NoIndex: true})},
		{"style.css", func() ([]byte, error) { return b.css, nil }},
		{"feed.xml", m.feed},
		{"changes.json", m.changesJSON},
		{"notices.json", m.noticesJSON},
		{"sitemap.xml", m.sitemap},
		{"robots.txt", m.robots},
	}
	for _, d := range m.Published() {
		outs = append(outs, output{d.Slug + "/index.html", b.versionPage(d.Front(), m.docPath(d))})
		rev := d.Public()
		slices.Reverse(rev)
		outs = append(outs, output{d.Slug + "/history/index.html", b.page(&Page{
			Kind: "history", Title: d.Title + ": version history", Path: m.docPath(d) + "history/", Doc: d, Versions: rev,
		})})
		for _, v := range d.Public() {
			outs = append(outs, output{d.Slug + "/" + v.ID + "/index.html", b.versionPage(v, m.versionPath(v))})
			if v.Prev != nil {
				outs = append(outs, output{d.Slug + "/" + v.ID + "/changes/index.html", b.changesPage(v.Prev, v, v.Change, v.Verdict, v.Summary)})
			}
			if v.HasToCurrent() {
				outs = append(outs, output{d.Slug + "/" + v.ID + "/to-current/index.html", b.toCurrentPage(v, d.Current)})
			}
		}
	}
	return outs
}

// versionPage renders version v at path: its permanent URL, or the
// document's URL for the current version.
func (b *builder) versionPage(v *Version, path string) func() ([]byte, error) {
	title := v.Title
	if v.Status != Current {
		title += " (" + string(v.Status) + " version of " + v.Effective.Format("January 2, 2006") + ")"
	}
	return b.page(&Page{
		Kind: "version", Title: title, Description: v.Description, Path: path, Doc: v.Doc, Version: v,
		Body: template.HTML(v.Page.HTML), TOC: v.Page.TOC(),
	})
}

// changesPage renders the redline from one version to another.
func (b *builder) changesPage(from, to *Version, c *change.Change, verdict change.Verdict, summary []string) func() ([]byte, error) {
	title := "What changed in " + to.Title + " on " + to.Effective.Format("January 2, 2006")
	p := &Page{
		Kind: "changes", Title: title, Path: b.m.versionPath(to) + "changes/", Doc: to.Doc,
		From: from, To: to, Change: c, Verdict: verdict, Summary: summary,
	}
	b.m.views(p)
	return b.page(p)
}

// toCurrentPage renders the redline from an archived version to the current
// one. Its verdict is the highest of the versions in between, each listed
// with its own verdict and summary; the redline is made here, when the page
// is, in the build's workers, without classifying it again.
func (b *builder) toCurrentPage(from, cur *Version) func() ([]byte, error) {
	return func() ([]byte, error) {
		title := "What changed in " + cur.Title + " since " + from.Effective.Format("January 2, 2006")
		c := change.Redline(from.Page.Blocks, cur.Page.Blocks)
		p := &Page{
			Kind: "changes", Title: title, Path: b.m.versionPath(from) + "to-current/", Doc: cur.Doc,
			From: from, To: cur, Change: c, ToCurrent: true,
		}
		for v := cur; v != from; v = v.Prev {
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

// versionWhy sums up one version for a list of versions: legal's summary,
// else the detector's first reason.
func versionWhy(v *Version) string {
	switch {
	case len(v.Summary) > 0:
		return strings.Join(v.Summary, " ")
	case v.Change != nil && len(v.Change.Reasons) > 0:
		return v.Change.Reasons[0].Why
	}
	return "no visible change"
}

// page renders p with its kind's template.
func (b *builder) page(p *Page) func() ([]byte, error) {
	return func() ([]byte, error) {
		p.Site = b.m
		if p.Canonical == "" && p.Path != "" {
			p.Canonical = b.m.absURL(p.Path)
		}
		tpl := b.pages[p.Kind]
		if tpl == nil {
			return nil, fmt.Errorf("templates: no %s.html", p.Kind)
		}
		var buf bytes.Buffer
		if err := tpl.ExecuteTemplate(&buf, "base", p); err != nil {
			return nil, fmt.Errorf("templates: %s.html: %w", p.Kind, err)
		}
		return buf.Bytes(), nil
	}
}
