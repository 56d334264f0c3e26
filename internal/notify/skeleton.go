package notify

import (
	"crypto/rand"
	"encoding/hex"
	"slices"
	"strings"
	"sync"
	"time"
)

// A skeleton is a message's bodies rendered once for every recipient who
// reads the same variant of it (the version they knew, their locale, which
// of their values are empty, whether the change is still upcoming), with the
// per-recipient values left as slots. Composing a message then joins the
// pieces with that recipient's values, escaped exactly as the template
// would have escaped them, instead of running the templates again.
//
// It is only used when the templates allow it (skeletonPlan): each
// per-recipient value is printed as it is, or only tested for emptiness,
// and in the HTML template always in the same escaping context. Other
// templates are rendered for every message, as before.

// The per-recipient values a skeleton leaves open.
const (
	slotName = iota
	slotEmail
	slotUnsub
	numSlots
)

// piece is literal text, or a slot when slot ≥ 0.
type piece struct {
	lit  string
	slot int
}

type skeleton struct {
	subject    string // the subject line; "" when it is rendered for each message
	text, html []piece
	htmlSlots  []int // the slots the HTML body prints
	// The bodies quoted-printable encoded, as go-mail sends them: lines
	// without a slot encoded once, the others for each message.
	textQP, htmlQP []qpSeg

	frameOnce sync.Once
	frame     []framePiece // nil: no frame (go-mail writes the headers)
}

// frameFor returns sk's frame, built on first use; nil when the subject
// is rendered per message or the frame could not be built.
func (cp *composer) frameFor(sk *skeleton) []framePiece {
	sk.frameOnce.Do(func() {
		if sk.subject != "" {
			sk.frame, _ = cp.buildFrame(sk.subject)
		}
	})
	return sk.frame
}

type skeletonKey struct {
	known, locale string
	upcoming      bool
	filled        [numSlots]bool // which values are not empty
}

// maxSkeletons bounds the cache; further variants are rendered in full.
const maxSkeletons = 256

// skeletons renders and keeps the skeletons of one composer.
type skeletons struct {
	plan     *skeletonPlan // nil: the templates need a full render per message
	sentinel string        // random: no template or campaign text contains it

	mu    sync.RWMutex
	cache map[skeletonKey]*skeleton
}

func newSkeletons(t *Templates, c Campaign) *skeletons {
	var nonce [8]byte
	_, _ = rand.Read(nonce[:])
	s := &skeletons{sentinel: "rlslot" + hex.EncodeToString(nonce[:]), cache: map[skeletonKey]*skeleton{}}
	s.plan = planSkeletons(t, messageData(c, Recipient{Email: "probe@example.com", Name: "Probe"}, c.UnsubscribeURL, time.Time{}))
	return s
}

// slotValue is what the skeleton is rendered with for slot i: the sentinel
// followed by the slot's digit, or "" when the recipient's value is empty
// (a template may test it).
func (s *skeletons) slotValue(k skeletonKey, i int) string {
	if !k.filled[i] {
		return ""
	}
	return s.sentinel + string(rune('0'+i))
}

// renderSkeleton returns r's subject and bodies from a skeleton; ok is
// false when the templates or the cache do not allow it (render in full).
func (cp *composer) renderSkeleton(r Recipient, unsub string, date time.Time) (out rendered, ok bool) {
	f, ok := cp.fill(r, unsub, date)
	if !ok {
		return out, false
	}
	return rendered{Subject: f.subject, Text: join(f.sk.text, f.vals[:], nil), HTML: join(f.sk.html, f.vals[:], f.esc[:])}, true
}

// filled is a skeleton with one recipient's values, raw and escaped for HTML.
type filled struct {
	sk        *skeleton
	subject   string
	vals, esc [numSlots]string
}

// fill finds r's skeleton and computes its values; ok is false when the
// message must be rendered in full.
func (cp *composer) fill(r Recipient, unsub string, date time.Time) (f filled, ok bool) {
	s := cp.skel
	if s == nil || s.plan == nil {
		return f, false
	}
	view, found := cp.views[r.Known]
	if !found {
		view = cp.c
	}
	f.vals = [numSlots]string{slotName: headerText(r.Name), slotEmail: r.Email, slotUnsub: unsub}
	k := skeletonKey{known: r.Known, locale: r.Locale, upcoming: view.Effective.After(date)}
	for i, v := range f.vals {
		k.filled[i] = v != ""
	}
	f.sk, ok = s.get(k, func() (*skeleton, bool) {
		sr := Recipient{Email: s.slotValue(k, slotEmail), Name: s.slotValue(k, slotName), Locale: r.Locale, Known: r.Known}
		return s.build(cp.tpl, messageData(view, sr, s.slotValue(k, slotUnsub), date))
	})
	if !ok {
		return f, false
	}
	f.subject = f.sk.subject
	if f.subject == "" {
		var err error
		if f.subject, err = cp.tpl.renderSubject(messageData(view, r, unsub, date)); err != nil {
			return f, false
		}
	}
	for _, i := range f.sk.htmlSlots {
		pr := s.plan.html[i]
		if pr == nil {
			return f, false // the plan saw no print of it: cannot happen
		}
		e, err := pr.escape(f.vals[i])
		if err != nil {
			return f, false
		}
		f.esc[i] = e
	}
	return f, true
}

// get returns the skeleton for k, building it on first use.
func (s *skeletons) get(k skeletonKey, build func() (*skeleton, bool)) (*skeleton, bool) {
	s.mu.RLock()
	sk, ok := s.cache[k]
	n := len(s.cache)
	s.mu.RUnlock()
	if ok {
		return sk, sk != nil
	}
	if n >= maxSkeletons {
		return nil, false
	}
	sk, ok = build()
	if !ok {
		sk = nil // remembered: this variant renders in full
	}
	s.mu.Lock()
	s.cache[k] = sk
	s.mu.Unlock()
	return sk, ok
}

// build renders the templates with sentinel values and cuts the bodies at them.
func (s *skeletons) build(t *Templates, d MessageData) (*skeleton, bool) {
	out, err := t.render(d)
	if err != nil {
		return nil, false // the full render reports it
	}
	sk := &skeleton{text: s.cut(out.Text), html: s.cut(out.HTML)}
	sk.textQP, sk.htmlQP = qpSegments(sk.text), qpSegments(sk.html)
	for _, p := range sk.html {
		if p.slot >= 0 && !slices.Contains(sk.htmlSlots, p.slot) {
			sk.htmlSlots = append(sk.htmlSlots, p.slot)
		}
	}
	if s.plan.fixedSubject {
		sk.subject = out.Subject
	}
	return sk, true
}

// cut splits body at the sentinels.
func (s *skeletons) cut(body string) []piece {
	var ps []piece
	for {
		i := strings.Index(body, s.sentinel)
		if i < 0 || i+len(s.sentinel) >= len(body) {
			break
		}
		slot := int(body[i+len(s.sentinel)] - '0')
		if slot < 0 || slot >= numSlots {
			break // cannot happen: the sentinel is random and always followed by a slot digit
		}
		if i > 0 {
			ps = append(ps, piece{lit: body[:i], slot: -1})
		}
		ps = append(ps, piece{slot: slot})
		body = body[i+len(s.sentinel)+1:]
	}
	if body != "" {
		ps = append(ps, piece{lit: body, slot: -1})
	}
	return ps
}

// join concatenates pieces with the slots' values, each passed through
// esc[slot] when esc is given.
func join(ps []piece, vals []string, esc []string) string {
	n := 0
	for _, p := range ps {
		if p.slot < 0 {
			n += len(p.lit)
		} else {
			n += len(vals[p.slot]) * 2
		}
	}
	var b strings.Builder
	b.Grow(n)
	for _, p := range ps {
		switch {
		case p.slot < 0:
			b.WriteString(p.lit)
		case esc != nil:
			b.WriteString(esc[p.slot])
		default:
			b.WriteString(vals[p.slot])
		}
	}
	return b.String()
}
