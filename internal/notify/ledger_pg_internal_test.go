package notify

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/getspectr/redline/internal/pgtest"
	"github.com/getspectr/redline/internal/testwait"
)

// No error of a PostgreSQL --state shows any part of the password: not a
// malformed URL's, not a refused connection's, not a wrong password's, nor
// PGPASSWORD's.
func TestPostgresURLErrorsShowNoSecret(t *testing.T) {
	ctx := testwait.Context(t)
	good, err := url.Parse(pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	leaks := func(msg, pass string) bool {
		for i := 0; i+3 <= len(pass); i++ {
			if strings.Contains(msg, pass[i:i+3]) {
				return true
			}
		}
		return false
	}
	check := func(raw, pass string) {
		t.Helper()
		l, err := OpenPostgres(ctx, raw)
		if err == nil {
			l.Close()
			t.Errorf("opened with the wrong password %q", pass)
			return
		}
		if leaks(err.Error(), pass) {
			t.Errorf("error shows part of the password %q: %v", pass, err)
		}
		if leaks(DescribeState(raw), pass) {
			t.Errorf("DescribeState shows part of the password %q: %s", pass, DescribeState(raw))
		}
	}
	for _, pass := range []string{"pa#ss-w0rd-x9", "pa/ss-w0rd-x9", "pa?ss-w0rd-x9", "pa%zz-w0rd-x9", "pa@ss-w0rd-x9", "p:a/b?c#d%e-x9", "pa%ss:999-x9"} {
		for _, raw := range []string{
			"postgres://redline:" + pass + "@" + good.Host + "/db",
			"postgresql://redline:" + pass + "@127.0.0.1:1/db?sslmode=disable",
			"postgres://" + good.Host + "/db?password=" + pass,
		} {
			check(raw, pass)
		}
	}
	// Percent-encoded, a password with all of those works.
	odd := "p:a/b?c#d%e@x9"
	admin, err := OpenPostgres(ctx, good.String())
	if err != nil {
		t.Fatal(err)
	}
	_, err = admin.pool.Exec(ctx, "DROP ROLE IF EXISTS odd; CREATE ROLE odd LOGIN SUPERUSER PASSWORD '"+odd+"'")
	admin.Close()
	if err != nil {
		t.Fatal(err)
	}
	enc := *good
	enc.User = url.UserPassword("odd", odd)
	if l, err := OpenPostgres(ctx, enc.String()); err != nil {
		t.Errorf("encoded password: %v", err)
	} else {
		l.Close()
	}

	// Well formed, but the server says no, or is not there.
	wrong := *good
	wrong.User = url.UserPassword("postgres", "Wr0ng-Secret-Pa55")
	check(wrong.String(), "Wr0ng-Secret-Pa55")
	wrong.Host = "127.0.0.1:1"
	check(wrong.String(), "Wr0ng-Secret-Pa55")
	nopass := *good
	nopass.User = url.User("postgres")
	t.Setenv("PGPASSWORD", "Env-Secret-Pa55w0rd")
	check(nopass.String(), "Env-Secret-Pa55w0rd")
	if _, err := OpenPostgres(ctx, nopass.String()); err == nil || !strings.Contains(err.Error(), "postgres://postgres@"+good.Host+good.Path) {
		t.Errorf("the error does not say which database: %v", err)
	}
}

// A ledger created by several processes at once is migrated once: they
// wait for one another on the advisory lock and find the work done.
func TestPostgresConcurrentFirstUse(t *testing.T) {
	ctx := context.Background()
	u := pgtest.URL(t)
	errs := make(chan error, 6)
	for range cap(errs) {
		go func() {
			l, err := OpenPostgres(ctx, u)
			if err == nil {
				_, err = l.OpenCampaign(ctx, CampaignRecord{ID: "privacy/v2", Doc: "privacy", Version: "v2", Hash: "h"})
				l.Close()
			}
			errs <- err
		}()
	}
	for range cap(errs) {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	l, err := OpenPostgres(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var n, v int
	if err := l.pool.QueryRow(ctx, "SELECT count(*), max(version) FROM schema_version").Scan(&n, &v); err != nil || n != 1 || v != schemaVersion {
		t.Fatalf("schema_version: %d rows, version %d, %v", n, v, err)
	}
	if all, err := l.Campaigns(ctx); err != nil || len(all) != 1 || len(all[0].Hashes) != 1 {
		t.Fatalf("campaigns after six concurrent opens: %+v %v", all, err)
	}
}

// notify migrate copies every table of the ledger: a table added by a
// later schema must be added to ledgerTables too, with the same columns on
// both backends.
func TestCopyCoversEverySchemaTable(t *testing.T) {
	ctx := context.Background()
	want := map[string]string{}
	for _, lt := range ledgerTables {
		want[lt.name] = lt.cols
	}
	sl, err := OpenSQLite(ctx, t.TempDir()+"/state.db")
	if err != nil {
		t.Fatal(err)
	}
	defer sl.Close()
	rows, err := sl.db.QueryContext(ctx, `SELECT m.name, group_concat(p.name, ', ') FROM sqlite_master m, pragma_table_info(m.name) p
		WHERE m.type = 'table' GROUP BY m.name ORDER BY m.name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	checkTables(t, "sqlite", want, rows.Next, rows.Scan)
	pl, err := OpenPostgres(ctx, pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer pl.Close()
	prow, err := pl.pool.Query(ctx, `SELECT table_name, string_agg(column_name, ', ') FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name <> 'schema_version' AND column_name <> 'seq'
			AND table_name NOT IN ('campaign_loads', 'claim_marks') AND column_name NOT IN ('lease_owner', 'lease_until') -- the senders' leases: PostgreSQL's own, transient
		GROUP BY table_name`)
	if err != nil {
		t.Fatal(err)
	}
	defer prow.Close()
	checkTables(t, "postgres", want, prow.Next, prow.Scan)
}

// checkTables reads (table, columns) rows with next and scan and requires
// the tables and columns of want, no more and no fewer.
func checkTables(t *testing.T, backend string, want map[string]string, next func() bool, scan func(...any) error) {
	t.Helper()
	n := 0
	for next() {
		var name, cols string
		if err := scan(&name, &cols); err != nil {
			t.Fatal(err)
		}
		n++
		if !sameCols(want[name], cols) {
			t.Errorf("%s table %s (%s): ledgerTables copies %q", backend, name, cols, want[name])
		}
	}
	if n != len(want) {
		t.Errorf("%s has %d tables, ledgerTables %d", backend, n, len(want))
	}
}

func sameCols(a, b string) bool {
	x, y := strings.Split(a, ", "), strings.Split(b, ", ")
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}
