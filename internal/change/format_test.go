package change_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/getspectr/redline/internal/change"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// fixture compares testdata/old.md with testdata/new.md.
func fixture(t *testing.T) *change.Change {
	t.Helper()
	return change.Compare(blocksOf(t, filepath.Join("testdata", "old.md")), blocksOf(t, filepath.Join("testdata", "new.md")))
}

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run go test -update and review the diff\n--- got:\n%s", path, got)
	}
}

func TestFormats(t *testing.T) {
	c := fixture(t)
	tests := []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"fixture.txt", func(b *bytes.Buffer) error { return change.WriteText(b, c, change.ApplyOverride(c, "", ""), false) }},
		{"fixture.color.txt", func(b *bytes.Buffer) error { return change.WriteText(b, c, change.ApplyOverride(c, "", ""), true) }},
		{"fixture.md", func(b *bytes.Buffer) error { return change.WriteMarkdown(b, c, change.ApplyOverride(c, "", "")) }},
		{"fixture.json", func(b *bytes.Buffer) error { return change.WriteJSON(b, c, change.ApplyOverride(c, "", "")) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.write(&b); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name, b.Bytes())
		})
	}
}
