package content_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/getspectr/redline/internal/content"
)

// FuzzLoad writes the input as a version file and as site.yaml and loads
// the folder: any input gives problems or a site, never a panic, and every
// problem names a file.
func FuzzLoad(f *testing.F) {
	f.Add([]byte("---\ntitle: Privacy\neffective: 2026-03-27\n---\n# Privacy\n"), []byte("name: X\nbase_url: https://x.test/\ncontact: a@x.test\n"))
	f.Add([]byte("---\nsummary: [a, b\n---\n"), []byte("mail: [1, 2]\n"))
	f.Add([]byte("--- \r\nnotify: yes\r\n...\r\nbody"), []byte("notice_days: -1\nunsafe_html: maybe\n"))
	f.Add([]byte("---\n&a [*a]\n---\n"), []byte("? [a]\n: b\n"))
	f.Add([]byte("\ufeff---\ntitle: !!binary aGk=\ncategories: {a: b}\n---\n"), []byte("name:\n  - x\n"))
	f.Add([]byte("# P\n\n"+strings.Repeat("- > 1. ", 6)+"x\r  \t- y\n"), []byte("name: caf\xe9\n"))
	f.Add([]byte("---\ntitle: \x00\n---\n\xed\xa0\x80"), []byte(""))
	f.Fuzz(func(t *testing.T, version, cfg []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "site.yaml"), cfg, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Mkdir(filepath.Join(dir, "privacy"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "privacy", "2026-03-27.md"), version, 0o644); err != nil {
			t.Fatal(err)
		}
		s, probs := content.Load(dir)
		if s == nil {
			t.Fatal("nil site")
		}
		for _, p := range probs {
			if p.File == "" || p.Msg == "" || p.Line < 0 {
				t.Fatalf("problem without a place or text: %+v", p)
			}
			if strings.Contains(p.Msg, "panic") {
				t.Fatalf("problem reports a panic: %v", p)
			}
		}
	})
}

// FuzzSplitFrontMatter checks that splitting never loses text: front matter
// and body are pieces of the input, in order, and the body line is right.
func FuzzSplitFrontMatter(f *testing.F) {
	for _, s := range []string{"---\na: b\n---\nbody\n", "no front matter", "---\nopen", "--- \r\n\r\n...\r\nx", "---\n---\n", "\ufeff---\nx: 1\n---"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		fm, body, line, ok, closed := content.SplitFrontMatter(src)
		if !ok {
			if !bytes.Equal(bytes.TrimPrefix(src, []byte("\ufeff")), body) || line != 1 {
				t.Fatalf("no front matter but body %q line %d", body, line)
			}
			return
		}
		if !bytes.Contains(src, fm) {
			t.Fatalf("front matter %q is not part of the input", fm)
		}
		if closed && len(body) > 0 {
			if !bytes.HasSuffix(src, body) {
				t.Fatalf("body %q is not the end of the input", body)
			}
			head := src[:len(src)-len(body)]
			if got := bytes.Count(head, []byte("\n")) + 1; got != line {
				t.Fatalf("body line %d, want %d", line, got)
			}
		}
	})
}

// FuzzCheckText: CheckText finds a problem exactly when the input is not
// NUL-free UTF-8, and the problem names the line of a byte in the input.
func FuzzCheckText(f *testing.F) {
	for _, s := range []string{"ok", "a\nb\x00", "caf\xe9", "\xf0\x9f\x98", "\xed\xa0\x80", "\ufeff# T\r\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		line, msg := content.CheckText(src)
		bad := !utf8.Valid(src) || bytes.IndexByte(src, 0) >= 0
		if bad != (msg != "") {
			t.Fatalf("CheckText(%q) = %d, %q", src, line, msg)
		}
		if bad && (line < 1 || line > bytes.Count(src, []byte("\n"))+1) {
			t.Fatalf("line %d outside the input %q", line, src)
		}
	})
}
