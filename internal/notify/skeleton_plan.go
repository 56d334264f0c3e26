package notify

import (
	"errors"
	htmltemplate "html/template"
	"io"
	"strings"
	"text/template/parse"
)

// skeletonPlan says how the templates use the per-recipient values, when
// they use them in ways a skeleton reproduces exactly.
type skeletonPlan struct {
	fixedSubject bool             // the subject uses no per-recipient value
	html         [numSlots]*probe // the escaping of each value the HTML body prints
}

// planSkeletons analyses the parsed templates; nil means every message is
// rendered in full. sample is executed once to make html/template escape
// its trees (which it does on first use), so the analysis sees the escaper
// functions it added.
func planSkeletons(t *Templates, sample MessageData) *skeletonPlan {
	if t.html.Execute(io.Discard, sample) != nil {
		return nil // the full render reports the error
	}
	p := &skeletonPlan{}
	var text, html usage
	for _, tt := range t.text.Templates() {
		if tt.Tree != nil {
			text.walk(tt.Tree.Root, tt.Name() == textTemplate)
		}
	}
	for _, ht := range t.html.Templates() {
		if ht.Tree != nil {
			html.escaped = true
			html.walk(ht.Tree.Root, ht.Name() == htmlTemplate)
		}
	}
	if text.bad || html.bad {
		return nil
	}
	for i, chains := range html.chains {
		switch len(chains) {
		case 0:
			continue
		case 1:
		default:
			return nil // printed in several contexts: one sentinel cannot tell them apart
		}
		for c := range chains {
			p.html[i] = probeFor(c)
		}
		if p.html[i] == nil {
			return nil
		}
	}
	var subj usage
	for _, st := range t.subject.Templates() {
		if st.Tree != nil {
			subj.walk(st.Tree.Root, st.Name() == subjectTemplate)
		}
	}
	p.fixedSubject = !subj.bad && !subj.mentions
	return p
}

// usage collects, walking a template tree, whether the per-recipient values
// are used only as a skeleton allows: printed alone (an action with the
// field and nothing else but html/template's escapers) or tested alone
// ({{if .Recipient.Name}}). Anything else — a value passed to a function,
// assigned, ranged or "with"-ed over, the whole data (.) or the whole
// Recipient passed on, the message date used at all — is bad.
type usage struct {
	escaped  bool // html/template tree: actions end with escaper identifiers
	bad      bool
	mentions bool                      // a per-recipient value is used at all
	chains   [numSlots]map[string]bool // escaper chains each slot is printed with
}

// field kinds.
const (
	fieldPlain = iota // not per-recipient
	fieldKeyed        // per-recipient but part of the skeleton's key
	fieldSlot
	fieldBad
)

// classify says what a field chain (.A.B or $.A.B without the $) reads.
func classify(idents []string) (kind, slot int) {
	if len(idents) == 0 {
		return fieldPlain, 0
	}
	switch idents[0] {
	case "Recipient":
		if len(idents) == 2 {
			switch idents[1] {
			case "Name":
				return fieldSlot, slotName
			case "Email":
				return fieldSlot, slotEmail
			case "Locale", "Known":
				return fieldKeyed, 0
			}
		}
		return fieldBad, 0
	case "UnsubscribeURL":
		if len(idents) == 1 {
			return fieldSlot, slotUnsub
		}
		return fieldBad, 0
	case "Upcoming":
		return fieldKeyed, 0
	}
	for _, id := range idents {
		switch id {
		case "Recipient", "UnsubscribeURL", "Date", "Upcoming":
			return fieldBad, 0 // a field of that name elsewhere: be safe
		}
	}
	return fieldPlain, 0
}

// argField returns the field chain an argument reads, if it is one.
func argField(n parse.Node) ([]string, bool) {
	switch n := n.(type) {
	case *parse.FieldNode:
		return n.Ident, true
	case *parse.VariableNode:
		if len(n.Ident) > 1 && n.Ident[0] == "$" {
			return n.Ident[1:], true
		}
	}
	return nil, false
}

// soleSlot returns the slot a pipeline reads when it is that field alone
// (plus escapers), and the escaper chain.
func (u *usage) soleSlot(p *parse.PipeNode) (slot int, chain string, ok bool) {
	if p == nil || len(p.Decl) > 0 || len(p.Cmds) == 0 || len(p.Cmds[0].Args) != 1 {
		return 0, "", false
	}
	f, isField := argField(p.Cmds[0].Args[0])
	if !isField {
		return 0, "", false
	}
	kind, slot := classify(f)
	if kind != fieldSlot {
		return 0, "", false
	}
	var names []string
	for _, c := range p.Cmds[1:] {
		id, isID := c.Args[0].(*parse.IdentifierNode)
		if !u.escaped || len(c.Args) != 1 || !isID || !strings.HasPrefix(id.Ident, "_html_template_") {
			return 0, "", false
		}
		names = append(names, id.Ident)
	}
	return slot, strings.Join(names, "|"), true
}

func (u *usage) walk(n parse.Node, dotRoot bool) {
	switch n := n.(type) {
	case nil:
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			u.walk(c, dotRoot)
		}
	case *parse.TextNode, *parse.CommentNode, *parse.BreakNode, *parse.ContinueNode:
	case *parse.ActionNode:
		if slot, chain, ok := u.soleSlot(n.Pipe); ok {
			u.mentions = true
			if u.chains[slot] == nil {
				u.chains[slot] = map[string]bool{}
			}
			u.chains[slot][chain] = true
			return
		}
		u.pipe(n.Pipe, dotRoot)
	case *parse.IfNode:
		if _, _, ok := u.soleSlot(n.Pipe); ok && len(n.Pipe.Cmds) == 1 {
			u.mentions = true // its emptiness is part of the key
		} else {
			u.pipe(n.Pipe, dotRoot)
		}
		u.walk(n.List, dotRoot)
		u.walk(n.ElseList, dotRoot)
	case *parse.RangeNode:
		u.pipe(n.Pipe, dotRoot)
		u.walk(n.List, false)
		u.walk(n.ElseList, dotRoot)
	case *parse.WithNode:
		u.pipe(n.Pipe, dotRoot)
		u.walk(n.List, false)
		u.walk(n.ElseList, dotRoot)
	case *parse.TemplateNode:
		u.pipe(n.Pipe, dotRoot)
	default:
		u.bad = true // a node this analysis does not know
	}
}

func (u *usage) pipe(p *parse.PipeNode, dotRoot bool) {
	if p == nil {
		return
	}
	for _, c := range p.Cmds {
		for _, a := range c.Args {
			u.arg(a, dotRoot)
		}
	}
}

// arg checks a value used other than printed or tested alone.
func (u *usage) arg(n parse.Node, dotRoot bool) {
	switch n := n.(type) {
	case *parse.DotNode:
		if dotRoot {
			u.bad, u.mentions = true, true // the whole data, Recipient and all
		}
	case *parse.VariableNode:
		if len(n.Ident) == 1 && n.Ident[0] == "$" && dotRoot {
			u.bad, u.mentions = true, true
		}
		if f, ok := argField(n); ok {
			u.field(f)
		}
	case *parse.FieldNode:
		u.field(n.Ident)
	case *parse.ChainNode:
		u.arg(n.Node, dotRoot)
		u.field(n.Field)
	case *parse.PipeNode:
		u.pipe(n, dotRoot)
	}
}

func (u *usage) field(f []string) {
	switch kind, _ := classify(f); kind {
	case fieldSlot, fieldBad:
		u.bad, u.mentions = true, true
	}
}

// probe escapes a string as html/template does in one context: a one-action
// template whose action html/template gave the same escaper chain.
type probe struct {
	t              *htmltemplate.Template
	prefix, suffix string
	chain          string
}

// probeSources are contexts values are commonly printed in.
var probeSources = []string{
	`{{.}}`,
	`<a href="{{.}}">`,
	`<a href='{{.}}'>`,
	`<a href={{.}}>`,
	`<a title="{{.}}">`,
	`<a title='{{.}}'>`,
	`<a title={{.}}>`,
	`<a href="?t={{.}}">`,
	`<a href="/x/{{.}}">`,
	`<title>{{.}}</title>`,
	`<textarea>{{.}}</textarea>`,
}

// probeFor returns a probe for chain, or nil.
func probeFor(chain string) *probe {
	const mark = "rlprobe"
	for _, src := range probeSources {
		t, err := htmltemplate.New("probe").Parse(src)
		if err != nil {
			continue
		}
		var b strings.Builder
		if t.Execute(&b, mark) != nil {
			continue
		}
		var got string
		for _, n := range t.Tree.Root.Nodes {
			if a, ok := n.(*parse.ActionNode); ok && len(a.Pipe.Cmds) > 0 {
				var names []string
				for _, c := range a.Pipe.Cmds[1:] {
					if id, ok := c.Args[0].(*parse.IdentifierNode); ok {
						names = append(names, id.Ident)
					}
				}
				got = strings.Join(names, "|")
			}
		}
		before, after, ok := strings.Cut(b.String(), mark)
		if got == chain && ok {
			return &probe{t: t, prefix: before, suffix: after, chain: chain}
		}
	}
	return nil
}

var errProbeShape = errors.New("skeleton: probe output lost its frame")

func (p *probe) escape(v string) (string, error) {
	if plain(p.chain, v) {
		return v, nil
	}
	var b strings.Builder
	if err := p.t.Execute(&b, v); err != nil {
		return "", err
	}
	s := b.String()
	if len(s) < len(p.prefix)+len(p.suffix) || !strings.HasPrefix(s, p.prefix) || !strings.HasSuffix(s, p.suffix) {
		return "", errProbeShape
	}
	return s[len(p.prefix) : len(s)-len(p.suffix)], nil
}

// plain reports whether every escaper of chain leaves v as it is, so
// running the probe can be skipped: html/template's HTML and attribute
// escapers change only NUL " & ' + < > (and non-ASCII in some contexts),
// its URL filter and normalizer nothing in an http(s) URL made of
// unreserved and most reserved characters.
func plain(chain string, v string) bool {
	url := false
	for _, e := range strings.Split(chain, "|") {
		switch e {
		case "_html_template_htmlescaper", "_html_template_attrescaper", "_html_template_rcdataescaper":
		case "_html_template_urlfilter", "_html_template_urlnormalizer":
			url = true
		default:
			return false
		}
	}
	if url && !strings.HasPrefix(v, "https://") && !strings.HasPrefix(v, "http://") {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte("-._~:/?=,;@!$", c) >= 0:
		case c == ' ' && !url:
		default:
			return false
		}
	}
	return true
}
