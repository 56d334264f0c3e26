package notify_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/url"
	"strings"
	"testing"

	"github.com/getspectr/redline/internal/notify"
)

// TestSendMailpit is the main path: screen a list, send over four
// connections, check what Mailpit received, resume as a no-op, export evidence.
func TestSendMailpit(t *testing.T) {
	forEachLedger(t, func(t *testing.T, open func() notify.Ledger) {
		mp := startMailpit(t)
		l := open()
		ctx := context.Background()
		c := testCampaign(t)
		if err := l.Suppress(ctx, "Unsubscribed@Example.com", "test"); err != nil {
			t.Fatal(err)
		}
		var csvText strings.Builder
		csvText.WriteString(recipientsCSV(40))
		csvText.WriteString("USER00001@example.com,Dup,\n")              // duplicate, other case
		csvText.WriteString("not-an-address,Bad,\n")                     // invalid
		csvText.WriteString("\"Eve <eve@example.com>\",Eve,\n")          // display name trick
		csvText.WriteString("late@example.com,Late,2026-03-28\n")        // signed up after publication
		csvText.WriteString("unsubscribed@example.com,Gone,\n")          // suppressed in the ledger
		csvText.WriteString("blocked@example.com,Blocked,\n")            // suppressed by file
		csvText.WriteString("sameday@example.com,Same Day,2026-03-27\n") // signed up on publication day: told

		var progress []int
		opts := sendOptions(c, l, csvText.String(), mp.SMTPURL())
		opts.Suppress = strings.NewReader("# suppress list\nblocked@example.com\n")
		opts.Progress = func(done, total int) {
			if total != 41 {
				t.Errorf("progress total = %d, want 41", total)
			}
			progress = append(progress, done)
		}
		sum, err := notify.Run(ctx, opts)
		if err != nil {
			t.Fatalf("Run: %v\n%s", err, sum)
		}
		if sum.Sent != 41 || sum.Failed != 0 || sum.Unreached() != 0 || sum.Rows != 47 {
			t.Fatalf("summary:\n%s", sum)
		}
		wantSkips := map[notify.SkipReason]int{
			notify.SkipDuplicate: 1, notify.SkipInvalid: 2, notify.SkipSignedUpAfter: 1, notify.SkipSuppressed: 2,
		}
		for r, n := range wantSkips {
			if sum.Skipped[r] != n {
				t.Errorf("skipped %s = %d, want %d (%v)", r, sum.Skipped[r], n, sum.Skips)
			}
		}
		if len(progress) != 41 || progress[40] != 41 {
			t.Errorf("progress calls = %v", progress)
		}

		msgs := mp.Messages(t)
		if len(msgs) != 41 {
			t.Fatalf("mailpit has %d messages, want 41", len(msgs))
		}
		seen := map[string]bool{}
		for _, m := range msgs {
			if len(m.To) != 1 {
				t.Fatalf("message %s has %d recipients", m.ID, len(m.To))
			}
			seen[strings.ToLower(m.To[0].Address)] = true
		}
		if len(seen) != 41 || !seen["sameday@example.com"] || seen["late@example.com"] || seen["blocked@example.com"] {
			t.Fatalf("recipients: %d distinct; %v", len(seen), seen)
		}
		for _, m := range msgs {
			if m.To[0].Address == csvEmail(0) { // signed up long ago: told about both versions
				checkMessage(t, mp, m.ID)
			}
		}

		st := mustStatus(t, l, c.ID)
		if st.Counts[notify.StateSent] != 41 || st.Counts[notify.StateSkipped] != 3 || st.Completed.IsZero() {
			t.Fatalf("status: %+v", st)
		}
		if v, ok, _ := l.Announced(ctx, "privacy"); !ok || v != c.Version {
			t.Fatalf("announcement = %q, %v", v, ok)
		}
		// The next run, with no --since, is the same campaign again: it
		// tells whoever it has not reached yet.
		if cs, err := notify.Plan(ctx, l, []notify.History{testHistory()}, day("2026-04-01"), nil); err != nil || len(cs) != 1 || cs[0].ID != c.ID {
			t.Fatalf("Plan after completion: %v, %v", cs, err)
		}

		// A second run of the same campaign sends nothing.
		opts.Recipients = strings.NewReader(csvText.String())
		opts.Suppress = strings.NewReader("blocked@example.com\n")
		opts.Progress = nil
		sum, err = notify.Run(ctx, opts)
		if err != nil || sum.Sent != 0 || sum.AlreadySent != 41 {
			t.Fatalf("second run: %v\n%s", err, sum)
		}
		if n := mp.Count(t); n != 41 {
			t.Fatalf("mailpit has %d messages after the second run", n)
		}
		checkEvidence(t, l, c)
	})
}

// checkMessage checks one received message through the Mailpit API.
func checkMessage(t *testing.T, mp *mailpit, id string) {
	t.Helper()
	m := mp.Message(t, id)
	h := mp.Headers(t, id)
	to := strings.ToLower(m.To[0].Address)
	if m.From.Address != "legal@spectr.test" || m.From.Name != "Spectr Legal" {
		t.Errorf("From = %+v", m.From)
	}
	if len(m.ReplyTo) != 1 || m.ReplyTo[0].Address != "privacy@spectr.test" {
		t.Errorf("Reply-To = %+v", m.ReplyTo)
	}
	if !strings.HasSuffix(m.MessageID, "@legal.spectr.test") || len(m.MessageID) != 32+len("@legal.spectr.test") {
		t.Errorf("Message-ID = %q", m.MessageID)
	}
	if m.Subject != "Changes to our Privacy Policy, effective April 27, 2026" {
		t.Errorf("Subject = %q", m.Subject)
	}
	lu := m.ListUnsubscribe
	if lu.Errors != "" || len(lu.Links) != 2 || lu.HeaderPost != "List-Unsubscribe=One-Click" {
		t.Fatalf("List-Unsubscribe as Mailpit parses it: %+v", lu)
	}
	u, err := url.Parse(lu.Links[0])
	if err != nil || u.Scheme != "https" || u.Host != "legal.spectr.test" {
		t.Fatalf("one-click link %q", lu.Links[0])
	}
	if email, err := notify.VerifyToken(testKey, u.Query().Get("t")); err != nil || strings.ToLower(email) != to {
		t.Errorf("token in List-Unsubscribe: %q, %v; want %s", email, err, to)
	}
	if lu.Links[1] != "mailto:unsubscribe@spectr.test?subject=unsubscribe" {
		t.Errorf("mailto link %q", lu.Links[1])
	}
	if got := h["Auto-Submitted"]; len(got) != 1 || got[0] != "auto-generated" {
		t.Errorf("Auto-Submitted = %v", got)
	}
	for _, want := range []string{
		"We now share usage data with our analytics processor.",
		"sharing and processors",
		"April 27, 2026",
		"https://legal.spectr.test/privacy/2025-01-10/to/2026-03-27/",
		"https://legal.spectr.test/privacy/2026-03-27/",
		lu.Links[0],
	} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("text body lacks %q:\n%s", want, m.Text)
		}
		if !strings.Contains(m.HTML, strings.ReplaceAll(want, "&", "&amp;")) {
			t.Errorf("HTML body lacks %q", want)
		}
	}
}

func checkEvidence(t *testing.T, l notify.Ledger, c notify.Campaign) {
	t.Helper()
	var buf bytes.Buffer
	if err := notify.ExportEvidence(context.Background(), l, c.ID, &buf); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+44+3 { // 44 recipients, then the 3 rows that named nobody, once though read twice
		t.Fatalf("evidence has %d rows", len(rows))
	}
	// Issue 9 point 11: the invalid and duplicate rows are there, skipped,
	// with file:line and the reason.
	for i, want := range []string{"users.csv:42: duplicate (first on line 3)", "users.csv:43: invalid address (", "users.csv:44: invalid address ("} {
		if r := rows[1+44+i]; r[4] != "skipped" || !strings.HasPrefix(r[5], want) || r[9] == "" {
			t.Errorf("rejected row %d: %q, want reason %q", i, r, want)
		}
	}
	head := strings.Join(rows[0], ",")
	if !strings.HasPrefix(head, "campaign,recipient,version_hash,message_id,state") {
		t.Fatalf("evidence header %q", head)
	}
	sent := 0
	for _, r := range rows[1:] {
		if r[4] != "sent" {
			continue
		}
		sent++
		if r[2] != c.Hash || !strings.HasPrefix(r[3], "<") || r[8] == "" || !strings.Contains(r[10], "250") {
			t.Fatalf("evidence row %v", r)
		}
	}
	if sent != 41 {
		t.Fatalf("evidence: %d sent rows", sent)
	}
}
