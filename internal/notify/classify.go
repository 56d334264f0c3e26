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
)

// outcome is what one SMTP transaction achieved.
type outcome int

const (
	outSent      outcome = iota // the server accepted the message
	outTemporary                // not accepted; try again later
	outPermanent                // rejected for good (5xx); record, do not retry
	outUncertain                // no reply to the end of DATA: the server may have the message
)

func (o outcome) String() string {
	return [...]string{"sent", "temporary failure", "permanent failure", "uncertain"}[o]
}

// verdict classifies the result of one SMTP transaction (conn.transact).
type verdict struct {
	outcome  outcome
	reply    string // the server's reply, or the error text
	dropConn bool   // the connection is unusable: close it and redial
	connLost bool   // a connection-level failure, counted by the breaker
	// senderRefused: MAIL FROM refused for good, which every message
	// would meet; counted by the breaker, unlike a refused recipient.
	senderRefused bool
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
