package notify_test

import (
	"bytes"
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/getspectr/redline/internal/notify"
	"github.com/getspectr/redline/internal/pgtest"
)

// usedLedger is a SQLite ledger after real runs: a campaign with failures
// superseded by a newer one, suppressions, rejected rows.
func usedLedger(t *testing.T) *notify.SQLiteLedger {
	t.Helper()
	sk := startSinkWith(t, func(s *sink) {
		s.rcpt = func(addr string, n int) string {
			if strings.HasSuffix(addr, "1@example.com") && n == 1 {
				return "550 5.2.2 mailbox full"
			}
			return ""
		}
	})
	l, _ := openLedger(t)
	ctx := context.Background()
	must(t, l.Suppress(ctx, "=gone@example.com", "one-click"))
	list := recipientsCSV(30) + "user00002@example.com,Dup,\nnot-an-address,Bad,\n=gone@example.com,Gone,\n"
	c := plan(t, l, testHistory(), "2026-04-01", map[string]string{"privacy": "2025-01-10"})
	if sum, _ := notify.Run(ctx, sendOptions(c, l, list, sk.URL())); sum.Failed != 3 {
		t.Fatalf("first campaign:\n%s", sum)
	}
	next := plan(t, l, laterHistory(), "2026-05-02", nil)
	if sum, err := notify.Run(ctx, sendOptions(next, l, list, sk.URL())); err != nil || sum.Unreached() != 0 {
		t.Fatalf("second campaign: %v\n%s", err, sum)
	}
	return l
}

// Point 5 and 6: a SQLite ledger moved into PostgreSQL holds the same
// campaigns, and exports byte for byte the same evidence and unsubscribes;
// a rerun finds the copy done; a target with other data is refused; the
// moved ledger goes on working.
func TestCopyLedgerToPostgres(t *testing.T) {
	ctx := context.Background()
	from := usedLedger(t)
	url := pgtest.URL(t)
	to, err := notify.OpenPostgres(ctx, url)
	must(t, err)
	defer to.Close()

	rep, err := notify.CopyLedger(ctx, from, to)
	if err != nil || rep.AlreadyCopied {
		t.Fatalf("copy: %v %+v", err, rep)
	}
	counts := map[string]int64{}
	for _, tc := range rep.Tables {
		if tc.From != tc.To {
			t.Errorf("%s: %d rows copied of %d", tc.Table, tc.To, tc.From)
		}
		counts[tc.Table] = tc.To
	}
	if counts["campaigns"] != 2 || counts["deliveries"] != 62 || counts["suppressions"] != 1 || counts["rejected_rows"] != 4 || counts["announcements"] != 1 || counts["campaign_hashes"] != 2 {
		t.Errorf("copied %v", counts)
	}

	a, err := from.Campaigns(ctx)
	must(t, err)
	b, err := to.Campaigns(ctx)
	must(t, err)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("campaigns differ:\nsqlite   %+v\npostgres %+v", a, b)
	}
	for _, c := range a {
		var x, y bytes.Buffer
		must(t, notify.ExportEvidence(ctx, from, c.ID, &x))
		must(t, notify.ExportEvidence(ctx, to, c.ID, &y))
		if x.String() != y.String() || strings.Count(x.String(), "\n") < 30 {
			t.Errorf("evidence of %s differs:\nsqlite:\n%s\npostgres:\n%s", c.ID, x.String(), y.String())
		}
	}
	var x, y bytes.Buffer
	must(t, notify.ExportSuppressions(ctx, from, &x))
	must(t, notify.ExportSuppressions(ctx, to, &y))
	if x.String() != y.String() || !strings.Contains(x.String(), "'=gone@example.com") {
		t.Errorf("unsubscribes differ:\n%s\n%s", x.String(), y.String())
	}

	// A rerun writes nothing and says so.
	if rep, err := notify.CopyLedger(ctx, from, to); err != nil || !rep.AlreadyCopied {
		t.Fatalf("rerun: %v %+v", err, rep)
	}
	// The moved ledger goes on: new rows get new ids, a new suppression
	// lands; then the target holds other data than the source.
	next := plan(t, to, laterHistory(), "2026-05-02", nil)
	must(t, to.Enqueue(ctx, next.ID, 99, []notify.Entry{{Email: "new@example.com", State: notify.StatePending}}))
	if d, ok, err := to.Lookup(ctx, next.ID, "new@example.com"); err != nil || !ok || d.ID <= 62 {
		t.Fatalf("a row added after the move: %+v %v %v", d, ok, err)
	}
	if _, err := notify.CopyLedger(ctx, from, to); err == nil || !strings.Contains(err.Error(), "not empty") || !strings.Contains(err.Error(), "deliveries 63 rows, source 62") {
		t.Fatalf("copy into a ledger with other data: %v", err)
	}
}
