package change_test

import (
	"strings"
	"testing"

	"github.com/getspectr/redline/internal/change"
	"github.com/getspectr/redline/internal/render"
)

// render turns Markdown into blocks.
func blocks(t testing.TB, md string) []render.Block {
	t.Helper()
	d, err := render.New(render.Options{}).Render(render.Input{Body: []byte(md)})
	if err != nil {
		t.Fatal(err)
	}
	return d.Blocks
}

// policy is a small policy that each case edits.
const policy = `# Privacy policy

*Last updated: March 1, 2025*

We care about your privacy. This policy explains what we collect and why.

## What we collect

When you sign up, we ask for your name and email address. We use them to run your account.

We will not sell your personal information to anyone.

## Processors we use

We share data with these processors, which are described on their websites:

- Stripe processes payments.
- Postmark sends our email.

## Retention

We keep server logs for 30 days. You may ask us to delete your account at any time.

## Security

All data is encrypted in transit. Our staff receive security training every year.
`

func TestClassification(t *testing.T) {
	tests := []struct {
		name     string
		old, new string // replaced in policy; old "" appends new at the end
		want     change.Level
		why      string // substring of the top reason
	}{
		{"whitespace", "We care about your privacy.", "We care about  your privacy.", change.Editorial, ""},
		{"punctuation", "what we collect and why", "what we collect, and why", change.Editorial, "punctuation"},
		{"quotes", "This policy explains", "This policy ‘explains’", change.Editorial, ""},
		{"case", "We care about your privacy.", "We care about your Privacy.", change.Editorial, "case"},
		{"markdown only", "We care about your privacy.", "We care about *your* **privacy**.", change.Editorial, "no change"},
		{"link only", "described on their websites", "described on [their websites](https://example.com)", change.Editorial, "no change"},
		{"last-updated line", "March 1, 2025", "June 30, 2026", change.Editorial, "last-updated"},
		{"effective date line", "*Last updated: March 1, 2025*", "Effective as of June 30, 2026.", change.Editorial, "last-updated"},
		{"typo", "receive security training", "recieve security training", change.Editorial, "typo"},
		{"negation flip", "We will not sell", "We will sell", change.Material, "negation"},
		{"negation contracted", "We will not sell", "We won’t sell", change.Editorial, ""},
		{"modality may to must", "You may ask us to delete", "You must ask us to delete", change.Material, "modality"},
		{"number 30 to 60 days", "for 30 days", "for 60 days", change.Material, `"30 days" → "60 days"`},
		{"added processor", "- Postmark sends our email.\n", "- Postmark sends our email.\n- Datadog monitors our servers.\n", change.Material, `party added: "Datadog"`},
		{"removed processor", "- Stripe processes payments.\n", "", change.Material, `party removed: "Stripe"`},
		{"removed list item with obligation", "", "", change.Material, ""}, // set below
		{"added section", "", "\n## Children\n\nWe do not knowingly collect data from children under 13.\n", change.Material, ""},
		{"moved paragraph", "", "", change.Editorial, "moved"}, // set below
		{"reworded", "We care about your privacy.", "Your privacy matters a great deal to us.", change.Minor, "reworded"},
		{"aside added", "to run your account.", "to run your account. See our help page for how to change them.", change.Minor, ""},
		{"opposite word", "All data is encrypted in transit.", "All data is unencrypted in transit.", change.Material, "negation"},
		{"opposite not a typo", "Our staff receive security training every year.", "Our staff receive security training every year unless unlimited.", change.Material, ""},
		{"spelling variant", "We care about your privacy.", "We care about your privacy, and e-mail you rarely.", change.Minor, ""},
		{"hyphenation", "sign up", "sign-up", change.Editorial, "spelling"},
		{"scope only added", "We share data with these processors", "We share data only with these processors", change.Material, "scope"},
		{"purpose added", "to run your account.", "to run your account and for advertising.", change.Material, "purposes"},
		{"data category added", "your name and email address", "your name, email address and phone number", change.Material, "data collected"},
		{"pronoun for own name", "", "", change.Editorial, "pronoun"}, // set below
		{"address changed", "", "", change.Material, "address"},       // set below: where to write is a promise
		{"version bump", "", "", change.Minor, "version"},             // set below
		{"company renamed", "", "", change.Minor, "renamed"},          // set below
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old, new := policy, edit(t, policy, tt.old, tt.new)
			switch tt.name {
			case "removed list item with obligation":
				old = policy + "\n## Your rights\n\n- You can request a copy of your data.\n- We will delete your data within 30 days of a request.\n"
				new = policy + "\n## Your rights\n\n- You can request a copy of your data.\n"
			case "moved paragraph":
				new = strings.Replace(policy, "We will not sell your personal information to anyone.\n\n", "", 1) +
					"\nWe will not sell your personal information to anyone.\n"
			case "pronoun for own name":
				old = policy + "\nAcme may suspend accounts that abuse the service. Requests are answered by Acme within a week.\n"
				new = policy + "\nAcme may suspend accounts that abuse the service. Requests are answered by us within a week.\n"
			case "address changed":
				old = policy + "\n## Contact\n\nWrite to us at 30 North Racine Avenue, Suite 200, Chicago.\n"
				new = policy + "\n## Contact\n\nWrite to us at 2045 West Grand Avenue, Suite 53289, Chicago.\n"
			case "version bump":
				old = policy + "\nExport your data from Basecamp 3 or Basecamp 2.\n"
				new = policy + "\nExport your data from Basecamp 4 or Basecamp 2.\n"
			case "company renamed":
				old = "Acme Corp runs this site. Acme Corp is based in Paris. Write to Acme Corp at any time.\n"
				new = "Beta Labs runs this site. Beta Labs is based in Paris. Write to Beta Labs at any time.\n"
			}
			c := change.Compare(blocks(t, old), blocks(t, new))
			if c.Level != tt.want {
				t.Errorf("level %s, want %s; reasons:\n%s", c.Level, tt.want, reasonsText(c))
			}
			if tt.why != "" && !strings.Contains(c.Reasons[0].Why, tt.why) {
				t.Errorf("top reason %q, want it to mention %q; reasons:\n%s", c.Reasons[0].Why, tt.why, reasonsText(c))
			}
		})
	}
}

// edit replaces old by new in s, failing when old is not there; an empty
// old appends new.
func edit(t *testing.T, s, old, new string) string {
	t.Helper()
	if old == "" {
		return s + new
	}
	if !strings.Contains(s, old) {
		t.Fatalf("policy has no %q", old)
	}
	return strings.Replace(s, old, new, 1)
}

func reasonsText(c *change.Change) string {
	var sb strings.Builder
	for _, r := range c.Reasons {
		sb.WriteString("  " + r.Level.String() + " " + r.Category + " " + r.Why + " | " + r.Old + " → " + r.New + "\n")
	}
	return sb.String()
}

func TestReasonFields(t *testing.T) {
	c := change.Compare(blocks(t, policy), blocks(t, strings.Replace(policy, "for 30 days", "for 60 days", 1)))
	r := c.Reasons[0]
	want := change.Reason{Level: change.Material, Category: "retention", Section: "Retention", Anchor: "retention",
		Old: "We keep server logs for 30 days.", New: "We keep server logs for 60 days.", Why: `retention period: "30 days" → "60 days"`}
	marked := "We keep server logs for [-30-]{+60+} days."
	if r.Level != want.Level || r.Category != want.Category || r.Section != want.Section || r.Anchor != want.Anchor ||
		r.Old != want.Old || r.New != want.New || r.Why != want.Why || r.Marked() != marked {
		t.Errorf("reason\n got %+v (%s)\nwant %+v (%s)", r, r.Marked(), want, marked)
	}
	if len(c.Sections) == 0 || c.Sections[0].Title != "Retention" || c.Sections[0].Status != change.StatusChanged {
		t.Errorf("first section %+v, want the changed Retention section", c.Sections[0])
	}
	for _, s := range c.Sections[1:] {
		if s.Status != change.StatusUnchanged {
			t.Errorf("section %q is %s, want unchanged", s.Title, s.Status)
		}
	}
}

func TestSectionsAddedRemoved(t *testing.T) {
	old := policy + "\n## Cookies\n\nWe use no cookies.\n"
	new := policy + "\n## Children\n\nWe do not collect data from children.\n"
	c := change.Compare(blocks(t, old), blocks(t, new))
	status := map[string]string{}
	for _, s := range c.Sections {
		status[s.Title] = s.Status
	}
	if status["Cookies"] != change.StatusRemoved || status["Children"] != change.StatusAdded {
		t.Errorf("statuses %v, want Cookies removed and Children added", status)
	}
}

// checkRoundTrip fails when a block change's ops do not give back its old
// and new text.
func checkRoundTrip(t testing.TB, c *change.Change) {
	t.Helper()
	for _, s := range c.Sections {
		for _, b := range s.Blocks {
			var o, n strings.Builder
			for _, op := range b.Ops {
				switch op.Type {
				case change.OpEqual:
					o.WriteString(op.Text)
					n.WriteString(op.Text)
				case change.OpDelete:
					o.WriteString(op.Text)
				case change.OpInsert:
					n.WriteString(op.Text)
				default:
					t.Fatalf("op type %q", op.Type)
				}
			}
			if o.String() != b.Old || n.String() != b.New {
				t.Fatalf("ops of a %s block do not round-trip:\n old %q\n got %q\n new %q\n got %q", b.Op, b.Old, o.String(), b.New, n.String())
			}
		}
	}
}

func TestRoundTripCorpus(t *testing.T) {
	for _, name := range corpora {
		dir := corpusDir(t, name)
		for _, l := range readLabels(t, dir) {
			c := change.Compare(blocksOf(t, dir+"/"+l.doc+"/"+l.from+".md"), blocksOf(t, dir+"/"+l.doc+"/"+l.to+".md"))
			checkRoundTrip(t, c)
			checkAccounting(t, c)
		}
	}
}

// checkAccounting fails when the sections do not hold every block exactly
// once.
func checkAccounting(t testing.TB, c *change.Change) {
	t.Helper()
	old, new := 0, 0
	for _, s := range c.Sections {
		for _, b := range s.Blocks {
			if b.Op != change.OpInsert {
				old++
			}
			if b.Op != change.OpDelete {
				new++
			}
		}
	}
	if old != c.Stats.BlocksOld || new != c.Stats.BlocksNew {
		t.Fatalf("sections hold %d old and %d new blocks, stats say %d and %d", old, new, c.Stats.BlocksOld, c.Stats.BlocksNew)
	}
}

func TestDeterministic(t *testing.T) {
	dir := corpusDir(t, "basecamp")
	old, new := blocksOf(t, dir+"/privacy/075.md"), blocksOf(t, dir+"/privacy/080.md")
	var first strings.Builder
	if err := change.WriteJSON(&first, change.Compare(old, new), change.Verdict{}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		var again strings.Builder
		if err := change.WriteJSON(&again, change.Compare(old, new), change.Verdict{}); err != nil {
			t.Fatal(err)
		}
		if again.String() != first.String() {
			t.Fatal("two comparisons of the same versions differ")
		}
	}
}

func TestEmpty(t *testing.T) {
	for _, c := range []*change.Change{
		change.Compare(nil, nil),
		change.Compare(nil, blocks(t, policy)),
		change.Compare(blocks(t, policy), nil),
	} {
		checkRoundTrip(t, c)
		checkAccounting(t, c)
		if len(c.Reasons) == 0 {
			t.Error("no reasons")
		}
	}
}

// TestRedline: Redline gives Compare's redline without classifying.
func TestRedline(t *testing.T) {
	old := blocks(t, "# P\n\nWe keep data for 30 days.\n\n## Sharing\n\nWe never sell data.\n")
	new := blocks(t, "# P\n\nWe keep data for 60 days.\n\n## Sharing\n\nWe never sell data.\n\n## New\n\nText.\n")
	c, r := change.Compare(old, new), change.Redline(old, new)
	if len(r.Reasons) != 0 || r.Level != change.Editorial {
		t.Errorf("Redline classified: level %v, %d reasons", r.Level, len(r.Reasons))
	}
	if len(c.Sections) != len(r.Sections) || c.Stats != r.Stats {
		t.Fatalf("sections %d vs %d, stats %+v vs %+v", len(c.Sections), len(r.Sections), c.Stats, r.Stats)
	}
	for i := range c.Sections {
		a, b := c.Sections[i], r.Sections[i]
		if a.Title != b.Title || a.Status != b.Status || len(a.Blocks) != len(b.Blocks) {
			t.Errorf("section %d: %+v vs %+v", i, a, b)
		}
		for j := range a.Blocks {
			if a.Blocks[j].Op != b.Blocks[j].Op || len(a.Blocks[j].Ops) != len(b.Blocks[j].Ops) {
				t.Errorf("section %d block %d differs", i, j)
			}
		}
	}
}

// TestCategoryFromClause: with no cue in the edited words, the category
// comes from the clause around them, not from the whole paragraph.
func TestCategoryFromClause(t *testing.T) {
	c := change.Compare(
		blocks(t, "We will never sell your personal data to third parties, and we only collect the minimum data required.\n"),
		blocks(t, "We may sell your personal data to third parties, and we only collect the minimum data required.\n"))
	if len(c.Reasons) == 0 || c.Reasons[0].Category != "sharing" {
		t.Fatalf("reasons: %+v", c.Reasons)
	}
}
