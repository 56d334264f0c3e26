package notify_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/getspectr/redline/internal/notify"
	"github.com/getspectr/redline/internal/pgtest"
)

// forEachLedger runs fn once per backend, as subtests sqlite and postgres:
// the conformance suite. Each subtest has a fresh, empty ledger; open
// returns a new handle on it each time it is called (a reopen, or a second
// process), closed when the subtest ends.
func forEachLedger(t *testing.T, fn func(t *testing.T, open func() notify.Ledger)) {
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "state", "state.db")
		fn(t, opener(t, path))
	})
	t.Run("postgres", func(t *testing.T) {
		fn(t, opener(t, pgtest.URL(t)))
	})
}

// opener opens the ledger at state (a path or URL) for t.
func opener(t *testing.T, state string) func() notify.Ledger {
	return func() notify.Ledger {
		t.Helper()
		l, err := notify.OpenLedger(context.Background(), state)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { l.Close() })
		return l
	}
}
