package site

import (
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"time"
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
	base := filepath.Join(dir, "base.html")
	for _, kind := range pageKinds {
		file := filepath.Join(dir, kind+".html")
		if _, err := os.Stat(file); err != nil {
			return nil, fmt.Errorf("templates: %w", err)
		}
		tpl, err := template.New(kind).Funcs(funcStubs).ParseFiles(base, file)
		if err != nil {
			return nil, fmt.Errorf("templates: %w", err)
		}
		if tpl.Lookup("base") == nil || tpl.Lookup("main") == nil {
			return nil, fmt.Errorf("templates: %s must define \"base\" and %s must define \"main\"", base, file)
		}
		t.pages[kind] = tpl
	}
	css, err := os.ReadFile(filepath.Join(dir, "style.css"))
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	t.css = css
	return t, nil
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
