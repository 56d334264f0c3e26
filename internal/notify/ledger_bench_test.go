package notify_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/getspectr/redline/internal/benchmeter"
	"github.com/getspectr/redline/internal/notify"
	"github.com/getspectr/redline/internal/pgtest"
)

// BenchmarkSendByLedger sends b.N messages to the in-process sink over 4
// connections with one sender, the ledger in SQLite and in PostgreSQL (the
// test cluster: fsync off, on the same machine), and reports each rate.
//
//	go test ./internal/notify/ -run '^$' -bench SendByLedger -benchtime 5000x
func BenchmarkSendByLedger(b *testing.B) {
	for _, backend := range []string{"sqlite", "postgres"} {
		b.Run("ledger="+backend, func(b *testing.B) {
			sk := startSinkWith(b, func(s *sink) { s.countOnly = true })
			state := filepath.Join(b.TempDir(), "state.db")
			if backend == "postgres" {
				state = pgtest.URL(b)
			}
			l, err := notify.OpenLedger(context.Background(), state)
			must(b, err)
			defer l.Close()
			benchSendWith(b, l, sk.URL(), 4)
		})
	}
}

// BenchmarkLedgerRecord measures the ledger's write hot path: Record with
// n updates per transaction, as the group committer calls it (a "sending"
// and the previous message's "sent" for each connection waiting).
//
//	go test ./internal/notify/ -run '^$' -bench LedgerRecord
func BenchmarkLedgerRecord(b *testing.B) {
	for _, n := range []int{2, 8, 32} {
		b.Run(fmt.Sprintf("updates=%d", n), func(b *testing.B) {
			ctx := context.Background()
			l, _ := openLedger(b)
			const rows = 4096
			_, err := l.OpenCampaign(ctx, notify.CampaignRecord{ID: "c", Doc: "privacy", Version: "v2", Hash: "h"})
			must(b, err)
			es := make([]notify.Entry, rows)
			for i := range es {
				es[i] = notify.Entry{Email: fmt.Sprintf("user%d@example.com", i), State: notify.StatePending}
			}
			must(b, l.Enqueue(ctx, "c", 1, es))
			ds, err := l.Claim(ctx, "c", 0, rows)
			must(b, err)
			ups := make([]notify.Update, n)
			now := time.Now()
			b.ResetTimer()
			m := benchmeter.Start()
			for i := range b.N {
				for k := range ups {
					d := ds[(i*n+k)%rows]
					st := notify.StateSending
					if k%2 == 1 {
						st = notify.StateSent
					}
					ups[k] = notify.Update{ID: d.ID, State: st, MessageID: "id@x", Attempt: st == notify.StateSending, At: now}
				}
				must(b, l.Record(ctx, ups))
			}
			b.ReportMetric(float64(m.Wall().Microseconds())/float64(b.N*n), "µs/update")
			b.ReportMetric(m.CPUPer(b.N*n), "cpu-µs/update")
		})
	}
}

// BenchmarkLedgerEnqueue measures the ingest's write path: Enqueue of a
// batch of 500 new rows (as ingest calls it), per row.
//
//	go test ./internal/notify/ -run '^$' -bench LedgerEnqueue
func BenchmarkLedgerEnqueue(b *testing.B) {
	ctx := context.Background()
	l, _ := openLedger(b)
	_, err := l.OpenCampaign(ctx, notify.CampaignRecord{ID: "c", Doc: "privacy", Version: "v2", Hash: "h"})
	must(b, err)
	const batch = 500
	es := make([]notify.Entry, batch)
	b.ResetTimer()
	m := benchmeter.Start()
	for i := range b.N {
		for k := range es {
			es[k] = notify.Entry{Email: fmt.Sprintf("user%d@example.com", i*batch+k), Name: "Ada", Locale: "en", Known: "v1", Line: k + 2, State: notify.StatePending}
		}
		must(b, l.Enqueue(ctx, "c", 1, es))
	}
	b.ReportMetric(m.CPUPer(b.N*batch), "cpu-µs/row")
}
