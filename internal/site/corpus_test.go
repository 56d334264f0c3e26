package site_test

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getspectr/redline/internal/content"
	"github.com/getspectr/redline/internal/site"
)

// corpusDir is ../shared/corpus/basecamp beside the repository, where CI
// and developers have it. Tests that need it fail without it.
func corpusDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("REDLINE_CORPUS")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "corpus", "basecamp")
	}
	if _, err := os.Stat(filepath.Join(dir, "labels.tsv")); err != nil {
		t.Fatalf("corpus not found at %s (set REDLINE_CORPUS): %v", dir, err)
	}
	return dir
}

// convertCorpus lays the basecamp histories out as a content folder: each
// history a document, each NNN.md a version named by its commit date and
// number. The files are copied as they are: their own front matter, Liquid
// tags, raw HTML and quirks included.
func convertCorpus(t testing.TB) (dir string, versions int) {
	t.Helper()
	src := corpusDir(t)
	dir = t.TempDir()
	site := "name: Basecamp\nbase_url: https://policies.example.test/\ncontact: privacy@example.test\nignore_keys: [layout]\n"
	if err := os.WriteFile(filepath.Join(dir, "site.yaml"), []byte(site), 0o644); err != nil {
		t.Fatal(err)
	}
	docs, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		if !d.IsDir() {
			continue
		}
		f, err := os.Open(filepath.Join(src, d.Name(), "index.tsv"))
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Scan() // header
		for sc.Scan() {
			cols := strings.Split(sc.Text(), "\t")
			data, err := os.ReadFile(filepath.Join(src, d.Name(), cols[0]+".md"))
			if err != nil {
				t.Fatal(err)
			}
			name := filepath.Join(dir, d.Name(), cols[1]+"-"+cols[0]+".md")
			if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(name, data, 0o644); err != nil {
				t.Fatal(err)
			}
			versions++
		}
		f.Close()
	}
	return dir, versions
}

// TestCorpusBuilds builds every basecamp history: real, messy input that
// must load without a problem and give every page.
func TestCorpusBuilds(t *testing.T) {
	dir, versions := convertCorpus(t)
	m, out := build(t, dir, goldenNow)
	n := 0
	for _, d := range m.Docs {
		n += len(d.Versions)
		if _, err := os.Stat(filepath.Join(out, d.Slug, "index.html")); err != nil {
			t.Errorf("%s: no current page: %v", d.Slug, err)
		}
		if _, err := os.Stat(filepath.Join(out, d.Slug, "history", "index.html")); err != nil {
			t.Errorf("%s: no history page: %v", d.Slug, err)
		}
		for _, v := range d.Versions {
			if _, err := os.Stat(filepath.Join(out, d.Slug, v.ID, "index.html")); err != nil {
				t.Errorf("%s: no page: %v", v.Path, err)
			}
		}
	}
	if n != versions || len(m.Docs) != 9 {
		t.Fatalf("built %d documents, %d versions; want 9 documents, %d versions", len(m.Docs), n, versions)
	}
	// Their links to pages outside this corpus are reported with file:line.
	if len(m.LinkProblems) == 0 {
		t.Fatal("no link problems reported; the corpus links to documents it does not have")
	}
	for _, p := range m.LinkProblems {
		if p.File == "" || p.Line == 0 || !strings.Contains(p.Msg, "broken link") {
			t.Fatalf("link problem without a place: %+v", p)
		}
	}
}

// BenchmarkBuild measures a whole build (load, render, analyse, write) of
// the basecamp corpus and of a generated 1,000-version corpus of ~10 KB
// pages, in versions/s and MB/s of Markdown.
func BenchmarkBuild(b *testing.B) {
	basecamp, _ := convertCorpus(b)
	b.Run("basecamp", func(b *testing.B) { benchBuild(b, basecamp) })
	b.Run("generated-1000", func(b *testing.B) { benchBuild(b, generateCorpus(b, 10, 100, 10<<10)) })
}

func benchBuild(b *testing.B, dir string) {
	s, probs := content.Load(dir)
	if len(probs) > 0 {
		b.Fatal(probs)
	}
	var bytes int64
	versions := 0
	for _, d := range s.Docs {
		for _, v := range d.Versions {
			bytes += int64(len(v.Body))
			versions++
		}
	}
	tpl, err := site.LoadTemplates("../../templates")
	if err != nil {
		b.Fatal(err)
	}
	out := filepath.Join(b.TempDir(), "dist")
	b.SetBytes(bytes)
	b.ReportAllocs()
	for b.Loop() {
		s, _ := content.Load(dir)
		m, _ := site.Analyze(s, goldenNow)
		if _, err := site.Build(b.Context(), m, tpl, out); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(versions)*float64(b.N)/b.Elapsed().Seconds(), "versions/s")
}

// generateCorpus writes docs×versions policy-like versions of about size
// bytes each, deterministic for a given shape.
func generateCorpus(tb testing.TB, docs, versions, size int) string {
	dir := tb.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "site.yaml"), []byte("name: Gen\nbase_url: https://gen.example.test/\ncontact: a@example.test\n"), 0o644); err != nil {
		tb.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields("we you your data personal information collect use share retain delete days account service provider third party may will not only must rights access request security encryption cookies notice change policy law processing purpose consent")
	sentence := func() string {
		n := 8 + r.IntN(14)
		w := make([]string, n)
		for i := range w {
			w[i] = words[r.IntN(len(words))]
		}
		s := strings.Join(w, " ")
		return strings.ToUpper(s[:1]) + s[1:] + "."
	}
	for d := range docs {
		slug := fmt.Sprintf("doc-%02d", d)
		if err := os.MkdirAll(filepath.Join(dir, slug), 0o755); err != nil {
			tb.Fatal(err)
		}
		for v := range versions {
			var sb strings.Builder
			fmt.Fprintf(&sb, "---\ntitle: Policy %d\n---\n", d)
			for sec := 0; sb.Len() < size; sec++ {
				fmt.Fprintf(&sb, "\n## Section %d\n\n", sec)
				for range 3 {
					sb.WriteString(sentence() + " " + sentence() + " " + sentence() + "\n\n")
				}
				for range 3 {
					sb.WriteString("- " + sentence() + "\n")
				}
			}
			date := goldenNow.AddDate(0, 0, -versions+v)
			name := filepath.Join(dir, slug, date.Format("2006-01-02")+".md")
			if err := os.WriteFile(name, []byte(sb.String()), 0o644); err != nil {
				tb.Fatal(err)
			}
		}
	}
	return dir
}
