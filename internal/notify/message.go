package notify

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	"os"
	"path/filepath"
	"strings"
	texttemplate "text/template"
	"time"
	"unicode"
)

// Template files, looked up in the templates directory given by the caller.
const (
	subjectTemplate = "subject.txt.tmpl"
	textTemplate    = "message.txt.tmpl"
	htmlTemplate    = "message.html.tmpl"
)

// MessageData is what the email templates see.
type MessageData struct {
	SiteName   string
	BaseURL    string
	Doc        string
	Title      string
	Version    string
	Covers     []string      // covered versions, newest first
	Versions   []VersionDate // the same, with their effective dates
	Effective  time.Time
	Published  time.Time
	Upcoming   bool // the version takes effect after the message date
	Summary    []string
	Changes    []ChangeItem
	PolicyURL  string
	ChangesURL string

	UnsubscribeURL string // the visible unsubscribe link (the one-click URL)
	Date           time.Time
	Recipient      Recipient
}

// VersionDate is a covered version and the date it takes effect.
type VersionDate struct {
	ID        string
	Effective time.Time
}

// Templates are the parsed email templates: a subject line, a plain-text
// body and an HTML body (html/template, so values are escaped).
type Templates struct {
	subject *texttemplate.Template
	text    *texttemplate.Template
	html    *htmltemplate.Template
}

// DateLayout is how emails write a date: as the site's pages do.
const DateLayout = "January 2, 2006"

// templateFuncs are available in all three templates.
var templateFuncs = map[string]any{
	"date": func(t time.Time) string { return t.Format(DateLayout) },
	"iso":  func(t time.Time) string { return t.Format(time.DateOnly) },
	"join": strings.Join,
}

// LoadTemplates parses subject.txt.tmpl, message.txt.tmpl and
// message.html.tmpl from dir.
func LoadTemplates(dir string) (*Templates, error) {
	read := func(name string) (string, error) {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return "", fmt.Errorf("email template: %w", err)
		}
		return string(b), nil
	}
	var t Templates
	src, err := read(subjectTemplate)
	if err != nil {
		return nil, err
	}
	if t.subject, err = texttemplate.New(subjectTemplate).Funcs(templateFuncs).Option("missingkey=error").Parse(src); err != nil {
		return nil, fmt.Errorf("email template: %w", err)
	}
	if src, err = read(textTemplate); err != nil {
		return nil, err
	}
	if t.text, err = texttemplate.New(textTemplate).Funcs(templateFuncs).Option("missingkey=error").Parse(src); err != nil {
		return nil, fmt.Errorf("email template: %w", err)
	}
	if src, err = read(htmlTemplate); err != nil {
		return nil, err
	}
	if t.html, err = htmltemplate.New(htmlTemplate).Funcs(templateFuncs).Option("missingkey=error").Parse(src); err != nil {
		return nil, fmt.Errorf("email template: %w", err)
	}
	return &t, nil
}

// rendered is one message's subject and bodies.
type rendered struct {
	Subject, Text, HTML string
}

func (t *Templates) render(d MessageData) (rendered, error) {
	var out rendered
	var err error
	if out.Subject, err = t.renderSubject(d); err != nil {
		return out, err
	}
	var buf bytes.Buffer
	if err := t.text.Execute(&buf, d); err != nil {
		return out, fmt.Errorf("email template: %w", err)
	}
	out.Text = buf.String()
	buf.Reset()
	if err := t.html.Execute(&buf, d); err != nil {
		return out, fmt.Errorf("email template: %w", err)
	}
	out.HTML = buf.String()
	return out, nil
}

// renderSubject runs the subject template: one header-safe line.
func (t *Templates) renderSubject(d MessageData) (string, error) {
	var b strings.Builder
	if err := t.subject.Execute(&b, d); err != nil {
		return "", fmt.Errorf("email template: %w", err)
	}
	s := headerText(b.String())
	if s == "" {
		return "", fmt.Errorf("email template: %s renders an empty subject", subjectTemplate)
	}
	return s, nil
}

// headerText makes s safe for a header value: every run of whitespace or
// control characters (CR and LF included) becomes one space, so no value can
// end the header and start another.
func headerText(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// messageData builds the template data for one recipient.
func messageData(c Campaign, r Recipient, unsubscribeURL string, date time.Time) MessageData {
	r.Name = headerText(r.Name)
	return MessageData{
		SiteName:       c.SiteName,
		BaseURL:        c.BaseURL,
		Doc:            c.Doc,
		Title:          c.Title,
		Version:        c.Version,
		Covers:         c.Covers,
		Versions:       versionDates(c),
		Effective:      c.Effective,
		Published:      c.Published,
		Upcoming:       c.Effective.After(date),
		Summary:        c.Summary,
		Changes:        c.Changes,
		PolicyURL:      c.PolicyURL,
		ChangesURL:     c.ChangesURL,
		UnsubscribeURL: unsubscribeURL,
		Date:           date,
		Recipient:      r,
	}
}

// versionDates lists the covered versions, newest first, with their dates.
func versionDates(c Campaign) []VersionDate {
	byID := map[string]time.Time{}
	for _, v := range c.Versions {
		byID[v.ID] = v.Effective
	}
	out := make([]VersionDate, 0, len(c.Covers))
	for _, id := range c.Covers {
		eff, ok := byID[id]
		if !ok && id == c.Version {
			eff = c.Effective
		}
		out = append(out, VersionDate{ID: id, Effective: eff})
	}
	return out
}
