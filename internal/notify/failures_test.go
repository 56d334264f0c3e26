package notify_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/getspectr/redline/internal/notify"
)

// TestTemporaryFailuresRetried: Mailpit answers 451 to 30% of RCPT commands;
// every message still arrives, exactly once, after retries.
func TestTemporaryFailuresRetried(t *testing.T) {
	forEachLedger(t, func(t *testing.T, open func() notify.Ledger) {
		mp := startMailpit(t, "--chaos-triggers", "Recipient:451:30")
		l := open()
		opts := sendOptions(testCampaign(t), l, recipientsCSV(40), mp.SMTPURL())
		opts.MaxAttempts = 25 // 0.3^25: never exhausted
		opts.BreakerAfter = 1000
		sum, err := notify.Run(context.Background(), opts)
		if err != nil || sum.Sent != 40 || sum.Failed != 0 || sum.Unreached() != 0 {
			t.Fatalf("%v\n%s", err, sum)
		}
		if sum.Retries == 0 {
			t.Fatal("no retries with 30% temporary failures")
		}
		if n := mp.Count(t); n != 40 {
			t.Fatalf("mailpit has %d messages", n)
		}
		if rows := evidence(t, l, sum.Campaign); !hasRow(rows, func(r []string) bool { return r[4] == "sent" && r[6] != "1" }) {
			t.Fatal("evidence shows no message sent after more than one attempt")
		}
	})
}

// TestTemporaryFailuresGiveUp: with every RCPT refused with 451, each
// message is tried MaxAttempts times and then recorded as failed.
func TestTemporaryFailuresGiveUp(t *testing.T) {
	mp := startMailpit(t, "--chaos-triggers", "Recipient:451:100")
	l, _ := openLedger(t)
	opts := sendOptions(testCampaign(t), l, recipientsCSV(5), mp.SMTPURL())
	opts.MaxAttempts = 3
	opts.BreakerAfter = 100
	sum, err := notify.Run(context.Background(), opts)
	if err != nil || sum.Failed != 5 || sum.Sent != 0 || sum.Unreached() != 5 || sum.Retries != 10 {
		t.Fatalf("%v\n%s", err, sum)
	}
	for _, f := range sum.Failures {
		if f.Attempts != 3 || !strings.Contains(f.Reason, "gave up after 3 attempts") || !strings.Contains(f.Reason, "451") {
			t.Errorf("failure %+v", f)
		}
	}
	if mp.Count(t) != 0 {
		t.Fatal("mailpit received messages")
	}
}

// TestPermanentFailuresNotRetried: 550 answers are recorded after one attempt.
func TestPermanentFailuresNotRetried(t *testing.T) {
	forEachLedger(t, func(t *testing.T, open func() notify.Ledger) {
		mp := startMailpit(t, "--chaos-triggers", "Recipient:550:30")
		l := open()
		opts := sendOptions(testCampaign(t), l, recipientsCSV(40), mp.SMTPURL())
		opts.BreakerAfter = 1000
		sum, err := notify.Run(context.Background(), opts)
		if err != nil || sum.Sent+sum.Failed != 40 || sum.Failed == 0 || sum.Retries != 0 {
			t.Fatalf("%v\n%s", err, sum)
		}
		for _, f := range sum.Failures {
			if f.Attempts != 1 || !strings.Contains(f.Reason, "550") {
				t.Errorf("failure %+v", f)
			}
		}
		if n := mp.Count(t); n != sum.Sent {
			t.Fatalf("mailpit has %d messages, sent %d", n, sum.Sent)
		}
		if st := mustStatus(t, l, sum.Campaign); st.Counts[notify.StateFailed] != sum.Failed || !st.Completed.IsZero() {
			t.Fatalf("status %+v", st)
		}
	})
}

// TestDroppedConnections: the server hangs up after the DATA command (before
// anything was handed over) or after the message (outcome unknown). Both are
// temporary: the connection is redialled and the message delivered; the
// second kind is resent with the same Message-ID and counted as uncertain.
func TestDroppedConnections(t *testing.T) {
	sk := startSink(t, func(rcpt string, attempt int) dropMode {
		switch {
		case attempt == 1 && strings.HasSuffix(rcpt, "3@example.com"):
			return dropAtDataCmd
		case attempt == 1 && strings.HasSuffix(rcpt, "7@example.com"):
			return dropAfterContent
		}
		return keep
	})
	l, _ := openLedger(t)
	opts := sendOptions(testCampaign(t), l, recipientsCSV(40), sk.URL())
	sum, err := notify.Run(context.Background(), opts)
	if err != nil || sum.Sent != 40 || sum.Failed != 0 {
		t.Fatalf("%v\n%s", err, sum)
	}
	if sum.UncertainResent != 4 || sum.Retries != 8 {
		t.Fatalf("uncertain %d (want 4), retries %d (want 8)", sum.UncertainResent, sum.Retries)
	}
	acc := sk.Accepted()
	for i := range 40 {
		if n := acc[strings.ToLower(csvEmail(i))]; n != 1 {
			t.Fatalf("%s acknowledged %d times", csvEmail(i), n)
		}
	}
	received, conns := sk.Stats()
	if received != 44 || conns < 5 {
		t.Fatalf("received %d (40 + 4 unacknowledged), %d connections", received, conns)
	}
	rows := evidence(t, l, sum.Campaign)
	if !hasRow(rows, func(r []string) bool {
		return strings.HasSuffix(r[1], "7@example.com") && r[7] == "1" && r[4] == "sent"
	}) {
		t.Fatal("evidence does not record the uncertain resend")
	}
}

func csvEmail(i int) string { return fmt.Sprintf("user%05d@example.com", i) }

// TestBreakerServerGone: nothing listens; the run stops after BreakerAfter
// failed dials with a clear error and everyone still pending.
func TestBreakerServerGone(t *testing.T) {
	l, _ := openLedger(t)
	opts := sendOptions(testCampaign(t), l, recipientsCSV(20), "smtp://127.0.0.1:"+strconv.Itoa(freePort(t)))
	opts.BreakerAfter = 5
	sum, err := notify.Run(context.Background(), opts)
	if !errors.Is(err, notify.ErrCircuitOpen) || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("err = %v", err)
	}
	// It gave up after exactly the threshold, not after a list's worth of tries.
	if !strings.Contains(err.Error(), "(5 in a row;") {
		t.Fatalf("the breaker did not open at 5 failures: %v", err)
	}
	if sum.Unreached() != 20 || sum.Status.Counts[notify.StatePending] != 20 || sum.Status.Counts[notify.StateSending] != 0 {
		t.Fatalf("%s\n%v", sum, sum.Status.Counts)
	}
}

// TestBreakerAuthFailure: the server rejects the credentials; the run stops
// at once instead of burning the list.
func TestBreakerAuthFailure(t *testing.T) {
	mp := startMailpit(t, "--smtp-auth-accept-any", "--smtp-auth-allow-insecure", "--chaos-triggers", "Authentication:535:100")
	l, _ := openLedger(t)
	opts := sendOptions(testCampaign(t), l, recipientsCSV(20), "smtp://sender:s3cr3t-Passw0rd@127.0.0.1:"+strconv.Itoa(mp.SMTPPort))
	sum, err := notify.Run(context.Background(), opts)
	if !errors.Is(err, notify.ErrCircuitOpen) || !strings.Contains(err.Error(), "535") {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "s3cr3t") {
		t.Fatalf("password in error: %v", err)
	}
	if sum.Status.Counts[notify.StatePending] != 20 || mp.Count(t) != 0 {
		t.Fatalf("%s", sum)
	}
}

// TestCancelAndResume: cancelling stops cleanly; the next run finishes the
// list and nobody gets two messages.
func TestCancelAndResume(t *testing.T) {
	forEachLedger(t, func(t *testing.T, open func() notify.Ledger) {
		sk := startSink(t, nil)
		l := open()
		c := testCampaign(t)
		ctx, cancel := context.WithCancel(context.Background())
		opts := sendOptions(c, l, recipientsCSV(300), sk.URL())
		opts.Rate = 500
		opts.Progress = func(done, total int) {
			if done == 50 {
				cancel()
			}
		}
		sum, err := notify.Run(ctx, opts)
		if !errors.Is(err, context.Canceled) || sum.Sent < 50 || sum.Sent >= 300 {
			t.Fatalf("cancelled run: %v\n%s", err, sum)
		}
		if st := sum.Status; st.Counts[notify.StateSending] != 0 || !st.Completed.IsZero() {
			t.Fatalf("after cancel: %v", st.Counts)
		}
		opts = sendOptions(c, l, recipientsCSV(300), sk.URL())
		sum2, err := notify.Run(context.Background(), opts)
		if err != nil || sum2.Sent != 300-sum.Sent || sum2.Unreached() != 0 {
			t.Fatalf("resumed run: %v\n%s", err, sum2)
		}
		for addr, n := range sk.Accepted() {
			if n != 1 {
				t.Fatalf("%s got %d messages", addr, n)
			}
		}
		if len(sk.Accepted()) != 300 {
			t.Fatalf("%d recipients reached", len(sk.Accepted()))
		}
	})
}

func evidence(t *testing.T, l notify.Ledger, id string) [][]string {
	t.Helper()
	var buf bytes.Buffer
	must(t, notify.ExportEvidence(context.Background(), l, id, &buf))
	rows, err := csv.NewReader(&buf).ReadAll()
	must(t, err)
	return rows[1:]
}

func hasRow(rows [][]string, f func([]string) bool) bool {
	for _, r := range rows {
		if f(r) {
			return true
		}
	}
	return false
}
