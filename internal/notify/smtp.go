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

// parse validates the config without touching the network. Errors never
// quote the URL, which may hold a password.
func (c SMTPConfig) parse() (smtpTarget, error) {
	if c.URL == "" {
		return smtpTarget{}, errors.New("smtp: no server URL (want smtp://host:port or smtps://host:port)")
	}
	u, err := url.Parse(c.URL)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the url.Error text would quote the whole URL
		}
		return smtpTarget{}, fmt.Errorf("smtp: server URL is malformed: %v", err)
	}
	t := smtpTarget{host: u.Hostname()}
	switch u.Scheme {
	case "smtp":
		t.port, t.mode = 587, tlsStartTLS
	case "smtps":
		t.port, t.mode = 465, tlsImplicit
	default:
		return t, fmt.Errorf("smtp: server URL scheme %q is not smtp or smtps", u.Scheme)
	}
	if t.host == "" {
		return t, errors.New("smtp: server URL has no host")
	}
	if u.Path != "" && u.Path != "/" || u.Fragment != "" {
		return t, errors.New("smtp: server URL must not have a path or fragment")
	}
	if p := u.Port(); p != "" {
		if t.port, err = strconv.Atoi(p); err != nil || t.port < 1 || t.port > 65535 {
			return t, fmt.Errorf("smtp: server port %q is not a port number", p)
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
			return t, fmt.Errorf("smtp: refusing plain SMTP to %s: TLS is required except on loopback (use smtp:// with STARTTLS or smtps://)", t.host)
		}
		if t.mode != tlsStartTLS {
			return t, errors.New("smtp: tls=none needs an smtp:// URL")
		}
		t.mode = tlsNone
	default:
		return t, fmt.Errorf("smtp: unknown tls=%q (want starttls or none)", q)
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
