package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getspectr/redline/internal/notify"
	"github.com/getspectr/redline/internal/notify/mailpittest"
	"github.com/getspectr/redline/internal/pgtest"
	"github.com/getspectr/redline/internal/testwait"
)

// unsubscribeInstance is one unsubscribe-server process behind the shared URL.
type unsubscribeInstance struct {
	base   string
	stop   func()
	served chan error
}

func startUnsubscribeServer(t *testing.T, state string) *unsubscribeInstance {
	t.Helper()
	port := mailpittest.FreePort(t)
	ctx, stop := context.WithCancel(context.Background())
	u := &unsubscribeInstance{base: fmt.Sprintf("http://127.0.0.1:%d/unsubscribe", port), stop: stop, served: make(chan error, 1)}
	go func() {
		u.served <- run(ctx, []string{"unsubscribe-server", "--listen", fmt.Sprintf("127.0.0.1:%d", port), "--state", state}, nil, &bytes.Buffer{}, &bytes.Buffer{})
	}()
	t.Cleanup(func() { stop(); <-u.served })
	return u
}

// unsubscribe makes the RFC 8058 one-click request for email, waiting for
// the instance to listen however long a busy machine takes.
func (u *unsubscribeInstance) unsubscribe(t *testing.T, key []byte, email string) {
	t.Helper()
	if err := u.try(t, key, email); err != nil {
		t.Fatal(err)
	}
}

func (u *unsubscribeInstance) try(t *testing.T, key []byte, email string) error {
	link := u.base + "?t=" + url.QueryEscape(notify.SignToken(key, email))
	deadline := testwait.Deadline(t)
	for {
		resp, err := http.Post(link, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("unsubscribe %s at %s: %s", email, u.base, resp.Status)
			}
			return nil
		}
		select {
		case serr := <-u.served:
			u.served <- serr // for the cleanup
			return fmt.Errorf("unsubscribe-server at %s stopped before it answered: %v", u.base, serr)
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("unsubscribe-server at %s never answered: %v", u.base, err)
		}
		time.Sleep(20 * time.Millisecond) // until it listens; it stops only with the test
	}
}

// TestUnsubscribeServersShareLedger runs two unsubscribe-server instances on
// one PostgreSQL ledger, as behind one load-balanced URL, started together
// on a fresh database. An unsubscribe on either is in the one list both
// record into — the same address unsubscribed on both at once is one row —
// and the next campaign leaves out everyone who unsubscribed on either.
func TestUnsubscribeServersShareLedger(t *testing.T) {
	state := pgtest.URL(t)
	key := []byte("shared-unsubscribe-key-0123456789")
	t.Setenv("REDLINE_UNSUBSCRIBE_KEY", string(key))
	a, b := startUnsubscribeServer(t, state), startUnsubscribeServer(t, state)

	a.unsubscribe(t, key, "reader00@example.com")
	b.unsubscribe(t, key, "Reader01@Example.com")
	var wg sync.WaitGroup
	for i := range 10 { // the same reader clicking through both instances at once
		inst := a
		if i%2 == 1 {
			inst = b
		}
		wg.Go(func() {
			if err := inst.try(t, key, "reader02@example.com"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()

	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"notify", "unsubscribes", "--state", state}, nil, &out, &errOut); err != nil {
		t.Fatalf("notify unsubscribes: %v\n%s", err, errOut.String())
	}
	if got, want := out.String(), "email\nreader00@example.com\nReader01@Example.com\nreader02@example.com\n"; got != want {
		t.Errorf("unsubscribes recorded through both instances:\n%s\nwant:\n%s", got, want)
	}

	mp := mailpittest.Start(t)
	dir := t.TempDir()
	write := notifySite(t, dir)
	write("recipients.csv", readersCSV(10))
	t.Setenv("REDLINE_SMTP_URL", mp.SMTPURL())
	out.Reset()
	errOut.Reset()
	err := run(context.Background(), []string{"notify", "--send", "--since", "2026-01-01", "--content", filepath.Join(dir, "content"),
		"--templates", "../../templates", "--recipients", filepath.Join(dir, "recipients.csv"), "--state", state, "--now", "2026-11-28"},
		nil, &out, &errOut)
	if err != nil || mp.Count(t) != 7 || !strings.Contains(out.String(), "skipped, suppressed: 3") {
		t.Fatalf("next campaign: %v, Mailpit holds %d, want 7\n%s%s", err, mp.Count(t), out.String(), errOut.String())
	}
	for _, m := range mp.Messages(t) {
		for _, to := range m.To {
			if a := strings.ToLower(to.Address); a == "reader00@example.com" || a == "reader01@example.com" || a == "reader02@example.com" {
				t.Errorf("%s unsubscribed and was sent the next campaign", a)
			}
		}
	}
}
