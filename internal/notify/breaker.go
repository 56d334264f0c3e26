package notify

import (
	"errors"
	"fmt"
	"sync"
)

// ErrCircuitOpen is returned by Run when sending stopped because failures
// piled up: the server is unreachable, refuses us, or rejects everything.
// Recipients not yet tried stay pending for the next run.
var ErrCircuitOpen = errors.New("stopped sending: too many consecutive failures")

// breaker counts consecutive failures across all connections: lost or
// refused connections and messages that finally failed. One success resets
// it. At the threshold, or on a failure no retry can fix (authentication,
// TLS), it trips: stop is called once and err says why.
type breaker struct {
	mu        sync.Mutex
	threshold int
	count     int
	err       error
	stop      func()
}

func newBreaker(threshold int, stop func()) *breaker {
	return &breaker{threshold: threshold, stop: stop}
}

// ok records a success.
func (b *breaker) ok() {
	b.mu.Lock()
	b.count = 0
	b.mu.Unlock()
}

// fail records a failure and reports whether the breaker is now open.
func (b *breaker) fail(cause error) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err != nil {
		return true
	}
	b.count++
	if b.count >= b.threshold {
		b.openLocked(fmt.Errorf("%w (%d in a row; last: %w)", ErrCircuitOpen, b.count, cause))
		return true
	}
	return false
}

// trip opens the breaker at once.
func (b *breaker) trip(cause error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err == nil {
		b.openLocked(fmt.Errorf("%w: %w", ErrCircuitOpen, cause))
	}
}

func (b *breaker) openLocked(err error) {
	b.err = err
	if b.stop != nil {
		b.stop()
	}
}

// open returns the reason the breaker tripped, or nil.
func (b *breaker) open() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err
}
