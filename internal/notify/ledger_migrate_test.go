package notify

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// A ledger written by the previous redline (schema 1) opens, keeps its
// campaigns and deliveries, and gets the columns and tables of schema 2.
func TestLedgerMigratesSchema1(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "state.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{schema, "PRAGMA user_version = 1",
		`INSERT INTO campaigns (id, doc, version, hash, covers, created_at) VALUES ('privacy/v2@abc', 'privacy', 'v2', 'abcdef', 'v2', '2026-01-01T00:00:00.000000000Z')`,
		`INSERT INTO deliveries (campaign, email, email_key, state, version_hash, updated_at) VALUES ('privacy/v2@abc', 'A@x.test', 'a@x.test', 'sent', 'abcdef', '2026-01-01T00:00:00.000000000Z')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()

	l, err := OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
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
