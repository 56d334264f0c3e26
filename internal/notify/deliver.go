package notify

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"

	gomail "github.com/wneessen/go-mail"
	"golang.org/x/time/rate"
)

// deliver sends to every pending or sending row of the campaign over a pool
// of o.Connections connections and returns when all are settled, the run is
// cancelled, or the breaker trips.
func deliver(ctx context.Context, o *RunOptions, cp *composer, cfg *gomail.Client, target smtpTarget, sum *Summary) error {
	runCtx, stop := context.WithCancel(ctx)
	defer stop()

	limit := rate.Inf
	if o.Rate > 0 {
		limit = rate.Limit(o.Rate)
	}
	br := newBreaker(o.BreakerAfter, stop)
	ledger := o.Ledger
	var ls *leased
	if lc, ok := o.Ledger.(LeaseClaimer); ok { // several senders may share the campaign
		ls = newLeased(o, lc)
		defer ls.keep(ctx)() // after the committer has stopped: then unsettled rows are released
		ledger = ls
	}
	cm, err := newRecorder(ledger, o.Connections)
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	bo := backoff{base: o.RetryBase, max: o.RetryMax, rand: rand.Int64N}
	s := &sender{
		cp:          cp,
		cm:          cm,
		br:          br,
		lim:         rate.NewLimiter(limit, 1),
		maxAttempts: o.MaxAttempts,
		now:         o.Now,
		log:         o.Logger,
	}
	d := &dispatcher{
		l:          ledger,
		campaignID: o.Campaign.ID,
		// A job waiting for each connection: one that finds none when it
		// finishes a message records that message's outcome alone (see
		// sender.work), which on PostgreSQL is a commit of its own.
		// Buffered jobs are not attempted yet.
		jobs:     make(chan job, o.Connections),
		results:  make(chan result, o.Connections),
		backoff:  bo,
		sum:      sum,
		progress: o.Progress,
		total:    sum.Queued,
	}
	if ls != nil {
		d.refill, d.page = ls.refill, ls.batch
	}
	o.Logger.Info("sending", "campaign", o.Campaign.ID, "recipients", sum.Queued, "server", target.String(),
		"connections", o.Connections, "rate", o.Rate)

	var wg sync.WaitGroup
	for range o.Connections {
		to := o.SMTP.timeouts()
		c := &conn{cfg: cfg, target: target, br: br, backoff: bo, timeout: to.cmd, dataTimeout: to.data}
		wg.Go(func() { s.work(runCtx, c, d.jobs, d.results) })
	}
	err = d.run(runCtx, stop)
	wg.Wait()
	closeErr := cm.close()
	txs, ups := cm.stats()
	o.Logger.Debug("ledger group commit", "transactions", txs, "updates", ups)

	switch {
	case d.fatal != nil:
		return d.fatal
	case closeErr != nil:
		return fmt.Errorf("notify: %w; run again: the next run applies what was recorded", closeErr)
	case br.open() != nil:
		return fmt.Errorf("notify: %w; fix the cause and run again: the remaining recipients stay pending", br.open())
	case ctx.Err() != nil:
		return fmt.Errorf("notify: interrupted: %w; run again to resume", ctx.Err())
	case err != nil && !errors.Is(err, context.Canceled):
		return fmt.Errorf("notify: %w", err)
	}
	return nil
}
