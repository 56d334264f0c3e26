package notify_test

import (
	"bytes"
	"context"
	"flag"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getspectr/redline/internal/notify"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// parsedMessage is a rendered message taken apart with the standard library.
type parsedMessage struct {
	header              mail.Header
	subject, text, html string
}

func parseMessage(t testing.TB, raw []byte) parsedMessage {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("not an RFC 5322 message: %v\n%s", err, raw)
	}
	p := parsedMessage{header: m.Header}
	p.subject, err = new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type %q: %v", m.Header.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		part, err := mr.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		var body io.Reader = part
		if part.Header.Get("Content-Transfer-Encoding") == "quoted-printable" {
			body = quotedprintable.NewReader(part)
		}
		b, err := io.ReadAll(body)
		if err != nil {
			t.Fatal(err)
		}
		switch ct, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type")); ct {
		case "text/plain":
			p.text = string(b)
		case "text/html":
			p.html = string(b)
		}
	}
	if p.text == "" || p.html == "" {
		t.Fatalf("message lacks a text or an HTML part")
	}
	return p
}

func preview(t testing.TB, c notify.Campaign, r notify.Recipient) parsedMessage {
	t.Helper()
	var buf bytes.Buffer
	err := notify.Preview(&buf, notify.PreviewOptions{Campaign: c, TemplatesDir: templatesDir, UnsubscribeKey: testKey, Recipient: r, Now: testNow, Part: "mime"})
	if err != nil {
		t.Fatal(err)
	}
	return parseMessage(t, buf.Bytes())
}

// TestMessageGolden pins the rendered subject, text and HTML of the email.
// Run with -update after changing templates/email and review the diff.
func TestMessageGolden(t *testing.T) {
	p := preview(t, testCampaign(t), notify.Recipient{Email: "ann@example.com", Name: "Ann Example"})
	for name, got := range map[string]string{"subject.txt": p.subject + "\n", "message.txt": p.text, "message.html": p.html} {
		path := filepath.Join("testdata", "golden", name)
		if *update {
			must(t, os.MkdirAll(filepath.Dir(path), 0o755))
			must(t, os.WriteFile(path, []byte(got), 0o644))
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -run TestMessageGolden -update)", err)
		}
		if got != string(want) {
			t.Errorf("%s differs from %s (run with -update and review):\n%s", name, path, got)
		}
	}
}

func TestMessageHeaders(t *testing.T) {
	c := testCampaign(t)
	p := preview(t, c, notify.Recipient{Email: "ann@example.com"})
	h := p.header
	want := map[string]string{
		"From":                  `"Spectr Legal" <legal@spectr.test>`,
		"Reply-To":              "<privacy@spectr.test>",
		"To":                    "<ann@example.com>",
		"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
		"Auto-Submitted":        "auto-generated",
		"Date":                  "Wed, 01 Apr 2026 09:00:00 +0000",
	}
	for k, v := range want {
		if got := h.Get(k); got != v {
			t.Errorf("%s: %q, want %q", k, got, v)
		}
	}
	id := h.Get("Message-ID")
	p2 := preview(t, c, notify.Recipient{Email: "ANN@example.com"})
	p3 := preview(t, c, notify.Recipient{Email: "bob@example.com"})
	if id != p2.header.Get("Message-ID") || id == p3.header.Get("Message-ID") || !strings.HasSuffix(id, "@legal.spectr.test>") {
		t.Errorf("Message-ID %q is not deterministic per campaign and address", id)
	}
	if !strings.HasPrefix(h.Get("List-Unsubscribe"), "<https://legal.spectr.test/unsubscribe?t=") ||
		!strings.HasSuffix(h.Get("List-Unsubscribe"), ">, <mailto:unsubscribe@spectr.test?subject=unsubscribe>") {
		t.Errorf("List-Unsubscribe %q", h.Get("List-Unsubscribe"))
	}
	if !strings.Contains(p.text, "Unsubscribe from these notices: https://legal.spectr.test/unsubscribe?t=") ||
		!strings.Contains(p.html, ">Unsubscribe from these notices</a>") {
		t.Error("no visible unsubscribe link")
	}
}

// TestHeaderInjection puts CR/LF and header text into every value that
// reaches a header: none may add a header or a recipient.
func TestHeaderInjection(t *testing.T) {
	evil := "\r\nBcc: evil@attacker.test\r\nX-Injected: yes"
	c := testCampaign(t)
	c.Title = "Privacy Policy" + evil
	c.SiteName = "Spectr" + evil
	r := notify.Recipient{Email: "ann@example.com", Name: "Ann" + evil}
	p := preview(t, c, r)
	for _, k := range []string{"Bcc", "Cc", "X-Injected"} {
		if v, ok := p.header[k]; ok {
			t.Errorf("header %s injected: %q", k, v)
		}
	}
	to, err := p.header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Address != "ann@example.com" {
		t.Fatalf("To: %v %v", to, err)
	}
	if strings.ContainsAny(to[0].Name, "\r\n") || strings.ContainsAny(p.subject, "\r\n") {
		t.Errorf("line break survived: name %q subject %q", to[0].Name, p.subject)
	}
	if want := "Changes to our Privacy Policy Bcc: evil@attacker.test X-Injected: yes, effective April 27, 2026"; p.subject != want {
		t.Errorf("subject %q", p.subject)
	}

	// A From or Reply-To with a line break is refused outright.
	for _, s := range []notify.Site{
		{Name: "x", BaseURL: testSite.BaseURL, From: "Legal" + evil + " <legal@spectr.test>", UnsubscribeURL: testSite.UnsubscribeURL},
		{Name: "x", BaseURL: testSite.BaseURL, From: "legal@spectr.test", ReplyTo: "a@spectr.test\r\nBcc: b@spectr.test", UnsubscribeURL: testSite.UnsubscribeURL},
		{Name: "x", BaseURL: testSite.BaseURL, From: "legal@spectr.test", UnsubscribeURL: testSite.UnsubscribeURL, UnsubscribeMailto: "u@spectr.test>\r\nBcc: x@y.test"},
	} {
		err := notify.Preview(io.Discard, notify.PreviewOptions{Campaign: testCampaign(t).WithSite(s), TemplatesDir: templatesDir, UnsubscribeKey: testKey})
		if err == nil {
			t.Errorf("site %+v accepted", s)
		}
	}
}

// TestHeaderInjectionMailpit sends the hostile values through a real SMTP
// server and checks what it stored.
func TestHeaderInjectionMailpit(t *testing.T) {
	mp := startMailpit(t)
	l, _ := openLedger(t)
	c := testCampaign(t)
	c.Title = "Privacy Policy\r\nBcc: evil@attacker.test"
	csvText := "email,name\nann@example.com,\"Ann\r\nBcc: evil@attacker.test\r\n\r\nbody\"\n"
	sum, err := notify.Run(context.Background(), sendOptions(c, l, csvText, mp.SMTPURL()))
	if err != nil || sum.Sent != 1 {
		t.Fatalf("%v\n%s", err, sum)
	}
	msgs := mp.Messages(t)
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	m := mp.Message(t, msgs[0].ID)
	if len(m.To) != 1 || len(m.Bcc) != 0 || len(m.Cc) != 0 || m.To[0].Address != "ann@example.com" {
		t.Fatalf("recipients To %v Cc %v Bcc %v", m.To, m.Cc, m.Bcc)
	}
	if strings.ContainsAny(m.Subject, "\r\n") || strings.ContainsAny(m.To[0].Name, "\r\n") {
		t.Fatalf("line breaks in subject %q or name %q", m.Subject, m.To[0].Name)
	}
}
