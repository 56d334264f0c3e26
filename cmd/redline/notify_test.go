package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/getspectr/redline/internal/notify/mailpittest"
	"github.com/getspectr/redline/internal/pgtest"
)

// TestNotifyEndToEnd drives the CLI against a real Mailpit: a campaign is
// sent once, evidenced, not sent again, and a one-click unsubscribe through
// unsubscribe-server keeps that reader out of the next campaign; with the
// ledger in a SQLite file and in PostgreSQL.
func TestNotifyEndToEnd(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		notifyEndToEnd(t, func(dir string) string { return filepath.Join(dir, "state.db") })
	})
	t.Run("postgres", func(t *testing.T) { notifyEndToEnd(t, func(string) string { return pgtest.URL(t) }) })
}

// readersCSV is a recipients list of n readers, reader00@example.com …
func readersCSV(n int) string {
	var b strings.Builder
	b.WriteString("email,name\n")
	for i := range n {
		fmt.Fprintf(&b, "reader%02d@example.com,Reader %d\n", i, i)
	}
	return b.String()
}

func notifyEndToEnd(t *testing.T, stateIn func(dir string) string) {
	mp := mailpittest.Start(t)
	dir := t.TempDir()
	write := notifySite(t, dir)
	write("recipients.csv", readersCSV(50))
	t.Setenv("REDLINE_SMTP_URL", mp.SMTPURL())
	t.Setenv("REDLINE_UNSUBSCRIBE_KEY", "end-to-end-test-key-0123456789")

	state := stateIn(dir)
	base := []string{"--content", filepath.Join(dir, "content"), "--templates", "../../templates",
		"--recipients", filepath.Join(dir, "recipients.csv"), "--state", state, "--now", "2026-11-28"}
	cli := func(args ...string) (string, error) {
		t.Helper()
		var out, errOut bytes.Buffer
		err := run(context.Background(), args, nil, &out, &errOut)
		return out.String() + errOut.String(), err
	}
	out, err := cli(append([]string{"notify", "--send", "--since", "2026-01-01"}, base...)...)
	if err != nil || mp.Count(t) != 50 {
		t.Fatalf("first send: %v, Mailpit holds %d\n%s", err, mp.Count(t), out)
	}
	msgs := mp.Messages(t)
	full := mp.Message(t, msgs[0].ID)
	if len(full.ListUnsubscribe.Links) == 0 || full.ListUnsubscribe.Errors != "" || full.ListUnsubscribe.HeaderPost != "List-Unsubscribe=One-Click" {
		t.Fatalf("List-Unsubscribe as Mailpit reads it: %+v", full.ListUnsubscribe)
	}
	if !strings.Contains(full.Text, "Data is kept for 90 days.") || !strings.Contains(full.Text, "https://example.test/privacy/2026-12-28/changes/") {
		t.Errorf("message text lacks the summary or the redline link:\n%s", full.Text)
	}

	// Sent once: a second run, with no --since, sends nothing, and the evidence lists everyone.
	if out, err := cli(append([]string{"notify", "--send"}, base...)...); err != nil || !strings.Contains(out, "already sent:      50") {
		t.Fatalf("second run: %v\n%s", err, out)
	}
	if n := mp.Count(t); n != 50 {
		t.Fatalf("Mailpit holds %d after the second run, want 50", n)
	}
	status, err := cli("notify", "status", "--state", state)
	if err != nil || !strings.Contains(status, "privacy/2026-12-28 ") {
		t.Fatalf("status: %v\n%s", err, status)
	}
	campaign := strings.Fields(strings.Split(status, "\n")[1])[0]
	evidence, err := cli("notify", "export", campaign, "--state", state)
	if err != nil || strings.Count(evidence, "@example.com") != 50 {
		t.Fatalf("export: %v\n%s", err, evidence)
	}

	// One-click unsubscribe through the server, then a new material version.
	port := mailpittest.FreePort(t)
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() {
		served <- run(ctx, []string{"unsubscribe-server", "--listen", fmt.Sprintf("127.0.0.1:%d", port), "--state", state}, nil, &bytes.Buffer{}, &bytes.Buffer{})
	}()
	defer func() { stop(); <-served }()
	link, _ := url.Parse(full.ListUnsubscribe.Links[0])
	link.Scheme, link.Host = "http", fmt.Sprintf("127.0.0.1:%d", port)
	var resp *http.Response
	for {
		// Wait for the server to listen: however long a busy machine takes.
		resp, err = http.Post(link.String(), "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
		if err == nil {
			break
		}
		select {
		case err := <-served:
			t.Fatalf("unsubscribe-server stopped before it answered: %v", err)
		case <-time.After(20 * time.Millisecond):
		}
	}
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("one-click unsubscribe: %v %v", err, resp)
	}
	resp.Body.Close()
	stop()
	<-served
	served <- nil

	write("content/privacy/2027-01-31.md", "---\ntitle: Privacy\npublished: 2026-11-25\nsummary: Data is kept for a year.\n---\nWe keep data for 365 days.\n")
	write("recipients.csv", readersCSV(50)+"newcomer@example.com,Newcomer\n")
	out, err = cli(append([]string{"notify", "--send"}, base...)...)
	if err != nil || mp.Count(t) != 100 || !strings.Contains(out, "suppressed") {
		t.Fatalf("after unsubscribing: %v, Mailpit holds %d, want 100\n%s", err, mp.Count(t), out)
	}

	// Point 8: every link of every message is a page the site builds: the
	// newcomer, who knew the first version, gets the redline from it to
	// the newest; the others the newest version's changes page. "Read the
	// full policy" is the new version's permanent URL.
	dist := filepath.Join(dir, "dist")
	if out, err := cli("build", "--content", filepath.Join(dir, "content"), "--templates", "../../templates", "--out", dist, "--now", "2026-11-28"); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	links := map[string]bool{}
	for _, m := range mp.Messages(t) {
		for _, f := range strings.Fields(mp.Message(t, m.ID).Text) {
			if strings.HasPrefix(f, "https://example.test/privacy/") {
				links[f] = true
			}
		}
	}
	for _, want := range []string{"https://example.test/privacy/2026-01-01/to/2027-01-31/", "https://example.test/privacy/2027-01-31/changes/", "https://example.test/privacy/2027-01-31/"} {
		if !links[want] {
			t.Errorf("no message links %s (links: %v)", want, links)
		}
	}
	for l := range links {
		page := filepath.Join(dist, strings.TrimPrefix(l, "https://example.test/"), "index.html")
		if _, err := os.Stat(page); err != nil {
			t.Errorf("a message links %s, which the site does not build: %v", l, err)
		}
	}
}

// notifySite writes a two-version site for the notify tests into dir and
// returns a function that writes more files there.
func notifySite(t *testing.T, dir string) func(name, data string) {
	write := func(name, data string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("content/site.yaml", "name: Example\nbase_url: https://example.test/\ncontact: privacy@example.test\nmail:\n  from: Example <privacy@example.test>\n  unsubscribe_url: https://example.test/unsubscribe\n")
	write("content/privacy/2026-01-01.md", "---\ntitle: Privacy\n---\nWe keep data for 30 days.\n")
	write("content/privacy/2026-12-28.md", "---\ntitle: Privacy\npublished: 2026-11-20\nsummary: Data is kept for 90 days.\n---\nWe keep data for 90 days.\n")
	return write
}

// A PostgreSQL --state's password is never printed: not by a refused
// login, not by a malformed URL, not by unsubscribe-server's banner.
func TestStateURLShowsNoPassword(t *testing.T) {
	good, err := url.Parse(pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("REDLINE_UNSUBSCRIBE_KEY", "end-to-end-test-key-0123456789")
	const secret = "Wr0ng-Secret-Pa55"
	wrong := *good
	wrong.User = url.UserPassword("postgres", secret)
	for _, args := range [][]string{
		{"notify", "status", "--state", wrong.String()},
		{"notify", "export", "privacy/x", "--state", wrong.String()},
		{"notify", "unsubscribes", "--state", "postgres://postgres:" + secret + "#x@" + good.Host + "/db"},
		{"unsubscribe-server", "--listen", "127.0.0.1:0", "--state", "postgres://postgres:" + secret + "%zz@" + good.Host + "/db"},
	} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), args, nil, &out, &errOut)
		code := exitCode(err, &errOut)
		if code == 0 || strings.Contains(out.String()+errOut.String(), secret[3:12]) {
			t.Errorf("%v: exit %d, output shows the password:\n%s%s", args[:2], code, out.String(), errOut.String())
		}
		if !strings.Contains(strings.ToLower(errOut.String()), "postgres") {
			t.Errorf("%v: the error does not say which ledger:\n%s", args[:2], errOut.String())
		}
	}
}
