package notify_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getspectr/redline/internal/notify"
)

// When the send journal cannot be moved into the ledger (here a trigger
// refuses one update, as a full disk or a damaged file would), the run
// stops with the error, and what the journal holds is kept: once the cause
// is gone, opening the ledger applies it, and the next run sends only to
// those the server never received, nobody twice.
func TestSendlogApplyFailureStopsRun(t *testing.T) {
	ctx := context.Background()
	sk := startSink(t, nil)
	l, path := openLedger(t)
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = db.Exec(`CREATE TRIGGER refuse BEFORE UPDATE OF state ON deliveries
		WHEN NEW.state = 'sent' AND NEW.email = '` + csvEmail(3) + `' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`)
	if err != nil {
		t.Fatal(err)
	}
	const n = 40
	opts := sendOptions(testCampaign(t), l, recipientsCSV(n), sk.URL())
	opts.Connections = 1
	sum, err := notify.Run(ctx, opts)
	if err == nil || !strings.Contains(err.Error(), "applying the send journal") || !strings.Contains(err.Error(), "disk on fire") {
		t.Fatalf("run with a ledger refusing an update: %v\n%s", err, sum)
	}
	if left, _ := filepath.Glob(path + ".sendlog.*"); len(left) == 0 {
		t.Fatal("the journal was removed although it was not applied")
	}
	if _, err := notify.OpenSQLite(ctx, path); err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Fatalf("opening the ledger while the journal cannot be applied: %v", err)
	}

	if _, err := db.Exec(`DROP TRIGGER refuse`); err != nil {
		t.Fatal(err)
	}
	l2, err := notify.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	received, _ := sk.Stats()
	if st := mustStatus(t, l2, sum.Campaign); st.Counts[notify.StateSent] != received {
		t.Fatalf("after the journal was applied the ledger has %d sent, the server received %d: %v", st.Counts[notify.StateSent], received, st.Counts)
	}
	opts = sendOptions(testCampaign(t), l2, recipientsCSV(n), sk.URL())
	sum, err = notify.Run(ctx, opts)
	if err != nil || sum.Sent != n-received {
		t.Fatalf("the next run: %v\n%s", err, sum)
	}
	accepted := sk.Accepted()
	for i := range n {
		if got := accepted[csvEmail(i)]; got != 1 {
			t.Errorf("the server accepted %d messages to %s, want 1", got, csvEmail(i))
		}
	}
}
