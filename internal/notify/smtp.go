package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// SMTPConfig says where and how to deliver. Credentials may sit in the URL or
// in Username/Password (which win); neither ever appears in errors or logs.
type SMTPConfig struct {
	// URL is smtp://[user[:pass]@]host[:port] (STARTTLS, port 587) or
	// smtps://[user[:pass]@]host[:port] (implicit TLS, port 465).
	// TLS is mandatory except on loopback (127.0.0.0/8, ::1, localhost),
	// where smtp:// uses STARTTLS when offered and plain otherwise.
	// ?tls=starttls forces STARTTLS even on loopback; ?tls=none forces
	// plain and is refused for any host that is not loopback.
	URL      string
	Username string
	Password string

	HELO    string        // EHLO name; Run defaults it to the From address's domain, never the machine's name
	Timeout time.Duration // connecting, and each command's reply; default 5m (RFC 5321 §4.5.3.2)
	// DataTimeout is how long to wait for the reply to the end of DATA,
	// when the server checks the message; default 10m (RFC 5321 §4.5.3.2).
	// A message with no reply by then is uncertain: resent once, with the
	// same Message-ID.
	DataTimeout time.Duration
	TLSConfig   *tls.Config // optional, e.g. extra root CAs; ServerName defaults to the host

	// DialContext replaces the network dialer (a proxy, or tests).
	DialContext func(ctx context.Context, network, addr string) (net.Conn, error)
}

type tlsMode int

const (
	tlsStartTLS      tlsMode = iota // STARTTLS required
	tlsImplicit                     // smtps://
	tlsOpportunistic                // loopback: STARTTLS when offered
	tlsNone                         // loopback only: plain
)

// smtpTarget is a parsed SMTPConfig. Its String never shows the credentials.
type smtpTarget struct {
	host       string
	port       int
	mode       tlsMode
	user, pass string
}

func (t smtpTarget) String() string { return net.JoinHostPort(t.host, strconv.Itoa(t.port)) }

// errCredentialsEncoding is the hint for a URL whose user part did not parse.
const credentialsHint = "percent-encode any # / ? % @ : in the user name and password, or pass them in REDLINE_SMTP_USER and REDLINE_SMTP_PASSWORD"

// ValidateSMTP checks the SMTP settings without touching the network, so a
// bad URL is reported before any campaign is recorded. Its errors never
// quote any part of the URL: a password with # / ? or % in it would show.
func ValidateSMTP(c SMTPConfig) error {
	_, err := c.parse()
	return err
}

// parse validates the config without touching the network. Errors never
// quote the URL or any part of it, which may hold a password.
func (c SMTPConfig) parse() (smtpTarget, error) {
	if c.URL == "" {
		return smtpTarget{}, errors.New("smtp: no server URL (want smtp://host:port or smtps://host:port)")
	}
	u, err := url.Parse(c.URL)
	if err != nil {
		// url.Error quotes the URL, and its inner errors quote the bad part.
		return smtpTarget{}, errors.New("smtp: the server URL is malformed; " + credentialsHint)
	}
	t := smtpTarget{host: u.Hostname()}
	switch u.Scheme {
	case "smtp":
		t.port, t.mode = 587, tlsStartTLS
	case "smtps":
		t.port, t.mode = 465, tlsImplicit
	default:
		return t, errors.New("smtp: the server URL must start with smtp:// or smtps://")
	}
	// An @ outside the user part means the credentials broke the parse:
	// what looks like a path, query, fragment or port is password.
	if strings.Contains(u.Path+u.RawQuery+u.Fragment+u.Host, "@") ||
		u.User == nil && strings.Contains(c.URL, "@") {
		return smtpTarget{}, errors.New("smtp: the server URL's user name or password did not parse; " + credentialsHint)
	}
	if t.host == "" {
		return t, errors.New("smtp: server URL has no host")
	}
	if u.Path != "" && u.Path != "/" || u.Fragment != "" {
		return t, errors.New("smtp: server URL must not have a path or fragment; " + credentialsHint)
	}
	if p := u.Port(); p != "" {
		if t.port, err = strconv.Atoi(p); err != nil || t.port < 1 || t.port > 65535 {
			return t, errors.New("smtp: the server URL's port is not a number from 1 to 65535")
		}
	}
	loopback := isLoopback(t.host)
	switch q := u.Query().Get("tls"); q {
	case "":
		if loopback && t.mode == tlsStartTLS {
			t.mode = tlsOpportunistic
		}
	case "starttls":
		if t.mode != tlsStartTLS {
			return t, errors.New("smtp: tls=starttls needs an smtp:// URL")
		}
	case "none":
		if !loopback {
			return t, errors.New("smtp: refusing plain SMTP (tls=none) to a host that is not loopback: TLS is required (use smtp:// with STARTTLS or smtps://)")
		}
		if t.mode != tlsStartTLS {
			return t, errors.New("smtp: tls=none needs an smtp:// URL")
		}
		t.mode = tlsNone
	default:
		return t, errors.New("smtp: the server URL's tls= must be starttls or none (and nothing else may follow ?); " + credentialsHint)
	}
	if u.User != nil {
		t.user = u.User.Username()
		t.pass, _ = u.User.Password()
	}
	if c.Username != "" {
		t.user = c.Username
	}
	if c.Password != "" {
		t.pass = c.Password
	}
	if t.pass != "" && t.user == "" {
		return t, errors.New("smtp: a password was given without a user name")
	}
	return t, nil
}

// isLoopback reports whether host is localhost or a loopback IP literal.
// Names other than localhost are not resolved: TLS is required for them.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Default SMTP timeouts: RFC 5321 §4.5.3.2 gives the server 5 minutes for
// the greeting and MAIL and RCPT replies, and 10 for the end of DATA.
const (
	DefaultSMTPTimeout = 5 * time.Minute
	DefaultDataTimeout = 10 * time.Minute
)

type timeouts struct{ cmd, data time.Duration }

func (c SMTPConfig) timeouts() timeouts {
	t := timeouts{cmd: c.Timeout, data: c.DataTimeout}
	if t.cmd <= 0 {
		t.cmd = DefaultSMTPTimeout
	}
	if t.data <= 0 {
		t.data = max(DefaultDataTimeout, t.cmd)
	}
	return t
}

// client builds the go-mail Client all connections share. It holds only
// configuration; each connection dials its own smtp.Client from it.
func (c SMTPConfig) client(t smtpTarget) (*gomail.Client, error) {
	timeout := c.timeouts().cmd
	tlsConf := &tls.Config{ServerName: t.host, MinVersion: tls.VersionTLS12}
	if c.TLSConfig != nil {
		tlsConf = c.TLSConfig.Clone()
		if tlsConf.ServerName == "" {
			tlsConf.ServerName = t.host
		}
	}
	opts := []gomail.Option{
		gomail.WithPort(t.port),
		gomail.WithTimeout(timeout),
		gomail.WithTLSConfig(tlsConf),
		gomail.WithoutNoop(), // a dead connection shows at MAIL FROM, before anything is sent
		gomail.WithoutRset(), // a finished DATA already resets the transaction
	}
	switch t.mode {
	case tlsStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case tlsImplicit:
		opts = append(opts, gomail.WithSSL())
	case tlsOpportunistic:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case tlsNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if c.HELO != "" {
		opts = append(opts, gomail.WithHELO(c.HELO))
	}
	if c.DialContext != nil {
		opts = append(opts, gomail.WithDialContextFunc(c.DialContext))
	}
	if t.user != "" {
		opts = append(opts, gomail.WithUsername(t.user), gomail.WithPassword(t.pass))
		if t.mode == tlsStartTLS || t.mode == tlsImplicit {
			opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover))
		} else {
			// Loopback without guaranteed TLS: PLAIN/LOGIN are acceptable here only.
			opts = append(opts, gomail.WithOpportunisticSMTPAuth(
				gomail.SMTPAuthSCRAMSHA256, gomail.SMTPAuthSCRAMSHA1, gomail.SMTPAuthCramMD5,
				gomail.SMTPAuthPlainNoEnc, gomail.SMTPAuthLoginNoEnc))
		}
	}
	cl, err := gomail.NewClient(t.host, opts...)
	if err != nil {
		return nil, fmt.Errorf("smtp: %s: %w", t, err)
	}
	return cl, nil
}
