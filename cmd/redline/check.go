package main

import (
	"bytes"
	"context"
	"fmt"

	"github.com/getspectr/redline/internal/content"
	"github.com/getspectr/redline/internal/site"
)

func runCheck(ctx context.Context, e *env, args []string) error {
	fs := newFlags("check", " [flags]", e.stderr)
	var sf siteFlags
	sf.register(fs)
	if err := parseNone(fs, args); err != nil {
		return err
	}
	m, probs, err := sf.load(e.getenv)
	if err != nil {
		return err
	}
	probs = append(probs, m.LinkProblems...)
	probs = append(probs, m.Gate()...)
	probs = append(probs, unfinished(m)...)
	probs.Sort()
	warn(e.stderr, m.ThirdPartyImages())
	if err := report(e.stderr, probs); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "ok: %s, no problems\n", counts(m))
	return nil
}

// unfinished finds versions with no text yet: an empty body, or one that
// still holds the placeholder redline new writes for a new document.
func unfinished(m *site.Model) content.Problems {
	var probs content.Problems
	for _, d := range m.Docs {
		for _, v := range d.Versions {
			switch {
			case v.Body == nil: // the front matter is never closed: reported already
			case len(bytes.TrimSpace(v.Body)) == 0:
				probs = append(probs, content.Problem{File: v.Path, Line: v.BodyLine,
					Msg: "the version has no text: write the policy below the front matter"})
			case bytes.Contains(v.Body, []byte(newPlaceholder)):
				line := v.BodyLine + bytes.Count(v.Body[:bytes.Index(v.Body, []byte(newPlaceholder))], []byte("\n"))
				probs = append(probs, content.Problem{File: v.Path, Line: line,
					Msg: fmt.Sprintf("%q is the placeholder redline new wrote: replace it with the policy's text", newPlaceholder)})
			}
		}
	}
	return probs
}
