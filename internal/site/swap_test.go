//go:build linux

package site

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getspectr/redline/internal/content"
)

// buildOnce loads testdata/content and builds it into out.
func buildOnce(t *testing.T, out string) {
	t.Helper()
	s, probs := content.Load("testdata/content")
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	m, probs := Analyze(s, time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC))
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	tpl, err := LoadTemplates("../../templates")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Build(context.Background(), m, tpl, out); err != nil {
		t.Fatal(err)
	}
}

// TestSwapNeverMissing rebuilds while a reader polls the output folder: the
// reader must find it every time (issue 7 saw it missing 31 times in 40
// rebuilds with two renames).
func TestSwapNeverMissing(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "dist")
	buildOnce(t, out)
	a, b := filepath.Join(parent, "a"), filepath.Join(parent, "b")
	if err := errors.Join(os.Mkdir(a, 0o755), os.Mkdir(b, 0o755), exchange(a, b), os.Remove(a), os.Remove(b)); err != nil {
		t.Fatalf("this filesystem cannot exchange two folders atomically (%v): the build would fall back to two renames", err)
	}
	const rebuilds = 20
	var polls, missing, noIndex atomic.Int64
	started, stop, stopped := make(chan struct{}), make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		for first := true; ; first = false {
			if _, err := os.Stat(out); err != nil {
				missing.Add(1)
			} else if _, err := os.Stat(filepath.Join(out, "index.html")); err != nil {
				noIndex.Add(1)
			}
			polls.Add(1)
			if first {
				close(started)
			}
			select {
			case <-stop:
				return
			default:
			}
		}
	}()
	<-started
	for range rebuilds {
		buildOnce(t, out)
	}
	close(stop)
	<-stopped
	t.Logf("%d rebuilds, %d polls: out missing %d times, without index.html %d times", rebuilds, polls.Load(), missing.Load(), noIndex.Load())
	if missing.Load() > 0 || noIndex.Load() > 0 {
		t.Errorf("a reader saw out missing %d times and without its index %d times in %d polls", missing.Load(), noIndex.Load(), polls.Load())
	}
	entries, _ := os.ReadDir(parent)
	if len(entries) != 1 {
		t.Errorf("builds left folders beside out: %v", entries)
	}
}

// TestBuildRemovesLeftovers: a build removes the staging folders of killed
// builds (name pattern, Marker or only the kept files, lock free) and
// nothing else.
func TestBuildRemovesLeftovers(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "dist")
	buildOnce(t, out)
	mk := func(name string, files ...string) string {
		dir := filepath.Join(parent, name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if err := os.WriteFile(filepath.Join(dir, f), []byte("x"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	gone := []string{
		mk(".dist.new-111", Marker, "index.html"),      // killed while writing, or after the exchange
		mk(".dist.new-222.old", Marker, "feed.xml"),    // killed between the fallback's two renames
		mk(".dist.new-333", "README.md", ".gitignore"), // the never-built dist/ swapped out
		mk(".dist.new-444", Marker, "notes.txt"),       // a Marker: the whole folder is a build's
		mk(".dist.new-777"),                            // killed between mkdir and Marker
	}
	live := mk(".dist.new-555", Marker)
	unlock, err := lockDir(live)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	kept := []string{
		live,                            // a build still running holds its lock
		mk(".dist.new-666", "mine.txt"), // no Marker: not a build's
		mk(".site.new-888", Marker),     // another output folder's
		mk("dist.new-999", Marker),      // not the pattern
	}
	link := filepath.Join(parent, ".dist.new-link")
	if err := os.Symlink(out, link); err != nil {
		t.Fatal(err)
	}
	kept = append(kept, link)
	buildOnce(t, out)
	for _, dir := range gone {
		if _, err := os.Lstat(dir); err == nil {
			t.Errorf("%s is still there", filepath.Base(dir))
		}
	}
	for _, dir := range kept {
		if _, err := os.Lstat(dir); err != nil {
			t.Errorf("%s was removed: %v", filepath.Base(dir), err)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "index.html")); err != nil {
		t.Errorf("out lost its site: %v", err)
	}
}

// TestKilledBuild kills a process that rebuilds in a loop, at whatever
// point of a build it has reached after a few complete ones: out is whole,
// and the next build leaves nothing beside it.
func TestKilledBuild(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "dist")
	cmd := exec.Command(os.Args[0], "-test.run=^TestBuildLoop$")
	cmd.Env = append(os.Environ(), "REDLINE_BUILD_LOOP="+out)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	for range 3 {
		if !lines.Scan() {
			t.Fatalf("the build loop stopped: %v", lines.Err())
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	for _, f := range []string{"index.html", Marker, "privacy/index.html"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("after the kill: %v", err)
		}
	}
	buildOnce(t, out)
	if entries, _ := os.ReadDir(parent); len(entries) != 1 {
		t.Errorf("the next build left folders beside out: %v", entries)
	}
}

// TestBuildLoop is TestKilledBuild's child process: it builds into
// $REDLINE_BUILD_LOOP until killed, printing a line after each build.
func TestBuildLoop(t *testing.T) {
	out := os.Getenv("REDLINE_BUILD_LOOP")
	if out == "" {
		return // only ever run as TestKilledBuild's child
	}
	for {
		buildOnce(t, out)
		fmt.Println("built")
	}
}
