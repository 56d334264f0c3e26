package change_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/getspectr/redline/internal/change"
)

// pathological are inputs that each once took tens of seconds: super-linear
// corners of alignment and word diff. Each is built at a scale n (1 is the
// full size).
var pathological = []struct {
	name string
	make func(n int) (a, b string)
}{
	{"thousands of names replaced in one block", func(n int) (string, string) {
		return "Z " + seq("Aname%d%d ", 5000*n/2), "Z " + seq("Bname%d%d ", 5000*n/2)
	}},
	{"one huge paragraph", func(n int) (string, string) {
		return seq("We will share data number %d with Party%d. ", 20000*n/2), seq("We will not share data number %d with Party%d. ", 20000*n/2)
	}},
	{"reversed document", func(n int) (string, string) {
		lines := strings.Split(seq("Paragraph %d says we keep logs for %d days.\n\n", 8000*n/2), "\n\n")
		reversed := make([]string, len(lines))
		for i, l := range lines {
			reversed[len(lines)-1-i] = l
		}
		return strings.Join(lines, "\n\n"), strings.Join(reversed, "\n\n")
	}},
	{"addresses", func(n int) (string, string) {
		return strings.Repeat("1 A Street 2 B Avenue ", 20000*n/2), strings.Repeat("3 C Road ", 20000*n/2)
	}},
	{"repeated list items", func(n int) (string, string) {
		return strings.Repeat("- Acme processes data.\n", 20000*n/2), strings.Repeat("- Acme processes data.\n- Beta too.\n", 10000*n/2)
	}},
}

func seq(format string, n int) string {
	var sb strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, format, i, i%97)
	}
	return sb.String()
}

// TestPathologicalInputs checks each pathological input at half and full
// size: the result is a valid change, and the memory Compare allocates
// grows about linearly with the input (a quadratic corner would quadruple
// it). It counts bytes, not seconds, so a busy machine cannot fail it;
// BenchmarkPathologicalInputs gives the times.
func TestPathologicalInputs(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	for _, tt := range pathological {
		t.Run(tt.name, func(t *testing.T) {
			var alloc [2]uint64
			for i, n := range []int{1, 2} {
				a, b := tt.make(n)
				old, new := blocks(t, a), blocks(t, b)
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				c := change.Compare(old, new)
				runtime.ReadMemStats(&after)
				alloc[i] = after.TotalAlloc - before.TotalAlloc
				checkRoundTrip(t, c)
				checkAccounting(t, c)
			}
			if growth := float64(alloc[1]) / float64(alloc[0]); growth > 3 {
				t.Errorf("doubling the input multiplied the memory allocated by %.1f (%d → %d bytes), want about 2", growth, alloc[0], alloc[1])
			}
		})
	}
}

// BenchmarkPathologicalInputs times Compare on each pathological input at
// full size.
func BenchmarkPathologicalInputs(b *testing.B) {
	for _, tt := range pathological {
		a, bb := tt.make(2)
		old, new := blocks(b, a), blocks(b, bb)
		b.Run(tt.name, func(b *testing.B) {
			b.SetBytes(int64(len(a) + len(bb)))
			b.ReportAllocs()
			for b.Loop() {
				change.Compare(old, new)
			}
		})
	}
}
