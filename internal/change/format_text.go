package change

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// ANSI colours for WriteText.
const (
	ansiRed   = "\x1b[31m"
	ansiGreen = "\x1b[32m"
	ansiCyan  = "\x1b[36m"
	ansiBold  = "\x1b[1m"
	ansiReset = "\x1b[0m"
)

// WriteText writes c for a terminal: the verdict and its reasons, then
// each changed section with its changed blocks, deletions and insertions
// inline as [-old-]{+new+} or, when color is set, in red and green.
// Blocks are marked "+" (added), "-" (removed), "~" (edited) or ">"
// (moved here).
//
// v is the verdict to print: ApplyOverride's, so that legal's override
// shows beside what was detected.
func WriteText(w io.Writer, c *Change, v Verdict, color bool) error {
	bw := bufio.NewWriter(w)
	t := textWriter{w: bw, color: color}
	t.verdict(c, v)
	for i := range c.Sections {
		if s := &c.Sections[i]; s.Status != StatusUnchanged {
			t.section(s)
		}
	}
	return bw.Flush()
}

type textWriter struct {
	w     *bufio.Writer
	color bool
}

func (t *textWriter) paint(code, s string) string {
	if !t.color {
		return s
	}
	return code + s + ansiReset
}

func (t *textWriter) verdict(c *Change, v Verdict) {
	fmt.Fprintf(t.w, "%s %s\n", t.paint(ansiBold, "verdict:"), t.paint(ansiBold, v.String()))
	for _, r := range c.Reasons {
		where := ""
		if r.Section != "" {
			where = fmt.Sprintf(" in %q", r.Section)
		}
		fmt.Fprintf(t.w, "  %-9s %-14s %s%s\n", r.Level, r.Category, r.Why, where)
		if len(r.Quote) > 0 {
			fmt.Fprintf(t.w, "  %-24s %s %s\n", "", t.paint(ansiCyan, "·"), t.ops(r.Quote))
		}
	}
}

func (t *textWriter) section(s *Section) {
	title := s.Title
	if title == "" {
		title = "(before the first heading)"
	}
	fmt.Fprintf(t.w, "\n%s %s (%s, %s)\n", t.paint(ansiBold, "§"), t.paint(ansiBold, title), s.Status, s.Level)
	for i := range s.Blocks {
		if b := &s.Blocks[i]; b.Op != OpEqual {
			fmt.Fprintf(t.w, "%s %s\n", blockMark(b.Op), t.ops(b.Ops))
		}
	}
}

// blockMark is the one-character mark of a block operation.
func blockMark(op string) string {
	switch op {
	case OpInsert:
		return "+"
	case OpDelete:
		return "-"
	case OpMove:
		return ">"
	}
	return "~"
}

func (t *textWriter) ops(ops []Op) string {
	var sb strings.Builder
	for _, op := range ops {
		switch {
		case op.Type == OpEqual:
			sb.WriteString(op.Text)
		case t.color && op.Type == OpDelete:
			sb.WriteString(ansiRed + op.Text + ansiReset)
		case t.color:
			sb.WriteString(ansiGreen + op.Text + ansiReset)
		case op.Type == OpDelete:
			sb.WriteString("[-" + op.Text + "-]")
		default:
			sb.WriteString("{+" + op.Text + "+}")
		}
	}
	return sb.String()
}
