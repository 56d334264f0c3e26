package notify

import (
	"fmt"
	"testing"
)

// The set finds every duplicate, with the line it was first seen on,
// across batches, commits and the filter's false positives.
func TestSeenSetMatchesMap(t *testing.T) {
	s, err := newSeenSet()
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	s.bloom = s.bloom[:256] // a small filter: more and more lookups are false positives
	want := map[addrHash]int{}
	dups := 0
	for line := 1; line <= 3*seenCommitEvery; line++ {
		// Every third row repeats an address from far or near before.
		n := line
		if line%3 == 0 {
			n = line / 2
		}
		h := hashAddress(fmt.Sprintf("user%d@example.com", n))
		first, dup, err := s.add(h, line)
		if err != nil {
			t.Fatal(err)
		}
		w, seen := want[h]
		if !seen {
			want[h], w = line, line
		} else {
			dups++
		}
		if first != w || dup != seen {
			t.Fatalf("line %d: first %d dup %v, want %d %v", line, first, dup, w, seen)
		}
	}
	if dups == 0 {
		t.Fatal("no duplicates exercised")
	}
}
