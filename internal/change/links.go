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

// readable returns blocks whose text is what a reader sees: HTML character
// references ("&rsquo;") decoded, mojibake ("â€™", UTF-8 read as
// Windows-1252) repaired, attribute lists of kramdown and Python-Markdown
// ("{: #cookies }", "{: .note }") and alert markers ("[!NOTE]") removed.
// Blocks left without text (an attribute list on its own line) are dropped.
// The input is not modified; blocks that need no change are shared.
func readable(bs []render.Block) []render.Block {
	var out []render.Block
	for i, b := range bs {
		if !mayNeedCleaning(b.Text) {
			if out != nil {
				out = append(out, b)
			}
			continue
		}
		t := cleanText(b.Text)
		if t == b.Text {
			if out != nil {
				out = append(out, b)
			}
			continue
		}
		if out == nil {
			out = append(make([]render.Block, 0, len(bs)), bs[:i]...)
		}
		if t != "" {
			b.Text = t
			out = append(out, b)
		}
	}
	if out == nil {
		return bs
	}
	return out
}

// mayNeedCleaning is a quick test that cleanText has nothing to do: no
// "&", "{" or "[", and no "Ã", "Â" or "â" (the lead bytes of mojibake).
func mayNeedCleaning(t string) bool {
	if strings.IndexByte(t, '&') >= 0 || strings.IndexByte(t, '{') >= 0 || strings.IndexByte(t, '[') >= 0 {
		return true
	}
	for i := strings.IndexByte(t, 0xC3); i >= 0 && i+1 < len(t); {
		if b := t[i+1]; b == 0x83 || b == 0x82 || b == 0xA2 {
			return true
		}
		j := strings.IndexByte(t[i+1:], 0xC3)
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

// attrList matches an attribute list: "{: #id }", "{:.class}", "{#id .class}".
var attrList = regexp.MustCompile(`\s*\{:?\s*(?:[#.][\w-]+|[\w-]+=(?:"[^"]*"|'[^']*'|\S+?))(?:\s+(?:[#.][\w-]+|[\w-]+=(?:"[^"]*"|'[^']*'|\S+?)))*\s*\}|\s*\{:\s*\}`)

// alertMarker matches the marker that opens a Markdown alert ("[!NOTE]").
var alertMarker = regexp.MustCompile(`\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\s*`)

// mojibake maps the commonest characters of UTF-8 text decoded as
// Windows-1252 back to what was meant.
var mojibake = strings.NewReplacer("â€™", "’", "â€˜", "‘", "â€œ", "“", "â€\u009d", "”", "â€\u009c", "“",
	"â€”", "—", "â€“", "–", "â€¦", "…", "â€¢", "•", "Â ", " ", "Â©", "©", "Â®", "®", "Â§", "§",
	"Ã©", "é", "Ã¨", "è", "Ã¼", "ü", "Ã¶", "ö", "Ã¤", "ä", "Ã\u00a0", "à", "Ã§", "ç", "Ã±", "ñ",
	"â€", "”")

// cleanText applies readable's repairs to one text.
func cleanText(t string) string {
	if strings.Contains(t, "&") {
		t = html.UnescapeString(t)
	}
	if strings.IndexByte(t, 0xC3) >= 0 {
		t = mojibake.Replace(t)
	}
	if strings.Contains(t, "{") {
		t = strings.TrimSpace(attrList.ReplaceAllString(t, ""))
	}
	if strings.Contains(t, "[!") {
		t = strings.TrimSpace(alertMarker.ReplaceAllString(t, ""))
	}
	return t
}
