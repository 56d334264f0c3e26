package change

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// WriteMarkdown writes c as GitHub-flavoured Markdown, ready to paste as a
// pull-request comment: the verdict, a table of reasons, then each changed
// section with its changed blocks, deletions as <del> and insertions as
// <ins>. All document text is escaped, so nothing in a policy can break
// the comment's layout.
//
// v is the verdict to print (see WriteText). To stay within the size of a
// pull-request comment, at most maxMarkdownReasons reasons are listed.
func WriteMarkdown(w io.Writer, c *Change, v Verdict) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "### Redline verdict: **%s**\n\n", v.Level)
	if v.Override != "" {
		fmt.Fprintf(bw, "Front matter says `notify: %s`%s; the detector alone says **%s**.\n\n", v.Override, reasonSuffix(v.OverrideReason), v.Detected)
	}
	bw.WriteString(StatsLine(c.Stats) + "\n\n")
	bw.WriteString("| Level | Category | Section | Why | Old | New |\n|---|---|---|---|---|---|\n")
	for i, r := range c.Reasons {
		if i == maxMarkdownReasons {
			fmt.Fprintf(bw, "\n…and %d more reasons (run `redline diff` for all).\n", len(c.Reasons)-i)
			break
		}
		fmt.Fprintf(bw, "| %s | %s | %s | %s | %s | %s |\n", r.Level, r.Category,
			cell(r.Section), cell(r.Why), cell(r.Old), cell(r.New))
	}
	for i := range c.Sections {
		if s := &c.Sections[i]; s.Status != StatusUnchanged {
			markdownSection(bw, s)
		}
	}
	return bw.Flush()
}

func markdownSection(w *bufio.Writer, s *Section) {
	title := s.Title
	if title == "" {
		title = "(before the first heading)"
	}
	fmt.Fprintf(w, "\n#### %s\n\n*%s · %s*\n", escapeMarkdown(title), s.Status, s.Level)
	for i := range s.Blocks {
		b := &s.Blocks[i]
		if b.Op == OpEqual {
			continue
		}
		w.WriteString("\n")
		switch b.Op {
		case OpInsert:
			w.WriteString("**Added:** ")
		case OpDelete:
			w.WriteString("**Removed:** ")
		case OpMove:
			w.WriteString("**Moved here:** ")
		}
		for _, op := range b.Ops {
			text := escapeMarkdown(op.Text)
			switch op.Type {
			case OpDelete:
				w.WriteString("<del>" + text + "</del>")
			case OpInsert:
				w.WriteString("<ins>" + text + "</ins>")
			default:
				w.WriteString(text)
			}
		}
		w.WriteString("\n")
	}
}

// markdownSpecial are the characters that could start Markdown syntax.
var markdownSpecial = strings.NewReplacer(`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	"#", `\#`, "|", `\|`, "~", `\~`, "!", `\!`, "\n", " ", "\r", " ")

// htmlSpecial are the characters that could start HTML.
var htmlSpecial = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// escapeMarkdown makes text inert in Markdown and HTML.
func escapeMarkdown(s string) string {
	return markdownSpecial.Replace(htmlSpecial.Replace(s))
}

// cell escapes text for a table cell; an empty cell shows a dash.
func cell(s string) string {
	if s == "" {
		return "–"
	}
	return escapeMarkdown(s)
}

// StatsLine counts what happened to the blocks in words: "1 block edited,
// 2 added, 0 removed, 0 moved, 10 unchanged."
func StatsLine(st Stats) string {
	word := "blocks"
	if st.Modified == 1 {
		word = "block"
	}
	return fmt.Sprintf("%d %s edited, %d added, %d removed, %d moved, %d unchanged.", st.Modified, word, st.Inserted, st.Deleted, st.Moved, st.Equal)
}

// maxMarkdownReasons bounds the reasons table of a pull-request comment.
const maxMarkdownReasons = 40

func reasonSuffix(reason string) string {
	if reason == "" {
		return ""
	}
	return " (" + escapeMarkdown(reason) + ")"
}
