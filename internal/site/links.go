package site

import (
	"net/url"
	"path"
	"strings"

	"github.com/getspectr/redline/internal/content"
	"github.com/getspectr/redline/internal/render"
)

// linker resolves links written in version files into site URLs and checks
// that the documents, versions and anchors they name exist.
//
// Internal links are relative paths (resolved from the version file's
// folder, as an editor previewing Markdown would: "../terms/index.md",
// "../terms/", "2026-01-01.md#retention"), root paths under the site's base
// path, and absolute URLs under the base URL; "#anchor" is the same page.
// Everything else (other sites, mailto:, other paths of the host) is left
// alone and not checked.
type linker struct {
	m    *Model
	docs map[string]*Doc
}

func newLinker(m *Model) *linker {
	l := &linker{m: m, docs: map[string]*Doc{}}
	for _, d := range m.Docs {
		l.docs[d.Slug] = d
	}
	return l
}

// target is where an internal link points.
type target struct {
	internal bool
	doc      *Doc     // nil: the link names a document that does not exist
	version  *Version // nil: the document's current page
	fragment string
	self     bool   // "#anchor" on the same page
	missing  string // what does not exist, for the message
}

func (l *linker) resolve(from *Version, dest string) target {
	if strings.HasPrefix(dest, "#") {
		return target{internal: true, self: true, fragment: dest[1:]}
	}
	u, err := url.Parse(dest)
	if err != nil {
		return target{}
	}
	p := u.Path
	switch {
	case u.Scheme != "" || u.Host != "":
		base, _ := url.Parse(l.m.Config.BaseURL)
		if base == nil || u.Host != base.Host || !strings.HasPrefix(u.Path, base.Path) {
			return target{}
		}
		p = strings.TrimPrefix(u.Path, base.Path)
	case strings.HasPrefix(p, "/"):
		if !strings.HasPrefix(p, l.m.BasePath) {
			return target{}
		}
		p = strings.TrimPrefix(p, l.m.BasePath)
	case p == "":
		return target{}
	default:
		p = path.Join(from.Doc.Slug, p)
	}
	t := target{internal: true, fragment: u.Fragment}
	segs := strings.Split(strings.Trim(p, "/"), "/")
	if segs[0] == ".." || segs[0] == "." {
		t.missing = "a file outside the content folder"
		return t
	}
	t.doc = l.docs[segs[0]]
	if t.doc == nil {
		t.missing = "document " + segs[0]
		return t
	}
	rest := strings.Join(segs[1:], "/")
	switch rest {
	case "", "index.md", "index.html", "index":
		return t
	}
	id := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(rest, "/index.html"), "/"), ".md")
	for _, v := range t.doc.Versions {
		if v.ID == id {
			t.version = v
			return t
		}
	}
	t.missing = "version " + segs[0] + "/" + id
	return t
}

// resolver returns the render.LinkResolver for links in version v.
func (l *linker) resolver(v *Version) render.LinkResolver {
	return func(dest string) string {
		t := l.resolve(v, dest)
		if !t.internal || t.self || t.missing != "" {
			return dest
		}
		u := l.m.docPath(t.doc)
		if t.version != nil {
			u = l.m.versionPath(t.version)
		}
		if t.fragment != "" {
			u += "#" + t.fragment
		}
		return u
	}
}

// check reports every internal link whose target does not exist.
func (l *linker) check() content.Problems {
	var probs content.Problems
	for _, d := range l.m.Docs {
		for _, v := range d.Versions {
			for _, link := range v.Page.Links {
				if msg := l.problem(v, link.Dest); msg != "" {
					probs = append(probs, content.Problem{File: v.Path, Line: link.Line, Msg: msg})
				}
			}
		}
	}
	return probs
}

func (l *linker) problem(v *Version, dest string) string {
	t := l.resolve(v, dest)
	if !t.internal {
		return ""
	}
	if t.missing != "" {
		return "broken link " + quote(dest) + ": " + t.missing + " does not exist"
	}
	page := v
	switch {
	case t.version != nil:
		page = t.version
	case !t.self:
		page = t.doc.Current
		if page == nil {
			page = t.doc.Versions[len(t.doc.Versions)-1]
		}
	}
	if t.fragment != "" && !page.Page.IDs[t.fragment] {
		return "broken link " + quote(dest) + ": no heading with anchor #" + t.fragment + " in " + page.Path
	}
	return ""
}

func quote(s string) string { return `"` + s + `"` }

// basePath is the path part of a base URL, always ending in "/".
func basePath(baseURL string) string {
	u, err := url.Parse(baseURL)
	if err != nil || u.Path == "" {
		return "/"
	}
	if !strings.HasSuffix(u.Path, "/") {
		return u.Path + "/"
	}
	return u.Path
}

// docPath is the site path of a document's current page.
func (m *Model) docPath(d *Doc) string { return m.BasePath + d.Slug + "/" }

// versionPath is the permanent site path of a version.
func (m *Model) versionPath(v *Version) string { return m.BasePath + v.Doc.Slug + "/" + v.ID + "/" }

// absURL turns a site path into an absolute URL under the base URL.
func (m *Model) absURL(p string) string {
	return strings.TrimSuffix(m.Config.BaseURL, "/") + "/" + strings.TrimPrefix(strings.TrimPrefix(p, m.BasePath), "/")
}
