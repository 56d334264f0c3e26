package notify

import (
	"bytes"
	"errors"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"sync"
	"time"
)

// wireMsg is a message as it goes on the wire inside DATA: CRLF line ends,
// dot-stuffed, ending with CRLF, without the final ".".
type wireMsg struct {
	from, to string // envelope
	buf      *bytes.Buffer
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// release returns the message's buffer to the pool.
func (w *wireMsg) release() {
	if w != nil && w.buf != nil {
		w.buf.Reset()
		bufPool.Put(w.buf)
		w.buf = nil
	}
}

// composeWire builds r's message ready for DATA. From a skeleton, go-mail
// writes the headers and MIME structure around placeholder bodies, which
// are replaced by the bodies encoded from the skeleton's pre-encoded lines;
// otherwise (templates that need a full render, DKIM) the message is
// compose's. Both give go-mail's bytes (tests compare them).
func (cp *composer) composeWire(r Recipient, date time.Time) (*wireMsg, string, error) {
	unsub, id, err := cp.check(r)
	if err != nil {
		return nil, "", err
	}
	raw := bufPool.Get().(*bytes.Buffer)
	defer func() { raw.Reset(); bufPool.Put(raw) }()
	f, ok := cp.fill(r, unsub, date)
	switch {
	case ok && cp.dkim == nil && cp.frameFor(f.sk) != nil:
		if !writeFrame(raw, f.sk.frame, cp.headersFor(r, f.subject, unsub, id, date), &f) {
			return nil, "", errPlaceholder
		}
	case ok && cp.dkim == nil:
		m, err := cp.message(r, rendered{Subject: f.subject, Text: cp.skel.sentinel + "T", HTML: cp.skel.sentinel + "H"}, unsub, id, date)
		if err != nil {
			return nil, "", err
		}
		if _, err := m.WriteTo(raw); err != nil {
			return nil, "", err
		}
		if err := spliceBodies(raw, cp.skel.sentinel, &f); err != nil {
			return nil, "", err
		}
	default:
		m, _, err := cp.compose(r, date)
		if err != nil {
			return nil, "", err
		}
		if _, err := m.WriteTo(raw); err != nil {
			return nil, "", err
		}
	}
	// The envelope addresses as go-mail gives them (mail.Address without a name).
	w := &wireMsg{from: (&mail.Address{Address: cp.from.Address}).String(), to: (&mail.Address{Address: r.Email}).String(), buf: bufPool.Get().(*bytes.Buffer)}
	dotStuff(w.buf, raw.Bytes())
	return w, id, nil
}

var errPlaceholder = errors.New("composing: the body placeholders are not where they belong")

// spliceBodies replaces the text and HTML placeholders in the message
// rendered in raw by the encoded bodies.
func spliceBodies(raw *bytes.Buffer, sentinel string, f *filled) error {
	msg := raw.Bytes()
	t := bytes.Index(msg, []byte(sentinel+"T"))
	h := bytes.Index(msg, []byte(sentinel+"H"))
	n := len(sentinel) + 1
	if t < 0 || h < t+n || bytes.Count(msg, []byte(sentinel)) != 2 {
		return errPlaceholder
	}
	out := bufPool.Get().(*bytes.Buffer)
	defer func() { out.Reset(); bufPool.Put(out) }()
	out.Grow(len(msg) + 8<<10)
	out.Write(msg[:t])
	writeQP(out, f.sk.textQP, f.vals[:])
	out.Write(msg[t+n : h])
	writeQP(out, f.sk.htmlQP, f.esc[:])
	out.Write(msg[h+n:])
	raw.Reset()
	raw.Write(out.Bytes())
	return nil
}

// qpSeg is part of a body: lines without a slot, already encoded, or one
// line with slots, encoded for each message. Quoted-printable encodes each
// line on its own, so encoding line by line gives the whole body's bytes.
type qpSeg struct {
	enc  string
	line []piece // nil for enc
}

func qpSegments(ps []piece) []qpSeg {
	var segs []qpSeg
	var static strings.Builder
	var line []piece
	hasSlot := false
	flushStatic := func() {
		if static.Len() > 0 {
			segs = append(segs, qpSeg{enc: qpEncode(static.String())})
			static.Reset()
		}
	}
	endLine := func() {
		if hasSlot {
			flushStatic()
			segs = append(segs, qpSeg{line: line})
		} else {
			for _, p := range line {
				static.WriteString(p.lit)
			}
		}
		line, hasSlot = nil, false
	}
	for _, p := range ps {
		if p.slot >= 0 {
			line, hasSlot = append(line, p), true
			continue
		}
		lit := p.lit
		for {
			i := strings.IndexByte(lit, '\n')
			if i < 0 {
				break
			}
			line = append(line, piece{lit: lit[:i+1], slot: -1})
			endLine()
			lit = lit[i+1:]
		}
		if lit != "" {
			line = append(line, piece{lit: lit, slot: -1})
		}
	}
	if len(line) > 0 {
		endLine()
	}
	flushStatic()
	return segs
}

func qpEncode(s string) string {
	var b strings.Builder
	w := quotedprintable.NewWriter(&b)
	_, _ = w.Write([]byte(s))
	_ = w.Close()
	return b.String()
}

// writeQP writes a body from its segments, with vals in the slots.
func writeQP(b *bytes.Buffer, segs []qpSeg, vals []string) {
	for _, s := range segs {
		if s.line == nil {
			b.WriteString(s.enc)
			continue
		}
		w := quotedprintable.NewWriter(b)
		for _, p := range s.line {
			if p.slot < 0 {
				_, _ = w.Write([]byte(p.lit))
			} else {
				_, _ = w.Write([]byte(vals[p.slot]))
			}
		}
		_ = w.Close()
	}
}

// dotStuff writes msg to dst as DATA carries it (RFC 5321 §4.5.2), as
// textproto's DotWriter does: CRLF line ends, a line starting with "." gets
// another, and the message ends with CRLF.
func dotStuff(dst *bytes.Buffer, msg []byte) {
	dst.Grow(len(msg) + 64)
	for len(msg) > 0 {
		line := msg
		if i := bytes.IndexByte(msg, '\n'); i >= 0 {
			line = msg[:i]
		}
		msg = msg[min(len(line)+1, len(msg)):]
		if len(line) > 0 && line[0] == '.' {
			dst.WriteByte('.')
		}
		dst.Write(bytes.TrimSuffix(line, []byte("\r")))
		dst.WriteString("\r\n")
	}
}
