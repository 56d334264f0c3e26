package content

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Site is a loaded content folder.
type Site struct {
	Dir    string
	Config Config
	Docs   []*Document // sorted by slug
}

// Document is one policy with all its versions.
type Document struct {
	Slug     string     // folder name and URL path segment
	Versions []*Version // oldest first
}

// Doc returns the document with the given slug, or nil.
func (s *Site) Doc(slug string) *Document {
	for _, d := range s.Docs {
		if d.Slug == slug {
			return d
		}
	}
	return nil
}

// Version returns the version with the given id, or nil.
func (d *Document) Version(id string) *Version {
	for _, v := range d.Versions {
		if v.ID == id {
			return v
		}
	}
	return nil
}

// ConfigFile is the name of the site configuration inside the content folder.
const ConfigFile = "site.yaml"

// Load reads and validates the content folder dir. It returns what it could
// load and every problem found; the site is usable only when there are none.
func Load(dir string) (*Site, Problems) {
	var list Problems
	s := &Site{Dir: dir}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return s, Problems{{File: dir, Msg: "no such folder: run redline in your site's folder, or pass --content DIR"}}
	}
	root, err := OpenFolder(dir)
	if err != nil {
		return s, Problems{{File: dir, Msg: "cannot read: " + unwrapPath(err)}}
	}
	cfgPath := filepath.Join(dir, ConfigFile)
	if src, ok := readText(root, cfgPath, &list); ok {
		s.Config = parseConfig(src, problems{list: &list, file: cfgPath})
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return s, append(list, Problem{File: dir, Msg: "cannot read content folder: " + unwrapPath(err)})
	}
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		switch {
		case strings.HasPrefix(e.Name(), "."), e.Name() == ConfigFile:
		case e.Type()&fs.ModeSymlink != 0 && root.Check(path) != nil:
			list = append(list, Problem{File: path, Msg: root.Check(path).Error()})
		case isDir(path):
			if d := loadDoc(root, path, e.Name(), s.Config.IgnoreKeys, &list); d != nil {
				s.Docs = append(s.Docs, d)
			}
		default:
			list = append(list, Problem{File: path, Msg: "unexpected file: content/ holds site.yaml and one folder per document"})
		}
	}
	if len(s.Docs) == 0 && len(list) == 0 {
		list = append(list, Problem{File: dir, Msg: "no documents: add a folder such as privacy/ with a version file such as 2026-03-27.md"})
	}
	sort.Slice(s.Docs, func(i, j int) bool { return s.Docs[i].Slug < s.Docs[j].Slug })
	list.Sort()
	return s, list
}

func loadDoc(root *Folder, dir, slug string, ignore []string, list *Problems) *Document {
	if !slugRE.MatchString(slug) {
		*list = append(*list, Problem{File: dir, Msg: "folder name must be a URL slug: lowercase letters, digits and hyphens"})
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		*list = append(*list, Problem{File: dir, Msg: "cannot read: " + unwrapPath(err)})
		return nil
	}
	d := &Document{Slug: slug}
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		switch {
		case strings.HasPrefix(e.Name(), "."):
		case e.IsDir() || !strings.EqualFold(filepath.Ext(e.Name()), ".md"):
			*list = append(*list, Problem{File: path, Msg: "unexpected entry: a document folder holds only version files named YYYY-MM-DD.md"})
		default:
			// A file that cannot be read as text still counts as a
			// version, without a body, so that only its own problem shows.
			src, _ := readText(root, path, list)
			d.Versions = append(d.Versions, parseVersion(slug, path, src, ignore, false, list))
		}
	}
	if len(d.Versions) == 0 {
		*list = append(*list, Problem{File: dir, Msg: "no versions: add a file named YYYY-MM-DD.md"})
		return nil
	}
	orderVersions(d, list)
	return d
}

// orderVersions sorts versions by id (their date comes first) and reports
// duplicates and effective dates that go backwards.
func orderVersions(d *Document, list *Problems) {
	sort.SliceStable(d.Versions, func(i, j int) bool { return d.Versions[i].ID < d.Versions[j].ID })
	for i := 1; i < len(d.Versions); i++ {
		prev, v := d.Versions[i-1], d.Versions[i]
		if strings.EqualFold(prev.ID, v.ID) {
			*list = append(*list, Problem{File: v.Path, Msg: "two versions with id " + v.ID + " (also " + prev.Path + "): rename one"})
			continue
		}
		if !v.Effective.IsZero() && v.Effective.Before(prev.Effective) {
			*list = append(*list, Problem{File: v.Path, Line: v.Lines["effective"],
				Msg: "effective " + v.Effective.Format(DateLayout) + " is before the previous version's (" + prev.ID + ", effective " + prev.Effective.Format(DateLayout) + "): versions must take effect in order"})
		}
	}
}

// readText reads a file of root as UTF-8 text, recording why it cannot.
func readText(root *Folder, path string, list *Problems) ([]byte, bool) {
	if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) && filepath.Base(path) == ConfigFile {
		*list = append(*list, Problem{File: path, Msg: "missing: create it with name, base_url and contact (see README)"})
		return nil, false
	}
	src, err := root.ReadFile(path)
	if err != nil {
		*list = append(*list, Problem{File: path, Msg: err.Error()})
		return nil, false
	}
	if line, msg := CheckText(src); msg != "" {
		*list = append(*list, Problem{File: path, Line: line, Msg: msg})
		return nil, false
	}
	return src, true
}

// isDir reports whether path is a folder, following a symbolic link.
func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// unwrapPath drops the path from an *fs.PathError, which the message
// already names.
func unwrapPath(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
