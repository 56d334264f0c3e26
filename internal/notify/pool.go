package notify

import (
	"context"
	"errors"
	"fmt"
	"net/textproto"
	"strings"
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
	// timeout bounds each command's reply, dataTimeout the reply to the
	// end of DATA (RFC 5321 §4.5.3.2: 5 and 10 minutes).
	timeout, dataTimeout time.Duration
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
// beforeEnd runs before the end of DATA is sent; an error abandons the
// message (the connection is dropped, so the server discards it).
func (c *conn) send(m *wireMsg, beforeEnd func() error) verdict {
	v := c.transact(m, beforeEnd)
	if v.dropConn {
		c.drop()
	}
	return v
}

// transact is MAIL, RCPT, DATA and the message, driven here rather than by
// go-mail's Send so each reply gets its own deadline: c.timeout for the
// commands, c.dataTimeout for the reply to the end of DATA, which a server
// may take minutes to give (it is checking the message). go-mail's Send
// puts one deadline on the whole transaction. The message is already in
// its DATA form (dot-stuffed), so it is written as it is, and the final
// "." only once beforeEnd allows it.
func (c *conn) transact(m *wireMsg, beforeEnd func() error) verdict {
	if err := c.sc.UpdateDeadline(c.timeout); err != nil {
		return verdict{outcome: outTemporary, reply: oneLine(err.Error()), dropConn: true, connLost: true}
	}
	if v, ok := c.envelope(m); !ok {
		return v
	}
	text := c.sc.Text
	if _, err := text.W.Write(m.buf.Bytes()); err != nil {
		// The end of DATA was not sent: the server holds nothing.
		return verdict{outcome: outTemporary, reply: oneLine(err.Error()), dropConn: true, connLost: true}
	}
	if err := beforeEnd(); err != nil {
		return verdict{outcome: outTemporary, reply: "not sent: " + oneLine(err.Error()), dropConn: true}
	}
	if err := c.sc.UpdateDeadline(c.dataTimeout); err != nil {
		return verdict{outcome: outUncertain, reply: oneLine(err.Error()), dropConn: true, connLost: true}
	}
	_, err := text.W.WriteString(".\r\n")
	if err == nil {
		err = text.W.Flush()
	}
	var resp string
	if err == nil {
		_, resp, err = text.ReadResponse(250)
	}
	if err != nil {
		var tpe *textproto.Error
		if errors.As(err, &tpe) { // the server answered: not taken
			return replyVerdict(tpe, false, true)
		}
		return verdict{outcome: outUncertain, reply: oneLine("no reply to the end of DATA: " + err.Error()), dropConn: true, connLost: true}
	}
	return verdict{outcome: outSent, reply: oneLine("250 " + resp)}
}

// envelope sends MAIL FROM and RCPT TO; ok is false with the verdict when
// either was refused or the connection failed. When the server offers
// PIPELINING (RFC 2920) both commands go in one write and both replies are
// read after it, which saves a round trip; each reply is then judged as
// if the commands had been sent one by one (a refused MAIL FROM makes the
// RCPT fail too, and the MAIL FROM reply is the one that counts).
func (c *conn) envelope(m *wireMsg) (verdict, bool) {
	if strings.ContainsAny(m.from+m.to, "\r\n") {
		return verdict{outcome: outPermanent, reply: "smtp: an address must not contain CR or LF"}, false
	}
	if pipe, _ := c.sc.Extension("PIPELINING"); !pipe {
		if err := c.sc.Mail(m.from); err != nil {
			return c.refused(err, true), false
		}
		if err := c.sc.Rcpt(m.to); err != nil {
			return c.refused(err, false), false
		}
		if _, _, err := cmd(c.sc.Text, 354, "DATA"); err != nil {
			return c.refused(err, false), false
		}
		return verdict{}, true
	}
	mail := "MAIL FROM:" + m.from // with the parameters go-mail's Mail adds
	if ok, _ := c.sc.Extension("8BITMIME"); ok {
		mail += " BODY=8BITMIME"
	}
	if ok, _ := c.sc.Extension("SMTPUTF8"); ok {
		mail += " SMTPUTF8"
	}
	text := c.sc.Text
	_, _ = text.W.WriteString(mail + "\r\n" + "RCPT TO:" + m.to + "\r\n" + "DATA\r\n")
	if err := text.W.Flush(); err != nil {
		return verdict{outcome: outTemporary, reply: oneLine(err.Error()), dropConn: true, connLost: true}, false
	}
	_, _, mailErr := text.ReadResponse(250)
	var tpe *textproto.Error
	if mailErr != nil && !errors.As(mailErr, &tpe) {
		return c.refused(mailErr, true), false // an I/O error: the connection is gone
	}
	_, _, rcptErr := text.ReadResponse(25)
	if rcptErr != nil && !errors.As(rcptErr, &tpe) {
		return c.refused(rcptErr, false), false
	}
	_, _, dataErr := text.ReadResponse(354)
	if dataErr != nil && !errors.As(dataErr, &tpe) {
		return c.refused(dataErr, false), false
	}
	if dataErr == nil && (mailErr != nil || rcptErr != nil) {
		// RFC 2920 §3.1: the server took DATA although the envelope
		// failed; a lone "." ends it, and with no recipient nothing is
		// delivered.
		_, _ = text.W.WriteString(".\r\n")
		if err := text.W.Flush(); err != nil {
			return verdict{outcome: outTemporary, reply: oneLine(err.Error()), dropConn: true, connLost: true}, false
		}
		if _, _, err := text.ReadResponse(250); err != nil && !errors.As(err, &tpe) {
			return verdict{outcome: outTemporary, reply: oneLine(err.Error()), dropConn: true, connLost: true}, false
		}
	}
	switch {
	case mailErr != nil:
		return c.refused(mailErr, true), false
	case rcptErr != nil:
		return c.refused(rcptErr, false), false
	case dataErr != nil:
		return c.refused(dataErr, false), false
	}
	return verdict{}, true
}

// cmd sends one command and reads its reply, as go-mail's client does.
func cmd(text *textproto.Conn, expect int, line string) (int, string, error) {
	id, err := text.Cmd("%s", line)
	if err != nil {
		return 0, "", err
	}
	text.StartResponse(id)
	defer text.EndResponse(id)
	return text.ReadResponse(expect)
}

// refused classifies a failed MAIL, RCPT or DATA command and resets the
// transaction, so the connection can carry the next message.
func (c *conn) refused(err error, mailFrom bool) verdict {
	var tpe *textproto.Error
	if !errors.As(err, &tpe) { // an I/O error: nothing was handed over
		return verdict{outcome: outTemporary, reply: oneLine(err.Error()), dropConn: true, connLost: true}
	}
	v := replyVerdict(tpe, mailFrom, false)
	if !v.dropConn && c.sc.Reset() != nil {
		v.dropConn = true
	}
	return v
}

// replyVerdict classifies an SMTP error reply. 421 means the server is
// closing the connection. A permanent refusal of MAIL FROM concerns every
// message (the sender is refused), so it counts for the breaker; one of a
// recipient or of one message's content does not.
func replyVerdict(tpe *textproto.Error, mailFrom, drop bool) verdict {
	reply := oneLine(fmt.Sprintf("%d %s", tpe.Code, tpe.Msg))
	switch {
	case tpe.Code == 421:
		return verdict{outcome: outTemporary, reply: reply, dropConn: true, connLost: true}
	case tpe.Code >= 400 && tpe.Code < 500:
		return verdict{outcome: outTemporary, reply: reply, dropConn: drop}
	case tpe.Code >= 500 && tpe.Code < 600:
		return verdict{outcome: outPermanent, reply: reply, dropConn: drop, senderRefused: mailFrom}
	}
	return verdict{outcome: outTemporary, reply: reply, dropConn: true, connLost: true}
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
