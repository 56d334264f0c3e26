package site

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/getspectr/redline/internal/change"
	"github.com/getspectr/redline/internal/content"
	"github.com/getspectr/redline/internal/render"
)

// Status places a version on the timeline relative to the build date.
type Status string

// Version statuses.
const (
	Archived Status = "archived" // replaced by a later version that is in effect
	Current  Status = "current"  // the newest version in effect
	Upcoming Status = "upcoming" // published, takes effect after the build date
	// Scheduled: its front matter sets a published date after the build
	// date. It is checked like any version but appears nowhere on the site,
	// in the feed or in notices until then. (Without a published date, a
	// version is public from the first build that sees it.)
	Scheduled Status = "scheduled"
)

// Model is the whole site, analysed: what every page, feed and email draws on.
type Model struct {
	Config   content.Config
	Now      time.Time
	BasePath string // path part of the base URL, e.g. "/" or "/legal/"
	Docs     []*Doc
	// LinkProblems are links to documents, versions or anchors that do not
	// exist. `redline check` fails on them; a build reports them as warnings.
	LinkProblems content.Problems
	published    []*Doc // set by Analyze; see Published
	// built is set by the first Build, which lets go of each version's
	// block redline once its page is written: a model is built once.
	built atomic.Bool
}

// Doc is one document on the timeline.
type Doc struct {
	Slug     string
	Title    string     // the title of its newest version in effect (or the first one)
	Versions []*Version // oldest first
	Current  *Version   // nil when every version is upcoming
	public   []*Version // set by place; see Public
}

// Version is a content version with its rendering and its place in time.
type Version struct {
	*content.Version
	Doc    *Doc
	Title  string // front matter title, else the body's own heading, else the slug
	Prev   *Version
	Next   *Version
	Status Status
	Page   *render.Doc
	// Change compares this version with Prev; nil for the first version.
	Change *change.Change
	// Verdict is the detector's level with legal's override applied.
	Verdict change.Verdict
	index   int // in Doc.Versions
}

// Front is the version the document's own URL shows: the current one, or,
// before any takes effect, the first to come.
func (d *Doc) Front() *Version {
	if d.Current != nil {
		return d.Current
	}
	return d.Versions[0]
}

// HasToCurrent reports whether v has a page comparing it with the current
// version: it is archived and not the one just before current.
func (v *Version) HasToCurrent() bool {
	return v.Status == Archived && v.Doc.Current != nil && v.Next != v.Doc.Current
}

// Version returns the first version with the given id, or nil.
func (d *Doc) Version(id string) *Version {
	for _, v := range d.Versions {
		if v.ID == id {
			return v
		}
	}
	return nil
}

// Doc returns the document with the given slug, or nil.
func (m *Model) Doc(slug string) *Doc {
	for _, d := range m.Docs {
		if d.Slug == slug {
			return d
		}
	}
	return nil
}

// Public returns the versions the site shows: all but scheduled ones,
// oldest first. Every page asks, so it is worked out once, when the
// versions are placed on the timeline; the slice is shared: do not modify.
func (d *Doc) Public() []*Version { return d.public }

// Published returns the documents with at least one public version, worked
// out once by Analyze; the slice is shared: do not modify.
func (m *Model) Published() []*Doc { return m.published }

// Upcoming returns the versions that take effect after the build date.
func (d *Doc) Upcoming() []*Version {
	var up []*Version
	for _, v := range d.Versions {
		if v.Status == Upcoming {
			up = append(up, v)
		}
	}
	return up
}

// Analyze renders every version of s (in parallel), resolves their links and
// places them on the timeline as of now. The problems are those of the
// analysis itself (titles); link problems are kept in the model.
func Analyze(s *content.Site, now time.Time) (*Model, content.Problems) {
	m := &Model{Config: s.Config, Now: now, BasePath: basePath(s.Config.BaseURL)}
	var all []*Version
	for _, cd := range s.Docs {
		d := &Doc{Slug: cd.Slug}
		for i, cv := range cd.Versions {
			v := &Version{Version: cv, Doc: d, index: i}
			if i > 0 {
				v.Prev = d.Versions[i-1]
				v.Prev.Next = v
			}
			d.Versions = append(d.Versions, v)
			all = append(all, v)
		}
		m.Docs = append(m.Docs, d)
		m.place(d) // before rendering: links to pages that depend on status resolve
		if len(d.public) > 0 {
			m.published = append(m.published, d)
		}
	}
	r := render.New(render.Options{UnsafeHTML: s.Config.UnsafeHTML})
	links := newLinker(m)
	errs := parallel(len(all), func(i int) error {
		v := all[i]
		page, err := r.Render(render.Input{Body: v.Body, FirstLine: v.BodyLine, Resolve: links.resolver(v)})
		if err != nil {
			return fmt.Errorf("%s: %w", v.Path, err)
		}
		v.Page = page
		return nil
	})
	var probs content.Problems
	for _, err := range errs {
		probs = append(probs, content.Problem{Msg: err.Error()})
	}
	if len(probs) > 0 {
		return m, probs
	}
	for _, d := range m.Docs {
		probs = append(probs, titles(d)...)
	}
	m.LinkProblems = links.check()
	m.compareAll()
	return m, probs
}

// place sets each version's status: the newest version whose effective date
// is not after now is current; earlier ones are archived, later ones upcoming.
func (m *Model) place(d *Doc) {
	for _, v := range d.Versions {
		if !v.Effective.After(m.Now) {
			d.Current = v
		}
	}
	for _, v := range d.Versions {
		switch {
		case v.Lines["published"] > 0 && v.Published.After(m.Now):
			v.Status = Scheduled
		case v == d.Current:
			v.Status = Current
		case v.Effective.After(m.Now):
			v.Status = Upcoming
		default:
			v.Status = Archived
		}
		if v.Status != Scheduled {
			d.public = append(d.public, v)
		}
	}
}

// titles resolves each version's title and the document's.
func titles(d *Doc) content.Problems {
	var probs content.Problems
	for _, v := range d.Versions {
		v.Title = v.Version.Title
		if v.Title == "" {
			v.Title = v.Page.LeadingTitle()
		}
		if v.Title == "" && v.Body != nil { // nil: content already reported the file
			probs = append(probs, content.Problem{File: v.Path, Msg: "no title: add \"title: …\" to the front matter or start the body with a # heading"})
			v.Title = d.Slug
		}
	}
	d.Title = d.Front().Title
	return probs
}

// parallel runs f(0..n-1) on as many goroutines as there are CPUs and
// returns the errors in index order.
func parallel(n int, f func(i int) error) []error {
	if n == 0 {
		return nil
	}
	errs := make([]error, n)
	workers := min(runtime.GOMAXPROCS(0), n)
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for i := range next {
				errs[i] = f(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	var out []error
	for _, e := range errs {
		if e != nil {
			out = append(out, e)
		}
	}
	return out
}
