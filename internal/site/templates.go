package site

import (
	"fmt"
	"html/template"
	"path/filepath"
	"time"

	"github.com/getspectr/redline/internal/content"
)

// Templates are the page templates of a templates/ folder: base.html is the
// layout, and each page kind has a file that defines "main".
type Templates struct {
	pages map[string]*template.Template
	css   []byte
}

// pageKinds are the page templates a templates folder must have.
var pageKinds = []string{"index", "version", "history", "changes", "404"}

// LoadTemplates parses the templates in dir. Funcs that need the model are
// bound at execution time.
func LoadTemplates(dir string) (*Templates, error) {
	t := &Templates{pages: map[string]*template.Template{}}
	root, err := content.OpenFolder(dir)
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	base := filepath.Join(dir, "base.html")
	baseSrc, err := readTemplate(root, base)
	if err != nil {
		return nil, err
	}
	for _, kind := range pageKinds {
		file := filepath.Join(dir, kind+".html")
		src, err := readTemplate(root, file)
		if err != nil {
			return nil, err
		}
		tpl := template.New(kind).Funcs(funcStubs)
		_, err = tpl.New("base.html").Parse(baseSrc)
		if err == nil {
			_, err = tpl.New(kind + ".html").Parse(src)
		}
		if err != nil {
			return nil, fmt.Errorf("templates: %w", err)
		}
		if tpl.Lookup("base") == nil || tpl.Lookup("main") == nil {
			return nil, fmt.Errorf("templates: %s must define \"base\" and %s must define \"main\"", base, file)
		}
		t.pages[kind] = tpl
	}
	css, err := readTemplate(root, filepath.Join(dir, "style.css"))
	if err != nil {
		return nil, err
	}
	t.css = []byte(css)
	return t, nil
}

// readTemplate reads a file of the templates folder: inside it, within the
// size limit, UTF-8 text.
func readTemplate(root *content.Folder, path string) (string, error) {
	src, err := root.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("templates: %s: %w", path, err)
	}
	if line, msg := content.CheckText(src); msg != "" {
		return "", fmt.Errorf("templates: %s:%d: %s", path, line, msg)
	}
	return string(src), nil
}

// funcStubs declare the template functions for parsing; funcs binds them.
var funcStubs = (&Model{}).funcs()

func (m *Model) funcs() template.FuncMap {
	return template.FuncMap{
		"date":         func(t time.Time) string { return t.Format("January 2, 2006") },
		"iso":          func(t time.Time) string { return t.Format("2006-01-02") },
		"asset":        func(p string) string { return m.BasePath + p },
		"docURL":       m.docPath,
		"versionURL":   m.versionPath,
		"historyURL":   func(d *Doc) string { return m.docPath(d) + "history/" },
		"changesURL":   func(v *Version) string { return m.versionPath(v) + "changes/" },
		"toCurrentURL": func(v *Version) string { return m.versionPath(v) + "to-current/" },
	}
}
