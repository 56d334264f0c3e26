package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/getspectr/redline/internal/change"
	"github.com/getspectr/redline/internal/content"
	"github.com/getspectr/redline/internal/site"
)

// maxComment keeps a review within GitHub's 65,536 characters per
// comment, with room for the closing note.
const maxComment = 60000

// maxReviewProblems bounds the problems listed at the top of a review.
const maxReviewProblems = 20

// write renders the review as Markdown: the marker, what is compared, a
// table of every changed document, then each entry's redline. Entries past
// the size of a comment are named with the command that shows them.
func (r review) write(w io.Writer) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\n## redline review\n\nCompares %s with %s, as of %s.\n\n", reviewMarker, r.base, r.head, r.now.Format(content.DateLayout))
	r.writeProblems(&b)
	if len(r.docs) == 0 {
		b.WriteString("No document changes: no version is added, edited or removed.\n")
		_, err := w.Write(b.Bytes())
		return err
	}
	b.WriteString("| Document | Versions compared | Verdict |\n|---|---|---|\n")
	for _, d := range r.docs {
		for _, en := range d.entries {
			fmt.Fprintf(&b, "| %s | %s | %s |\n", docName(d), en.versions(), en.verdictWord())
		}
	}
	for _, d := range r.docs {
		for _, en := range d.entries {
			var sec bytes.Buffer
			if err := r.writeEntry(&sec, d, en); err != nil {
				return err
			}
			if b.Len()+sec.Len() > maxComment {
				fmt.Fprintf(&b, "\n---\n\n**%s %s** is left out: the comment would pass GitHub's size limit. Run `%s` to see it.\n",
					docName(d), en.versions(), en.command(d.slug))
				continue
			}
			b.Write(sec.Bytes())
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

func (r review) writeProblems(b *bytes.Buffer) {
	if len(r.problems) == 0 {
		return
	}
	fmt.Fprintf(b, "**redline check finds %s** (the check step fails until they are fixed):\n\n", plural(len(r.problems), "problem"))
	for i, p := range r.problems {
		if i == maxReviewProblems {
			fmt.Fprintf(b, "- …and %d more: run `redline check`\n", len(r.problems)-i)
			break
		}
		fmt.Fprintf(b, "- `%s`\n", strings.ReplaceAll(p.String(), "`", "'"))
	}
	b.WriteString("\n")
}

func (r review) writeEntry(b *bytes.Buffer, d docReview, en entry) error {
	v := en.version
	fmt.Fprintf(b, "\n---\n\n## %s: %s\n\n", docName(d), en.versions())
	switch en.kind {
	case entryRemoved:
		fmt.Fprintf(b, "Version %s (effective %s, %s) is removed.", v.ID, v.Effective.Format(content.DateLayout), v.Status)
		if v.Status == site.Current || v.Status == site.Archived {
			b.WriteString(" It was in effect: its permanent URL will stop working, and the record of what users agreed to goes with it.")
		}
		b.WriteString("\n")
		return nil
	case entryEdited:
		fmt.Fprintf(b, "`%s` is edited: the redline below compares it before and after this change.", v.Path)
		if v.Status == site.Current || v.Status == site.Archived {
			fmt.Fprintf(b, " **It is %s: editing it rewrites a policy users already had.** To change the policy, start a new version with `redline new %s`.", v.Status, d.slug)
		}
		if v.Prev != nil && en.wasLevel != v.Level() {
			fmt.Fprintf(b, " Against %s it is now **%s** (it was %s).", v.Prev.ID, v.Level(), en.wasLevel)
		}
		b.WriteString("\n\n")
	default:
		fmt.Fprintf(b, "New version `%s`: published %s, effective %s (%s of notice), %s.\n\n", v.Path,
			v.Published.Format(content.DateLayout), v.Effective.Format(content.DateLayout), plural(v.NoticeDays(), "day"), v.Status)
	}
	gated := false
	for _, p := range r.problems {
		if p.File == v.Path {
			fmt.Fprintf(b, "- **redline check:** `%s`\n", strings.ReplaceAll(p.String(), "`", "'"))
			gated = true
		}
	}
	if gated {
		b.WriteString("\n")
	}
	if len(v.Summary) > 0 {
		b.WriteString("**Summary from legal:**\n\n")
		for _, s := range v.Summary {
			fmt.Fprintf(b, "- %s\n", strings.ReplaceAll(s, "\n", " "))
		}
		b.WriteString("\n")
	}
	if en.change == nil {
		b.WriteString("The first version of the document: nothing to compare it with.\n")
		return nil
	}
	return change.WriteMarkdown(b, en.change, en.verdict)
}

// versions names what an entry compares: "2026-03-27 → 2026-12-28".
func (en entry) versions() string {
	switch {
	case en.kind == entryRemoved:
		return en.version.ID + " (removed)"
	case en.kind == entryEdited:
		return en.version.ID + " before → after (edited)"
	case en.from == nil:
		return en.version.ID + " (first version)"
	}
	return en.from.ID + " → " + en.version.ID
}

func (en entry) verdictWord() string {
	switch {
	case en.broken:
		return "not compared"
	case en.change == nil:
		return "–"
	}
	return "**" + en.verdict.Level.String() + "**"
}

// command is the redline diff that shows an entry left out of a comment.
func (en entry) command(slug string) string {
	if en.kind == entryAdded && en.from != nil {
		return fmt.Sprintf("redline diff %s %s %s", slug, en.from.ID, en.version.ID)
	}
	return "redline review"
}

func docName(d docReview) string {
	if d.title == "" || d.title == d.slug {
		return "`" + d.slug + "`"
	}
	return fmt.Sprintf("%s (`%s`)", d.title, d.slug)
}
