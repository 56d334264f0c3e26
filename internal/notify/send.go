package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"golang.org/x/time/rate"
)

// job is one delivery handed to a connection.
type job struct {
	d         Delivery
	uncertain bool // the previous attempt may have been accepted (state sending)
}

// result is what a connection reports back for a job.
type result struct {
	j     job
	v     verdict
	final State  // StateSent or StateFailed when the delivery is settled
	retry bool   // temporary failure: try again after a backoff
	why   string // why it failed, as recorded in the ledger
	fatal error  // the run must stop (ledger or template failure)
	// none of the above: not attempted (the run is stopping)
}

// sender holds what all connections share during a run.
type sender struct {
	cp          *composer
	cm          recorder
	br          *breaker
	lim         *rate.Limiter
	maxAttempts int
	now         func() time.Time
	log         *slog.Logger
}

// work runs one connection until jobs is closed.
//
// Each message costs one ledger commit, and the connection does not wait
// for it while it talks to the server: the commit that marks message k+1
// "sending" also carries message k's outcome, it is handed to the writer
// before MAIL FROM, and the connection waits for it only before the final
// "." of DATA — the moment from which the server may store the message. So
// a message is never at the server unless its "sending" is durable, and at
// most one message per connection is in the uncertain window, as before;
// but the commit overlaps three round trips instead of adding two. Message
// k's result is reported once that commit is durable, or at once (its own
// commit) when no next job is waiting.
func (s *sender) work(ctx context.Context, c *conn, jobs <-chan job, results chan<- result) {
	defer c.quit()
	w := &worker{s: s, c: c, results: results}
	defer w.flush()
	for {
		var j job
		var ok bool
		select {
		case j, ok = <-jobs:
		default:
			w.flush() // nothing waiting: make the last outcome durable now
			j, ok = <-jobs
		}
		if !ok {
			return
		}
		if res, done := w.attempt(ctx, j); done {
			w.flush()
			results <- res
		}
	}
}

// worker is one connection's state between messages: the outcome of the
// last message, not yet committed.
type worker struct {
	s        *sender
	c        *conn
	results  chan<- result
	carry    []Update
	carryRes *result
}

// flush commits the carried outcome alone and reports it.
func (w *worker) flush() {
	if w.carryRes == nil {
		return
	}
	res := *w.carryRes
	if err := w.s.cm.commit(w.carry...); err != nil && !recorded(err) {
		res = w.commitFailed(res, err)
	}
	w.carry, w.carryRes = nil, nil
	w.results <- res
}

// recorded reports whether a commit that failed with err still recorded
// the outcomes it carried (the run must stop; see sendlog.commit).
func recorded(err error) bool {
	var stopped *stoppedError
	return errors.As(err, &stopped)
}

func (w *worker) commitFailed(res result, err error) result {
	if res.v.outcome == outSent {
		err = fmt.Errorf("%w (the server accepted the message to %s; it will be resent as uncertain)", err, res.j.d.Email)
	}
	return result{j: res.j, fatal: fmt.Errorf("notify: %w", err)}
}

// attempt makes one delivery attempt. The order is what makes a killed run
// safe to resume: the message is rendered and the connection is up before
// anything is recorded; "sending" is durable before the end of DATA; the
// outcome is committed with the next message's "sending", or alone. It
// returns done for a result to report now (nothing was attempted, or the
// run must stop); otherwise the outcome is carried.
func (w *worker) attempt(ctx context.Context, j job) (result, bool) {
	s, c := w.s, w.c
	if s.lim.Limit() != rate.Inf && s.lim.Tokens() < 1 {
		// The rate limit makes this connection idle: make the last outcome
		// durable before waiting, or a kill during the wait would resend a
		// message the server already accepted.
		w.flush()
	}
	if ctx.Err() != nil || s.lim.Wait(ctx) != nil {
		return result{j: j}, true
	}
	d := j.d
	// Composing takes a few microseconds (skeleton and frame): the
	// connection does it itself, before anything is recorded or sent.
	m, id, err := s.cp.composeWire(Recipient{Email: d.Email, Name: d.Name, Locale: d.Locale, Line: d.Line, Known: d.Known}, s.now())
	if err != nil {
		return result{j: j, fatal: fmt.Errorf("notify: composing the message to %s: %w", d.Email, err)}, true
	}
	if err := c.ensure(ctx); err != nil {
		m.release()
		if errors.Is(err, errFatalDial) || s.br.open() != nil || ctx.Err() != nil {
			return result{j: j}, true
		}
		return result{j: j, fatal: err}, true
	}
	j.d.Attempts++
	if j.uncertain {
		j.d.Uncertain++
	}
	j.d.MessageID = id
	ups := append(w.carry, Update{ID: d.ID, State: StateSending, MessageID: id, Attempt: true, Uncertain: j.uncertain, At: s.now(),
		AttemptsAfter: j.d.Attempts, UncertainAfter: j.d.Uncertain})
	prev := w.carryRes
	w.carry, w.carryRes = nil, nil
	durable := s.cm.commitAsync(ups...)
	var commitErr error
	waited := false
	wait := func() error {
		if !waited {
			commitErr, waited = durable.wait(), true
		}
		return commitErr
	}

	start := time.Now()
	v := c.send(m, wait)
	smtpTime := time.Since(start)
	m.release()
	if err := wait(); err != nil {
		switch {
		case prev != nil && recorded(err):
			w.results <- *prev
		case prev != nil:
			w.results <- w.commitFailed(*prev, err)
		}
		return result{j: j, fatal: fmt.Errorf("notify: %w", err)}, true
	}
	if prev != nil {
		w.results <- *prev
	}
	u := Update{ID: d.ID, Reply: v.reply, At: s.now(), AttemptsAfter: j.d.Attempts, UncertainAfter: j.d.Uncertain}
	res := result{j: j, v: v}
	switch v.outcome {
	case outSent:
		u.State, res.final = StateSent, StateSent
		s.br.ok()
	case outPermanent:
		u.State, u.Reason, res.final = StateFailed, v.reply, StateFailed
	default: // temporary or uncertain
		switch {
		case v.outcome == outUncertain && j.uncertain:
			// The outcome was unknown before and is unknown again: the
			// server may hold the message twice already. Resend at most
			// once; the evidence says what happened.
			u.State, res.final = StateFailed, StateFailed
			u.Reason = "uncertain twice, not resent again (the server may have delivered it): " + v.reply
		case j.d.Attempts >= s.maxAttempts:
			u.State, res.final = StateFailed, StateFailed
			u.Reason = fmt.Sprintf("gave up after %d attempts: %s", j.d.Attempts, v.reply)
		case v.outcome == outUncertain:
			// Stays "sending": whoever sends it next counts it as uncertain.
			u.State, u.Reason, res.retry = StateSending, "uncertain: "+v.reply, true
			res.j.uncertain = true
		default:
			u.State, u.Reason, res.retry = StatePending, v.reply, true
		}
	}
	// The breaker is for the connection, TLS, authentication and a refused
	// sender, not for one bad mailbox or message.
	if v.connLost || v.senderRefused {
		s.br.fail(errors.New(v.reply))
	}
	res.why = u.Reason
	s.log.Debug("delivery attempt", "email", d.Email, "attempt", j.d.Attempts, "outcome", v.outcome.String(),
		"reply", v.reply, "smtp", smtpTime)
	w.carry = append(w.carry[:0], u)
	w.carryRes = &res
	return res, false
}
