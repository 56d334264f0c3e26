package notify_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/getspectr/redline/internal/notify"
)

// Point 5: fifteen 550s in a row for single mailboxes do not trip the
// breaker (threshold 10): they are failed, everyone else is sent.
func TestRecipientRejectionsDoNotTripBreaker(t *testing.T) {
	sk := startSinkWith(t, func(s *sink) {
		s.rcpt = func(addr string, _ int) string {
			if addr < csvEmail(15) {
				return "550 5.1.1 no such user"
			}
			return ""
		}
	})
	l, _ := openLedger(t)
	opts := sendOptions(testCampaign(t), l, recipientsCSV(40), sk.URL())
	opts.Connections = 1 // the fifteen come one after another
	sum, err := notify.Run(context.Background(), opts)
	if err != nil || sum.Failed != 15 || sum.Sent != 25 || sum.Unreached() != 15 {
		t.Fatalf("%v\n%s", err, sum)
	}
	if _, conns := sk.Stats(); conns != 1 {
		t.Fatalf("%d connections: a refused recipient must not cost the connection", conns)
	}
}

// MAIL FROM, RCPT TO and DATA go in one write to a server offering
// PIPELINING. A refused recipient fails that message only, and the
// connection carries the next one, whether the server then refuses DATA
// (as it should) or answers it with 354 anyway, when a lone "." ends it
// (RFC 2920 §3.1) and nothing reaches anyone.
func TestPipelinedDataAfterRefusedRecipient(t *testing.T) {
	for _, anyway := range []bool{false, true} {
		t.Run(fmt.Sprintf("354-anyway=%v", anyway), func(t *testing.T) {
			refused := map[string]bool{csvEmail(1): true, csvEmail(4): true}
			sk := startSinkWith(t, func(s *sink) {
				s.dataWithoutRcpt = anyway
				s.rcpt = func(addr string, _ int) string {
					if refused[addr] {
						return "550 5.1.1 no such user"
					}
					return ""
				}
			})
			l, _ := openLedger(t)
			opts := sendOptions(testCampaign(t), l, recipientsCSV(6), sk.URL())
			opts.Connections = 1
			sum, err := notify.Run(context.Background(), opts)
			if err != nil || sum.Failed != 2 || sum.Sent != 4 {
				t.Fatalf("%v\n%s", err, sum)
			}
			if got, conns := sk.Stats(); got != 4 || conns != 1 {
				t.Errorf("the server received %d messages over %d connections, want 4 over 1", got, conns)
			}
			for addr := range refused {
				d, ok, err := l.Lookup(context.Background(), sum.Campaign, addr)
				if err != nil || !ok || d.State != notify.StateFailed || !strings.Contains(d.Reason, "550 5.1.1 no such user") {
					t.Errorf("%s: %+v %v %v", addr, d, ok, err)
				}
			}
		})
	}
}

// Point 5, the other side: a refused sender fails every message, so it is
// the breaker's business.
func TestRefusedSenderTripsBreaker(t *testing.T) {
	sk := startSinkWith(t, func(s *sink) {
		s.mail = func() string { return "550 5.7.1 sender not allowed" }
	})
	l, _ := openLedger(t)
	opts := sendOptions(testCampaign(t), l, recipientsCSV(40), sk.URL())
	opts.Connections = 1
	opts.BreakerAfter = 3
	sum, err := notify.Run(context.Background(), opts)
	if !errors.Is(err, notify.ErrCircuitOpen) || !strings.Contains(err.Error(), "sender not allowed") || sum.Failed != 3 {
		t.Fatalf("%v\n%s", err, sum)
	}
	if sum.Status.Counts[notify.StatePending] != 37 {
		t.Fatalf("not tried should stay pending: %v", sum.Status.Counts)
	}
}

// Point 6: a server that takes longer than the command timeout to answer
// the end of DATA (as RFC 5321 lets it: ten minutes) gets each message once.
func TestSlowDataReplyWaited(t *testing.T) {
	sk := startSinkWith(t, func(s *sink) { s.dataDelay = 3 * time.Second })
	l, _ := openLedger(t)
	opts := sendOptions(testCampaign(t), l, recipientsCSV(4), sk.URL())
	opts.SMTP.Timeout = time.Second // each command; the end of DATA waits DataTimeout (default 10 min)
	sum, err := notify.Run(context.Background(), opts)
	if err != nil || sum.Sent != 4 || sum.Retries != 0 || sum.UncertainResent != 0 {
		t.Fatalf("%v\n%s", err, sum)
	}
	for i := range 4 {
		if n := sk.Received(csvEmail(i)); n != 1 {
			t.Errorf("%s: the server read the message %d times", csvEmail(i), n)
		}
	}
	if st := mustStatus(t, l, sum.Campaign); st.Counts[notify.StateSent] != 4 {
		t.Fatalf("ledger: %v", st.Counts)
	}
}

// Point 6: no reply at all to the end of DATA within DataTimeout is an
// uncertain outcome, recorded as such and resent at most once, with the
// same Message-ID; then the row is failed with the reason, not resent again.
func TestNoDataReplyResentOnce(t *testing.T) {
	silent := csvEmail(2)
	sk := startSinkWith(t, func(s *sink) {
		s.drop = func(rcpt string, _ int) dropMode {
			if rcpt == silent {
				return hangAfterContent
			}
			return keep
		}
	})
	l, _ := openLedger(t)
	opts := sendOptions(testCampaign(t), l, recipientsCSV(4), sk.URL())
	opts.SMTP.DataTimeout = 200 * time.Millisecond
	opts.MaxAttempts = 10
	sum, err := notify.Run(context.Background(), opts)
	if err != nil || sum.Sent != 3 || sum.Failed != 1 {
		t.Fatalf("%v\n%s", err, sum)
	}
	if n := sk.Received(silent); n != 2 {
		t.Fatalf("the silent server got the message %d times, want 2 (one resend)", n)
	}
	d, _, _ := l.Lookup(context.Background(), sum.Campaign, silent)
	if d.State != notify.StateFailed || d.Uncertain != 1 || d.Attempts != 2 || !strings.Contains(d.Reason, "uncertain twice") {
		t.Fatalf("ledger row %+v", d)
	}
	var mids []string
	for _, r := range evidence(t, l, sum.Campaign) {
		if r[1] == silent {
			mids = append(mids, r[3])
		}
	}
	if len(mids) != 1 || mids[0] == "" {
		t.Fatalf("evidence Message-ID %v", mids)
	}
}

// Point 14: the EHLO name is the sender's domain unless configured, never
// the machine's host name.
func TestEHLOName(t *testing.T) {
	for _, tc := range []struct{ set, want string }{{"", "spectr.test"}, {"mx-out.spectr.test", "mx-out.spectr.test"}} {
		sk := startSink(t, nil)
		l, _ := openLedger(t)
		opts := sendOptions(testCampaign(t), l, recipientsCSV(1), sk.URL())
		opts.SMTP.HELO = tc.set
		if sum, err := notify.Run(context.Background(), opts); err != nil || sum.Sent != 1 {
			t.Fatalf("%v\n%s", err, sum)
		}
		sk.mu.Lock()
		got := sk.ehlo
		sk.mu.Unlock()
		if got != tc.want {
			t.Errorf("EHLO %q, want %q", got, tc.want)
		}
	}
}

// Point 10: a messy CRM export: extra columns are ignored and named once;
// bad dates, locales, oversized or non-UTF-8 fields are one skipped,
// reported row each; the dry run and the send agree row for row.
func TestMessyRecipientsDryRunAndSendAgree(t *testing.T) {
	messy := "email,name,locale,signed_up,crm_id,plan\n" +
		"ann@example.com,Ann,de-CH,2024-01-01,1,pro\n" +
		"bob@example.com,Bob,en,2024-13-01,2,free\n" + // bad date
		"cy@example.com,Cy,english please,,3,free\n" + // bad locale
		"dee@example.com," + strings.Repeat("D", 300) + ",,,4,free\n" + // name too long
		"eve@example.com,Ev\xe9,,,5,free\n" + // not UTF-8
		"ann@example.com,Ann again,,,6,pro\n" + // duplicate
		"fay@example.com,Fay,fr,2025-02-02,7,pro\n"
	run := func(send bool) (notify.Summary, []string) {
		var skips []string
		opts := sendOptions(testCampaign(t), nil, messy, "")
		opts.OnSkip = func(k notify.Skip) { skips = append(skips, k.String()) }
		if send {
			l, _ := openLedger(t)
			opts.Ledger = l
			opts.SMTP.URL = startSink(t, nil).URL()
		} else {
			opts.Send = false
			opts.OutboxDir = t.TempDir()
		}
		sum, err := notify.Run(context.Background(), opts)
		if err != nil {
			t.Fatalf("send %v: %v\n%s", send, err, sum)
		}
		return sum, skips
	}
	dry, drySkips := run(false)
	sent, sentSkips := run(true)
	if dry.Written != 2 || sent.Sent != 2 || strings.Join(drySkips, "\n") != strings.Join(sentSkips, "\n") || len(drySkips) != 5 {
		t.Fatalf("dry run (%d written) and send (%d sent) disagree:\n%s\n--\n%s", dry.Written, sent.Sent, strings.Join(drySkips, "\n"), strings.Join(sentSkips, "\n"))
	}
	for _, want := range []string{
		`users.csv:3: "bob@example.com": bad row (signed_up "2024-13-01" is not a date`,
		`users.csv:4: "cy@example.com": bad row (locale "english please" is not a BCP 47 language tag`,
		`users.csv:5: "dee@example.com": bad row (name is longer than 200 bytes)`,
		`users.csv:6: "eve@example.com": bad row (name is not UTF-8`,
		`users.csv:7: "ann@example.com": duplicate (first on line 2)`,
	} {
		if !strings.Contains(strings.Join(drySkips, "\n"), want) {
			t.Errorf("no skip %q in\n%s", want, strings.Join(drySkips, "\n"))
		}
	}
	if strings.Join(sent.IgnoredColumns, ",") != "crm_id,plan" || strings.Count(sent.String(), "crm_id") != 1 {
		t.Errorf("ignored columns %v named in\n%s", sent.IgnoredColumns, sent)
	}
}
