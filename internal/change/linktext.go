package change

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/getspectr/redline/internal/render"
)

// markRenamedLinks marks the hunks that only rename a link whose target
// stays ("[Privacy Center](…/privacy)" → "[Privacy Hub](…/privacy)"): the
// reader is sent to the same place, so its words count for nothing. A
// legal entity's name (see entitySuffix) and a number ("Basecamp 3" →
// "Basecamp 4": another version of the service) are the exceptions; a
// renumbered cross-reference keeps its own reason.
func (c *classifier) markRenamedLinks(old, new []render.Block) {
	for i := range c.hunks {
		h := &c.hunks[i]
		e := c.info[h.block].entry
		if e.old < 0 || e.new < 0 || len(h.del)+len(h.ins) == 0 || entityOrNumber(h.del) || entityOrNumber(h.ins) {
			continue
		}
		bc := &c.bcs[h.block]
		if !renamesLink(old[e.old].Links, new[e.new].Links, bc.Old, bc.New, h) {
			continue
		}
		h.linkRenamed = true
		for k := range h.del {
			h.del[k].link = true
		}
		for k := range h.ins {
			h.ins[k].link = true
		}
	}
}

// renamesLink reports whether a hunk's deleted text lies inside the text
// of one of the old links and its inserted text inside the text of a new
// link to the same destination.
func renamesLink(ol, nl []render.TextLink, oldText, newText string, h *hunk) bool {
	for _, a := range ol {
		if a.Dest == "" || !within(oldText, a.Text, h.delAt, len(h.delText)) {
			continue
		}
		for _, b := range nl {
			if b.Dest == a.Dest && b.Text != a.Text && within(newText, b.Text, h.insAt, len(h.insText)) {
				return true
			}
		}
	}
	return false
}

// within reports whether text[at:at+n] lies inside the first occurrence
// of part in text.
func within(text, part string, at, n int) bool {
	p := strings.Index(text, part)
	return part != "" && p >= 0 && p <= at && at+n <= p+len(part)
}

func entityOrNumber(ws []word) bool {
	for i := range ws {
		if entitySuffix(ws[i].text) || hasDigit(ws[i].text) || ws[i].xref {
			return true
		}
	}
	return false
}

// linkTargetFindings reports the links of a kept block whose words stay
// but whose target moves to another host ("[request form](https://a…)" →
// "[request form](https://b…)") in a sentence about reaching the publisher
// or exercising a right: the place where that is done changed, which is
// material. Elsewhere (a help page moved to another host) it is a link
// update, editorial as before; so is a target
// moved within the same host, or between a relative link and an absolute
// one (whose host the detector cannot tell apart from the site's own), is
// a link update: editorial, as before.
func (c *classifier) linkTargetFindings(old, new []render.Block) {
	for bi := range c.bcs {
		e := c.info[bi].entry
		if e.old < 0 || e.new < 0 || c.info[bi].dateLine || len(old[e.old].Links) == 0 || len(new[e.new].Links) == 0 {
			continue
		}
		was := map[string]string{}
		for _, l := range old[e.old].Links {
			if _, ok := was[l.Text]; !ok {
				was[l.Text] = l.Dest
			}
		}
		bc := &c.bcs[bi]
		for _, l := range new[e.new].Links {
			d, ok := was[l.Text]
			if !ok || d == l.Dest || linkHost(d) == "" || linkHost(l.Dest) == "" || linkHost(d) == linkHost(l.Dest) {
				continue
			}
			delete(was, l.Text)
			at := [2]int{max(0, strings.Index(bc.Old, l.Text)), max(0, strings.Index(bc.New, l.Text))}
			if s, e := sentenceSpan(bc.New, at[sideNew], len(l.Text)); !reachesUs(bc.New[s:e]) {
				continue
			}
			f := finding{level: Material, hint: "contact", block: bi, hunk: -1, at: at,
				why: fmt.Sprintf("link target: %q now leads to %s (was %s)", l.Text, l.Dest, d)}
			f.old, f.new = quote(bc.Old), quote(bc.New)
			c.add(f)
		}
	}
}

// linkHost is where a link leads: the host of an absolute URL, the
// domain of a mailto: address, "" for a link within the site.
func linkHost(dest string) string {
	u, err := url.Parse(strings.TrimSpace(dest))
	if err != nil {
		return dest
	}
	if strings.EqualFold(u.Scheme, "mailto") {
		_, domain, _ := strings.Cut(u.Opaque, "@")
		return strings.ToLower(domain)
	}
	return strings.ToLower(strings.TrimPrefix(u.Hostname(), "www."))
}

// reachCues say that a sentence tells readers where to reach the
// publisher or to exercise a right.
var reachCues = []string{"contact", "request", "exercise", "your right", "opt out", "opt-out", "unsubscribe",
	"delete", "deletion", "complain", "data protection officer", "withdraw", "access your", "correct your"}

func reachesUs(sentence string) bool {
	l := strings.ToLower(sentence)
	for _, c := range reachCues {
		if strings.Contains(l, c) {
			return true
		}
	}
	return false
}
