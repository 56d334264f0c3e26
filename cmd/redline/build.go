package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/getspectr/redline/internal/content"
	"github.com/getspectr/redline/internal/site"
)

func runBuild(ctx context.Context, e *env, args []string) error {
	fs := newFlags("build", " [flags]", e.stderr)
	var sf siteFlags
	sf.register(fs)
	templates := fs.String("templates", "templates", "templates `folder`: page templates and style.css")
	out := fs.String("out", "dist", "output `folder`, replaced whole when the build succeeds")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	if err := outsideSources(*out, sf.content, *templates); err != nil {
		return err
	}
	start := time.Now()
	m, probs, err := sf.load(e.getenv)
	if err != nil {
		return err
	}
	if err := report(e.stderr, probs); err != nil {
		return fmt.Errorf("build failed, %s left as it was: %w", *out, err)
	}
	warn(e.stderr, m.LinkProblems)
	warn(e.stderr, m.ThirdPartyImages())
	t, err := site.LoadTemplates(*templates)
	if err != nil {
		return err
	}
	n, err := site.Build(ctx, m, t, *out)
	if err != nil {
		return fmt.Errorf("build failed, %s left as it was: %w", *out, err)
	}
	fmt.Fprintf(e.stdout, "built %d files for %s as of %s into %s in %s\n",
		n, counts(m), m.Now.Format("2006-01-02"), *out, since(start))
	return nil
}

// warn prints problems that do not fail the command.
func warn(w io.Writer, ps content.Problems) {
	for _, p := range ps {
		fmt.Fprintf(w, "warning: %s\n", p)
	}
}

// outsideSources refuses an output folder that is, or holds, the content or
// templates: the build replaces the whole folder.
func outsideSources(out string, sources ...string) error {
	o, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	for _, src := range sources {
		s, err := filepath.Abs(src)
		if err != nil {
			return err
		}
		if s == o || strings.HasPrefix(s, o+string(filepath.Separator)) {
			return usageErr(fmt.Sprintf("--out %s would replace %s: choose another output folder", out, src))
		}
	}
	return nil
}
