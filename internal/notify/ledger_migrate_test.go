package notify

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getspectr/redline/internal/pgtest"
	"github.com/getspectr/redline/internal/testwait"
	"github.com/jackc/pgx/v5"
)

// A ledger written by the previous redline (schema 1) opens, keeps its
// campaigns and deliveries, and gets the columns and tables of schema 2.
func TestLedgerMigratesSchema1(t *testing.T) {
	ctx := context.Background()
	l := oldSQLite(t, schema, "PRAGMA user_version = 1",
		`INSERT INTO campaigns (id, doc, version, hash, covers, created_at) VALUES ('privacy/v2@abc', 'privacy', 'v2', 'abcdef', 'v2', '2026-01-01T00:00:00.000000000Z')`,
		`INSERT INTO deliveries (campaign, email, email_key, state, version_hash, updated_at) VALUES ('privacy/v2@abc', 'A@x.test', 'a@x.test', 'sent', 'abcdef', '2026-01-01T00:00:00.000000000Z')`)
	st, err := l.Status(ctx, "privacy/v2@abc")
	if err != nil || st.Counts[StateSent] != 1 || len(st.Hashes) != 1 || st.Hashes[0].Hash != "abcdef" {
		t.Fatalf("status after migration: %+v %v", st, err)
	}
	recs, err := l.DocCampaigns(ctx, "privacy")
	if err != nil || len(recs) != 1 || recs[0].Base != "" {
		t.Fatalf("campaigns after migration: %+v %v", recs, err)
	}
	told, err := l.Told(ctx, "privacy", "privacy/v3", []string{"a@X.test"})
	if err != nil || len(told["a@x.test"]) != 1 || told["a@x.test"][0] != "v2" {
		t.Fatalf("told after migration: %v %v", told, err)
	}
	var v int
	if err := l.db.QueryRow("PRAGMA user_version").Scan(&v); err != nil || v != schemaVersion {
		t.Fatalf("user_version %d %v", v, err)
	}
}

// A ledger at schema 2 (what redline wrote before rejected rows were kept)
// is upgraded in place on both backends: its campaigns and deliveries stay,
// and it keeps rejected rows from then on.
func TestLedgerUpgradesSchema2InPlace(t *testing.T) {
	const campaign = `INSERT INTO campaigns (id, doc, version, hash, covers, created_at, base) VALUES ('privacy/v2', 'privacy', 'v2', 'abcdef', 'v2', '2026-01-01T00:00:00.000000000Z', 'v1')`
	const delivery = `INSERT INTO deliveries (campaign, email, email_key, state, version_hash, updated_at, known) VALUES ('privacy/v2', 'A@x.test', 'a@x.test', 'sent', 'abcdef', '2026-01-01T00:00:00.000000000Z', 'v1')`
	check := func(t *testing.T, l Ledger) {
		ctx := context.Background()
		st, err := l.Status(ctx, "privacy/v2")
		if err != nil || st.Counts[StateSent] != 1 || st.Base != "v1" {
			t.Fatalf("status after the upgrade: %+v %v", st, err)
		}
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(l.Reject(ctx, "privacy/v2", 1, []Skip{{File: "users.csv", Line: 3, Email: "bad", Reason: SkipInvalid, Detail: "no @"}}))
		var got []RejectedRow
		must(l.Rejected(ctx, "privacy/v2", func(r RejectedRow) error { got = append(got, r); return nil }))
		if len(got) != 1 || got[0].Line != 3 || got[0].Reason != SkipInvalid || got[0].Seen.IsZero() {
			t.Fatalf("rejected rows after the upgrade: %+v", got)
		}
	}
	t.Run("sqlite", func(t *testing.T) {
		l := oldSQLite(t, schema, schemaV2, "PRAGMA user_version = 2", campaign, delivery)
		check(t, l)
		var v int
		if err := l.db.QueryRow("PRAGMA user_version").Scan(&v); err != nil || v != schemaVersion {
			t.Fatalf("user_version %d %v", v, err)
		}
	})
	t.Run("postgres", func(t *testing.T) {
		ctx := testwait.Context(t)
		u := pgtest.URL(t)
		conn, err := pgx.Connect(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{pgSchemaV2, "CREATE TABLE schema_version (version INTEGER NOT NULL)", "INSERT INTO schema_version VALUES (2)", campaign, delivery} {
			if _, err := conn.Exec(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		conn.Close(ctx)
		l, err := OpenPostgres(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		check(t, l)
		var v int
		if err := l.pool.QueryRow(ctx, "SELECT version FROM schema_version").Scan(&v); err != nil || v != schemaVersion {
			t.Fatalf("schema_version %d %v", v, err)
		}
	})
}

// A ledger written by a newer redline is refused, not half understood.
func TestLedgerFromNewerRedlineRefused(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "state.db")
	if l, err := OpenSQLite(ctx, path); err != nil {
		t.Fatal(err)
	} else {
		_, err = l.db.Exec(fmt.Sprintf("PRAGMA user_version = %d", schemaVersion+1))
		l.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := OpenSQLite(ctx, path); err == nil || !strings.Contains(err.Error(), "newer redline") {
		t.Fatalf("sqlite: %v", err)
	}
	u := pgtest.URL(t)
	l, err := OpenPostgres(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	_, err = l.pool.Exec(ctx, "UPDATE schema_version SET version = version + 1")
	l.Close()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := OpenPostgres(ctx, u); err == nil || !strings.Contains(err.Error(), "newer redline") {
		t.Fatalf("postgres: %v", err)
	}
}

// oldSQLite writes a ledger as an older redline did, with stmts, then opens
// it (which upgrades it).
func oldSQLite(t *testing.T, stmts ...string) *SQLiteLedger {
	t.Helper()
	path := filepath.Join(t.TempDir(), "state.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	l, err := OpenSQLite(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}
