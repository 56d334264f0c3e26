package main

import (
	"context"
	"fmt"
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
	probs.Sort()
	warn(e.stderr, m.ThirdPartyImages())
	if err := report(e.stderr, probs); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "ok: %s, no problems\n", counts(m))
	return nil
}
