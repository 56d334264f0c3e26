package change

import (
	"testing"

	"github.com/getspectr/redline/internal/render"
)

// TestNameScanFiltered checks that the name index, which reads unchanged
// text only for the keys of the changed blocks' capitalised words, tells
// names from ordinary words as a scan of every word does, for the words
// of the changed blocks and for any other word asked about afterwards.
func TestNameScanFiltered(t *testing.T) {
	para := func(s string) render.Block { return render.Block{Kind: render.KindParagraph, Text: s} }
	unchanged := []render.Block{
		para("Stripe processes payments. We share data with stripe-like vendors and the Cloud team."),
		para("Our Café partner, café owners and the Über app; naïve users ask Acme’s staff."),
		para("We use Mailchimp: mailchimp sends e-mail. Support is run by Help Scout in Ireland."),
		para("The Company's Security Team reviews logs. Security matters to us; teams review them."),
		para("Datadog (monitoring), Sentry, AWS and the U.S. office; 37signals and GitHub."),
	}
	changed := [][2]string{
		{"We send mail through Postmark.", "We send mail through Mailchimp and Stripe."},
		{"Acme's Security Team and Café staff.", "Help Scout, Über and the Cloud team review it."},
		{"Ireland hosts Datadog.", "The U.S. office hosts Sentry and Datadog."},
	}
	old, new := append([]render.Block(nil), unchanged...), append([]render.Block(nil), unchanged...)
	var es []entry
	for i := range unchanged {
		es = append(es, entry{old: i, new: i, op: OpEqual})
	}
	for _, c := range changed {
		es = append(es, entry{old: len(old), new: len(new), op: OpModify})
		old, new = append(old, para(c[0])), append(new, para(c[1]))
	}
	var asks, later []string
	for _, b := range append(old[len(unchanged):], new[len(unchanged):]...) {
		asks = append(asks, tokenize(b.Text)...)
	}
	for _, b := range unchanged {
		later = append(later, tokenize(b.Text)...)
	}
	full := newNameIndex(old, new, es)
	full.scan()
	full.scanAll()
	filtered := newNameIndex(old, new, es)
	check := func(words []string) {
		t.Helper()
		for _, w := range words {
			if !isWord(w) {
				continue
			}
			for _, start := range []bool{false, true} {
				if got, want := filtered.isName(w, start, false), full.isName(w, start, false); got != want {
					t.Errorf("isName(%q, start %v) = %v with the filtered scan, %v with a full one", w, start, got, want)
				}
			}
		}
	}
	check(asks)
	if filtered.asked == nil {
		t.Fatalf("the words of the changed blocks made the index read every word")
	}
	check(later) // "Company's" is only in unchanged text
	if filtered.asked != nil {
		t.Errorf("a word outside the changed blocks did not make the index read every word")
	}
}
