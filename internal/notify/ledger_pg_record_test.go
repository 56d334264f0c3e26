package notify_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getspectr/redline/internal/notify"
	"github.com/getspectr/redline/internal/pgtest"
	"github.com/getspectr/redline/internal/testwait"
)

// TestPostgresRecordBatchesAsOneByOne applies the same updates to two
// campaigns of one PostgreSQL ledger, in batches (one multi-row statement;
// one statement per update when a batch names a delivery twice) and one
// update per call, and requires the same rows.
func TestPostgresRecordBatchesAsOneByOne(t *testing.T) {
	ctx := testwait.Context(t)
	l := openPG(t, pgtest.URL(t))
	open := func(id string) []notify.Delivery {
		_, err := l.OpenCampaign(ctx, notify.CampaignRecord{ID: id, Doc: "doc-" + id, Version: "v2", Hash: "h1"})
		must(t, err)
		es := make([]notify.Entry, 50)
		for i := range es {
			es[i] = notify.Entry{Email: fmt.Sprintf("u%d@example.com", i), State: notify.StatePending}
		}
		must(t, l.Enqueue(ctx, id, 1, es))
		ds, err := l.Claim(ctx, id, 0, 100)
		must(t, err)
		return ds
	}
	batched, single := open("batched"), open("single")
	rng := rand.New(rand.NewPCG(3, 4))
	states := []notify.State{notify.StateSending, notify.StateSent, notify.StateFailed, notify.StatePending}
	at := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	for round := range 40 {
		n := 1 + rng.IntN(40)
		idx := make([]int, n)
		ups := make([]notify.Update, n)
		for i := range ups {
			st := states[rng.IntN(len(states))]
			idx[i] = rng.IntN(len(batched))
			ups[i] = notify.Update{State: st, Reason: fmt.Sprint("r", round), Attempt: st == notify.StateSending,
				Uncertain: rng.IntN(3) == 0, At: at.Add(time.Duration(round) * time.Second)}
			if rng.IntN(2) == 0 {
				ups[i].Reply, ups[i].MessageID = fmt.Sprint("250 ", round), fmt.Sprint("m", i)
			}
		}
		if round%3 != 0 { // distinct rows: the multi-row statement
			seen := map[int]bool{}
			var keepIdx []int
			var keep []notify.Update
			for i, k := range idx {
				if !seen[k] {
					seen[k] = true
					keepIdx, keep = append(keepIdx, k), append(keep, ups[i])
				}
			}
			idx, ups = keepIdx, keep
		}
		for i := range ups {
			ups[i].ID = batched[idx[i]].ID
		}
		must(t, l.Record(ctx, ups))
		for i, u := range ups {
			u.ID = single[idx[i]].ID
			must(t, l.Record(ctx, []notify.Update{u}))
		}
	}
	rows := func(id string) []notify.Delivery {
		var out []notify.Delivery
		must(t, l.Evidence(ctx, id, func(d notify.Delivery) error {
			d.ID, d.Campaign = 0, ""
			out = append(out, d)
			return nil
		}))
		return out
	}
	a, b := rows("batched"), rows("single")
	if len(a) != len(b) {
		t.Fatalf("%d rows batched, %d one by one", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("row %d:\nbatched    %+v\none by one %+v", i, a[i], b[i])
		}
	}
	// A batch with a row that does not exist changes nothing and names it.
	before := rows("batched")
	err := l.Record(ctx, []notify.Update{{ID: batched[0].ID, State: notify.StateSent}, {ID: 1 << 40, State: notify.StateSent}, {ID: batched[1].ID, State: notify.StateFailed}})
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("delivery %d not found", int64(1<<40))) {
		t.Errorf("a batch with an unknown row: %v, want it named", err)
	}
	if after := rows("batched"); !slices.Equal(before, after) {
		t.Errorf("a failed batch changed rows")
	}
}

// TestLeaseFenceManyRows: one commit of a sender carries attempts on rows
// it still holds, attempts on rows another sender took over, and outcomes.
// The attempts on the rows taken over change nothing and give ErrLeaseLost
// (counting them); everything else is committed; the other sender still
// holds its rows and can start them.
func TestLeaseFenceManyRows(t *testing.T) {
	ctx := testwait.Context(t)
	l := openPG(t, pgtest.URL(t))
	c := leaseFixture(t, l, 6)
	a := lapsedClaim(t, l, c.ID, 3, 6)
	b, err := l.ClaimLease(ctx, c.ID, "B", 0, time.Hour, 2) // rows 0 and 1 of A's
	must(t, err)
	if len(b) != 2 || b[0].ID != a[0].ID || b[1].ID != a[1].ID {
		t.Fatalf("B claimed %+v, want A's first two rows", b)
	}
	more, err := l.ClaimLease(ctx, c.ID, "A", a[2].ID, time.Hour, 3) // rows 3 to 5
	must(t, err)
	if len(more) != 3 {
		t.Fatalf("A claimed %d more rows, want 3", len(more))
	}
	mine := append(a[2:], more...) // A still holds these (row 2's lease lapsed, but nobody took it)
	err = l.RecordLeased(ctx, "A", time.Hour, []notify.Update{
		{ID: b[0].ID, State: notify.StateSending, MessageID: "<lost0@x>", Attempt: true},
		{ID: mine[0].ID, State: notify.StateSending, MessageID: "<m2@x>", Attempt: true},
		{ID: mine[1].ID, State: notify.StateSending, MessageID: "<m3@x>", Attempt: true, Uncertain: true},
		{ID: mine[2].ID, State: notify.StateSent, Reply: "250 ok"},
		{ID: b[1].ID, State: notify.StateSending, MessageID: "<lost1@x>", Attempt: true},
	})
	if !errors.Is(err, notify.ErrLeaseLost) || !strings.Contains(err.Error(), "2 messages") {
		t.Fatalf("A started messages on rows B holds: %v, want ErrLeaseLost for 2", err)
	}
	for _, d := range b {
		if got, _, _ := l.Lookup(ctx, c.ID, d.Email); got.State != notify.StatePending || got.Attempts != 0 || got.MessageID != "" {
			t.Errorf("a row B holds after A's commit: %+v, want pending, never attempted", got)
		}
	}
	want := []struct {
		state     notify.State
		attempts  int
		uncertain int
		id        string
	}{{notify.StateSending, 1, 0, "<m2@x>"}, {notify.StateSending, 1, 1, "<m3@x>"}, {notify.StateSent, 0, 0, ""}}
	for i, w := range want {
		got, _, _ := l.Lookup(ctx, c.ID, mine[i].Email)
		if got.State != w.state || got.Attempts != w.attempts || got.Uncertain != w.uncertain || got.MessageID != w.id {
			t.Errorf("A's row %d: %+v, want %s, %d attempts, %d uncertain, Message-ID %q", i, got, w.state, w.attempts, w.uncertain, w.id)
		}
	}
	// B's rows are still B's: its attempts apply; a batch naming one row
	// twice (applied one update at a time) keeps the fence too.
	must(t, l.RecordLeased(ctx, "B", time.Hour, []notify.Update{
		{ID: b[0].ID, State: notify.StateSending, Attempt: true}, {ID: b[0].ID, State: notify.StateSent, Reply: "250 ok"},
	}))
	err = l.RecordLeased(ctx, "A", time.Hour, []notify.Update{
		{ID: b[1].ID, State: notify.StateSending, Attempt: true}, {ID: b[1].ID, State: notify.StatePending, Reason: "421 later"},
	})
	if !errors.Is(err, notify.ErrLeaseLost) {
		t.Errorf("A started B's row in a batch naming it twice: %v", err)
	}
	if got, _, _ := l.Lookup(ctx, c.ID, b[0].Email); got.State != notify.StateSent || got.Attempts != 1 {
		t.Errorf("B's row after B sent it: %+v, want sent after 1 attempt", got)
	}
	by, err := notify.SendersForTest(ctx, l, c.ID)
	must(t, err)
	if by["B"] != 1 || by["A"] != 0 {
		t.Errorf("rows sent by sender: %v, want 1 by B, none by A", by)
	}
}

// TestClaimMark: a claim after a row starts past every row any sender has
// claimed, so it does not step over the rows others hold; a claim from the
// start still finds the rows that came back below that mark.
func TestClaimMark(t *testing.T) {
	ctx := testwait.Context(t)
	l := openPG(t, pgtest.URL(t))
	c := leaseFixture(t, l, 9)
	ids := func(ds []notify.Delivery) []int64 {
		out := make([]int64, len(ds))
		for i, d := range ds {
			out[i] = d.ID
		}
		return out
	}
	a, err := l.ClaimLease(ctx, c.ID, "A", 0, time.Hour, 3)
	must(t, err)
	b, err := l.ClaimLease(ctx, c.ID, "B", 0, time.Hour, 3)
	must(t, err)
	if len(a) != 3 || len(b) != 3 || b[0].ID <= a[2].ID {
		t.Fatalf("A claimed %v, B %v: want three rows each, B's after A's", ids(a), ids(b))
	}
	if n, err := l.ReleaseLease(ctx, c.ID, "B"); err != nil || n != 3 {
		t.Fatalf("B released %d rows (%v), want 3", n, err)
	}
	next, err := l.ClaimLease(ctx, c.ID, "A", a[2].ID, time.Hour, 3)
	must(t, err)
	if len(next) != 3 || next[0].ID <= b[2].ID {
		t.Errorf("A's next claim: %v, want the three rows past B's %v", ids(next), ids(b))
	}
	back, err := l.ClaimLease(ctx, c.ID, "C", 0, time.Hour, 10)
	must(t, err)
	if !slices.Equal(ids(back), ids(b)) {
		t.Errorf("a claim from the start: %v, want the rows B released %v", ids(back), ids(b))
	}
}
