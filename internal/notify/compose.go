package notify

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Headers go-mail does not name.
const (
	headerAutoSubmitted gomail.Header = "Auto-Submitted"
	headerDKIM          gomail.Header = "DKIM-Signature"
)

// composer builds the message for one recipient of a campaign. It is
// read-only after newComposer, so workers share one.
type composer struct {
	c       Campaign
	views   map[string]Campaign // c.For(known), by the version a recipient knew
	tpl     *Templates
	key     []byte
	dkim    *dkimKey
	from    *mail.Address
	replyTo *mail.Address
	host    string // Message-ID right-hand side: the host of the site
	mailto  string
	skel    *skeletons // bodies rendered once per variant, when the templates allow
	tokens  *tokenSigner
	// unsubPre and unsubPost surround the token in the unsubscribe URL.
	unsubPre, unsubPost string
}

func newComposer(c Campaign, tpl *Templates, key []byte, dk *DKIMConfig) (*composer, error) {
	if err := c.validate(); err != nil {
		return nil, fmt.Errorf("notify: %w", err)
	}
	if len(key) < MinKeyLen {
		return nil, fmt.Errorf("notify: unsubscribe signing key is shorter than %d bytes (set REDLINE_UNSUBSCRIBE_KEY)", MinKeyLen)
	}
	cp := &composer{c: c, tpl: tpl, key: key, views: map[string]Campaign{}, skel: newSkeletons(tpl, c), tokens: newTokenSigner(key)}
	cp.unsubPre, cp.unsubPost = splitUnsubscribeURL(c.UnsubscribeURL)
	for _, known := range append([]string{c.Root}, versionIDs(c.Versions)...) {
		if v, ok := c.For(known); ok {
			cp.views[known] = v
		}
	}
	cp.from, _ = mail.ParseAddress(c.From)
	cp.from.Name = headerText(cp.from.Name)
	if c.ReplyTo != "" {
		cp.replyTo, _ = mail.ParseAddress(c.ReplyTo)
		cp.replyTo.Name = headerText(cp.replyTo.Name)
	}
	u, _ := url.Parse(c.BaseURL)
	cp.host = u.Hostname()
	if c.UnsubscribeMailto != "" {
		cp.mailto = "mailto:" + strings.TrimPrefix(c.UnsubscribeMailto, "mailto:") + "?subject=unsubscribe"
	}
	if dk != nil {
		k, err := dk.load(cp.from.Address)
		if err != nil {
			return nil, err
		}
		cp.dkim = k
	}
	return cp, nil
}

// messageID is the deterministic Message-ID (without brackets) of the
// campaign's message to email: the same on every attempt and every resumed
// run, so receivers can recognise a resend.
func messageID(campaignID, email, host string) string {
	sum := sha256.Sum256([]byte(campaignID + "|" + addressKey(email)))
	return hex.EncodeToString(sum[:])[:32] + "@" + host
}

// unsubscribeURL is the one-click URL for email.
func (cp *composer) unsubscribeURL(email string) string {
	tok := cp.tokens.sign(email)
	if cp.unsubPre != "" || cp.unsubPost != "" {
		return cp.unsubPre + tok + cp.unsubPost
	}
	return unsubscribeURL(cp.c.UnsubscribeURL, tok)
}

// unsubscribeURL is base with its "t" parameter set to tok.
func unsubscribeURL(base, tok string) string {
	u, _ := url.Parse(base) // validated in newComposer
	q := u.Query()
	q.Set("t", tok)
	u.RawQuery = q.Encode()
	return u.String()
}

// tokenMark stands for the token when the unsubscribe URL is built once:
// like every token, it is left alone by query escaping.
const tokenMark = "2.redlineTokenMark"

// splitUnsubscribeURL returns what comes before and after the token in
// base's unsubscribe URLs, so each is two concatenations; both are empty
// when the mark does not appear exactly once.
func splitUnsubscribeURL(base string) (pre, post string) {
	s := unsubscribeURL(base, tokenMark)
	if strings.Count(s, tokenMark) != 1 {
		return "", ""
	}
	pre, post, _ = strings.Cut(s, tokenMark)
	return pre, post
}

// render runs the templates for r: the message as the version r knew reads it.
func (cp *composer) render(r Recipient, unsub string, date time.Time) (rendered, error) {
	view, ok := cp.views[r.Known]
	if !ok {
		view = cp.c
	}
	return cp.tpl.render(messageData(view, r, unsub, date))
}

// compose builds a fresh go-mail message for r. Every header value comes
// either from a parsed address, from headerText, or from values we generate,
// so nothing a recipient or template controls can add a header.
func (cp *composer) compose(r Recipient, date time.Time) (*gomail.Msg, string, error) {
	unsub, id, err := cp.check(r)
	if err != nil {
		return nil, "", err
	}
	out, ok := cp.renderSkeleton(r, unsub, date)
	if !ok {
		if out, err = cp.render(r, unsub, date); err != nil {
			return nil, "", err
		}
	}
	m, err := cp.message(r, out, unsub, id, date)
	if err != nil {
		return nil, "", err
	}
	return m, id, nil
}

// check validates r's address and returns its unsubscribe URL and Message-ID.
func (cp *composer) check(r Recipient) (unsub, id string, err error) {
	if _, err := checkAddress(r.Email); err != nil {
		return "", "", fmt.Errorf("recipient %q: %w", r.Email, err)
	}
	return cp.unsubscribeURL(r.Email), messageID(cp.c.ID, r.Email, cp.host), nil
}

// headers are the per-message values of a message's headers.
type headers struct {
	to                 *mail.Address
	subject, id, unsub string
	date, boundary     string // as written
}

func (cp *composer) headersFor(r Recipient, subject, unsub, id string, date time.Time) headers {
	return headers{to: &mail.Address{Name: headerText(r.Name), Address: r.Email}, subject: subject, id: id, unsub: unsub,
		date: date.Format(time.RFC1123Z), boundary: "redline-" + id[:24]}
}

// message assembles the go-mail message with the rendered subject and
// bodies, signed when DKIM is set up.
func (cp *composer) message(r Recipient, out rendered, unsub, id string, date time.Time) (*gomail.Msg, error) {
	m, err := cp.goMail(cp.headersFor(r, out.Subject, unsub, id, date), out.Text, out.HTML)
	if err != nil {
		return nil, err
	}
	if cp.dkim != nil {
		// Sign the bytes go-mail renders; rendering is deterministic (fixed
		// date, boundary and ids), so what is sent is what was signed, and
		// the DKIM-Signature header itself is not among the signed ones.
		var buf bytes.Buffer
		if _, err := m.WriteTo(&buf); err != nil {
			return nil, fmt.Errorf("rendering for dkim: %w", err)
		}
		sig, err := cp.dkim.sign(buf.Bytes(), date)
		if err != nil {
			return nil, err
		}
		m.SetGenHeaderPreformatted(headerDKIM, sig)
	}
	return m, nil
}

// goMail builds the go-mail message.
func (cp *composer) goMail(h headers, text, html string) (*gomail.Msg, error) {
	m := gomail.NewMsg(gomail.WithNoDefaultUserAgent(), gomail.WithBoundary(h.boundary))
	m.FromMailAddress(cp.from)
	if cp.replyTo != nil {
		m.ReplyToMailAddress(cp.replyTo)
	}
	m.ToMailAddress(h.to)
	m.Subject(h.subject)
	m.SetMessageIDWithValue(h.id)
	m.SetGenHeader(gomail.HeaderDate, h.date) // as SetDateWithValue writes it
	m.SetGenHeader(headerAutoSubmitted, "auto-generated")
	m.SetGenHeader(gomail.HeaderXAutoResponseSuppress, "All")
	var extra []string
	if cp.mailto != "" {
		extra = append(extra, cp.mailto)
	}
	if err := m.SetListUnsubscribeOneClick(h.unsub, extra...); err != nil {
		return nil, fmt.Errorf("list-unsubscribe: %w", err)
	}
	m.SetBodyString(gomail.TypeTextPlain, text)
	m.AddAlternativeString(gomail.TypeTextHTML, html)
	return m, nil
}

func versionIDs(vs []VersionInfo) []string {
	ids := make([]string, len(vs))
	for i, v := range vs {
		ids[i] = v.ID
	}
	return ids
}
