package content

import (
	"net/mail"
	"net/url"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Config is site.yaml: what the whole site shares.
type Config struct {
	Name        string // shown in titles and emails, e.g. "Spectr"
	BaseURL     string // absolute, ends in "/": where dist/ is published
	Language    string // BCP 47 tag for <html lang>, default "en"
	Contact     string // contact email shown in every footer
	Description string // optional line under the site name
	NoticeDays  int    // minimum notice for a material change, default 30
	UnsafeHTML  bool   // let raw HTML in Markdown through; default false
	// IgnoreKeys are front matter keys tolerated and ignored in versions,
	// for content migrated from other tools (Jekyll's "layout", say).
	IgnoreKeys []string
	Mail       Mail
}

// Mail is the site.yaml "mail" section.
type Mail struct {
	From              string // "Spectr <privacy@getspectr.ai>"
	ReplyTo           string
	UnsubscribeURL    string // one-click unsubscribe endpoint; default BaseURL + "unsubscribe"
	UnsubscribeMailto string // optional mailto for List-Unsubscribe
	DKIMDomain        string
	DKIMSelector      string
}

// DefaultNoticeDays is the notice period for material changes when
// site.yaml does not set one: 30 days, as GitHub promises.
const DefaultNoticeDays = 30

func parseConfig(src []byte, p problems) Config {
	c := Config{Language: "en", NoticeDays: DefaultNoticeDays}
	fields, ok := parseMapping(src, 0, p)
	if !ok {
		return c
	}
	seen := map[string]bool{}
	for _, f := range fields {
		seen[f.key] = true
		switch f.key {
		case "name":
			c.Name, _ = str(f, p)
		case "base_url":
			c.BaseURL = baseURL(f, p)
		case "language":
			c.Language, _ = str(f, p)
		case "contact":
			c.Contact = email(f, p)
		case "description":
			c.Description, _ = str(f, p)
		case "notice_days":
			c.NoticeDays = noticeDays(f, p)
		case "unsafe_html":
			c.UnsafeHTML = boolean(f, p)
		case "ignore_keys":
			c.IgnoreKeys, _ = strList(f, p)
		case "mail":
			c.Mail = parseMail(f, p)
		default:
			p.add(f.line, "unknown key %q (known: name, base_url, language, contact, description, notice_days, unsafe_html, ignore_keys, mail)", f.key)
		}
	}
	for _, k := range []string{"name", "base_url", "contact"} {
		if !seen[k] {
			p.add(0, "missing %s: add a line \"%s: …\"", k, k)
		}
	}
	return c
}

func parseMail(f field, p problems) Mail {
	var m Mail
	if f.value.Kind != yaml.MappingNode {
		p.add(f.line, "mail: want key: value pairs, found %s", nodeKind(f.value))
		return m
	}
	for _, g := range mappingFields(f.value, 0, p) {
		switch g.key {
		case "from":
			m.From = address(g, p)
		case "reply_to":
			m.ReplyTo = address(g, p)
		case "unsubscribe_url":
			m.UnsubscribeURL = absURL(g, p)
		case "unsubscribe_mailto":
			m.UnsubscribeMailto = email(g, p)
		case "dkim_domain":
			m.DKIMDomain, _ = str(g, p)
		case "dkim_selector":
			m.DKIMSelector, _ = str(g, p)
		default:
			p.add(g.line, "mail: unknown key %q (known: from, reply_to, unsubscribe_url, unsubscribe_mailto, dkim_domain, dkim_selector)", g.key)
		}
	}
	return m
}

func absURL(f field, p problems) string {
	s, ok := str(f, p)
	if !ok {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		p.add(f.line, "%s: %q is not an absolute http(s) URL", f.key, s)
		return ""
	}
	return s
}

func baseURL(f field, p problems) string {
	s := absURL(f, p)
	if s != "" && !strings.HasSuffix(s, "/") {
		s += "/"
	}
	return s
}

func email(f field, p problems) string {
	s, ok := str(f, p)
	if !ok {
		return ""
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || strings.ContainsAny(s, "<>\r\n") {
		p.add(f.line, "%s: %q is not an email address (write name@example.com)", f.key, s)
		return ""
	}
	return a.Address
}

func address(f field, p problems) string {
	s, ok := str(f, p)
	if !ok {
		return ""
	}
	if _, err := mail.ParseAddress(s); err != nil || strings.ContainsAny(s, "\r\n") {
		p.add(f.line, "%s: %q is not an email address (write \"Name <name@example.com>\" or name@example.com)", f.key, s)
		return ""
	}
	return s
}

func noticeDays(f field, p problems) int {
	s, _ := str(f, p)
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 3650 {
		p.add(f.line, "notice_days: %q is not a number of days from 0 to 3650", s)
		return DefaultNoticeDays
	}
	return n
}

func boolean(f field, p problems) bool {
	s, _ := str(f, p)
	switch s {
	case "true", "yes":
		return true
	case "false", "no":
		return false
	}
	p.add(f.line, "%s: %q is not true or false", f.key, s)
	return false
}
