package notify_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/getspectr/redline/internal/notify"
	"github.com/getspectr/redline/internal/notify/mailpittest"
	"github.com/getspectr/redline/internal/pgtest"
	"github.com/getspectr/redline/internal/testwait"
)

// senderProc is a sender process on a shared ledger (see crashHelper).
type senderProc struct {
	name   string
	cmd    *exec.Cmd
	stderr *bytes.Buffer
	exited chan struct{} // closed when it has exited, with err set
	err    error
}

// startSender runs a sender process named name (its owner id in the
// ledger) with 4 connections, at most rate messages/s (0: no limit).
func startSender(t *testing.T, name, ledger, csvPath, smtpURL string, rate int, lease time.Duration) *senderProc {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(),
		helperEnv+"=send",
		"HELPER_LEDGER="+ledger,
		"HELPER_CSV="+csvPath,
		"HELPER_SMTP="+smtpURL,
		"HELPER_CONNS=4",
		"HELPER_RATE="+strconv.Itoa(rate),
		"HELPER_SENDER="+name,
		"HELPER_LEASE="+lease.String(),
	)
	p := &senderProc{name: name, cmd: cmd, stderr: &bytes.Buffer{}, exited: make(chan struct{})}
	cmd.Stderr = p.stderr
	mailpittest.DieWithParent(cmd)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.err = cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.exited
	})
	return p
}

// TestCrashSenders runs three sender processes on one campaign of 3,000
// recipients, one PostgreSQL ledger and Mailpit, and kills one of them with
// SIGKILL part-way, once each has sent some. The other two take over its
// rows when its lease lapses. Mailpit must then hold every recipient; a
// recipient may hold the message twice only if it was in flight at the
// kill — at most one per connection of the killed sender, resent as
// uncertain with the same Message-ID — and each survivor sent a share.
//
// The killed sender is slowed to 40 messages/s and the survivors to 200,
// so it is still at work when the state the kill waits for is reached; the
// test waits for states in the ledger, never for time.
func TestCrashSenders(t *testing.T) {
	const total, conns = 3000, 4
	const lease = 4 * time.Second
	ctx := testwait.Context(t)
	mp := startMailpit(t)
	url := pgtest.URL(t)
	l := openPG(t, url)
	c := testCampaign(t)
	csvPath := filepath.Join(t.TempDir(), "users.csv")
	must(t, os.WriteFile(csvPath, []byte(recipientsCSV(total)), 0o600))

	victim := startSender(t, "victim", url, csvPath, mp.SMTPURL(), 40, lease)
	survivors := []*senderProc{
		startSender(t, "survivor-1", url, csvPath, mp.SMTPURL(), 200, lease),
		startSender(t, "survivor-2", url, csvPath, mp.SMTPURL(), 200, lease),
	}
	waitUntil(t, "every sender to have sent, the victim 60 messages", func() (bool, error) {
		for _, p := range append(survivors, victim) {
			select {
			case <-p.exited:
				t.Fatalf("%s exited before the kill: %v\n%s", p.name, p.err, p.stderr)
			default:
			}
		}
		by, err := notify.SendersForTest(ctx, l, c.ID)
		return by["victim"] >= 60 && by["survivor-1"] > 0 && by["survivor-2"] > 0, err
	})
	_ = victim.cmd.Process.Kill() // SIGKILL: no cleanup, no release of its leases
	<-victim.exited
	held, err := notify.HeldForTest(ctx, l, c.ID, "victim")
	must(t, err)
	atKill, err := notify.SendersForTest(ctx, l, c.ID)
	must(t, err)
	if len(held) == 0 {
		t.Fatalf("the victim held no rows when it was killed (it had sent %d)", atKill["victim"])
	}
	t.Logf("killed the victim after %d sent, holding %d unsettled rows", atKill["victim"], len(held))
	for _, p := range survivors {
		if <-p.exited; p.err != nil {
			t.Fatalf("%s: %v\n%s", p.name, p.err, p.stderr)
		}
	}

	st := mustStatus(t, l, c.ID)
	by, err := notify.SendersForTest(ctx, l, c.ID)
	must(t, err)
	t.Logf("rows by sender: %v; ledger: %v", by, st.Counts)
	if st.Counts[notify.StateSent] != total || st.Completed.IsZero() {
		t.Errorf("campaign: %v, completed %v; want all %d sent and the campaign complete", st.Counts, st.Completed, total)
	}
	if by["survivor-1"] == 0 || by["survivor-2"] == 0 || by["victim"]+by["survivor-1"]+by["survivor-2"] != total {
		t.Errorf("rows by sender %v: want a share for each survivor, %d in all", by, total)
	}
	if by["victim"] != atKill["victim"] {
		t.Errorf("the victim sent %d rows when it was killed, the ledger now says %d", atKill["victim"], by["victim"])
	}
	for _, email := range held { // taken over by the survivors
		if d, _, err := l.Lookup(ctx, c.ID, email); err != nil || d.State != notify.StateSent {
			t.Errorf("a row the victim held: %+v (%v), want sent", d, err)
		}
	}

	ids := map[string][]string{}
	for _, m := range mp.Messages(t) {
		for _, to := range m.To {
			a := strings.ToLower(to.Address)
			ids[a] = append(ids[a], m.MessageID)
		}
	}
	for i := range total {
		if len(ids[csvEmail(i)]) == 0 {
			t.Errorf("%s never got the message", csvEmail(i))
		}
	}
	dups := 0
	for addr, got := range ids {
		if len(got) < 2 {
			continue
		}
		dups++
		d, _, err := l.Lookup(ctx, c.ID, addr)
		must(t, err)
		for _, id := range got {
			if id != got[0] {
				t.Errorf("%s holds two Message-IDs: %v", addr, got)
			}
		}
		if len(got) > 1+d.Uncertain || d.Uncertain == 0 {
			t.Errorf("%s holds %d copies, the ledger resent it %d times as uncertain", addr, len(got), d.Uncertain)
		}
	}
	if dups > conns {
		t.Errorf("%d recipients hold the message twice; the victim had %d connections", dups, conns)
	}
	t.Logf("%d recipients hold a copy resent as uncertain after the kill (same Message-ID)", dups)
}
