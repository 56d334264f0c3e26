package notify

import (
	"context"
	"errors"
	"fmt"
	"time"

	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"
)

// conn is one of the pool's SMTP connections. go-mail's Client serialises
// Send, so the pool shares one Client for its configuration only and every
// conn dials and sends over its own smtp.Client; conns are reused for many
// messages and redialled when they break.
type conn struct {
	cfg    *gomail.Client
	target smtpTarget
	sc     *smtp.Client
	br     *breaker
	backoff
}

// errFatalDial marks a dial failure that retrying cannot fix.
var errFatalDial = errors.New("cannot connect")

// ensure returns once the connection is up. Transient failures are retried
// with backoff and counted by the breaker; others trip it at once.
func (c *conn) ensure(ctx context.Context) error {
	for attempt := 1; c.sc == nil; attempt++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		sc, err := c.cfg.DialToSMTPClientWithContext(ctx)
		if err == nil {
			c.sc = sc
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		err = fmt.Errorf("smtp %s: %w", c.target, err)
		if !transientDial(err) {
			err = fmt.Errorf("%w: %w", errFatalDial, err)
			c.br.trip(err)
			return err
		}
		if c.br.fail(err) {
			return err
		}
		if err := sleep(ctx, c.delay(attempt)); err != nil {
			return err
		}
	}
	return nil
}

// send runs one SMTP transaction on the connection and classifies it.
func (c *conn) send(m *gomail.Msg) verdict {
	err := c.cfg.SendWithSMTPClient(c.sc, m)
	v := classify(m, err)
	if v.dropConn {
		c.drop()
	}
	return v
}

// drop closes a broken connection without QUIT.
func (c *conn) drop() {
	if c.sc != nil {
		_ = c.sc.Close()
		c.sc = nil
	}
}

// quit ends a healthy connection politely.
func (c *conn) quit() {
	if c.sc == nil {
		return
	}
	done := make(chan struct{})
	go func() {
		_ = c.cfg.CloseWithSMTPClient(c.sc)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
	}
	_ = c.sc.Close()
	c.sc = nil
}

// backoff is exponential with full jitter: attempt n waits a random time in
// [base·2^(n-1)/2, base·2^(n-1)], capped at max.
type backoff struct {
	base, max time.Duration
	rand      func(int64) int64
}

func (b backoff) delay(attempt int) time.Duration {
	d := b.base
	for i := 1; i < attempt && d < b.max; i++ {
		d *= 2
	}
	d = min(d, b.max)
	if half := int64(d / 2); half > 0 && b.rand != nil {
		return time.Duration(half + b.rand(half+1))
	}
	return d
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
