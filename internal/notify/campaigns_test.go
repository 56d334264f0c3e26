package notify_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/getspectr/redline/internal/notify"
)

// plan runs Plan over h with the ledger, as the CLI does on every run.
func plan(t *testing.T, l notify.Ledger, h notify.History, now string, since map[string]string) notify.Campaign {
	t.Helper()
	cs, err := notify.Plan(context.Background(), l, []notify.History{h}, day(now), since)
	if err != nil || len(cs) != 1 {
		t.Fatalf("plan: %v, %d campaigns", err, len(cs))
	}
	return cs[0].WithSite(testSite)
}

func onceEach(t *testing.T, sk *sink, n int) {
	t.Helper()
	acc := sk.Accepted()
	for i := range n {
		if got := acc[csvEmail(i)]; got != 1 {
			t.Errorf("%s acknowledged %d times, want 1", csvEmail(i), got)
		}
	}
	if len(acc) != n {
		t.Errorf("%d recipients reached, want %d", len(acc), n)
	}
}

// Point 1: a run whose leftovers are failures is not complete; the next run
// finds the same campaign, keeps the failures until --retry-failed, which
// retries them.
func TestFailedRecipientsRetried(t *testing.T) {
	forEachLedger(t, func(t *testing.T, open func() notify.Ledger) {
		permanent := func(addr string) bool { return strings.HasSuffix(addr, "3@example.com") }
		temporary := func(addr string) bool { return strings.HasSuffix(addr, "7@example.com") }
		sk := startSinkWith(t, func(s *sink) {
			s.rcpt = func(addr string, n int) string {
				switch {
				case permanent(addr) && n == 1:
					return "550 5.1.1 mailbox unavailable"
				case temporary(addr) && n <= 2:
					return "451 4.3.0 try later"
				}
				return ""
			}
		})
		l := open()
		c := plan(t, l, testHistory(), "2026-04-01", map[string]string{"privacy": "2025-01-10"})
		opts := sendOptions(c, l, recipientsCSV(20), sk.URL())
		opts.MaxAttempts = 2
		sum, err := notify.Run(context.Background(), opts)
		if err != nil || sum.Sent != 16 || sum.Failed != 4 || sum.Unreached() != 4 {
			t.Fatalf("first run: %v\n%s", err, sum)
		}
		st := mustStatus(t, l, c.ID)
		if st.Counts[notify.StateFailed] != 4 || !st.Completed.IsZero() {
			t.Fatalf("a campaign with failures is complete: %+v", st)
		}

		// The next run is the same campaign, with no --since; without
		// --retry-failed the failures are kept and reported.
		c2 := plan(t, l, testHistory(), "2026-04-01", nil)
		if c2.ID != c.ID {
			t.Fatalf("next run planned %s, want %s", c2.ID, c.ID)
		}
		sum, err = notify.Run(context.Background(), sendOptions(c2, l, recipientsCSV(20), sk.URL()))
		if err != nil || sum.Sent != 0 || sum.FailedEarlier != 4 || sum.Unreached() != 4 || !strings.Contains(sum.String(), "--retry-failed") {
			t.Fatalf("run without --retry-failed: %v\n%s", err, sum)
		}

		opts = sendOptions(c2, l, recipientsCSV(20), sk.URL())
		opts.RetryFailed = true
		sum, err = notify.Run(context.Background(), opts)
		if err != nil || sum.Sent != 4 || sum.Unreached() != 0 || sum.Status.Completed.IsZero() {
			t.Fatalf("--retry-failed: %v\n%s", err, sum)
		}
		onceEach(t, sk, 20)
	})
}

// Point 2: the ledger records the campaign's base; resuming needs no
// --since, and a different one is refused, saying what the campaign covers.
func TestResumeNeedsNoSince(t *testing.T) {
	forEachLedger(t, func(t *testing.T, open func() notify.Ledger) {
		sk := startSink(t, nil)
		l := open()
		c := plan(t, l, testHistory(), "2026-04-01", map[string]string{"privacy": "2025-01-10"})
		ctx, cancel := context.WithCancel(context.Background())
		opts := sendOptions(c, l, recipientsCSV(100), sk.URL())
		opts.Connections = 1
		opts.Progress = func(done, _ int) {
			if done == 10 {
				cancel()
			}
		}
		if _, err := notify.Run(ctx, opts); !errors.Is(err, context.Canceled) {
			t.Fatalf("interrupted run: %v", err)
		}
		if st := mustStatus(t, l, c.ID); st.Base != "2025-01-10" {
			t.Fatalf("recorded base %q", st.Base)
		}

		_, err := notify.Plan(context.Background(), l, []notify.History{testHistory()}, day("2026-04-01"), map[string]string{"privacy": "2025-06-01"})
		if err == nil || !strings.Contains(err.Error(), `--since "2025-06-01" conflicts with the ledger`) ||
			!strings.Contains(err.Error(), "cover privacy since 2025-01-10") || !strings.Contains(err.Error(), "privacy/2026-03-27") {
			t.Fatalf("conflicting --since: %v", err)
		}
		resumed := plan(t, l, testHistory(), "2026-04-01", nil)
		if resumed.ID != c.ID || resumed.Base != "2025-01-10" || strings.Join(resumed.Covers, " ") != "2026-03-27 2025-06-01" {
			t.Fatalf("resumed campaign %s base %q covers %v", resumed.ID, resumed.Base, resumed.Covers)
		}
		sum, err := notify.Run(context.Background(), sendOptions(resumed, l, recipientsCSV(100), sk.URL()))
		if err != nil || sum.Unreached() != 0 {
			t.Fatalf("resumed run: %v\n%s", err, sum)
		}
		onceEach(t, sk, 100)
	})
}

// Point 3: an editorial fix to the announced version after a partial send
// keeps the campaign and its Message-IDs: nobody told hears again, the rest
// get the fixed text, and the ledger keeps both hashes as evidence.
func TestEditAfterPartialSend(t *testing.T) {
	forEachLedger(t, func(t *testing.T, open func() notify.Ledger) {
		sk := startSink(t, nil)
		l := open()
		h := testHistory()
		c := plan(t, l, h, "2026-04-01", map[string]string{"privacy": "2025-01-10"})
		ctx, cancel := context.WithCancel(context.Background())
		opts := sendOptions(c, l, recipientsCSV(100), sk.URL())
		opts.Connections = 1
		opts.Progress = func(done, _ int) {
			if done == 30 {
				cancel()
			}
		}
		first, _ := notify.Run(ctx, opts)
		if first.Sent < 30 || first.Sent == 100 {
			t.Fatalf("partial run sent %d", first.Sent)
		}

		oldHash := h.Versions[2].Hash
		h.Versions[2].Hash = strings.Repeat("e5", 32) // a typo fixed in the announced version
		edited := plan(t, l, h, "2026-04-01", nil)
		if edited.ID != c.ID {
			t.Fatalf("edited version planned as %s, want %s", edited.ID, c.ID)
		}
		sum, err := notify.Run(context.Background(), sendOptions(edited, l, recipientsCSV(100), sk.URL()))
		if err != nil || sum.Sent != 100-first.Sent || sum.AlreadySent != first.Sent || sum.HashChangedFrom != oldHash {
			t.Fatalf("run after the edit: %v\n%s", err, sum)
		}
		onceEach(t, sk, 100)
		st := mustStatus(t, l, c.ID)
		if len(st.Hashes) != 2 || st.Hashes[0].Hash != oldHash || st.Hashes[1].Hash != h.Versions[2].Hash || st.Completed.IsZero() {
			t.Fatalf("hash evidence %+v, completed %v", st.Hashes, st.Completed)
		}
		byHash := map[string]int{}
		for _, r := range evidence(t, l, c.ID) {
			byHash[r[2]]++
		}
		if byHash[oldHash] != first.Sent || byHash[h.Versions[2].Hash] != 100-first.Sent {
			t.Fatalf("evidence by version hash %v, want %d old and %d new", byHash, first.Sent, 100-first.Sent)
		}
	})
}

// laterHistory adds a material version after testHistory's.
func laterHistory() notify.History {
	h := testHistory()
	h.Versions = append(h.Versions, notify.VersionInfo{
		ID: "2026-06-01", Hash: strings.Repeat("f6", 32), Effective: day("2026-06-01"), Published: day("2026-05-01"), Material: true,
		Summary: []string{"We no longer sell gift cards."},
		Changes: []notify.ChangeItem{{Level: "material", Category: "fees and refunds", Section: "Payments", Old: "Gift cards are refundable.", New: "Gift cards are not sold."}},
	})
	return h
}

// Point 4: people added to the list later are told, and each person gets
// one message covering everything they missed: a new material version is
// announced to the people told before as that version alone, and to a
// person never told as every version since the one they knew; an older
// campaign still open is closed by the new one instead of sending twice.
func TestPeopleAddedLaterAreTold(t *testing.T) {
	forEachLedger(t, func(t *testing.T, open func() notify.Ledger) {
		mp := startMailpit(t)
		l := open()
		c := plan(t, l, testHistory(), "2026-04-01", map[string]string{"privacy": "2025-01-10"})
		sum, err := notify.Run(context.Background(), sendOptions(c, l, recipientsCSV(10), mp.SMTPURL()))
		if err != nil || sum.Sent != 10 || sum.Status.Completed.IsZero() {
			t.Fatalf("first campaign: %v\n%s", err, sum)
		}

		// Three rows added after the campaign finished: two who signed up
		// before publication are told, one who signed up after is not.
		more := recipientsCSV(10) + "new1@example.com,New One,2025-12-01\nnew2@example.com,New Two,\nlater@example.com,Later,2026-03-30\n"
		again := plan(t, l, testHistory(), "2026-04-01", nil)
		sum, err = notify.Run(context.Background(), sendOptions(again, l, more, mp.SMTPURL()))
		if err != nil || again.ID != c.ID || sum.Sent != 2 || sum.AlreadySent != 10 || sum.Skipped[notify.SkipSignedUpAfter] != 1 {
			t.Fatalf("rows added later: %v\n%s", err, sum)
		}

		// A new material version: a campaign based on the last one. The
		// people told get only the new version; a person never told gets all.
		all := more + "fresh@example.com,Fresh,\n"
		next := plan(t, l, laterHistory(), "2026-05-02", nil)
		if next.ID != "privacy/2026-06-01" || next.Base != "2026-03-27" {
			t.Fatalf("next campaign %s base %q", next.ID, next.Base)
		}
		opts := sendOptions(next, l, all, mp.SMTPURL())
		sum, err = notify.Run(context.Background(), opts)
		if err != nil || sum.Sent != 14 || sum.Unreached() != 0 {
			t.Fatalf("next campaign: %v\n%s", err, sum)
		}
		knew := map[string]string{}
		for _, r := range evidence(t, l, next.ID) {
			knew[r[1]] = r[len(r)-1]
		}
		if knew[csvEmail(3)] != "2026-03-27" || knew["new2@example.com"] != "2026-03-27" || knew["fresh@example.com"] != "2025-01-10" || knew["later@example.com"] != "2026-03-27" {
			t.Fatalf("versions known: %v", knew)
		}
		checked := 0
		for _, m := range mp.Messages(t) {
			if len(m.To) != 1 || m.Subject == "" {
				continue
			}
			text := mp.Message(t, m.ID).Text
			switch addr := m.To[0].Address; {
			case addr == "fresh@example.com":
				checked++
				if !strings.Contains(text, "covers versions 2026-06-01 (effective June 1, 2026), 2026-03-27 (effective April 27, 2026), 2025-06-01 (effective June 1, 2025)") ||
					!strings.Contains(text, "/privacy/2025-01-10/to/2026-06-01/") || !strings.Contains(text, "We keep logs for 90 days") {
					t.Errorf("the message to a person never told does not cover all they missed:\n%s", text)
				}
			case addr == csvEmail(3) && strings.Contains(text, "gift cards"):
				checked++
				if strings.Contains(text, "covers versions") || strings.Contains(text, "90 days") || !strings.Contains(text, "/privacy/2026-06-01/changes/") {
					t.Errorf("the message to a person told before repeats what they were told:\n%s", text)
				}
			}
		}
		if checked != 2 {
			t.Errorf("checked %d messages, want 2", checked)
		}
		if n := mp.Count(t); n != 12+14 {
			t.Fatalf("Mailpit holds %d messages, want 26", n)
		}
	})
}

// Point 4, continued: a new campaign closes an older one still open, and
// whoever the older one had not reached gets one message covering both.
func TestNewCampaignSupersedesOpenOne(t *testing.T) {
	forEachLedger(t, func(t *testing.T, open func() notify.Ledger) {
		sk := startSinkWith(t, func(s *sink) {
			s.rcpt = func(addr string, n int) string {
				if strings.HasSuffix(addr, "1@example.com") && n == 1 {
					return "550 5.2.2 mailbox full"
				}
				return ""
			}
		})
		l := open()
		c := plan(t, l, testHistory(), "2026-04-01", map[string]string{"privacy": "2025-01-10"})
		sum, _ := notify.Run(context.Background(), sendOptions(c, l, recipientsCSV(20), sk.URL()))
		if sum.Failed != 2 {
			t.Fatalf("first campaign:\n%s", sum)
		}
		next := plan(t, l, laterHistory(), "2026-05-02", nil)
		sum, err := notify.Run(context.Background(), sendOptions(next, l, recipientsCSV(20), sk.URL()))
		if err != nil || sum.Sent != 20 || sum.Superseded != 2 || sum.Unreached() != 0 {
			t.Fatalf("next campaign: %v\n%s", err, sum)
		}
		old := mustStatus(t, l, c.ID)
		if old.Completed.IsZero() || old.Counts[notify.StateFailed] != 0 || old.Counts[notify.StateSkipped] != 2 {
			t.Fatalf("older campaign after the new one: %+v", old)
		}
		d, _, _ := l.Lookup(context.Background(), next.ID, csvEmail(1))
		if d.Known != "2025-01-10" || d.State != notify.StateSent {
			t.Fatalf("the person the old campaign missed: %+v", d)
		}
	})
}
