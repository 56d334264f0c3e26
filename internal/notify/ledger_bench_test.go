package notify_test

import (
	"context"
	"path/filepath"
	"testing"

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
