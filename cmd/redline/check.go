package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
)

func runCheck(ctx context.Context, e *env, args []string) error {
	fs := newFlags("check", " [flags]", e.stderr)
	var sf siteFlags
	sf.register(fs)
	if pos, err := parse(fs, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	} else if len(pos) > 0 {
		return usageErr(fmt.Sprintf("check takes no arguments, got %q", pos[0]))
	}
	m, probs, err := sf.load(e.getenv)
	if err != nil {
		return err
	}
	probs = append(probs, m.LinkProblems...)
	probs = append(probs, m.Gate()...)
	probs.Sort()
	if err := report(e.stderr, probs); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "ok: %s, no problems\n", counts(m))
	return nil
}
