package site

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"html"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/getspectr/redline/internal/change"
	"github.com/getspectr/redline/internal/render"
)

// Page is what every page template receives.
type Page struct {
	Site        *Model
	Nav         *Nav
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
	Span      bool // a cumulative redline across several versions (to-current and pair pages)
	// To-current pages: the versions since From, counted by level.
	Since string
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
// to write its bytes.
type output struct {
	path  string
	write func(w io.Writer) error
}

// data is an output made whole in memory: the feeds and manifests.
func data(make func() ([]byte, error)) func(w io.Writer) error {
	return func(w io.Writer) error {
		b, err := make()
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	}
}

// builder renders the pages of one model with templates bound to it.
type builder struct {
	m     *Model
	pages map[string]*template.Template
	css   []byte
	nav   Nav
}

// navMax bounds the site navigation: every page carries it, so a site of
// many documents lists the first navMax and links to the home page, which
// lists them all. The output then grows with the pages, not with their
// square.
const navMax = 10

// Nav is the site navigation every page carries.
type Nav struct {
	Docs []*Doc // the first navMax published documents
	All  int    // how many there are, when there are more than Docs
}

func newBuilder(m *Model, t *Templates) (*builder, error) {
	if !m.built.CompareAndSwap(false, true) {
		return nil, errors.New("site: this model was built already; a build lets go of each version's redline once its page is written, so analyse the content again for another build")
	}
	b := &builder{m: m, pages: map[string]*template.Template{}, css: t.css}
	for kind, tpl := range t.pages {
		c, err := tpl.Clone()
		if err != nil {
			return nil, err
		}
		b.pages[kind] = c.Funcs(m.funcs())
	}
	docs := m.Published()
	b.nav.Docs = docs[:min(len(docs), navMax)]
	if len(docs) > navMax {
		b.nav.All = len(docs)
	}
	return b, nil
}

// outputs lists every file of the site.
func (b *builder) outputs() []output {
	m := b.m
	outs := []output{
		{"index.html", b.page(&Page{Kind: "index", Title: "Policies", Description: m.Config.Description, Path: m.BasePath})},
		{"404.html", b.page(&Page{Kind: "404", Title: "Page not found", NoIndex: true})},
		{"style.css", data(func() ([]byte, error) { return b.css, nil })},
		{"feed.xml", data(m.feed)},
		{"changes.json", data(m.changesJSON)},
		{"notices.json", data(m.noticesJSON)},
		{"sitemap.xml", data(m.sitemap)},
		{"robots.txt", data(m.robots)},
	}
	for _, d := range m.Published() {
		outs = append(outs, output{d.Slug + "/index.html", b.versionPage(d.Front(), m.docPath(d))})
		rev := slices.Clone(d.Public())
		slices.Reverse(rev)
		outs = append(outs, output{d.Slug + "/history/index.html", b.page(&Page{
			Kind: "history", Title: d.Title + ": version history", Path: m.docPath(d) + "history/", Doc: d, Versions: rev,
		})})
		levels := newLevelIndex(d)
		for _, v := range d.Public() {
			outs = append(outs, output{d.Slug + "/" + v.ID + "/index.html", b.versionPage(v, m.versionPath(v))})
			if v.Prev != nil {
				outs = append(outs, output{d.Slug + "/" + v.ID + "/changes/index.html", b.changesPage(v)})
			}
			if v.HasToCurrent() {
				outs = append(outs, output{d.Slug + "/" + v.ID + "/to-current/index.html", b.toCurrentPage(v, d.Current, levels)})
			}
		}
		outs = append(outs, b.pairOutputs(d, levels)...) // pairs.go
	}
	return outs
}

// versionPage renders version v at path: its permanent URL, or the
// document's URL for the current version.
func (b *builder) versionPage(v *Version, path string) func(io.Writer) error {
	title := v.Title
	if v.Status != Current {
		title += " (" + string(v.Status) + " version of " + v.Effective.Format("January 2, 2006") + ")"
	}
	return b.page(&Page{
		Kind: "version", Title: title, Description: v.Description, Path: path, Doc: v.Doc, Version: v,
		Body: template.HTML(v.Page.HTML), TOC: v.Page.TOC(),
	})
}

// changesPage renders the redline from the version before v to v. Its views
// are made when the page is written, in the build's workers, and then the
// redline itself is let go: no other page needs v.Change.Sections, and a
// long history would otherwise hold every version's whole redline until the
// last page is written. The verdict and reasons stay for the feed,
// manifest and notices.
func (b *builder) changesPage(v *Version) func(io.Writer) error {
	return func(w io.Writer) error {
		title := "What changed in " + v.Title + " on " + v.Effective.Format("January 2, 2006")
		p := &Page{
			Kind: "changes", Title: title, Path: b.m.versionPath(v) + "changes/", Doc: v.Doc,
			From: v.Prev, To: v, Change: v.Change, Verdict: v.Verdict, Summary: v.Summary,
		}
		b.m.views(p)
		if err := b.page(p)(w); err != nil {
			return err
		}
		v.Change.Sections = nil
		return nil
	}
}

// maxBetween bounds the versions a to-current page lists: those at the
// highest level among the versions since, newest first. The history page
// lists every version; this page sums them up.
const maxBetween = 10

// toCurrentPage renders the redline from an archived version to the current
// one: a summary that grows with the changes, not with the number of
// versions in between. Its verdict is the highest level among the versions
// since; it counts them by level and lists at most maxBetween of those at
// the highest level, newest first, each with its summary. The cumulative
// redline is made here, when the page is written, in the build's workers,
// without classifying it again.
func (b *builder) toCurrentPage(from, cur *Version, levels *levelIndex) func(io.Writer) error {
	title := "What changed in " + cur.Title + " since " + from.Effective.Format("January 2, 2006")
	return b.spanPage(from, cur, title, b.m.versionPath(from)+"to-current/", levels, true)
}

// spanPage renders the cumulative redline from one version to a later one:
// its verdict is the highest level of the versions in between, which it
// counts by level and lists (at most maxBetween at that level), so the page
// costs the same however many versions lie between.
func (b *builder) spanPage(from, to *Version, title, path string, levels *levelIndex, toCurrent bool) func(io.Writer) error {
	return func(w io.Writer) error {
		p := &Page{
			Kind: "changes", Title: title, Path: path, Doc: to.Doc,
			From: from, To: to, Change: change.Redline(from.Page.Blocks, to.Page.Blocks), ToCurrent: toCurrent, Span: true,
		}
		s := levels.since(from, to)
		p.Verdict.Level, p.Verdict.Detected = s.top, s.top
		p.Since = s.sentence()
		for _, v := range s.listed {
			p.KeyReasons = append(p.KeyReasons, ReasonView{
				Level: v.Level(), Category: "Version effective " + v.Effective.Format("January 2, 2006"),
				Section: "what changed", Href: b.m.versionPath(v) + "changes/", Why: versionWhy(v),
			})
		}
		p.Omitted = s.atTop - len(s.listed)
		b.m.sectionViews(p)
		return b.page(p)(w)
	}
}

// levelIndex lists, for each level, the positions in Doc.Versions of the
// public versions whose verdict has that level, in order. Any range of
// versions is then counted by level in logarithmic time, so each to-current
// page costs the same however many versions lie between.
type levelIndex struct {
	versions []*Version
	at       [change.Material + 1][]int
}

func newLevelIndex(d *Doc) *levelIndex {
	li := &levelIndex{versions: d.Versions}
	for _, v := range d.Public() {
		if v.Prev != nil {
			l := min(max(v.Verdict.Level, change.Editorial), change.Material)
			li.at[l] = append(li.at[l], v.index)
		}
	}
	return li
}

// span is what a to-current page says about the versions after from up to
// the current one.
type span struct {
	counts [change.Material + 1]int
	top    change.Level // the highest level among them
	atTop  int          // how many have it
	listed []*Version   // at most maxBetween of those, newest first
}

func (li *levelIndex) since(from, cur *Version) span {
	var s span
	for l := range li.at {
		idx := li.at[l]
		lo, _ := slices.BinarySearch(idx, from.index+1)
		hi, _ := slices.BinarySearch(idx, cur.index+1)
		s.counts[l] = hi - lo
		if hi > lo {
			s.top = change.Level(l)
			s.atTop = hi - lo
			s.listed = s.listed[:0]
			for i := hi - 1; i >= lo && len(s.listed) < maxBetween; i-- {
				s.listed = append(s.listed, li.versions[idx[i]])
			}
		}
	}
	return s
}

// sentence counts the versions of s by level, e.g. "12 versions came
// after this one: 2 material, 1 minor, 9 editorial."
func (s span) sentence() string {
	n := 0
	var parts []string
	for l := change.Material; l >= change.Editorial; l-- {
		if c := s.counts[l]; c > 0 {
			n += c
			parts = append(parts, strconv.Itoa(c)+" "+l.String())
		}
	}
	if n == 0 {
		return ""
	}
	return plural(n, "version") + " came after this one: " + strings.Join(parts, ", ") + "."
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
func (b *builder) page(p *Page) func(io.Writer) error {
	return func(w io.Writer) error {
		p.Site = b.m
		p.Nav = &b.nav
		if p.Canonical == "" && p.Path != "" {
			p.Canonical = b.m.absURL(p.Path)
		}
		tpl := b.pages[p.Kind]
		if tpl == nil {
			return fmt.Errorf("templates: no %s.html", p.Kind)
		}
		if err := tpl.ExecuteTemplate(w, "base", p); err != nil {
			return fmt.Errorf("templates: %s.html: %w", p.Kind, err)
		}
		return nil
	}
}

// writeAll writes every output into the folder root, in parallel: each
// file is streamed through a buffer as its template runs, so no page is
// held whole in memory. The bytes of a file never depend on the order the
// workers take them in.
func writeAll(ctx context.Context, root string, outs []output) []error {
	return parallel(len(outs), func(i int) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := writeOutput(filepath.Join(root, outs[i].path), outs[i].write); err != nil {
			return fmt.Errorf("%s: %w", outs[i].path, err)
		}
		return nil
	})
}

var writers = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, 64<<10) }}

func writeOutput(name string, write func(io.Writer) error) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	w := writers.Get().(*bufio.Writer)
	w.Reset(f)
	err = write(w)
	if err == nil {
		err = w.Flush()
	}
	w.Reset(nil)
	writers.Put(w)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
