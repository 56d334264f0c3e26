package main

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/getspectr/redline/internal/notify"
	"github.com/getspectr/redline/internal/pgtest"
)

// redline notify migrate copies a SQLite ledger into PostgreSQL, shows the
// counts it verified, does nothing on a rerun, refuses a target with other
// data, and notify export then reads the same from both.
func TestNotifyMigrate(t *testing.T) {
	ctx := context.Background()
	state := filepath.Join(t.TempDir(), "state.db")
	l, err := notify.OpenSQLite(ctx, state)
	if err != nil {
		t.Fatal(err)
	}
	c := notify.CampaignRecord{ID: "privacy/v2", Doc: "privacy", Version: "v2", Hash: "abc", Base: "v1"}
	_, err = l.OpenCampaign(ctx, c)
	for i, e := range []string{"a@example.com", "b@example.com", "@formula@example.com"} {
		if err == nil {
			err = l.Enqueue(ctx, c.ID, 1, []notify.Entry{{Email: e, Line: i + 2, State: notify.StatePending}})
		}
	}
	if err == nil {
		err = l.Reject(ctx, c.ID, 1, []notify.Skip{{File: "users.csv", Line: 5, Email: "nope", Reason: notify.SkipInvalid, Detail: "no @"}})
	}
	if err == nil {
		err = l.Suppress(ctx, "gone@example.com", "one-click")
	}
	l.Close()
	if err != nil {
		t.Fatal(err)
	}
	url := pgtest.URL(t)
	cli := func(args ...string) (string, int) {
		t.Helper()
		var out, errOut bytes.Buffer
		err := run(ctx, args, nil, &out, &errOut)
		code := exitCode(err, &errOut)
		return out.String() + errOut.String(), code
	}

	out, code := cli("notify", "migrate", "--from", state, "--to", url)
	if code != 0 || !strings.Contains(out, "copied "+state) || !regexpMatch(`deliveries +3 +3`, out) || !regexpMatch(`rejected_rows +1 +1`, out) || strings.Contains(out, pgtest.Password(t)) {
		t.Fatalf("migrate: exit %d\n%s", code, out)
	}
	out, code = cli("notify", "migrate", "--from", state, "--to", url)
	if code != 0 || !strings.Contains(out, "already holds exactly the ledger") {
		t.Fatalf("rerun: exit %d\n%s", code, out)
	}
	fromSQLite, code1 := cli("notify", "export", c.ID, "--state", state)
	fromPG, code2 := cli("notify", "export", c.ID, "--state", url)
	if code1 != 0 || code2 != 0 || fromSQLite != fromPG || !strings.Contains(fromPG, "users.csv:5: invalid address (no @)") {
		t.Fatalf("export differs: exit %d %d\nsqlite:\n%s\npostgres:\n%s", code1, code2, fromSQLite, fromPG)
	}

	// Another ledger into the same database: refused, nothing written.
	other := filepath.Join(t.TempDir(), "other.db")
	l, err = notify.OpenSQLite(ctx, other)
	if err == nil {
		err = l.Suppress(ctx, "someone@example.com", "test")
		l.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	out, code = cli("notify", "migrate", "--from", other, "--to", url)
	if code != 1 || !strings.Contains(out, "not empty") || !strings.Contains(out, "suppressions 1 rows, source 1") {
		t.Fatalf("migrate into a used database: exit %d\n%s", code, out)
	}
	if out, _ := cli("notify", "unsubscribes", "--state", url); out != "email\ngone@example.com\n" {
		t.Fatalf("the refused copy wrote something:\n%s", out)
	}

	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--from", state}, 2, "needs --to"},
		{[]string{"--from", state, "--to", other}, 2, "--to must be a postgres://"},
		{[]string{"--from", filepath.Join(t.TempDir(), "missing.db"), "--to", url}, 1, "no ledger at"},
	} {
		out, code := cli(append([]string{"notify", "migrate"}, tc.args...)...)
		if code != tc.code || !strings.Contains(out, tc.want) {
			t.Errorf("migrate %v: exit %d, want %d and %q:\n%s", tc.args, code, tc.code, tc.want, out)
		}
	}
}

func regexpMatch(re, s string) bool { return regexp.MustCompile(re).MatchString(s) }
