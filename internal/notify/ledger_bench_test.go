package notify_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

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
			c := testCampaign(b)
			state := filepath.Join(b.TempDir(), "state.db")
			if backend == "postgres" {
				state = pgtest.URL(b)
			}
			l, err := notify.OpenLedger(context.Background(), state)
			must(b, err)
			defer l.Close()
			opts := sendOptions(c, l, "", sk.URL())
			opts.Recipients = &csvGen{n: b.N}
			opts.Connections = 4
			b.ResetTimer()
			start := time.Now()
			sum, err := notify.Run(context.Background(), opts)
			elapsed := time.Since(start)
			b.StopTimer()
			if err != nil || sum.Sent != b.N {
				b.Fatalf("%v\n%s", err, sum)
			}
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "msgs/s")
		})
	}
}
