package change_test

import (
	"io"
	"testing"

	"github.com/getspectr/redline/internal/change"
)

// FuzzCompare renders two Markdown texts and compares them: Compare must
// not panic, every block change must round-trip, the sections must hold
// every block once, and the formatters must not fail. Interesting inputs
// are committed under testdata/fuzz/FuzzCompare.
func FuzzCompare(f *testing.F) {
	f.Add(policy, policy)
	f.Add("We will not sell your data.", "We will sell your data.")
	f.Add("- Stripe\n- Postmark\n", "- Postmark\n- Stripe\n- Datadog\n")
	f.Add("# A\n\ntext\n\n# B\n\nmore", "# B\n\nmore\n\n# A\n\ntext changed")
	f.Add("Last updated: May 1, 2024", "Last updated: {{ page.date }}")
	f.Add("See [our page](https://x.example/a) and 30 North Street, Suite 2.", "See [our page ](b c.pdf) and 2045 W Grand Ave.")
	f.Add("don&rsquo;t \u00a0 e\u0301 \xff", "don’t  é \xfe")
	f.Add("| a | b |\n|---|---|\n| 1 | 2 |\n", "| a | b |\n|---|---|\n| 1 | 3 |\n")
	f.Add("## Cookies\n{: #c }\n\nWeâ€™re here. Write to a@b.com.", "## Cookies\n\nWe’re here (for example, AES-256). Write to c@d.io.")
	f.Add("See Section B(4) and D.7; thirty (30) days in Canada.", "See Section B(5) and D.1; 30 days in the United States.")
	f.Fuzz(func(t *testing.T, a, b string) {
		c := change.Compare(blocks(t, a), blocks(t, b))
		checkRoundTrip(t, c)
		checkAccounting(t, c)
		v := change.ApplyOverride(c, "no", "fuzz")
		for _, w := range []func(io.Writer, *change.Change, change.Verdict) error{
			change.WriteJSON, change.WriteMarkdown,
			func(w io.Writer, c *change.Change, v change.Verdict) error { return change.WriteText(w, c, v, true) },
		} {
			if err := w(io.Discard, c, v); err != nil {
				t.Fatal(err)
			}
		}
	})
}
