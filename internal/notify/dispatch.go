package notify

import (
	"container/heap"
	"context"
	"time"
)

// claimPage is how many ledger rows the dispatcher reads at a time; with the
// retry queue it is all the dispatcher holds in memory.
const claimPage = 256

// dispatcher feeds jobs to the connections: fresh rows from the ledger in
// id order, and temporary failures again once their backoff has passed
// (measured on the wall clock, never on RunOptions.Now). It owns the run's
// counters, so they need no locking.
type dispatcher struct {
	l          Ledger
	campaignID string
	jobs       chan job
	results    chan result
	backoff    backoff
	sum        *Summary
	progress   func(done, total int)
	total      int
	page       int // rows per Claim; default claimPage
	// refill, when set, is asked for more work once everything claimed is
	// settled (several senders on one campaign, see leased.refill).
	refill func(ctx context.Context) (bool, error)

	buf       []Delivery
	after     int64
	exhausted bool
	retries   retryQueue
	inflight  int
	done      int
	fatal     error
}

// run dispatches until every claimed row is settled or ctx ends, then waits
// for the jobs in flight. It closes jobs on return so connections finish.
func (d *dispatcher) run(ctx context.Context, stop func()) error {
	defer close(d.jobs)
	timer := time.NewTimer(time.Hour) // Go ≥ 1.23 timers: Reset never delivers a stale tick
	defer timer.Stop()
	if d.page <= 0 {
		d.page = claimPage
	}
	for ctx.Err() == nil {
		if len(d.buf) == 0 && !d.exhausted {
			page, err := d.l.Claim(ctx, d.campaignID, d.after, d.page)
			if err != nil {
				if ctx.Err() != nil {
					break
				}
				d.fatal = err
				stop()
				break
			}
			d.buf, d.exhausted = page, len(page) < d.page
			if n := len(page); n > 0 {
				d.after = page[n-1].ID
			}
		}
		next, fromRetry, ok := d.peek()
		if !ok && d.inflight == 0 && len(d.retries) == 0 && d.exhausted {
			if more, err := d.more(ctx, stop); !more {
				return err
			}
			continue
		}
		var out chan<- job
		if ok {
			out = d.jobs
		}
		var wake <-chan time.Time
		if !ok && len(d.retries) > 0 {
			timer.Reset(max(0, time.Until(d.retries[0].due)))
			wake = timer.C
		}
		select {
		case out <- next:
			d.inflight++
			if fromRetry {
				heap.Pop(&d.retries)
			} else {
				d.buf = d.buf[1:]
			}
		case r := <-d.results:
			d.inflight--
			d.handle(r, stop)
		case <-wake:
		case <-ctx.Done():
		}
	}
	for d.inflight > 0 {
		d.inflight--
		d.handle(<-d.results, stop)
	}
	return ctx.Err()
}

// more reports whether work may come back after all claimed rows are
// settled: only with refill, which waits for it.
func (d *dispatcher) more(ctx context.Context, stop func()) (bool, error) {
	if d.refill == nil {
		return false, nil
	}
	more, err := d.refill(ctx)
	if err != nil && ctx.Err() == nil {
		d.fatal = err
		stop()
		return false, nil
	}
	d.exhausted = !more
	return more, ctx.Err()
}

// peek returns the next job: a due retry first, else the next fresh row.
func (d *dispatcher) peek() (job, bool, bool) {
	if len(d.retries) > 0 && !d.retries[0].due.After(time.Now()) {
		return d.retries[0].j, true, true
	}
	if len(d.buf) > 0 {
		row := d.buf[0]
		return job{d: row, uncertain: row.State == StateSending}, false, true
	}
	return job{}, false, false
}

func (d *dispatcher) handle(r result, stop func()) {
	switch {
	case r.fatal != nil:
		if d.fatal == nil {
			d.fatal = r.fatal
		}
		stop()
	case r.final == StateSent:
		d.sum.Sent++
		if r.j.uncertain {
			d.sum.UncertainResent++
		}
		d.settle()
	case r.final == StateFailed:
		d.sum.addFailure(Failure{Email: r.j.d.Email, Attempts: r.j.d.Attempts, Reason: r.why})
		d.settle()
	case r.retry:
		d.sum.Retries++
		due := time.Now().Add(d.backoff.delay(r.j.d.Attempts))
		heap.Push(&d.retries, retryItem{j: r.j, due: due})
	}
}

func (d *dispatcher) settle() {
	d.done++
	if d.progress != nil {
		d.progress(d.done, d.total)
	}
}

type retryItem struct {
	j   job
	due time.Time
}

// retryQueue is a min-heap of retries by due time.
type retryQueue []retryItem

func (q retryQueue) Len() int           { return len(q) }
func (q retryQueue) Less(i, j int) bool { return q[i].due.Before(q[j].due) }
func (q retryQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *retryQueue) Push(x any)        { *q = append(*q, x.(retryItem)) }
func (q *retryQueue) Pop() any {
	old := *q
	it := old[len(old)-1]
	*q = old[:len(old)-1]
	return it
}
