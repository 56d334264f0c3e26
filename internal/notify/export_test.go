package notify

import (
	"bufio"
	"bytes"
	"net/textproto"
	"time"
)

// SignPayloadForTest signs an arbitrary payload like SignToken does.
func SignPayloadForTest(key []byte, payload string) string {
	return b64.EncodeToString([]byte(payload)) + "." + b64.EncodeToString(tokenMAC(key, payload))
}

// SignTokenV1 makes the earlier, readable token, still accepted.
var SignTokenV1 = signTokenV1

// ComposeBothForTest renders r's whole message as Run composes it (from
// a skeleton when the templates allow) and with a full template run for
// the message: composed and full are the messages, wire and fullWire
// the bytes DATA carries (for the full render, through textproto's
// DotWriter, less the final "."). skeleton says whether a skeleton was used.
func ComposeBothForTest(c Campaign, dir string, key []byte, r Recipient, date time.Time) (composed, wire, full, fullWire []byte, skeleton bool, err error) {
	tpl, err := LoadTemplates(dir)
	if err != nil {
		return
	}
	cp, err := newComposer(c, tpl, key, nil)
	if err != nil {
		return
	}
	write := func() ([]byte, error) {
		m, _, err := cp.compose(r, date)
		if err != nil {
			return nil, err
		}
		var b bytes.Buffer
		_, err = m.WriteTo(&b)
		return b.Bytes(), err
	}
	_, skeleton = cp.renderSkeleton(r, cp.unsubscribeURL(r.Email), date)
	if composed, err = write(); err != nil {
		return
	}
	w, _, err := cp.composeWire(r, date)
	if err != nil {
		return
	}
	wire = bytes.Clone(w.buf.Bytes())
	cp.skel = nil
	if full, err = write(); err != nil {
		return
	}
	var b bytes.Buffer
	bw := bufio.NewWriter(&b)
	dw := textproto.NewWriter(bw).DotWriter()
	_, _ = dw.Write(full)
	_ = dw.Close()
	_ = bw.Flush()
	fullWire = bytes.TrimSuffix(b.Bytes(), []byte(".\r\n"))
	return
}
