package change_test

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getspectr/redline/internal/change"
	"github.com/getspectr/redline/internal/content"
	"github.com/getspectr/redline/internal/render"
)

var (
	corpusVerbose = flag.Bool("corpus.verbose", false, "TestCorpusAccuracy: print the reasons of every pair")
	corpusDump    = flag.String("corpus.dump", "", "TestCorpusAccuracy: write every pair's reasons as TSV to this file")
	corpusOnly    = flag.String("corpus.only", "", "TestCorpusAccuracy: print the reasons of the pairs whose \"doc from\" contains this")
)

// Accuracy targets on the labelled corpus.
const (
	minMaterialRecall     = 0.98
	maxEditorialFalseRate = 0.05
	maxMinorAsMaterial    = 0.30
)

// corpora are the labelled development corpora under ../shared/corpus. Each
// must meet the targets on its own, and so must their union.
var corpora = []string{"basecamp", "github"}

// corpusDir finds shared/corpus/<name> beside the repository root.
func corpusDir(t testing.TB, name string) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("corpus: go.mod not found above the package directory")
		}
		dir = parent
	}
	c := filepath.Join(dir, "..", "shared", "corpus", name)
	if _, err := os.Stat(filepath.Join(c, "labels.tsv")); err != nil {
		t.Fatalf("corpus: %v (the labelled corpus must sit beside the repository as ../shared/corpus)", err)
	}
	return c
}

type labelled struct {
	doc, from, to string
	label         change.Level
	reason        string
}

func readLabels(t testing.TB, dir string) []labelled {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "labels.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var ls []labelled
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		cols := strings.Split(sc.Text(), "\t")
		if line == 1 || len(cols) < 6 {
			continue
		}
		lv, err := change.ParseLevel(cols[5])
		if err != nil {
			t.Fatalf("labels.tsv:%d: %v", line, err)
		}
		l := labelled{doc: cols[0], from: cols[1], to: cols[2], label: lv}
		if len(cols) > 6 {
			l.reason = cols[6]
		}
		ls = append(ls, l)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return ls
}

// blocksOf renders one version file of the corpus.
func blocksOf(t testing.TB, path string) []render.Block {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, body, line, _, _ := content.SplitFrontMatter(src)
	d, err := render.New(render.Options{}).Render(render.Input{Body: body, FirstLine: line})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return d.Blocks
}

func TestCorpusAccuracy(t *testing.T) {
	var union [3][3]int
	var dump strings.Builder
	for _, name := range corpora {
		m, wrong := evalCorpus(t, name, &dump)
		t.Run(name, func(t *testing.T) { report(t, m, wrong) })
		for i := range m {
			for j := range m[i] {
				union[i][j] += m[i][j]
			}
		}
	}
	t.Run("union", func(t *testing.T) { report(t, union, nil) }) // the pairs are listed per corpus
	if *corpusDump != "" {
		if err := os.WriteFile(*corpusDump, []byte(dump.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// evalCorpus compares every labelled pair of one corpus and returns the
// confusion matrix ([label][predicted]) and the misclassified pairs.
func evalCorpus(t *testing.T, name string, dump *strings.Builder) (m [3][3]int, wrong []string) {
	dir := corpusDir(t, name)
	for _, l := range readLabels(t, dir) {
		old := blocksOf(t, filepath.Join(dir, l.doc, l.from+".md"))
		new := blocksOf(t, filepath.Join(dir, l.doc, l.to+".md"))
		c := change.Compare(old, new)
		m[l.label][c.Level]++
		top := c.Reasons[0]
		desc := fmt.Sprintf("%s/%s %s→%s: labelled %s, predicted %s: %s [%s] (label: %s)",
			name, l.doc, l.from, l.to, l.label, c.Level, top.Why, top.Category, l.reason)
		for _, r := range c.Reasons {
			fmt.Fprintf(dump, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%q\t%q\n", name, l.doc, l.from, l.label, r.Level, r.Category, r.Section, r.Why, r.Old, r.New)
		}
		if c.Level != l.label {
			wrong = append(wrong, desc)
		}
		if *corpusVerbose || *corpusOnly != "" && strings.Contains(name+"/"+l.doc+" "+l.from, *corpusOnly) {
			t.Log(desc)
			for _, r := range c.Reasons {
				t.Logf("    %-9s %-14s %s | %q → %q", r.Level, r.Category, r.Why, r.Old, r.New)
			}
		}
	}
	return m, wrong
}

// report prints the confusion matrix and rates, and fails on missed targets.
func report(t *testing.T, m [3][3]int, wrong []string) {
	t.Logf("confusion matrix (rows: label, columns: predicted)")
	t.Logf("%-10s %9s %9s %9s", "", "editorial", "minor", "material")
	for l := change.Editorial; l <= change.Material; l++ {
		t.Logf("%-10s %9d %9d %9d", l, m[l][0], m[l][1], m[l][2])
	}
	rate := func(n, of [3]int) float64 {
		total := of[0] + of[1] + of[2]
		if total == 0 {
			return 0
		}
		return float64(n[2]) / float64(total)
	}
	recall := rate(m[change.Material], m[change.Material])
	falseAlarm := rate(m[change.Editorial], m[change.Editorial])
	minorAs := rate(m[change.Minor], m[change.Minor])
	t.Logf("material recall %.3f (target ≥ %.2f)", recall, minMaterialRecall)
	t.Logf("editorial false alarms %.3f (target ≤ %.2f)", falseAlarm, maxEditorialFalseRate)
	t.Logf("minor as material %.3f (target ≤ %.2f)", minorAs, maxMinorAsMaterial)
	if wrong != nil {
		t.Logf("misclassified pairs (%d):", len(wrong))
		for _, w := range wrong {
			t.Log("  " + w)
		}
	}
	if recall < minMaterialRecall || falseAlarm > maxEditorialFalseRate || minorAs > maxMinorAsMaterial {
		t.Errorf("accuracy targets missed: recall %.3f, editorial false alarms %.3f, minor as material %.3f",
			recall, falseAlarm, minorAs)
	}
}
