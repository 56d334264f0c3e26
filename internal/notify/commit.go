package notify

import (
	"context"
	"errors"
	"sync"
	"time"
)

// errCommitterClosed is returned for updates handed in after close.
var errCommitterClosed = errors.New("ledger writer stopped")

// commitLinger is how long the writer lets handed-in updates wait for
// others before it commits them unasked. A connection needs its "sending"
// durable only before the end of DATA, three round trips after it hands it
// in, so against a real server the updates of every connection gather
// within that time and none waits for its commit.
const commitLinger = time.Millisecond

// commitGrace is how long a commit a connection waits for may wait for
// the other connections' updates.
const commitGrace = 200 * time.Microsecond

// committer is the ledger's single writer during a run (group commit). Each
// connection hands it its state changes before MAIL FROM and waits for them
// only before the end of DATA. The writer commits what is waiting, in one
// transaction, as soon as a connection waits for it, or every connection
// has handed something in, or commitLinger has passed; so one transaction
// carries the updates of many connections (a transaction's fixed cost —
// locks, the WAL append — is most of the ledger's CPU per message), and a
// connection that waits for a commit waits for one transaction at most.
type committer struct {
	l      Ledger
	gather int // commit at once when this many requests wait (one per connection)
	kick   chan struct{}

	mu      sync.Mutex
	pending []*ticket
	waiting int // tickets someone is blocked on
	closed  bool

	done    chan struct{}
	batches int // transactions committed, for tests and benchmarks
	updates int
}

// ticket is one request to the writer; wait blocks until it is durable.
type ticket struct {
	c    *committer
	ups  []Update
	errc chan error
}

func newCommitter(l Ledger, gather int) *committer {
	c := &committer{l: l, gather: max(gather, 1), kick: make(chan struct{}, 1), done: make(chan struct{})}
	go c.loop()
	return c
}

// commit makes ups durable and returns once they are (or failed). It is not
// cancellable on purpose: the state of a message the server has accepted
// must be recorded even when the run is being stopped.
func (c *committer) commit(ups ...Update) error {
	return c.commitAsync(ups...).wait()
}

// commitAsync hands ups to the writer and returns at once; wait on the
// ticket returns once they are durable (or failed).
func (c *committer) commitAsync(ups ...Update) *ticket {
	t := &ticket{c: c, ups: append([]Update(nil), ups...), errc: make(chan error, 1)}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		t.errc <- errCommitterClosed
		return t
	}
	c.pending = append(c.pending, t)
	n := len(c.pending)
	c.mu.Unlock()
	if n == 1 || n >= c.gather {
		c.poke()
	}
	return t
}

// wait blocks until the ticket's updates are durable and returns the
// outcome; it asks the writer to commit now.
func (t *ticket) wait() error {
	select {
	case err := <-t.errc:
		return err
	default:
	}
	c := t.c
	c.mu.Lock()
	c.waiting++
	c.mu.Unlock()
	c.poke()
	err := <-t.errc
	c.mu.Lock()
	c.waiting--
	c.mu.Unlock()
	return err
}

func (c *committer) poke() {
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

// close stops the writer after the requests already handed in. Their
// errors went to the connections that handed them in.
func (c *committer) close() error {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.poke()
	<-c.done
	return nil
}

func (c *committer) stats() (int, int) { return c.batches, c.updates }

// due reports whether the pending requests should be committed now, and
// whether there are any.
func (c *committer) due() (now, any bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.waiting > 0 || c.closed || len(c.pending) >= c.gather, len(c.pending) > 0
}

func (c *committer) loop() {
	defer close(c.done)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	var ups []Update
	for range c.kick {
		now, any := c.due()
		if any && !now {
			// Let the other connections' updates join; a wait, a full
			// batch or close cuts it short.
			timer.Reset(commitLinger)
		linger:
			for {
				select {
				case <-c.kick:
					if now, _ = c.due(); now {
						break linger
					}
				case <-timer.C:
					break linger
				}
			}
			timer.Stop()
		}
		if now, any := c.due(); now && any {
			c.grace(timer)
		}
		c.mu.Lock()
		batch := c.pending
		c.pending = nil
		closed := c.closed
		c.mu.Unlock()
		if len(batch) > 0 {
			ups = ups[:0]
			for _, t := range batch {
				ups = append(ups, t.ups...)
			}
			err := c.l.Record(context.Background(), ups)
			c.batches++
			c.updates += len(ups)
			for _, t := range batch {
				t.errc <- err
			}
		}
		if closed {
			c.mu.Lock()
			rest := c.pending
			c.pending = nil
			c.mu.Unlock()
			for _, t := range rest {
				t.errc <- errCommitterClosed
			}
			return
		}
	}
}

// grace gives the connections that have not handed in their updates yet
// commitGrace to do so before a commit a connection waits for, unless all
// have or the writer is closing. While the CPU is busy, the others are
// usually a moment away from it: waiting for them makes one transaction of
// what would be several, which is what the CPU spends most on.
func (c *committer) grace(timer *time.Timer) {
	full := func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.closed || len(c.pending) >= c.gather
	}
	if full() {
		return
	}
	timer.Reset(commitGrace)
	defer timer.Stop()
	for {
		select {
		case <-c.kick:
			if full() {
				return
			}
		case <-timer.C:
			return
		}
	}
}
