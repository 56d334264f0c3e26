package notify_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getspectr/redline/internal/notify"
)

func TestLedgerLifecycle(t *testing.T) {
	forEachLedger(t, func(t *testing.T, open func() notify.Ledger) {
		ctx := context.Background()
		l := open()
		c := notify.CampaignRecord{ID: "privacy/v2@abc", Doc: "privacy", Version: "v2", Hash: "abcdef", Covers: []string{"v2", "v1b"}}
		for range 2 { // idempotent
			if _, err := l.OpenCampaign(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		pending := func(email string) notify.Entry {
			return notify.Entry{Email: email, Name: "N", State: notify.StatePending}
		}
		if err := l.Enqueue(ctx, c.ID, 1, []notify.Entry{pending("a@example.com"), pending("B@example.com"), pending("c@example.com"), pending("gone@example.com")}); err != nil {
			t.Fatal(err)
		}
		rows, err := l.Claim(ctx, c.ID, 0, 10)
		if err != nil || len(rows) != 4 || rows[0].VersionHash != "abcdef" {
			t.Fatalf("claim: %v %+v", err, rows)
		}
		a, b := rows[0], rows[1]
		must(t, l.Record(ctx, []notify.Update{
			{ID: a.ID, State: notify.StateSending, MessageID: "m1@x", Attempt: true},
			{ID: b.ID, State: notify.StateSending, MessageID: "m2@x", Attempt: true},
		}))
		must(t, l.Record(ctx, []notify.Update{{ID: a.ID, State: notify.StateSent, Reply: "250 ok"}}))
		if err := l.Record(ctx, []notify.Update{{ID: a.ID, State: notify.StateSent}, {ID: 9999, State: notify.StateSent}}); err == nil {
			t.Fatal("Record with an unknown id succeeded")
		}
		if d, _, _ := l.Lookup(ctx, c.ID, "A@EXAMPLE.COM"); d.Reply != "250 ok" {
			t.Fatalf("failed batch was partly applied: %+v", d)
		}

		// A second ingest run: b is now suppressed (in flight, so it becomes
		// skipped), a stays sent, gone@ left the list, d@ is new.
		if err := l.Enqueue(ctx, c.ID, 2, []notify.Entry{
			pending("a@example.com"),
			{Email: "b@example.com", State: notify.StateSkipped, Reason: "suppressed"},
			pending("c@example.com"),
			pending("d@example.com"),
		}); err != nil {
			t.Fatal(err)
		}
		if n, err := l.Retire(ctx, c.ID, 2); err != nil || n != 1 {
			t.Fatalf("retire: %d, %v", n, err)
		}
		st := mustStatus(t, l, c.ID)
		want := map[notify.State]int{notify.StateSent: 1, notify.StateSkipped: 2, notify.StatePending: 2}
		for s, n := range want {
			if st.Counts[s] != n {
				t.Fatalf("counts %v, want %v", st.Counts, want)
			}
		}
		d, ok, err := l.Lookup(ctx, c.ID, "Gone@Example.com")
		if err != nil || !ok || d.State != notify.StateSkipped || d.Reason != string(notify.SkipNotListed) {
			t.Fatalf("gone: %+v %v %v", d, ok, err)
		}
		if done, err := l.Complete(ctx, c.ID); err != nil || done {
			t.Fatalf("Complete with pending rows: %v %v", done, err)
		}
		rows, _ = l.Claim(ctx, c.ID, 0, 10)
		for _, r := range rows {
			must(t, l.Record(ctx, []notify.Update{{ID: r.ID, State: notify.StateSending, Attempt: true, Uncertain: true}}))
			must(t, l.Record(ctx, []notify.Update{{ID: r.ID, State: notify.StateFailed, Reason: "550 no"}}))
		}
		if n, err := l.Requeue(ctx, c.ID); err != nil || n != 2 {
			t.Fatalf("requeue: %d %v", n, err)
		}
		rows, _ = l.Claim(ctx, c.ID, 0, 10)
		for _, r := range rows {
			must(t, l.Record(ctx, []notify.Update{{ID: r.ID, State: notify.StateSent, Reply: "250 ok"}}))
		}
		if done, err := l.Complete(ctx, c.ID); err != nil || !done {
			t.Fatalf("Complete: %v %v", done, err)
		}
		if v, ok, _ := l.Announced(ctx, "privacy"); !ok || v != "v2" {
			t.Fatalf("announced %q %v", v, ok)
		}
		d, _, _ = l.Lookup(ctx, c.ID, "c@example.com")
		if d.Attempts != 0 || d.Uncertain != 1 || d.State != notify.StateSent || d.Sent.IsZero() {
			t.Fatalf("c after requeue: %+v", d)
		}

		// Everything survives reopening.
		l.Close()
		l2 := open()
		st = mustStatus(t, l2, c.ID)
		if st.Completed.IsZero() || st.Counts[notify.StateSent] != 3 || len(st.Covers) != 2 {
			t.Fatalf("after reopen: %+v", st)
		}
		all, err := l2.Campaigns(ctx)
		if err != nil || len(all) != 1 || all[0].ID != c.ID {
			t.Fatalf("campaigns: %v %+v", err, all)
		}
		if _, err := l2.Status(ctx, "nope"); !errors.Is(err, notify.ErrNoCampaign) {
			t.Fatalf("Status(unknown) = %v", err)
		}
	})
}

// The SQLite file holds addresses: its owner alone may read it.
func TestSQLiteLedgerFileMode(t *testing.T) {
	_, path := openLedger(t)
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("ledger file: %v, %v", fi.Mode(), err)
	}
}

func TestLedgerSuppressions(t *testing.T) {
	forEachLedger(t, func(t *testing.T, open func() notify.Ledger) {
		ctx := context.Background()
		l := open()
		must(t, l.Suppress(ctx, "Ann@Example.com", "one-click"))
		must(t, l.Suppress(ctx, "ann@example.com", "again"))
		var got []string
		must(t, l.Suppressions(ctx, func(e string) error { got = append(got, e); return nil }))
		if len(got) != 1 || got[0] != "Ann@Example.com" {
			t.Fatalf("suppressions %v", got)
		}
	})
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestOneSenderPerLedger: a second sender on the same SQLite ledger is
// refused while the first one runs, and allowed once it is done.
// PostgreSQL lets several senders share a campaign (lease_test.go).
func TestOneSenderPerLedger(t *testing.T) {
	open := opener(t, filepath.Join(t.TempDir(), "state", "state.db"))
	sk := startSink(t, nil)
	l1, l2 := open(), open()
	c := testCampaign(t)
	started := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		opts := sendOptions(c, l1, recipientsCSV(20), sk.URL())
		opts.Rate = 50
		opts.Progress = func(n, _ int) {
			if n == 1 {
				close(started)
			}
		}
		_, err := notify.Run(context.Background(), opts)
		done <- err
	}()
	<-started
	_, err := notify.Run(context.Background(), sendOptions(c, l2, recipientsCSV(20), sk.URL()))
	if err == nil || !strings.Contains(err.Error(), "another redline notify is sending") {
		t.Fatalf("second sender: %v", err)
	}
	must(t, <-done)
	if sum, err := notify.Run(context.Background(), sendOptions(c, l2, recipientsCSV(20), sk.URL())); err != nil || sum.AlreadySent != 20 {
		t.Fatalf("after the first sender: %v\n%s", err, sum)
	}
}

// Point 11: exports open in a spreadsheet as text: a cell that would be a
// formula (= + - @) is quoted with an apostrophe; unsubscribes export too.
func TestExportsGuardFormulas(t *testing.T) {
	forEachLedger(t, func(t *testing.T, open func() notify.Ledger) {
		ctx := context.Background()
		l := open()
		c := notify.CampaignRecord{ID: "privacy/v2", Doc: "privacy", Version: "v2", Hash: "abc"}
		if _, err := l.OpenCampaign(ctx, c); err != nil {
			t.Fatal(err)
		}
		must(t, l.Enqueue(ctx, c.ID, 1, []notify.Entry{
			{Email: "=cmd|'/c calc'!a1@example.com", State: notify.StatePending},
			{Email: "+sum@example.com", State: notify.StateSkipped, Reason: "suppressed"},
			{Email: "plain@example.com", State: notify.StatePending},
		}))
		must(t, l.Suppress(ctx, "@evil@example.com", "test"))
		must(t, l.Suppress(ctx, "ok@example.com", "test"))
		var ev, un bytes.Buffer
		must(t, notify.ExportEvidence(ctx, l, c.ID, &ev))
		must(t, notify.ExportSuppressions(ctx, l, &un))
		for _, out := range []string{ev.String(), un.String()} {
			rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
			must(t, err)
			for _, r := range rows {
				for _, cell := range r {
					if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
						t.Errorf("cell %q would run as a formula", cell)
					}
				}
			}
		}
		if !strings.Contains(ev.String(), "'=cmd") || !strings.Contains(ev.String(), "'+sum@example.com") || !strings.Contains(ev.String(), "suppressed") {
			t.Errorf("evidence:\n%s", ev.String())
		}
		if un.String() != "email\n'@evil@example.com\nok@example.com\n" && un.String() != "email\nok@example.com\n'@evil@example.com\n" {
			t.Errorf("unsubscribes:\n%s", un.String())
		}
	})
}
