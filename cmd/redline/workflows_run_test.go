package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// runner runs workflow steps as GitHub Actions does (bash -eo pipefail),
// with the files and variables a runner gives a step.
type runner struct {
	t       *testing.T
	temp    string            // $RUNNER_TEMP
	path    []string          // added to PATH through $GITHUB_PATH
	exprs   map[string]string // the value of each ${{ … }} the steps may use
	baseEnv []string
	summary string // $GITHUB_STEP_SUMMARY
	ghPath  string // $GITHUB_PATH
	stdout  string
	stderr  string
}

func newRunner(t *testing.T, exprs map[string]string, env ...string) *runner {
	r := &runner{t: t, temp: t.TempDir(), exprs: exprs}
	r.summary = filepath.Join(r.temp, "step-summary.md")
	r.ghPath = filepath.Join(r.temp, "github-path")
	r.baseEnv = append(os.Environ(), env...)
	return r
}

var expression = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

// run runs the step in dir and reports whether it succeeded.
func (r *runner) run(s step, dir string) bool {
	r.t.Helper()
	env := append([]string{}, r.baseEnv...)
	env = append(env, "CI=true", "GITHUB_ACTIONS=true", "RUNNER_TEMP="+r.temp, "GITHUB_WORKSPACE="+dir,
		"GITHUB_STEP_SUMMARY="+r.summary, "GITHUB_PATH="+r.ghPath)
	if len(r.path) > 0 {
		env = append(env, "PATH="+strings.Join(r.path, string(os.PathListSeparator))+string(os.PathListSeparator)+os.Getenv("PATH"))
	}
	for k, v := range s.Env {
		env = append(env, k+"="+expression.ReplaceAllStringFunc(v, func(e string) string {
			name := expression.FindStringSubmatch(e)[1]
			val, ok := r.exprs[name]
			if !ok {
				r.t.Fatalf("step %q: the test gives no value for ${{ %s }}", s.Name, name)
			}
			return val
		}))
	}
	if expression.MatchString(s.Run) {
		r.t.Fatalf("step %q: an expression inside run: (pass it through env:)", s.Name)
	}
	cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", s.Run)
	cmd.Dir, cmd.Env = dir, env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r.stdout, r.stderr = stdout.String(), stderr.String()
	if b, _ := os.ReadFile(r.ghPath); len(b) > 0 {
		r.path = strings.Fields(string(b))
	}
	return err == nil
}

func findStep(t *testing.T, w workflow, job, id string) step {
	t.Helper()
	for _, s := range w.Jobs[job].Steps {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("job %s has no step with id %s", job, id)
	return step{}
}

// fixtureRepo makes a git repository with two commits: the base, with a
// privacy policy and terms, and a pull request that adds a material version
// of the policy and fixes a typo in the terms in effect.
func fixtureRepo(t *testing.T) (dir, base string) {
	dir = t.TempDir()
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=Legal", "GIT_AUTHOR_EMAIL=legal@example.test",
			"GIT_COMMITTER_NAME=Legal", "GIT_COMMITTER_EMAIL=legal@example.test", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return strings.TrimSpace(string(out))
	}
	write := func(name, text string) {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	git("init", "-q", "-b", "main")
	write("content/site.yaml", "name: Example\nbase_url: https://example.test/\ncontact: privacy@example.test\n")
	write("content/privacy/2026-01-10.md", "---\ntitle: Privacy Policy\n---\n## Sharing\n\nWe will not sell your personal data.\n\n## Retention\n\nWe keep logs for 30 days.\n")
	write("content/terms/2026-01-01.md", "---\ntitle: Terms\n---\n## Use\n\nYou may use the servce as described.\n")
	if err := os.CopyFS(filepath.Join(dir, "templates"), os.DirFS("../../templates")); err != nil {
		t.Fatal(err)
	}
	git("add", ".")
	git("commit", "-q", "-m", "base")
	base = git("rev-parse", "HEAD")
	write("content/privacy/2026-12-28.md", "---\ntitle: Privacy Policy\npublished: 2026-11-28\neffective: 2026-12-28\nsummary:\n  - We may now sell your data.\n---\n"+
		"## Sharing\n\nWe may sell your personal data.\n\n## Retention\n\nWe keep logs for 30 days.\n")
	write("content/terms/2026-01-01.md", "---\ntitle: Terms\n---\n## Use\n\nYou may use the service as described.\n")
	git("add", ".")
	git("commit", "-q", "-m", "pull request")
	return dir, base
}

// TestPullRequestWorkflow runs the steps of the pull-request workflow that
// need no GitHub (build redline, the gate, the review) on a fixture
// repository, and checks what they print and write.
func TestPullRequestWorkflow(t *testing.T) {
	t.Parallel()
	w := readWorkflows(t)["pull-request.yml"]
	repo, base := fixtureRepo(t)
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	epoch := fmt.Sprint(time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC).Unix())
	r := newRunner(t, map[string]string{"github.event.pull_request.base.sha": base}, "SOURCE_DATE_EPOCH="+epoch)

	if !r.run(findStep(t, w, "redline", "build"), root) {
		t.Fatalf("build step failed:\n%s", r.stderr)
	}
	if len(r.path) != 1 || !strings.HasPrefix(r.path[0], r.temp) {
		t.Fatalf("build step added %v to PATH, want a folder of RUNNER_TEMP", r.path)
	}

	check := findStep(t, w, "redline", "check")
	if !r.run(check, repo) || r.stdout != "ok: 2 documents (3 versions), no problems\n" {
		t.Fatalf("check step on a good pull request:\nstdout: %s\nstderr: %s", r.stdout, r.stderr)
	}

	review := findStep(t, w, "redline", "review")
	if !r.run(review, repo) {
		t.Fatalf("review step failed:\n%s", r.stderr)
	}
	comment, err := os.ReadFile(filepath.Join(r.temp, "review.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		reviewMarker + "\n## redline review\n\nCompares `content` at `" + base + "` (" + base[:12] + ") with this change, as of 2026-11-28.\n",
		"| Privacy Policy (`privacy`) | 2026-01-10 → 2026-12-28 | **material** |\n",
		"| Terms (`terms`) | 2026-01-01 before → after (edited) | **editorial** |\n",
		"## Privacy Policy (`privacy`): 2026-01-10 → 2026-12-28\n\nNew version `content/privacy/2026-12-28.md`: published 2026-11-28, effective 2026-12-28 (30 days of notice), upcoming.\n",
		"**Summary from legal:**\n\n- We may now sell your data.\n",
		"### Redline verdict: **material**\n\n1 block edited, 0 added, 0 removed, 0 moved, 3 unchanged.\n",
		"We <del>will not</del><ins>may</ins> sell your personal data.",
		"**It is current: editing it rewrites a policy users already had.** To change the policy, start a new version with `redline new terms`.",
		"You may use the <del>servce</del><ins>service</ins> as described.",
	} {
		if !strings.Contains(string(comment), want) {
			t.Errorf("the comment lacks %q:\n%s", want, comment)
		}
	}
	if summary, _ := os.ReadFile(r.summary); !bytes.Equal(summary, comment) {
		t.Errorf("the job summary is not the comment:\n%s", summary)
	}

	// The gate fails a material change without a summary, and the review
	// says why beside its redline.
	page := filepath.Join(repo, "content", "privacy", "2026-12-28.md")
	src, _ := os.ReadFile(page)
	if err := os.WriteFile(page, bytes.Replace(src, []byte("summary:\n  - We may now sell your data.\n"), nil, 1), 0o644); err != nil {
		t.Fatal(err)
	}
	if r.run(check, repo) || !strings.Contains(r.stderr, "content/privacy/2026-12-28.md:1: material change without a summary") {
		t.Errorf("check step passed a material change without a summary:\nstdout: %s\nstderr: %s", r.stdout, r.stderr)
	}
	if !r.run(review, repo) {
		t.Fatalf("review step failed:\n%s", r.stderr)
	}
	comment, _ = os.ReadFile(filepath.Join(r.temp, "review.md"))
	if !strings.Contains(string(comment), "- **redline check:** `content/privacy/2026-12-28.md:1: material change without a summary") {
		t.Errorf("the comment does not show the gate's finding:\n%s", comment)
	}
}

// TestPublishWorkflow runs the publish workflow's build step in a copy of
// the repository and checks that the folder its Pages upload names holds
// the site.
func TestPublishWorkflow(t *testing.T) {
	t.Parallel()
	w := readWorkflows(t)["publish.yml"]
	var build, upload step
	for _, s := range w.Jobs["build"].Steps {
		switch {
		case s.Run != "":
			build = s
		case strings.HasPrefix(s.Uses, "actions/upload-pages-artifact@"):
			upload = s
		}
	}
	if build.Run == "" || upload.With["path"] == "" {
		t.Fatalf("publish.yml: no build step, or no upload-pages-artifact step with a path")
	}
	repo := t.TempDir()
	for _, name := range []string{"Makefile", "go.mod", "go.sum", "cmd", "internal", "content", "templates", "dist/README.md", "dist/.gitignore"} {
		copyPath(t, filepath.Join("../..", name), filepath.Join(repo, name))
	}
	r := newRunner(t, nil)
	if !r.run(build, repo) {
		t.Fatalf("build step failed:\n%s%s", r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "built ") {
		t.Errorf("build step printed no summary:\n%s", r.stdout)
	}
	for _, f := range []string{"index.html", "privacy/index.html", "changes.json", "feed.xml"} {
		if _, err := os.Stat(filepath.Join(repo, upload.With["path"], f)); err != nil {
			t.Errorf("the Pages upload (%s) lacks %s: %v", upload.With["path"], f, err)
		}
	}
}

// copyPath copies a file or a folder, leaving out tests and their data
// (the build needs neither) and keeping symbolic links as links.
func copyPath(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch {
		case d.IsDir() && d.Name() == "testdata":
			return filepath.SkipDir
		case strings.HasSuffix(path, "_test.go"):
			return nil
		}
		rel, _ := filepath.Rel(from, path)
		dst := filepath.Join(to, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(dst, 0o755)
		case d.Type()&os.ModeSymlink != 0:
			link, err := os.Readlink(path)
			if err == nil {
				err = os.Symlink(link, dst)
			}
			return err
		}
		b, err := os.ReadFile(path)
		if err == nil {
			if err = os.MkdirAll(filepath.Dir(dst), 0o755); err == nil {
				err = os.WriteFile(dst, b, 0o644)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
