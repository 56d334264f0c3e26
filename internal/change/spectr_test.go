package change_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getspectr/redline/internal/change"
)

// TestSpectrEdits compares hand-written edits of Spectr's privacy policy
// (testdata/spectr/NN-name/old.md → new.md) with the level written by
// hand in want.txt ("level: …") and the reasons recorded below it (the
// reasons are rewritten with -update; the level and note never are).
func TestSpectrEdits(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("testdata", "spectr", "*"))
	if err != nil || len(dirs) < 40 {
		t.Fatalf("want at least 40 edits under testdata/spectr, found %d (%v)", len(dirs), err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			wantPath := filepath.Join(dir, "want.txt")
			raw, err := os.ReadFile(wantPath)
			if err != nil {
				t.Fatal(err)
			}
			head, recorded, _ := strings.Cut(string(raw), "reasons:\n")
			var level change.Level
			found := false
			for _, line := range strings.Split(head, "\n") {
				if v, ok := strings.CutPrefix(line, "level: "); ok {
					if level, err = change.ParseLevel(v); err != nil {
						t.Fatalf("%s: %v", wantPath, err)
					}
					found = true
				}
			}
			if !found {
				t.Fatalf("%s: no \"level: …\" line", wantPath)
			}
			c := change.Compare(blocksOf(t, filepath.Join(dir, "old.md")), blocksOf(t, filepath.Join(dir, "new.md")))
			got := spectrReasons(c)
			if c.Level != level {
				t.Errorf("level %s, want %s; reasons:\n%s", c.Level, level, got)
			}
			if *update {
				if err := os.WriteFile(wantPath, []byte(strings.TrimRight(head, "\n")+"\nreasons:\n"+got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if got != recorded {
				t.Errorf("reasons differ from %s (run go test -update and review the diff)\n--- got:\n%s--- want:\n%s", wantPath, got, recorded)
			}
		})
	}
}

// spectrReasons renders reasons one a line, as a lawyer reads them.
func spectrReasons(c *change.Change) string {
	var sb strings.Builder
	for _, r := range c.Reasons {
		fmt.Fprintf(&sb, "%s %s", r.Level, r.Category)
		if r.Section != "" {
			fmt.Fprintf(&sb, " in %q", r.Section)
		}
		fmt.Fprintf(&sb, ": %s\n", r.Why)
		if q := r.Marked(); q != "" {
			fmt.Fprintf(&sb, "    %s\n", q)
		}
	}
	return sb.String()
}
