package notify

import (
	"context"
	"errors"
	"slices"
	"sync"
)

// errCommitterClosed is returned for updates handed in after close.
var errCommitterClosed = errors.New("ledger writer stopped")

// committer is the ledger's single writer during a run (group commit). Every
// connection hands it its state changes and waits; the committer takes all
// the requests waiting at that moment and applies them in one transaction.
// A connection's "sent" is thus durable one commit after the server's reply,
// whatever the number of connections, and the ledger is never the
// bottleneck: the more connections, the more updates per transaction.
type committer struct {
	l        Ledger
	reqs     chan commitReq
	maxBatch int
	wg       sync.WaitGroup
	mu       sync.Mutex
	closed   bool
	batches  int // transactions committed, for tests and benchmarks
	updates  int
}

type commitReq struct {
	ups  []Update
	errc chan error
}

func newCommitter(l Ledger, maxBatch int) *committer {
	c := &committer{l: l, reqs: make(chan commitReq, maxBatch), maxBatch: maxBatch}
	c.wg.Add(1)
	go c.loop()
	return c
}

// commit makes ups durable and returns once they are (or failed). It is not
// cancellable on purpose: the state of a message the server has accepted
// must be recorded even when the run is being stopped.
func (c *committer) commit(ups ...Update) error {
	return <-c.commitAsync(ups...)
}

// commitAsync hands ups to the writer and returns at once; the channel
// delivers the outcome once they are durable (or failed).
func (c *committer) commitAsync(ups ...Update) <-chan error {
	errc := make(chan error, 1)
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		errc <- errCommitterClosed
		return errc
	}
	c.reqs <- commitReq{ups: slices.Clone(ups), errc: errc}
	c.mu.Unlock()
	return errc
}

// close stops the writer after the requests already handed in.
func (c *committer) close() {
	c.mu.Lock()
	if !c.closed {
		c.closed = true
		close(c.reqs)
	}
	c.mu.Unlock()
	c.wg.Wait()
}

func (c *committer) loop() {
	defer c.wg.Done()
	var batch []commitReq
	var ups []Update
	for req := range c.reqs {
		batch = append(batch[:0], req)
	gather:
		for len(batch) < c.maxBatch {
			select {
			case r, ok := <-c.reqs:
				if !ok {
					break gather
				}
				batch = append(batch, r)
			default:
				break gather
			}
		}
		ups = ups[:0]
		for _, r := range batch {
			ups = append(ups, r.ups...)
		}
		err := c.l.Record(context.Background(), ups)
		c.batches++
		c.updates += len(ups)
		for _, r := range batch {
			r.errc <- err
		}
	}
}
