package notify

import (
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"
)

func TestSMTPConfigParse(t *testing.T) {
	tests := []struct {
		url, user, pass string
		want            smtpTarget
		wantErr         string
	}{
		{url: "smtp://mail.example.com", want: smtpTarget{host: "mail.example.com", port: 587, mode: tlsStartTLS}},
		{url: "smtps://u:p@mail.example.com", want: smtpTarget{host: "mail.example.com", port: 465, mode: tlsImplicit, user: "u", pass: "p"}},
		{url: "smtp://127.0.0.1:1025", want: smtpTarget{host: "127.0.0.1", port: 1025, mode: tlsOpportunistic}},
		{url: "smtp://127.9.9.9:25", want: smtpTarget{host: "127.9.9.9", port: 25, mode: tlsOpportunistic}},
		{url: "smtp://[::1]:25?tls=none", want: smtpTarget{host: "::1", port: 25, mode: tlsNone}},
		{url: "smtp://LocalHost:25?tls=starttls", want: smtpTarget{host: "LocalHost", port: 25, mode: tlsStartTLS}},
		{url: "smtp://a:b@127.0.0.1:25", user: "c", pass: "d", want: smtpTarget{host: "127.0.0.1", port: 25, mode: tlsOpportunistic, user: "c", pass: "d"}},
		{url: "smtp://mail.example.com:25?tls=none", wantErr: "refusing plain SMTP (tls=none) to a host that is not loopback"},
		{url: "smtp://localhost.example.com:25?tls=none", wantErr: "refusing plain SMTP"},
		{url: "smtp://10.0.0.1:25?tls=none", wantErr: "refusing plain SMTP"},
		{url: "smtps://127.0.0.1?tls=none", wantErr: "tls=none needs an smtp:// URL"},
		{url: "smtp://h?tls=maybe", wantErr: "tls= must be starttls or none"},
		{url: "http://h", wantErr: "must start with smtp:// or smtps://"},
		{url: "smtp://", wantErr: "no host"},
		{url: "smtp://h:0", wantErr: "port is not a number"},
		{url: "smtp://h/path", wantErr: "path"},
		{url: "", wantErr: "no server URL"},
		{url: "smtp://h", pass: "p", wantErr: "password was given without a user"},
	}
	for _, tc := range tests {
		t.Run(tc.url, func(t *testing.T) {
			got, err := SMTPConfig{URL: tc.url, Username: tc.user, Password: tc.pass}.parse()
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, tc.want)
			}
			if strings.Contains(got.String(), got.pass+"@") && got.pass != "" {
				t.Fatalf("String shows the password: %s", got)
			}
		})
	}
}

// Point 12: a password with # / ? % @ or : in it, not percent-encoded,
// breaks the URL's parse; the error says how to fix it and never shows any
// part of the URL.
func TestSMTPURLErrorsShowNoSecret(t *testing.T) {
	for _, pass := range []string{"pa#ss-w0rd-x9", "pa/ss-w0rd-x9", "pa?ss-w0rd-x9", "pa%zz-w0rd-x9", "pa@ss-w0rd-x9", "p:a/b?c#d%e-x9", "pa%ss:999-x9"} {
		for _, raw := range []string{
			"smtp://sender:" + pass + "@mail.example.com:587",
			"smtps://sender:" + pass + "@mail.example.com",
			"smtp://sender:" + pass + "@127.0.0.1:25?tls=none",
			"sender:" + pass + "@mail.example.com",
		} {
			got, err := SMTPConfig{URL: raw}.parse()
			if err == nil {
				if got.pass != pass { // (a raw @ parses: the last @ ends the user part)
					t.Errorf("accepted an URL with a raw %q in the password as %q", pass, got.pass)
				}
				continue
			}
			msg := err.Error()
			for i := 0; i+3 <= len(pass); i++ {
				if strings.Contains(msg, pass[i:i+3]) {
					t.Errorf("error shows part %q of the password: %s", pass[i:i+3], msg)
					break
				}
			}
			if strings.Contains(msg, "sender") || strings.Contains(msg, "mail.example") {
				t.Errorf("error quotes the URL: %s", msg)
			}
		}
	}
	// Percent-encoded, the same password works.
	got, err := SMTPConfig{URL: "smtp://sender:" + url.UserPassword("sender", "p:a/b?c#d%e-x9").String()[len("sender:"):] + "@mail.example.com"}.parse()
	if err != nil || got.pass != "p:a/b?c#d%e-x9" {
		t.Fatalf("encoded password: %+v %v", got, err)
	}
}

func TestTransientDial(t *testing.T) {
	opErr := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	tests := map[error]bool{
		opErr:  true,
		io.EOF: true,
		fmt.Errorf("x: %w", os.ErrDeadlineExceeded):                                                   true,
		&textproto.Error{Code: 421, Msg: "busy"}:                                                      true,
		fmt.Errorf("SMTP AUTH failed: %w", &textproto.Error{Code: 535, Msg: "no"}):                    false,
		errors.New(`STARTTLS mode set to: "TLSMandatory", but target host does not support STARTTLS`): false,
		fmt.Errorf("tls: %w", x509.UnknownAuthorityError{}):                                           false,
		errors.New("something else"):                                                                  false,
	}
	for err, want := range tests {
		if got := transientDial(err); got != want {
			t.Errorf("transientDial(%v) = %v, want %v", err, got, want)
		}
	}
}

func TestReplyVerdict(t *testing.T) {
	tests := []struct {
		code     int
		mailFrom bool
		want     verdict
	}{
		{421, false, verdict{outcome: outTemporary, dropConn: true, connLost: true}},
		{451, false, verdict{outcome: outTemporary}},
		{550, false, verdict{outcome: outPermanent}},                     // one mailbox: not the breaker's business
		{550, true, verdict{outcome: outPermanent, senderRefused: true}}, // the sender: every message would fail
		{250, false, verdict{outcome: outTemporary, dropConn: true, connLost: true}},
	}
	for _, tc := range tests {
		got := replyVerdict(&textproto.Error{Code: tc.code, Msg: "x"}, tc.mailFrom, false)
		got.reply = ""
		if got != tc.want {
			t.Errorf("replyVerdict(%d, mailFrom %v) = %+v, want %+v", tc.code, tc.mailFrom, got, tc.want)
		}
	}
}

func TestBackoff(t *testing.T) {
	b := backoff{base: 100 * time.Millisecond, max: time.Second, rand: func(n int64) int64 { return n - 1 }}
	want := []time.Duration{100, 200, 400, 800, 1000, 1000}
	for i, w := range want {
		if got := b.delay(i + 1); got != w*time.Millisecond {
			t.Errorf("delay(%d) = %v, want %v", i+1, got, w*time.Millisecond)
		}
	}
	b.rand = func(int64) int64 { return 0 }
	if got := b.delay(3); got != 200*time.Millisecond {
		t.Errorf("jitter floor: %v", got)
	}
}

func TestBreaker(t *testing.T) {
	stopped := 0
	b := newBreaker(3, func() { stopped++ })
	b.fail(errors.New("a"))
	b.fail(errors.New("b"))
	b.ok()
	if b.fail(errors.New("c")) || b.fail(errors.New("d")) || b.open() != nil {
		t.Fatal("opened before three failures in a row")
	}
	if !b.fail(errors.New("e")) || !errors.Is(b.open(), ErrCircuitOpen) || stopped != 1 {
		t.Fatalf("open = %v, stopped %d", b.open(), stopped)
	}
	b.trip(errors.New("again"))
	if stopped != 1 || !strings.Contains(b.open().Error(), "last: e") {
		t.Fatalf("second trip changed things: %v %d", b.open(), stopped)
	}
	b2 := newBreaker(100, func() { stopped++ })
	b2.trip(errors.New("535 auth"))
	if !strings.Contains(b2.open().Error(), "535 auth") || stopped != 2 {
		t.Fatal(b2.open())
	}
}
