package site_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/getspectr/redline/internal/change"
	"github.com/getspectr/redline/internal/site"
)

// TestNavBounded builds more documents than the nav holds: every page links
// to the first ten and to the home page, which lists them all, so the
// output grows with the documents, not with their square.
func TestNavBounded(t *testing.T) {
	_, out := build(t, generateCorpus(t, 12, 1, 1<<10), goldenNow)
	nav := regexp.MustCompile(`(?s)<nav aria-label="Site">.*?</nav>`)
	page := read(t, filepath.Join(out, "doc-011", "index.html"))
	n := nav.FindString(page)
	if got := strings.Count(n, "<li>"); got != 11 {
		t.Errorf("nav has %d items, want 10 documents and the home page:\n%s", got, n)
	}
	if !strings.Contains(n, `<a href="/">All 12 policies</a>`) || strings.Contains(n, "doc-010/") {
		t.Errorf("nav does not stop at ten documents with a link to all 12:\n%s", n)
	}
	home := read(t, filepath.Join(out, "index.html"))
	for d := range 12 {
		if link := fmt.Sprintf(`<h2><a href="/doc-%03d/">`, d); !strings.Contains(home, link) {
			t.Errorf("home page does not list doc-%03d", d)
		}
	}
}

// TestToCurrentSummary checks that a to-current page sums up the versions
// since instead of listing each: it counts them by level, takes the highest
// as its verdict and lists at most ten, newest first.
func TestToCurrentSummary(t *testing.T) {
	m, out := build(t, generateCorpus(t, 1, 40, 2<<10), goldenNow)
	d := m.Docs[0]
	from := d.Versions[0]
	page := read(t, filepath.Join(out, d.Slug, from.ID, "to-current", "index.html"))

	// The counts add up to every version since, and the verdict is the
	// highest level among them.
	counts := map[string]int{}
	var level change.Level
	for _, v := range d.Versions[1:] {
		counts[v.Level()]++
		level = max(level, v.Verdict.Level)
	}
	top := level.String()
	if counts[top] <= 10 {
		t.Fatalf("the generated history has %d %s versions; it must have more than ten to test the cap", counts[top], top)
	}
	sentence := regexp.MustCompile(`39 versions came after this one: ([a-z0-9, ]+)\.`).FindStringSubmatch(page)
	if sentence == nil {
		t.Fatalf("no count of the 39 versions since:\n%s", page)
	}
	for _, part := range strings.Split(sentence[1], ", ") {
		n, level, _ := strings.Cut(part, " ")
		if c, _ := strconv.Atoi(n); c != counts[level] {
			t.Errorf("page says %s, want %d %s", part, counts[level], level)
		}
	}
	if !strings.Contains(page, `Verdict: <span class="level level-`+top+`">`) {
		t.Errorf("verdict is not %s, the highest level since", top)
	}

	// At most ten versions are listed, newest first, all at that level; the
	// rest are counted with a link to the history.
	reasons := regexp.MustCompile(`(?s)<ul class="reasons">(.*?)</ul>`).FindStringSubmatch(page)
	if reasons == nil {
		t.Fatalf("no list of versions:\n%s", page)
	}
	items := regexp.MustCompile(`<li><span class="level level-([a-z]+)">[a-z]+</span> Version effective ([A-Za-z]+ [0-9]+, [0-9]+)`).FindAllStringSubmatch(reasons[1], -1)
	want := min(counts[top], 10)
	if len(items) != want {
		t.Fatalf("lists %d versions, want %d:\n%s", len(items), want, reasons[1])
	}
	listed := 0
	for i := len(d.Versions) - 1; i > 0 && listed < want; i-- {
		v := d.Versions[i]
		if v.Level() != top {
			continue
		}
		if it := items[listed]; it[1] != top || it[2] != v.Effective.Format("January 2, 2006") {
			t.Errorf("item %d is %s %s, want %s %s", listed, it[1], it[2], top, v.Effective.Format("January 2, 2006"))
		}
		listed++
	}
	more := fmt.Sprintf(`…and %d more %s versions; the <a href="/%s/history/">version history</a>`, counts[top]-want, top, d.Slug)
	if !strings.Contains(page, more) {
		t.Errorf("no mention of the %d more %s versions", counts[top]-want, top)
	}
}

func read(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestBuildOnce: a build lets go of each version's redline once its page is
// written, so a second build of the same model must fail, not publish
// changes pages without their redline.
func TestBuildOnce(t *testing.T) {
	m, _ := build(t, "testdata/content", goldenNow)
	tpl, err := site.LoadTemplates("../../templates")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "dist")
	_, err = site.Build(t.Context(), m, tpl, out)
	if err == nil || !strings.Contains(err.Error(), "analyse the content again") {
		t.Fatalf("second build of one model: %v; want an error", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("the refused build wrote %s: %v", out, err)
	}
}
