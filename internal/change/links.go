package change

import (
	"html"
	"regexp"
	"strings"

	"github.com/getspectr/redline/internal/render"
)

// linkLike matches the parts of visible text that are addresses or markup
// rather than prose: URLs, e-mail addresses, paths and file names, the
// remnants of Markdown links that did not parse ("](target)",
// "][target]"), template tags ("{% … %}", "{{ … }}") and placeholders
// ("[DATE]"). Edits inside them change where a link points or what a
// template fills in, not what the policy says.
var linkLike = regexp.MustCompile(`\]\([^)]*\)|\]\[[^\]]*\]|\{%.*?%\}|\{\{.*?\}\}|\[[A-Z][A-Z0-9 _-]*\]|` +
	`(?i:https?://|www\.)[^\s)\]>"]+|[\w.+-]+@[\w-]+\.[\w.-]+|` +
	`[\w.~%-]*/[\w.~%#?=&/-]+|[\w-]+\.(?i:pdf|html?|md|png|jpe?g|gif|svg|txt|docx?)\b`)

// fileExts are the extensions of file names linkLike matches.
var fileExts = []string{".pdf", ".htm", ".md", ".png", ".jp", ".gif", ".svg", ".txt", ".doc",
	".PDF", ".HTM", ".MD", ".PNG", ".JP", ".GIF", ".SVG", ".TXT", ".DOC"}

// mayHaveLinks is a quick test that text has nothing linkLike can match.
func mayHaveLinks(text string) bool {
	if strings.ContainsAny(text, "/@{[") || strings.Contains(text, "www.") || strings.Contains(text, "WWW.") {
		return true
	}
	for _, e := range fileExts {
		if strings.Contains(text, e) {
			return true
		}
	}
	return false
}

// linkMask reports, for each token of text, whether it lies in a
// link-like span.
func linkMask(text string, toks []string) []bool {
	mask := make([]bool, len(toks))
	if !mayHaveLinks(text) {
		return mask
	}
	spans := linkLike.FindAllStringIndex(text, -1)
	if len(spans) == 0 {
		return mask
	}
	off, s := 0, 0
	for i, t := range toks {
		for s < len(spans) && spans[s][1] <= off {
			s++
		}
		if s < len(spans) && spans[s][0] < off+len(t) && off < spans[s][1] {
			mask[i] = true
		}
		off += len(t)
	}
	return mask
}

// decodeEntities returns blocks whose text has HTML character references
// ("&rsquo;") replaced by the characters a reader sees. The input is not
// modified; blocks without references are shared.
func decodeEntities(bs []render.Block) []render.Block {
	var out []render.Block
	for i, b := range bs {
		if !strings.Contains(b.Text, "&") {
			continue
		}
		t := html.UnescapeString(b.Text)
		if t == b.Text {
			continue
		}
		if out == nil {
			out = append([]render.Block(nil), bs...)
		}
		out[i].Text = t
	}
	if out == nil {
		return bs
	}
	return out
}
