package content_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getspectr/redline/internal/content"
)

// link makes a symbolic link, failing the test if it cannot.
func link(t *testing.T, target, name string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, name); err != nil {
		t.Fatal(err)
	}
}

// wantProblem loads dir and wants a problem about file (relative to dir)
// whose text ends with want, and nothing published from file.
func wantProblem(t *testing.T, dir, file, want string) *content.Site {
	t.Helper()
	s, probs := content.Load(dir)
	for _, p := range probs {
		if p.File == filepath.Join(dir, file) && strings.HasSuffix(p.String(), want) {
			return s
		}
	}
	t.Errorf("want a problem for %s ending %q, got:\n%v", file, want, probs)
	return s
}

// TestLoadSymlinks: every file read must really be inside content/; links
// that stay inside are fine, loops are reported as loops.
func TestLoadSymlinks(t *testing.T) {
	secret := filepath.Join(t.TempDir(), "secret.md")
	write(t, filepath.Dir(secret), map[string]string{"secret.md": "# CI secret\n", "docs/2026-01-01.md": "# Elsewhere\n"})
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string)
		file  string // the problem's file; "" for none
		want  string
	}{
		{"version file leaving content", func(t *testing.T, dir string) {
			link(t, secret, filepath.Join(dir, "privacy/2026-02-01.md"))
		}, "privacy/2026-02-01.md", "symbolic link to " + secret + " leaves %s/: copy it into %s/ instead of linking to it"},
		{"relative link leaving content", func(t *testing.T, dir string) {
			link(t, "../../../../etc/passwd", filepath.Join(dir, "privacy/2026-02-01.md"))
		}, "privacy/2026-02-01.md", "symbolic link to ../../../../etc/passwd leaves %s/: copy it into %s/ instead of linking to it"},
		{"document folder leaving content", func(t *testing.T, dir string) {
			link(t, filepath.Join(filepath.Dir(secret), "docs"), filepath.Join(dir, "terms"))
		}, "terms", "leaves %s/: copy it into %s/ instead of linking to it"},
		{"site.yaml leaving content", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "site.yaml"))
			link(t, secret, filepath.Join(dir, "site.yaml"))
		}, "site.yaml", "leaves %s/: copy it into %s/ instead of linking to it"},
		{"loop", func(t *testing.T, dir string) {
			link(t, "2026-03-01.md", filepath.Join(dir, "privacy/2026-02-01.md"))
			link(t, "2026-02-01.md", filepath.Join(dir, "privacy/2026-03-01.md"))
		}, "privacy/2026-02-01.md", "symbolic link loop: it leads back to itself; replace the link with the file or folder"},
		{"folder loop", func(t *testing.T, dir string) {
			link(t, "terms", filepath.Join(dir, "terms"))
		}, "terms", "symbolic link loop: it leads back to itself; replace the link with the file or folder"},
		{"dangling", func(t *testing.T, dir string) {
			link(t, "gone.md", filepath.Join(dir, "privacy/2026-02-01.md"))
		}, "privacy/2026-02-01.md", "symbolic link to gone.md, which does not exist"},
		{"version file inside", func(t *testing.T, dir string) {
			link(t, "2026-01-01.md", filepath.Join(dir, "privacy/2026-02-01.md"))
		}, "", ""},
		{"document folder inside", func(t *testing.T, dir string) {
			write(t, dir, map[string]string{".shared/terms/2026-01-01.md": "# Terms\n"})
			link(t, ".shared/terms", filepath.Join(dir, "terms"))
		}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, map[string]string{"site.yaml": siteYAML, "privacy/2026-01-01.md": "# Privacy\n"})
			tt.setup(t, dir)
			if tt.file == "" {
				if s, probs := content.Load(dir); len(probs) > 0 || len(s.Docs) == 0 {
					t.Fatalf("a link inside content/ is refused: %v", probs)
				}
				return
			}
			want := strings.ReplaceAll(tt.want, "%s", dir)
			s := wantProblem(t, dir, tt.file, want)
			for _, d := range s.Docs {
				for _, v := range d.Versions {
					if strings.Contains(string(v.Body), "secret") || strings.Contains(string(v.Body), "Elsewhere") {
						t.Errorf("%s: outside text loaded: %q", v.Path, v.Body)
					}
				}
			}
		})
	}
}

// TestLoadText: binary and invalid UTF-8 files are refused with the line
// and byte offset of the first bad byte, and nothing of them is parsed.
func TestLoadText(t *testing.T) {
	tests := []struct{ name, file, data, want string }{
		{"NUL", "privacy/2026-02-01.md", "# P\n\nok\x00bad\n", "privacy/2026-02-01.md:3: NUL byte at byte offset 7: this is a binary file, not UTF-8 text (save it as Markdown)"},
		{"PDF", "privacy/2026-02-01.md", "%PDF-1.7\n\x00\x01\x02", ":2: NUL byte at byte offset 9: this is a binary file, not UTF-8 text (save it as Markdown)"},
		{"Latin-1", "privacy/2026-02-01.md", "---\ntitle: Privacy\n---\nDonn\xe9es\n", ":4: invalid UTF-8: byte 0xe9 at byte offset 27: save the file as UTF-8 text"},
		{"cut sequence", "privacy/2026-02-01.md", "# P\xe2\x80", ":1: invalid UTF-8: byte 0xe2 at byte offset 3: save the file as UTF-8 text"},
		{"site.yaml", "site.yaml", siteYAML + "description: caf\xe9\n", "site.yaml:4: invalid UTF-8: byte 0xe9 at byte offset 73: save the file as UTF-8 text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, map[string]string{"site.yaml": siteYAML, "privacy/2026-01-01.md": "# Privacy\n"})
			write(t, dir, map[string]string{tt.file: tt.data})
			s := wantProblem(t, dir, tt.file, tt.want)
			if v := s.Doc("privacy").Version("2026-02-01"); v != nil && v.Body != nil {
				t.Errorf("the bad file's body was kept: %q", v.Body)
			}
		})
	}
}

// TestLoadLimits: a file over MaxFileSize and Markdown nested deeper than
// MaxNesting are refused before they reach the parser.
func TestLoadLimits(t *testing.T) {
	deepList := func(levels, indent int) string {
		var b strings.Builder
		for i := range levels {
			b.WriteString(strings.Repeat(" ", i*indent) + "- item\n")
		}
		return b.String()
	}
	tests := []struct{ name, data, want string }{
		{"too big", "# P\n\n" + strings.Repeat("x", content.MaxFileSize), "file is 262149 bytes, over the limit of 262144 (256 KiB): split it into several documents"},
		{"2,000-level list", "---\ntitle: P\n---\n" + deepList(2000, 2)[:content.MaxFileSize-100], ":20: lists and block quotes nest 17 levels deep here (counting 2 spaces of indentation as a level), over the limit of 16: flatten them"},
		{"one-line list", "# P\n\n" + strings.Repeat("- ", 10000) + "x\n", ":3: lists and block quotes nest 10000 levels deep here (counting 2 spaces of indentation as a level), over the limit of 16: flatten them"},
		{"quotes in a list", "# P\n\n" + strings.Repeat("1. > * ", 6) + "x\n", ":3: lists and block quotes nest 18 levels deep here (counting 2 spaces of indentation as a level), over the limit of 16: flatten them"},
		{"long paragraph", "# P\n\nShort.\n\nStarts here\n" + strings.Repeat("[a](", content.MaxBlockSize/4) + "\n", ":5: this paragraph, list or table has more than 16384 bytes (16 KiB) without a blank line, the limit: break it up with blank lines (or split the table)"},
		{"lines ended by CR", "# P\r\r" + strings.ReplaceAll(deepList(20, 2), "\n", "\r"), ":19: lists and block quotes nest 17 levels deep here (counting 2 spaces of indentation as a level), over the limit of 16: flatten them"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, map[string]string{"site.yaml": siteYAML, "privacy/2026-01-01.md": "# Privacy\n", "privacy/2026-02-01.md": tt.data})
			s := wantProblem(t, dir, "privacy/2026-02-01.md", tt.want)
			if v := s.Doc("privacy").Version("2026-02-01"); v != nil && v.Body != nil {
				t.Errorf("the refused file's body was kept (%d bytes)", len(v.Body))
			}
		})
	}
	// At the limits, real structure passes: 16 levels at 2 spaces, 8 at 4.
	dir := t.TempDir()
	write(t, dir, map[string]string{"site.yaml": siteYAML,
		"privacy/2026-01-01.md": "# P\n\n" + deepList(16, 2) + "\n" + deepList(8, 4) + "\n" + strings.Repeat("> ", 16) + "quote\n",
		"privacy/2026-02-01.md": "# P\n\n" + strings.Repeat(strings.Repeat("x", content.MaxBlockSize-2)+"\n\n", content.MaxFileSize/content.MaxBlockSize-1)})
	if _, probs := content.Load(dir); len(probs) > 0 {
		t.Errorf("content within the limits refused: %v", probs)
	}
}
