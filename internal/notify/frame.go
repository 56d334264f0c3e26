package notify

import (
	"bytes"
	"net/mail"
	"net/url"
	"strings"
	"time"
)

// A frame is what go-mail writes around a skeleton's bodies — headers,
// MIME parts, boundaries — rendered once per skeleton with placeholders
// for the values that change per message. Each placeholder is as long as
// the value it stands for, or sits in a header go-mail does not fold, so
// the bytes around it are what go-mail writes for the real value; the To
// header, which go-mail folds by its length, is folded per message as
// go-mail folds it (foldHeader). Tests compare the result with go-mail's
// rendering of the whole message.

// frame piece kinds.
const (
	fLit = iota
	fBoundary
	fID
	fDate
	fTo // the whole To header line, CRLF included
	fUnsub
	fText
	fHTML
)

type framePiece struct {
	lit  string
	kind int
}

// placeholders of one composer's frames.
type placeholders struct {
	boundary, id, date, to, unsub, text, html string
	toLine                                    string // the To header go-mail writes for to
}

func (cp *composer) placeholders() placeholders {
	s := cp.skel.sentinel
	pad := func(tag string, n int) string { return s + tag + strings.Repeat("x", max(0, n-len(s)-1)) }
	idLen := len(messageID("", "x@x", cp.host))
	p := placeholders{
		boundary: pad("B", len("redline-")+24), // as headersFor makes it
		id:       pad("M", idLen),
		date:     pad("D", len(time.RFC1123Z)),
		to:       s + "A@example.invalid",
		unsub:    "https://" + s + "U.invalid/",
		text:     s + "T",
		html:     s + "H",
	}
	p.toLine = "To: <" + p.to + ">\r\n"
	return p
}

// buildFrame renders the frame for a skeleton with subject; ok is false
// when its bytes are not as expected (the message is then composed by
// go-mail in full).
func (cp *composer) buildFrame(subject string) ([]framePiece, bool) {
	p := cp.placeholders()
	m, err := cp.goMail(headers{to: &mail.Address{Address: p.to}, subject: subject, id: p.id, unsub: p.unsub, date: p.date, boundary: p.boundary}, p.text, p.html)
	if err != nil {
		return nil, false
	}
	var b bytes.Buffer
	if _, err := m.WriteTo(&b); err != nil {
		return nil, false
	}
	rest := b.String()
	tokens := []struct {
		s    string
		kind int
	}{{p.boundary, fBoundary}, {p.id, fID}, {p.date, fDate}, {p.toLine, fTo}, {p.unsub, fUnsub}, {p.text, fText}, {p.html, fHTML}}
	var ps []framePiece
	var count [fHTML + 1]int
	for rest != "" {
		i, kind, n := -1, 0, 0
		for _, t := range tokens {
			if j := strings.Index(rest, t.s); j >= 0 && (i < 0 || j < i) {
				i, kind, n = j, t.kind, len(t.s)
			}
		}
		if i < 0 {
			ps = append(ps, framePiece{lit: rest})
			break
		}
		if i > 0 {
			ps = append(ps, framePiece{lit: rest[:i]})
		}
		ps = append(ps, framePiece{kind: kind})
		count[kind]++
		rest = rest[i+n:]
	}
	for k := fID; k <= fHTML; k++ {
		if count[k] != 1 {
			return nil, false
		}
	}
	if count[fBoundary] < 3 || strings.Contains(joinLits(ps), cp.skel.sentinel) {
		return nil, false // a placeholder go-mail wrote otherwise (folded, encoded)
	}
	return ps, true
}

func joinLits(ps []framePiece) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.lit)
	}
	return b.String()
}

// writeFrame writes the message from the frame: r's header values and the
// bodies from the skeleton's segments.
func writeFrame(b *bytes.Buffer, ps []framePiece, h headers, f *filled) bool {
	u, err := url.Parse(strings.TrimSpace(h.unsub)) // as go-mail writes it
	if err != nil {
		return false
	}
	for _, p := range ps {
		switch p.kind {
		case fLit:
			b.WriteString(p.lit)
		case fBoundary:
			b.WriteString(h.boundary)
		case fID:
			b.WriteString(h.id)
		case fDate:
			b.WriteString(h.date)
		case fTo:
			b.WriteString(foldHeader("To", h.to.String()))
			b.WriteString("\r\n")
		case fUnsub:
			b.WriteString(u.String())
		case fText:
			writeQP(b, f.sk.textQP, f.vals[:])
		case fHTML:
			writeQP(b, f.sk.htmlQP, f.esc[:])
		}
	}
	return true
}

// foldHeader writes "key: value" folded as go-mail's msgWriter.writeHeader
// folds it (lines of at most 76 characters, broken at spaces).
func foldHeader(key, value string) string {
	const maxLen = 76 // go-mail's MaxHeaderLength
	var b strings.Builder
	n := maxLen - 2 - len(key)
	b.WriteString(key)
	b.WriteString(": ")
	n -= 2
	words := strings.Split(value, " ")
	for i, w := range words {
		if n-len(w) <= 1 {
			b.WriteString("\r\n ")
			n = maxLen - 3
		}
		b.WriteString(w)
		if i < len(words)-1 {
			b.WriteString(" ")
			n--
		}
		n -= len(w)
	}
	return strings.ReplaceAll(b.String(), " \r\n", "\r\n")
}
