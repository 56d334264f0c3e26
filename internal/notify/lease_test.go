package notify_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/getspectr/redline/internal/notify"
	"github.com/getspectr/redline/internal/pgtest"
	"github.com/getspectr/redline/internal/testwait"
)

// openPG opens a ledger on url; each call is a connection pool of its own,
// as a separate sender process has.
func openPG(t testing.TB, url string) *notify.PostgresLedger {
	t.Helper()
	l, err := notify.OpenPostgres(testwait.Context(t), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// waitUntil polls cond until it holds; it fails the test at go test's
// -timeout (less a margin) or on an error.
func waitUntil(t testing.TB, what string, cond func() (bool, error)) {
	t.Helper()
	deadline := testwait.Deadline(t)
	for {
		ok, err := cond()
		if err != nil {
			t.Fatalf("waiting for %s: %v", what, err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s before go test's -timeout", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// loadGate holds a campaign's load lock from outside, so that senders
// started together all wait for it, as they do when one of them is loading.
type loadGate struct {
	conn *pgx.Conn
}

func holdLoadLock(t testing.TB, url, campaignID string) *loadGate {
	t.Helper()
	ctx := testwait.Context(t)
	conn, err := pgx.Connect(ctx, url)
	must(t, err)
	t.Cleanup(func() { conn.Close(context.Background()) })
	_, err = conn.Exec(ctx, `SELECT pg_advisory_lock(hashtextextended($1, 0))`, "redline.load:"+campaignID)
	must(t, err)
	return &loadGate{conn: conn}
}

func (g *loadGate) waiters(ctx context.Context) (int, error) {
	var n int
	err := g.conn.QueryRow(ctx, `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`).Scan(&n)
	return n, err
}

func (g *loadGate) release(t testing.TB) {
	_, err := g.conn.Exec(testwait.Context(t), `SELECT pg_advisory_unlock_all()`)
	must(t, err)
}

// TestSendersShareCampaign starts three senders on one campaign at the same
// moment (they all wait for the load lock, then go): the recipients are
// loaded once, the campaign is created once, every recipient is sent once,
// the campaign is complete, and the ledger says who sent each row.
func TestSendersShareCampaign(t *testing.T) {
	const n, senders = 600, 3
	ctx := testwait.Context(t)
	url := pgtest.URL(t)
	sk := startSink(t, nil)
	c := testCampaign(t)
	gate := holdLoadLock(t, url, c.ID)

	sums := make([]notify.Summary, senders)
	errs := make([]error, senders)
	var wg sync.WaitGroup
	for i := range senders {
		opts := sendOptions(c, openPG(t, url), recipientsCSV(n), sk.URL())
		opts.SenderID = fmt.Sprintf("sender-%d", i)
		opts.Lease = 10 * time.Second
		wg.Go(func() { sums[i], errs[i] = notify.Run(ctx, opts) })
	}
	waitUntil(t, "three senders waiting to load the list", func() (bool, error) {
		w, err := gate.waiters(ctx)
		return w == senders, err
	})
	gate.release(t)
	wg.Wait()

	loaded, sent := 0, 0
	for i, s := range sums {
		if errs[i] != nil {
			t.Fatalf("sender %d: %v\n%s", i, errs[i], s)
		}
		if !s.Joined {
			loaded++
			if s.Rows != n {
				t.Errorf("the loading sender read %d rows, want %d", s.Rows, n)
			}
		}
		sent += s.Sent
	}
	if loaded != 1 {
		t.Errorf("%d senders loaded the list, want 1", loaded)
	}
	l := openPG(t, url)
	if got, err := notify.LoadsForTest(ctx, l, c.ID); err != nil || got != 1 {
		t.Errorf("the ledger recorded %d loads (%v), want 1", got, err)
	}
	cs, err := l.Campaigns(ctx)
	must(t, err)
	if len(cs) != 1 || len(cs[0].Hashes) != 1 {
		t.Fatalf("campaigns: %+v, want one with one hash", cs)
	}
	if cs[0].Completed.IsZero() || cs[0].Counts[notify.StateSent] != n {
		t.Errorf("campaign not complete with %d sent: %+v", n, cs[0])
	}
	acc := sk.Accepted()
	for i := range n {
		if got := acc[csvEmail(i)]; got != 1 {
			t.Errorf("%s got the message %d times, want once", csvEmail(i), got)
		}
	}
	by, err := notify.SendersForTest(ctx, l, c.ID)
	must(t, err)
	total := 0
	for _, k := range by {
		total += k
	}
	if sent != n || total != n {
		t.Errorf("senders sent %d, the ledger records %d by sender (%v), want %d", sent, total, by, n)
	}
	t.Logf("rows by sender: %v", by)
}

// leaseFixture is a campaign with rows entered directly, for tests that
// play a sender by hand.
func leaseFixture(t testing.TB, l notify.Ledger, n int) notify.Campaign {
	t.Helper()
	ctx := testwait.Context(t)
	c := testCampaign(t)
	_, err := l.OpenCampaign(ctx, notify.CampaignRecord{ID: c.ID, Doc: c.Doc, Version: c.Version, Hash: c.Hash, Base: c.Base, Covers: c.Covers})
	must(t, err)
	var es []notify.Entry
	for i := range n {
		es = append(es, notify.Entry{Email: csvEmail(i), Name: fmt.Sprintf("User %d", i), Known: c.Known, Line: i + 2, State: notify.StatePending})
	}
	must(t, l.Enqueue(ctx, c.ID, 1, es))
	return c
}

// TestLeaseTakeOver: a sender claimed every row and was killed with one
// message in flight. A new sender waits for that lease to lapse, takes the
// rows over, resends the one in flight as uncertain (once), and completes
// the campaign.
func TestLeaseTakeOver(t *testing.T) {
	const n = 20
	ctx := testwait.Context(t)
	url := pgtest.URL(t)
	l := openPG(t, url)
	c := leaseFixture(t, l, n)
	rows, err := l.ClaimLease(ctx, c.ID, "dead", 0, time.Second, 100)
	must(t, err)
	if len(rows) != n {
		t.Fatalf("claimed %d rows, want %d", len(rows), n)
	}
	must(t, l.RecordLeased(ctx, "dead", time.Second, []notify.Update{{ID: rows[0].ID, State: notify.StateSending, Attempt: true}}))
	if got, err := l.Leases(ctx, c.ID, "alive"); err != nil || got != (notify.LeaseCounts{Claimable: 0, HeldByOthers: n}) {
		t.Fatalf("leases seen by another sender: %+v (%v), want none claimable, %d held", got, err, n)
	}

	sk := startSink(t, nil)
	opts := sendOptions(c, openPG(t, url), recipientsCSV(n), sk.URL())
	opts.SenderID, opts.Lease = "alive", 10*time.Second
	sum, err := notify.Run(ctx, opts)
	if err != nil {
		t.Fatalf("%v\n%s", err, sum)
	}
	if sum.Sent != n || sum.UncertainResent != 1 || sum.Unreached() != 0 || sum.Status.Completed.IsZero() {
		t.Errorf("want %d sent, 1 resent as uncertain, the campaign complete:\n%s", n, sum)
	}
	if d, _, _ := l.Lookup(ctx, c.ID, rows[0].Email); d.Uncertain != 1 || d.State != notify.StateSent {
		t.Errorf("the row in flight: %+v, want sent with one uncertain resend", d)
	}
	by, err := notify.SendersForTest(ctx, l, c.ID)
	must(t, err)
	if by["alive"] != n {
		t.Errorf("rows by sender: %v, want all %d by alive", by, n)
	}
	acc := sk.Accepted()
	for i := range n {
		if got := acc[csvEmail(i)]; got != 1 {
			t.Errorf("%s got the message %d times, want once", csvEmail(i), got)
		}
	}
}

// TestLeaseFence: a sender whose lease lapsed and was taken over can no
// longer start a message on those rows, though the outcome of one it had
// already handed over is still recorded, and nobody starts a row that is
// sent.
func TestLeaseFence(t *testing.T) {
	ctx := testwait.Context(t)
	l := openPG(t, pgtest.URL(t))
	c := leaseFixture(t, l, 2)
	a := lapsedClaim(t, l, c.ID, 2, 2)
	b, err := l.ClaimLease(ctx, c.ID, "B", 0, time.Hour, 10)
	must(t, err)
	if len(b) != 2 {
		t.Fatalf("B claimed %d of the lapsed rows, want 2", len(b))
	}
	err = l.RecordLeased(ctx, "A", time.Hour, []notify.Update{
		{ID: a[0].ID, State: notify.StateSending, Attempt: true},
		{ID: a[1].ID, State: notify.StateSent, Reply: "250 ok"},
	})
	if !errors.Is(err, notify.ErrLeaseLost) {
		t.Fatalf("A started a message on a row B holds: %v", err)
	}
	if d, _, _ := l.Lookup(ctx, c.ID, a[0].Email); d.State != notify.StatePending || d.Attempts != 0 {
		t.Errorf("row A lost: %+v, want pending, never attempted", d)
	}
	if d, _, _ := l.Lookup(ctx, c.ID, a[1].Email); d.State != notify.StateSent {
		t.Errorf("the outcome A had: %+v, want sent", d)
	}
	if err := l.RecordLeased(ctx, "B", time.Hour, []notify.Update{{ID: b[1].ID, State: notify.StateSending, Attempt: true}}); !errors.Is(err, notify.ErrLeaseLost) {
		t.Errorf("B started a row that was sent: %v", err)
	}
	// All or none: an update of a row that does not exist undoes the batch.
	err = l.RecordLeased(ctx, "B", time.Hour, []notify.Update{{ID: b[0].ID, State: notify.StateSending, Attempt: true}, {ID: 1 << 40, State: notify.StateSent}})
	if err == nil || !strings.Contains(err.Error(), "not found") {
		t.Errorf("an update of no row: %v", err)
	}
	if d, _, _ := l.Lookup(ctx, c.ID, b[0].Email); d.State != notify.StatePending || d.Attempts != 0 {
		t.Errorf("after a failed batch: %+v, want pending, never attempted", d)
	}
	must(t, l.RecordLeased(ctx, "B", time.Hour, []notify.Update{{ID: b[0].ID, State: notify.StateSending, Attempt: true}}))
	if n, err := l.Leases(ctx, c.ID, "C"); err != nil || n != (notify.LeaseCounts{HeldByOthers: 1}) {
		t.Errorf("while B holds its row, C sees %+v (%v)", n, err)
	}
	if n, err := l.ReleaseLease(ctx, c.ID, "B"); err != nil || n != 1 {
		t.Errorf("B released %d rows (%v), want 1", n, err)
	}
	if n, err := l.Leases(ctx, c.ID, "C"); err != nil || n != (notify.LeaseCounts{Claimable: 1}) {
		t.Errorf("after B released its row, C sees %+v (%v)", n, err)
	}
}

// lapsedClaim has sender A claim n rows of the campaign under a lease of a
// millisecond and waits until it has lapsed: all rows of the campaign
// (unsettled, all) are then claimable by others.
func lapsedClaim(t testing.TB, l *notify.PostgresLedger, campaignID string, n, all int) []notify.Delivery {
	t.Helper()
	ctx := testwait.Context(t)
	a, err := l.ClaimLease(ctx, campaignID, "A", 0, time.Millisecond, n)
	must(t, err)
	if len(a) != n {
		t.Fatalf("A claimed %d rows, want %d", len(a), n)
	}
	waitUntil(t, "A's lease to lapse", func() (bool, error) {
		c, err := l.Leases(ctx, campaignID, "B")
		return c.Claimable == all, err
	})
	return a
}
