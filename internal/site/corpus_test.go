package site_test

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"testing"
	"time"

	"github.com/getspectr/redline/internal/benchmeter"
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
// the basecamp corpus and of generated corpora of ~10 KB pages in the
// shapes that stress the site's growth: many documents (the nav and home
// page), many versions of one document (history and to-current pages), and
// 100 against 1,000 versions of one document, whose ratio shows whether the
// cost grows linearly. It reports Markdown MB/s, files/s and versions/s,
// the output's size (out-MB) and the peak heap during the builds.
func BenchmarkBuild(b *testing.B) {
	basecamp, _ := convertCorpus(b)
	b.Run("basecamp", func(b *testing.B) { benchBuild(b, basecamp) })
	for _, shape := range []struct{ docs, versions int }{{100, 10}, {1000, 1}, {1, 100}, {1, 1000}} {
		b.Run(fmt.Sprintf("docs=%d/versions=%d", shape.docs, shape.versions), func(b *testing.B) {
			benchBuild(b, generateCorpus(b, shape.docs, shape.versions, 10<<10))
		})
	}
	// The growing history above doubles its document over 1,000 versions
	// (24 times the Markdown of 100 versions); one of steady size shows
	// the cost per version alone.
	for _, versions := range []int{100, 1000} {
		b.Run(fmt.Sprintf("docs=1/versions=%d/steady", versions), func(b *testing.B) {
			benchBuild(b, generateSteady(b, versions, 10<<10))
		})
	}
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
	s = nil
	runtime.GC()
	stop := sampleHeap()
	b.SetBytes(bytes)
	b.ReportAllocs()
	files := 0
	clock := benchmeter.Start()
	for b.Loop() {
		s, _ := content.Load(dir)
		m, _ := site.Analyze(s, goldenNow)
		files, err = site.Build(b.Context(), m, tpl, out)
		if err != nil {
			b.Fatal(err)
		}
	}
	secs := clock.Wall().Seconds()
	peak := stop()
	b.ReportMetric(float64(versions)*float64(b.N)/secs, "versions/s")
	b.ReportMetric(float64(files)*float64(b.N)/secs, "files/s")
	b.ReportMetric(float64(dirSize(b, out))/(1<<20), "out-MB")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

// sampleHeap records the highest heap in use (live and not yet swept
// objects) every millisecond until stopped. runtime/metrics reads it
// without stopping the world, so sampling barely disturbs the build.
func sampleHeap() (stop func() uint64) {
	done := make(chan struct{})
	peak := make(chan uint64)
	go func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var max uint64
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > max {
				max = v
			}
			select {
			case <-done:
				peak <- max
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 { close(done); return <-peak }
}

// dirSize is the total size of the files under dir.
func dirSize(tb testing.TB, dir string) int64 {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		n += fi.Size()
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// generateCorpus writes docs documents of versions versions each, of about
// size bytes of policy-like Markdown, deterministic for a given shape. Like
// real histories, each version edits a few sentences of the one before
// (about 2%) and now and then adds a section.
func generateCorpus(tb testing.TB, docs, versions, size int) string {
	return generate(tb, docs, versions, size, true)
}

// generateSteady writes one document whose versions keep its size: each
// replaces a word in a few sentences instead of adding one, and none adds
// a section.
func generateSteady(tb testing.TB, versions, size int) string {
	return generate(tb, 1, versions, size, false)
}

func generate(tb testing.TB, docs, versions, size int, grow bool) string {
	dir := tb.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "site.yaml"), []byte("name: Gen\nbase_url: https://gen.example.test/\ncontact: a@example.test\n"), 0o644); err != nil {
		tb.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields("we you your data personal information collect use share retain delete days account service provider third party may will not only must rights access request security encryption cookies notice change policy law processing purpose consent")
	sentence := func() string {
		w := make([]string, 8+r.IntN(14))
		for i := range w {
			w[i] = words[r.IntN(len(words))]
		}
		s := strings.Join(w, " ")
		return strings.ToUpper(s[:1]) + s[1:] + "."
	}
	for d := range docs {
		slug := fmt.Sprintf("doc-%03d", d)
		if err := os.MkdirAll(filepath.Join(dir, slug), 0o755); err != nil {
			tb.Fatal(err)
		}
		var sents []string // one policy: sentences, with "## " headings and "- " items among them
		for n := 0; n < size/130; n++ {
			switch {
			case n%12 == 0:
				sents = append(sents, fmt.Sprintf("## Section %d", n/12))
			case n%12 >= 9:
				sents = append(sents, "- "+sentence())
			default:
				sents = append(sents, sentence())
			}
		}
		for v := range versions {
			if v > 0 {
				for range max(1, len(sents)/50) {
					i := r.IntN(len(sents))
					switch {
					case strings.HasPrefix(sents[i], "#"):
					case grow:
						sents[i] = strings.TrimSuffix(sents[i], ".") + " " + words[r.IntN(len(words))] + "."
					default:
						w := strings.Fields(sents[i])
						w[1+r.IntN(len(w)-2)] = words[r.IntN(len(words))] // not the first (capitalised, or "-") nor the last (".")
						sents[i] = strings.Join(w, " ")
					}
				}
				if grow && v%10 == 0 {
					sents = append(sents, fmt.Sprintf("## Added in version %d", v), sentence())
				}
			}
			name := filepath.Join(dir, slug, goldenNow.AddDate(0, 0, -versions+v).Format("2006-01-02")+".md")
			if err := os.WriteFile(name, []byte(fmt.Sprintf("---\ntitle: Policy %d\n---\n", d)+markdown(sents)), 0o644); err != nil {
				tb.Fatal(err)
			}
		}
	}
	return dir
}

// markdown lays generated sentences out: headings and list items on their
// own lines, three sentences to a paragraph.
func markdown(sents []string) string {
	var b strings.Builder
	para := 0
	for _, s := range sents {
		switch {
		case strings.HasPrefix(s, "#"), strings.HasPrefix(s, "- "):
			b.WriteString("\n" + s + "\n")
			para = 0
		default:
			if para%3 == 0 {
				b.WriteString("\n")
			}
			b.WriteString(s + " ")
			para++
		}
	}
	return b.String() + "\n"
}
