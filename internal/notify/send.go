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
	cm          *committer
	br          *breaker
	lim         *rate.Limiter
	maxAttempts int
	now         func() time.Time
	log         *slog.Logger
}

// work runs one connection until jobs is closed.
func (s *sender) work(ctx context.Context, c *conn, jobs <-chan job, results chan<- result) {
	defer c.quit()
	for j := range jobs {
		results <- s.attempt(ctx, c, j)
	}
}

// attempt makes one delivery attempt. The order is what makes a killed run
// safe to resume: the message is rendered and the connection is up before
// anything is recorded; "sending" is durable before MAIL FROM; "sent" is made
// durable right after the server's 250 reply, before the next message.
func (s *sender) attempt(ctx context.Context, c *conn, j job) result {
	if ctx.Err() != nil || s.lim.Wait(ctx) != nil {
		return result{j: j}
	}
	d := j.d
	m, id, err := s.cp.compose(Recipient{Email: d.Email, Name: d.Name, Locale: d.Locale, Line: d.Line, Known: d.Known}, s.now())
	if err != nil {
		return result{j: j, fatal: fmt.Errorf("notify: composing the message to %s: %w", d.Email, err)}
	}
	if err := c.ensure(ctx); err != nil {
		if errors.Is(err, errFatalDial) || s.br.open() != nil || ctx.Err() != nil {
			return result{j: j}
		}
		return result{j: j, fatal: err}
	}
	if err := s.cm.commit(Update{ID: d.ID, State: StateSending, MessageID: id, Attempt: true, Uncertain: j.uncertain, At: s.now()}); err != nil {
		return result{j: j, fatal: fmt.Errorf("notify: %w", err)}
	}
	j.d.Attempts++
	j.d.MessageID = id

	start := time.Now()
	v := c.send(m)
	smtpTime := time.Since(start)
	u := Update{ID: d.ID, Reply: v.reply, At: s.now()}
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
	start = time.Now()
	if err := s.cm.commit(u); err != nil {
		if v.outcome == outSent {
			err = fmt.Errorf("%w (the server accepted the message to %s; it will be resent as uncertain)", err, d.Email)
		}
		return result{j: j, fatal: fmt.Errorf("notify: %w", err)}
	}
	s.log.Debug("delivery attempt", "email", d.Email, "attempt", j.d.Attempts, "outcome", v.outcome.String(),
		"reply", v.reply, "smtp", smtpTime, "commit", time.Since(start))
	return res
}
