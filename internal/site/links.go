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
	page     string   // a page other than a version's: "history/", "changes/", "to-current/", or a file at the root
	fragment string
	self     bool   // "#anchor" on the same page
	missing  string // what does not exist, for the message
}

// rootFiles are the files at the root of every site.
var rootFiles = map[string]bool{"": true, "index.html": true, "feed.xml": true, "changes.json": true,
	"notices.json": true, "sitemap.xml": true, "robots.txt": true, "style.css": true}

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
	p = strings.Trim(p, "/")
	if rootFiles[p] {
		t.page = p
		return t
	}
	segs := strings.Split(p, "/")
	if segs[0] == ".." || segs[0] == "." {
		t.missing = "a file outside the content folder"
		return t
	}
	t.doc = l.docs[segs[0]]
	if t.doc == nil {
		t.missing = "document " + segs[0]
		return t
	}
	rest := strings.TrimSuffix(strings.TrimSuffix(strings.Join(segs[1:], "/"), "index.html"), "/")
	switch rest {
	case "", "index.md", "index":
		return t
	case "history":
		t.page = "history/"
		return t
	}
	id, sub, _ := strings.Cut(strings.TrimSuffix(rest, ".md"), "/")
	t.version = t.doc.Version(id)
	switch {
	case t.version == nil:
		t.missing = "version " + segs[0] + "/" + id
	case sub == "changes" && t.version.Prev != nil, sub == "to-current" && t.version.HasToCurrent():
		t.page = sub + "/"
	case sub != "":
		t.missing = "page " + segs[0] + "/" + id + "/" + sub
	}
	return t
}

// resolver returns the render.LinkResolver for links in version v.
func (l *linker) resolver(v *Version) render.LinkResolver {
	return func(dest string) string {
		t := l.resolve(v, dest)
		if !t.internal || t.self || t.missing != "" {
			return dest
		}
		var u string
		switch {
		case t.doc == nil:
			u = l.m.BasePath + t.page
		case t.version != nil:
			u = l.m.versionPath(t.version) + t.page
		default:
			u = l.m.docPath(t.doc) + t.page
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
				if link.Dropped {
					probs = append(probs, content.Problem{File: v.Path, Line: link.Line, Msg: "link " + quote(link.Dest) +
						" is left out of the page: javascript:, vbscript:, file: and data: links (but images) are never published; remove it"})
					continue
				}
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
	if t.version != nil && t.version.Status == Scheduled && v.Status != Scheduled {
		return "broken link " + quote(dest) + ": version " + t.doc.Slug + "/" + t.version.ID + " is not published until " + t.version.Published.Format("2006-01-02")
	}
	page := v
	switch {
	case t.fragment == "" || t.page != "":
		return "" // pages other than a version's have no anchors to check
	case t.version != nil:
		page = t.version
	case !t.self:
		page = inEffect(t.doc, v)
	}
	if !page.Page.IDs[t.fragment] {
		return "broken link " + quote(dest) + ": no heading with anchor #" + t.fragment + " in " + page.Path
	}
	return ""
}

// ThirdPartyImages lists every image, in Markdown or raw HTML, that a
// public page would load from another host than the site's: the site
// promises readers no third-party requests (and its Content-Security-Policy
// blocks them). check and build print them as warnings.
func (m *Model) ThirdPartyImages() content.Problems {
	base, _ := url.Parse(m.Config.BaseURL)
	var probs content.Problems
	for _, d := range m.Docs {
		for _, v := range d.Versions {
			if v.Page == nil {
				continue
			}
			for _, link := range v.Page.Links {
				u, err := url.Parse(link.Dest)
				if !link.Image || link.Dropped || err != nil || u.Host == "" || base != nil && u.Host == base.Host {
					continue
				}
				probs = append(probs, content.Problem{File: v.Path, Line: link.Line,
					Msg: "image " + quote(link.Dest) + " is on another host (" + u.Host + "): readers' browsers would request it there, which the site promises not to do (its Content-Security-Policy blocks it); copy it into the site as a data:image URL or remove it"})
			}
		}
	}
	return probs
}

// inEffect is the version of d in effect when from took effect (else d's
// first): what a link from from to d's current page meant when written,
// so that neither document's later versions break the older one's links.
func inEffect(d *Doc, from *Version) *Version {
	in := d.Versions[0]
	for _, v := range d.Versions {
		if !v.Effective.After(from.Effective) {
			in = v
		}
	}
	return in
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
