package notify_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getspectr/redline/internal/notify"
)

// hostileNames are display names that exercise every escaper and the
// header clean-up: markup, quotes, +, control characters, non-ASCII, long
// runs that quoted-printable must wrap, and text that looks like a slot.
var hostileNames = []string{
	"", "Ann", `<b>"O'Neil" & Co+</b>`, "Zoë 山田 \u202e", "tab\tand\r\nnewline", "  spaced  ",
	"rlslot0123456789abcdef0", "{{.Recipient.Email}}", "javascript:alert(1)",
	"Bartholomew Fitzgerald-Montgomery the Third of Somewhere Quite Far Away Indeed",
	"Ünïcödé Ünïcödé Ünïcödé Ünïcödé Ünïcödé Ünïcödé Ünïcödé Ünïcödé Ünïcödé Ünïcödé",
}

// TestSkeletonMatchesFullRender composes messages for many recipients both
// ways and requires the same bytes, whole MIME message included.
func TestSkeletonMatchesFullRender(t *testing.T) {
	c := testCampaign(t)
	dates := []time.Time{testNow, c.Effective.Add(24 * time.Hour)} // upcoming, and in effect
	emails := []string{"ann@example.com", "Ann.O+tag@Example.COM", "x@sub.example.org"}
	n := 0
	for _, date := range dates {
		for _, known := range []string{"", "2025-01-10", "2025-06-01"} {
			for _, locale := range []string{"", "de", "fr-CA"} {
				for i, name := range hostileNames {
					r := notify.Recipient{Email: emails[i%len(emails)], Name: name, Locale: locale, Known: known}
					got, wire, want, wantWire, how, err := notify.ComposeBothForTest(c, templatesDir, testKey, r, date)
					if err != nil {
						t.Fatal(err)
					}
					if how != "frame" {
						t.Fatalf("the shipped templates should compose from a skeleton and a frame, not %q (%+v)", how, r)
					}
					if !sameMessage(got, want) {
						t.Fatalf("recipient %+v on %s: skeleton message differs from the full render:\n%s\n---- want ----\n%s", r, date, got, want)
					}
					if !sameMessage(wire, wantWire) {
						t.Fatalf("recipient %+v on %s: DATA differs from the full render's:\n%s\n---- want ----\n%s", r, date, wire, wantWire)
					}
					n++
				}
			}
		}
	}
	t.Logf("%d messages identical", n)
}

// TestSkeletonCustomTemplates checks that templates using a recipient's
// values in ways a skeleton cannot reproduce are rendered in full, and
// that those it can are reproduced exactly.
func TestSkeletonCustomTemplates(t *testing.T) {
	const text = "{{if .Recipient.Name}}Hi {{.Recipient.Name}}{{end}}\n{{.UnsubscribeURL}}\n"
	const html = `<p>{{.Recipient.Name}}</p><a href="{{.UnsubscribeURL}}">x</a>`
	tests := []struct {
		name, subject, text, html string
		how                       string // "frame", "skeleton" or "full"
	}{
		{name: "plain", subject: "Update", text: text, html: html, how: "frame"},
		{name: "name in subject", subject: "Hello {{.Recipient.Name}}", text: text, html: html, how: "skeleton"},
		{name: "name in an attribute", subject: "Update", text: text, html: `<img alt="{{.Recipient.Name}}"><a href="{{.UnsubscribeURL}}">x</a>`, how: "frame"},
		{name: "email printed", subject: "Update", text: "To {{.Recipient.Email}}\n", html: `<p>{{.Recipient.Email}}</p>`, how: "frame"},
		{name: "dots and CRLF", subject: "Update", text: ".dot line\r\n.{{.Recipient.Name}}\r\n\r\nend {{.UnsubscribeURL}}", html: ".<p>{{.Recipient.Name}}</p>\n.", how: "frame"},
		{name: "name passed to a function", subject: "Update", text: `{{printf "%.3s" .Recipient.Name}}`, html: html, how: "full"},
		{name: "name compared", subject: "Update", text: `{{if eq .Recipient.Name "Ann"}}A{{end}}`, html: html, how: "full"},
		{name: "name in two contexts", subject: "Update", text: text, html: `<p title="{{.Recipient.Name}}">{{.Recipient.Name}}</p>`, how: "full"},
		{name: "the date", subject: "Update", text: `{{date .Date}}`, html: html, how: "full"},
		{name: "the whole data", subject: "Update", text: `{{template "x" .}}{{define "x"}}{{.Recipient.Name}}{{end}}`, html: html, how: "full"},
		{name: "with recipient", subject: "Update", text: `{{with .Recipient}}{{.Name}}{{end}}`, html: html, how: "full"},
		{name: "root variable", subject: "Update", text: `{{range .Summary}}{{$.Recipient.Line}}{{end}}`, html: html, how: "full"},
		{name: "name in script", subject: "Update", text: text, html: `<script>var n = "{{.Recipient.Name}}";</script>`, how: "full"},
	}
	c := testCampaign(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for f, src := range map[string]string{"subject.txt.tmpl": tc.subject, "message.txt.tmpl": tc.text, "message.html.tmpl": tc.html} {
				must(t, os.WriteFile(filepath.Join(dir, f), []byte(src), 0o644))
			}
			for _, name := range hostileNames {
				r := notify.Recipient{Email: "ann@example.com", Name: name}
				got, wire, want, wantWire, how, err := notify.ComposeBothForTest(c, dir, testKey, r, testNow)
				if err != nil {
					t.Fatal(err)
				}
				if how != tc.how {
					t.Fatalf("composed by %q, want %q", how, tc.how)
				}
				if !sameMessage(got, want) {
					t.Fatalf("name %q: message differs from the full render:\n%s\n---- want ----\n%s", name, got, want)
				}
				if !sameMessage(wire, wantWire) {
					t.Fatalf("name %q: DATA differs from the full render's:\n%s\n---- want ----\n%s", name, wire, wantWire)
				}
			}
		})
	}
}

// sameMessage compares two messages byte for byte, except for the order of
// the header fields, which go-mail writes in map order.
func sameMessage(a, b []byte) bool {
	ha, ba, _ := bytes.Cut(a, []byte("\r\n\r\n"))
	hb, bb, _ := bytes.Cut(b, []byte("\r\n\r\n"))
	return bytes.Equal(ba, bb) && slices.Equal(headerFields(ha), headerFields(hb))
}

// headerFields returns a header block's fields, folded lines kept, sorted.
func headerFields(h []byte) []string {
	var fields []string
	for _, line := range strings.Split(string(h), "\r\n") {
		if n := len(fields); n > 0 && (strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t")) {
			fields[n-1] += "\r\n" + line
			continue
		}
		fields = append(fields, line)
	}
	slices.Sort(fields)
	return fields
}

// TestPlainEscapes checks the shortcut that skips html/template for values
// no escaper changes: in every context, the same result as the template,
// for plain values, URLs and values that are not plain.
func TestPlainEscapes(t *testing.T) {
	values := append([]string{"https://legal.spectr.test/unsubscribe?t=2.abc-_DEF", "http://x.test/a?b=c;d=e,f@g!$",
		"javascript:alert(1)", "https://x.test/?a=1&b=2", "https://x.test/a b", "https://x.test/%41", "https://x.test/é",
		"HTTPS://X.TEST/", "data:text/html,x", "//evil.test", "a:b", "Ann Example", "Ann+Bob", "O'Neil"}, hostileNames...)
	for _, v := range values {
		contexts, fast, slow, err := notify.EscapeForTest(v)
		if err != nil {
			t.Fatal(err)
		}
		for i := range contexts {
			if fast[i] != slow[i] {
				t.Errorf("%q in %s: %q, html/template gives %q", v, contexts[i], fast[i], slow[i])
			}
		}
	}
}
