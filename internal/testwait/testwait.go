// Package testwait gives tests one deadline for waiting on a state: go
// test's own -timeout, less a margin to report what was awaited. A test
// that waits for a server to answer or a page to change uses it instead of
// a budget of its own, so a starved machine makes the suite slower, never
// red, and a hung test still stops by itself with a clear message.
package testwait

import (
	"context"
	"testing"
	"time"
)

// margin is left before go test's -timeout to fail with a message instead
// of a goroutine dump.
const margin = 30 * time.Second

// fallback applies when go test runs with -timeout 0 (no deadline).
const fallback = 10 * time.Minute

// Deadline is when a test should give up waiting.
func Deadline(t testing.TB) time.Time {
	if d, ok := t.(interface{ Deadline() (time.Time, bool) }); ok {
		if at, ok := d.Deadline(); ok {
			return at.Add(-margin)
		}
	}
	return time.Now().Add(fallback)
}

// Context is a context that ends at Deadline and when the test ends.
func Context(t testing.TB) context.Context {
	ctx, cancel := context.WithDeadline(context.Background(), Deadline(t))
	t.Cleanup(cancel)
	return ctx
}
