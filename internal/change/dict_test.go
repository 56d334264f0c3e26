package change

import "testing"

// TestDict: the embedded word list loads, and tells typos from real words.
func TestDict(t *testing.T) {
	for _, w := range []string{"data", "date", "processors", "keeping", "thirty", "policy"} {
		if !isDictWord(w) {
			t.Errorf("%q is not in the word list", w)
		}
	}
	for _, w := range []string{"recieve", "automaticaly", "customeres"} {
		if isDictWord(w) {
			t.Errorf("%q is in the word list", w)
		}
	}
	for _, tt := range []struct {
		a, b string
		typo bool
	}{
		{"recieve", "receive", true}, {"automaticaly", "automatically", true}, {"cancelled", "canceled", true},
		{"organise", "organize", true}, {"data", "date", false}, {"processors", "professors", false},
	} {
		if got := closeSpelling(tt.a, tt.b); got != tt.typo {
			t.Errorf("closeSpelling(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.typo)
		}
	}
}
