package notify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/textproto"
	"os"
	"strings"
	"syscall"

	gomail "github.com/wneessen/go-mail"
)

// outcome is what one SMTP transaction achieved.
type outcome int

const (
	outSent      outcome = iota // the server accepted the message
	outTemporary                // not accepted; try again later
	outPermanent                // rejected for good (5xx); record, do not retry
	outUncertain                // the connection broke after the message was handed over
)

func (o outcome) String() string {
	return [...]string{"sent", "temporary failure", "permanent failure", "uncertain"}[o]
}

// verdict classifies the result of SendWithSMTPClient.
type verdict struct {
	outcome  outcome
	reply    string // the server's reply, or the error text
	dropConn bool   // the connection is unusable: close it and redial
	connLost bool   // a connection-level failure, counted by the breaker
}

// classify decides what a send result means. go-mail's SendError.IsTemp is
// true only for replies starting with 4, so EOF, resets and timeouts come back
// "permanent"; here every failure that is not an SMTP 5xx reply is temporary.
// A connection lost while closing DATA is uncertain: the server may have
// accepted the message and failed to say so.
func classify(m *gomail.Msg, err error) verdict {
	if m.IsDelivered() {
		// Accepted; an error now can only come from after the reply.
		// go-mail keeps the text of the reply; DATA's final reply is always 250.
		return verdict{outcome: outSent, reply: oneLine("250 " + m.ServerResponse()), dropConn: err != nil}
	}
	if err == nil {
		return verdict{outcome: outTemporary, reply: "not delivered, no error reported", dropConn: true, connLost: true}
	}
	var se *gomail.SendError
	if !errors.As(err, &se) {
		return verdict{outcome: outTemporary, reply: oneLine(err.Error()), dropConn: true, connLost: true}
	}
	reply := oneLine(se.Error())
	// go-mail resets the transaction after a refused MAIL FROM or RCPT TO;
	// after anything else a fresh connection is the safe way on.
	drop := se.Reason != gomail.ErrSMTPMailFrom && se.Reason != gomail.ErrSMTPRcptTo
	switch code := se.ErrorCode(); {
	case code >= 400 && code < 500:
		// 421: the server is closing the connection.
		return verdict{outcome: outTemporary, reply: reply, dropConn: drop || code == 421, connLost: code == 421}
	case code >= 500 && code < 600:
		return verdict{outcome: outPermanent, reply: reply, dropConn: drop}
	}
	switch se.Reason {
	case gomail.ErrGetSender, gomail.ErrGetRcpts, gomail.ErrNoUnencoded:
		return verdict{outcome: outPermanent, reply: reply} // a problem with the message itself
	case gomail.ErrSMTPDataClose:
		return verdict{outcome: outUncertain, reply: reply, dropConn: true, connLost: true}
	}
	return verdict{outcome: outTemporary, reply: reply, dropConn: true, connLost: true}
}

// transientDial reports whether a failed dial is worth retrying: network
// trouble and 4xx replies are; TLS, certificate, authentication and 5xx
// failures are configuration problems that retrying cannot fix.
func transientDial(err error) bool {
	if errors.Is(err, context.Canceled) {
		return false
	}
	var tpe *textproto.Error
	if errors.As(err, &tpe) {
		return tpe.Code >= 400 && tpe.Code < 500
	}
	var certErr *tls.CertificateVerificationError
	var hostErr x509.HostnameError
	var authErr x509.UnknownAuthorityError
	var recErr tls.RecordHeaderError
	if errors.As(err, &certErr) || errors.As(err, &hostErr) || errors.As(err, &authErr) || errors.As(err, &recErr) {
		return false
	}
	if strings.Contains(err.Error(), "SMTP AUTH") || strings.Contains(err.Error(), "STARTTLS") {
		return false
	}
	var opErr *net.OpError
	var dnsErr *net.DNSError
	return errors.As(err, &opErr) || errors.As(err, &dnsErr) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED)
}

// oneLine keeps a reply on one line for logs and the evidence CSV.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
