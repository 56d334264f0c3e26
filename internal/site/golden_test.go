package site_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/getspectr/redline/internal/content"
	"github.com/getspectr/redline/internal/site"
)

var update = flag.Bool("update", false, "rewrite golden files")

var goldenNow = time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)

// build loads, analyses and builds the content folder into a new folder.
func build(t testing.TB, contentDir string, now time.Time) (*site.Model, string) {
	t.Helper()
	s, probs := content.Load(contentDir)
	if len(probs) > 0 {
		t.Fatalf("content problems:\n%v", probs)
	}
	m, probs := site.Analyze(s, now)
	if len(probs) > 0 {
		t.Fatalf("analysis problems:\n%v", probs)
	}
	tpl, err := site.LoadTemplates("../../templates")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "dist")
	if _, err := site.Build(context.Background(), m, tpl, out); err != nil {
		t.Fatal(err)
	}
	return m, out
}

// TestGolden compares every file the build writes, one per page kind and
// then some, with testdata/golden. Run with -update to refresh, and review
// the difference like code.
func TestGolden(t *testing.T) {
	m, out := build(t, "testdata/content", goldenNow)
	if len(m.LinkProblems) > 0 {
		t.Fatalf("link problems: %v", m.LinkProblems)
	}
	var got []string
	err := filepath.WalkDir(out, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(out, path)
		got = append(got, rel)
		t.Run(rel, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "golden", rel)
			if rel == "style.css" || rel == site.Marker {
				return // the stylesheet is templates/style.css itself
			}
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, data, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if !bytes.Equal(data, want) {
				t.Errorf("%s differs from %s (run go test -update and review the diff)\n--- got:\n%s", rel, golden, data)
			}
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !*update {
		var want []string
		_ = filepath.WalkDir("testdata/golden", func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				rel, _ := filepath.Rel("testdata/golden", path)
				want = append(want, rel)
			}
			return err
		})
		if len(want) != len(got)-2 { // style.css and the marker are not kept
			t.Errorf("build wrote %d files, golden has %d: %v", len(got)-2, len(want), got)
		}
	}
}

// TestReproducible builds twice and wants byte-identical output.
func TestReproducible(t *testing.T) {
	_, a := build(t, "testdata/content", goldenNow)
	_, b := build(t, "testdata/content", goldenNow)
	err := filepath.WalkDir(a, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(a, path)
		x, _ := os.ReadFile(path)
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two builds of the same input", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
