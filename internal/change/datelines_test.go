package change

import "testing"

// TestDateLines: the lines that say when a policy changed, in their many
// forms, and lines that only look like them.
func TestDateLines(t *testing.T) {
	for _, tt := range []struct {
		text string
		want bool
	}{
		{"Last updated: March 27, 2026", true},
		{"Effective date: 27 March 2026", true},
		{"Effective as of 2026-03-27.", true},
		{"Version 3", true},
		{"Version 3.1, 1 May 2024", true},
		{"March 27, 2026", true},
		{"27/03/2026", true},
		{"This policy applies from 1 May 2024.", true},
		{"We have updated this policy. Please review it.", true},
		{"See the previous version of this policy.", true},
		{"We have updated this policy: we now sell your data to advertisers.", false},
		{"We have updated our policy and will not notify you of changes.", false},
		{"We keep your data for 30 days.", false},
		{"Version 3 of the platform stores backups for 90 days in the EU.", false},
	} {
		if got := isDateLine(tt.text); got != tt.want {
			t.Errorf("isDateLine(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

// TestEntitySuffixNotRename: changing the legal form of the contracting
// entity is a change of entity, never a rename of part of a name.
func TestEntitySuffixNotRename(t *testing.T) {
	ws := []word{{text: "Ltd", lower: "ltd"}}
	markInName(ws, "Acme ", "")
	if ws[0].inName {
		t.Error(`"Inc" → "Ltd" after "Acme" marked as part of a name`)
	}
	ws = []word{{text: "Enterprise", lower: "enterprise"}}
	markInName(ws, "GitHub ", " Cloud")
	if !ws[0].inName {
		t.Error(`"Business" → "Enterprise" in "GitHub … Cloud" not marked as part of a name`)
	}
}
