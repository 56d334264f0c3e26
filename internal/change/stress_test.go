package change_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/getspectr/redline/internal/change"
)

// TestPathologicalInputs guards against super-linear corners: each input
// once took tens of seconds. The limit is generous, for loaded machines;
// a regression shows as orders of magnitude, not percent.
func TestPathologicalInputs(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	seq := func(format string, n int) string {
		var sb strings.Builder
		for i := 0; i < n; i++ {
			fmt.Fprintf(&sb, format, i, i%97)
		}
		return sb.String()
	}
	lines := strings.Split(seq("Paragraph %d says we keep logs for %d days.\n\n", 8000), "\n\n")
	reversed := make([]string, len(lines))
	for i, l := range lines {
		reversed[len(lines)-1-i] = l
	}
	tests := []struct{ name, a, b string }{
		{"thousands of names replaced in one block", "Z " + seq("Aname%d%d ", 5000), "Z " + seq("Bname%d%d ", 5000)},
		{"one huge paragraph", seq("We will share data number %d with Party%d. ", 20000), seq("We will not share data number %d with Party%d. ", 20000)},
		{"reversed document", strings.Join(lines, "\n\n"), strings.Join(reversed, "\n\n")},
		{"addresses", strings.Repeat("1 A Street 2 B Avenue ", 20000), strings.Repeat("3 C Road ", 20000)},
		{"repeated list items", strings.Repeat("- Acme processes data.\n", 20000), strings.Repeat("- Acme processes data.\n- Beta too.\n", 10000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old, new := blocks(t, tt.a), blocks(t, tt.b)
			start := time.Now()
			c := change.Compare(old, new)
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
			checkRoundTrip(t, c)
			checkAccounting(t, c)
		})
	}
}
