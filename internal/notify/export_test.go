package notify

import (
	"bytes"
	"time"
)

// SignPayloadForTest signs an arbitrary payload like SignToken does.
func SignPayloadForTest(key []byte, payload string) string {
	return b64.EncodeToString([]byte(payload)) + "." + b64.EncodeToString(tokenMAC(key, payload))
}

// SignTokenV1 makes the earlier, readable token, still accepted.
var SignTokenV1 = signTokenV1

// ComposeBothForTest renders r's whole message twice: as Run composes it
// (from a skeleton when the templates allow) and with a full template run
// for the message. skeleton says whether the first used a skeleton.
func ComposeBothForTest(c Campaign, dir string, key []byte, r Recipient, date time.Time) (composed, full []byte, skeleton bool, err error) {
	tpl, err := LoadTemplates(dir)
	if err != nil {
		return nil, nil, false, err
	}
	cp, err := newComposer(c, tpl, key, nil)
	if err != nil {
		return nil, nil, false, err
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
		return nil, nil, false, err
	}
	cp.skel = nil
	full, err = write()
	return composed, full, skeleton, err
}
