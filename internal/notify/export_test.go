package notify

import (
	"bufio"
	"bytes"
	"fmt"
	htmltemplate "html/template"
	"net/textproto"
	"strings"
	"text/template/parse"
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
// DotWriter, less the final "."). how says how composed was made: "frame"
// (skeleton and frame), "skeleton" (go-mail writes the headers) or "full".
func ComposeBothForTest(c Campaign, dir string, key []byte, r Recipient, date time.Time) (composed, wire, full, fullWire []byte, how string, err error) {
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
	how = "full"
	if f, ok := cp.fill(r, cp.unsubscribeURL(r.Email), date); ok {
		how = "skeleton"
		if cp.frameFor(f.sk) != nil {
			how = "frame"
		}
	}
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

// EscapeForTest escapes v for each probe context both ways: by the probe
// template, and as fill does (which skips the probe for plain values).
func EscapeForTest(v string) (contexts []string, fast, slow []string, err error) {
	for _, src := range probeSources {
		t, err := htmltemplate.New("p").Parse(src)
		if err != nil {
			return nil, nil, nil, err
		}
		var b strings.Builder
		if err := t.Execute(&b, v); err != nil {
			return nil, nil, nil, err
		}
		var chain []string
		for _, n := range t.Tree.Root.Nodes {
			if a, ok := n.(*parse.ActionNode); ok {
				for _, c := range a.Pipe.Cmds[1:] {
					chain = append(chain, c.Args[0].(*parse.IdentifierNode).Ident)
				}
			}
		}
		p := probeFor(strings.Join(chain, "|"))
		if p == nil {
			return nil, nil, nil, fmt.Errorf("no probe for %s", src)
		}
		f, err := p.escape(v)
		if err != nil {
			return nil, nil, nil, err
		}
		pp := *p
		pp.chain = "" // never plain: always the template
		sl, err := pp.escape(v)
		if err != nil {
			return nil, nil, nil, err
		}
		contexts, fast, slow = append(contexts, src), append(fast, f), append(slow, sl)
	}
	return contexts, fast, slow, nil
}
