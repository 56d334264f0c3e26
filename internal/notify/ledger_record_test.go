package notify_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/getspectr/redline/internal/notify"
)

// TestRecordBatchesAsOneByOne applies the same updates to two ledgers, in
// batches (multi-row statements; one-by-one when a batch names a delivery
// twice) and one update per call, and requires the same rows.
func TestRecordBatchesAsOneByOne(t *testing.T) {
	ctx := context.Background()
	open := func() (*notify.SQLiteLedger, []notify.Delivery) {
		l, _ := openLedger(t)
		_, err := l.OpenCampaign(ctx, notify.CampaignRecord{ID: "c", Doc: "privacy", Version: "v2", Hash: "h1"})
		must(t, err)
		es := make([]notify.Entry, 50)
		for i := range es {
			es[i] = notify.Entry{Email: fmt.Sprintf("u%d@example.com", i), State: notify.StatePending}
		}
		must(t, l.Enqueue(ctx, "c", 1, es))
		ds, err := l.Claim(ctx, "c", 0, 100)
		must(t, err)
		return l, ds
	}
	batched, ds := open()
	single, _ := open()
	rng := rand.New(rand.NewPCG(1, 2))
	states := []notify.State{notify.StateSending, notify.StateSent, notify.StateFailed, notify.StatePending}
	at := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	for round := range 40 {
		n := 1 + rng.IntN(40)
		ups := make([]notify.Update, n)
		for i := range ups {
			st := states[rng.IntN(len(states))]
			ups[i] = notify.Update{ID: ds[rng.IntN(len(ds))].ID, State: st, Reason: fmt.Sprint("r", round), Attempt: st == notify.StateSending,
				Uncertain: rng.IntN(3) == 0, At: at.Add(time.Duration(round) * time.Second)}
			if rng.IntN(2) == 0 {
				ups[i].Reply, ups[i].MessageID = fmt.Sprint("250 ", round), fmt.Sprint("m", i)
			}
		}
		if round%3 == 0 { // distinct ids: the multi-row statements
			slices.SortFunc(ups, func(a, b notify.Update) int { return int(a.ID - b.ID) })
			ups = slices.CompactFunc(ups, func(a, b notify.Update) bool { return a.ID == b.ID })
		}
		must(t, batched.Record(ctx, ups))
		for _, u := range ups {
			must(t, single.Record(ctx, []notify.Update{u}))
		}
	}
	rows := func(l *notify.SQLiteLedger) []notify.Delivery {
		var out []notify.Delivery
		must(t, l.Evidence(ctx, "c", func(d notify.Delivery) error { out = append(out, d); return nil }))
		return out
	}
	a, b := rows(batched), rows(single)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("row %d:\nbatched    %+v\none by one %+v", i, a[i], b[i])
		}
	}
}
