package content_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/getspectr/redline/internal/content"
)

func write(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const siteYAML = "name: X\nbase_url: https://x.test/legal\ncontact: a@x.test\n"

func TestLoadVersion(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"site.yaml": siteYAML + "notice_days: 45\nmail:\n  from: X <a@x.test>\n",
		"privacy/2026-03-27.md": "---\ntitle: Privacy\npublished: 2026-02-01\nsummary: One change.\n" +
			"notify: no\nreason: typo only\ncategories: [retention, rights]\n---\n# Body\n",
		"privacy/2026-01-01-draft.md": "No front matter.\n",
	})
	s, probs := content.Load(dir)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	if s.Config.BaseURL != "https://x.test/legal/" || s.Config.NoticeDays != 45 || s.Config.Language != "en" || s.Config.Mail.From != "X <a@x.test>" {
		t.Errorf("config: %+v", s.Config)
	}
	d := s.Doc("privacy")
	if d == nil || len(d.Versions) != 2 || d.Versions[0].ID != "2026-01-01-draft" {
		t.Fatalf("versions: %+v", d)
	}
	v := d.Version("2026-03-27")
	day := func(s string) time.Time { t, _ := content.ParseDate(s); return t }
	switch {
	case v.Title != "Privacy", !v.Effective.Equal(day("2026-03-27")), !v.Published.Equal(day("2026-02-01")),
		len(v.Summary) != 1, v.Notify != "no", v.Reason != "typo only", len(v.Categories) != 2,
		v.BodyLine != 9, string(v.Body) != "# Body\n", len(v.SHA256) != 64:
		t.Errorf("version: %+v", v)
	}
	if w := d.Versions[0]; !w.Published.Equal(w.Effective) || w.BodyLine != 1 {
		t.Errorf("defaults: published %v effective %v line %d", w.Published, w.Effective, w.BodyLine)
	}
}

func TestLoadProblems(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"no site.yaml", map[string]string{"p/2026-01-01.md": "# P"}, "site.yaml: missing: create it with name, base_url and contact (see README)"},
		{"no documents", map[string]string{"site.yaml": siteYAML}, ": no documents: add a folder such as privacy/ with a version file such as 2026-03-27.md"},
		{"bad slug", map[string]string{"site.yaml": siteYAML, "Privacy Policy/2026-01-01.md": "# P"}, "Privacy Policy: folder name must be a URL slug: lowercase letters, digits and hyphens"},
		{"empty doc", map[string]string{"site.yaml": siteYAML, "p/notes.txt": "x"}, "notes.txt: unexpected entry: a document folder holds only version files named YYYY-MM-DD.md"},
		{"site.yaml a list", map[string]string{"site.yaml": "- a\n", "p/2026-01-01.md": "# P"}, "site.yaml:1: want key: value pairs, found a list"},
		{"repeated key", map[string]string{"site.yaml": siteYAML + "name: Y\n", "p/2026-01-01.md": "# P"}, "site.yaml:4: name: key repeated (first on line 1)"},
		{"bad contact", map[string]string{"site.yaml": "name: X\nbase_url: https://x.test/\ncontact: Bob <b@x.test>\n", "p/2026-01-01.md": "# P"}, "site.yaml:3: contact: \"Bob <b@x.test>\" is not an email address (write name@example.com)"},
		{"bad notice", map[string]string{"site.yaml": siteYAML + "notice_days: soon\n", "p/2026-01-01.md": "# P"}, "site.yaml:4: notice_days: \"soon\" is not a number of days from 0 to 3650"},
		{"bad notify", map[string]string{"site.yaml": siteYAML, "p/2026-01-01.md": "---\nnotify: maybe\n---\n"}, "2026-01-01.md:2: notify: \"maybe\" is not auto, yes or no"},
		{"summary map", map[string]string{"site.yaml": siteYAML, "p/2026-01-01.md": "---\nsummary: {a: b}\n---\n"}, "2026-01-01.md:2: summary: want a list of text, found a mapping"},
		{"published after effective", map[string]string{"site.yaml": siteYAML, "p/2026-01-01.md": "---\npublished: 2026-02-01\n---\n"}, "2026-01-01.md:2: published 2026-02-01 is after effective 2026-01-01: a version is announced before it takes effect"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, tt.files)
			_, probs := content.Load(dir)
			for _, p := range probs {
				if filepath.IsAbs(p.File) && len(p.String()) >= len(tt.want) && p.String()[len(p.String())-len(tt.want):] == tt.want {
					return
				}
			}
			t.Errorf("want a problem ending %q, got:\n%v", tt.want, probs)
		})
	}
}
