package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/getspectr/redline/internal/change"
	"github.com/getspectr/redline/internal/content"
	"github.com/getspectr/redline/internal/render"
	"github.com/getspectr/redline/internal/site"
	"golang.org/x/term"
)

const diffArgs = ` [flags] DOC [FROM [TO]]
       redline diff [flags] OLD.md NEW.md

Compares two versions and says what changed and whether users must be told:
DOC's two newest versions by default, FROM to the newest, or FROM to TO;
or two Markdown files anywhere (front matter is metadata: a change there
alone is editorial).`

func runDiff(ctx context.Context, e *env, args []string) error {
	fs := newFlags("diff", diffArgs, e.stderr)
	var sf siteFlags
	sf.register(fs)
	format := fs.String("format", "text", "output `format`: text, markdown (for a pull-request comment) or json")
	failOn := fs.String("fail-on", "", "exit 1 when the change is at least this `level`: editorial, minor or material")
	color := fs.String("color", "auto", "colour text output: auto (on a terminal, unless NO_COLOR), always or never")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	var threshold change.Level = -1
	if *failOn != "" {
		if threshold, err = change.ParseLevel(*failOn); err != nil {
			return usageErr("--fail-on: " + strings.TrimPrefix(err.Error(), "change: "))
		}
	}
	colored, err := useColor(*color, e)
	if err != nil {
		return err
	}
	write, err := formatter(*format, colored)
	if err != nil {
		return err
	}
	var c *change.Change
	var verdict change.Verdict
	switch {
	case len(pos) == 2 && (looksLikeFile(pos[0]) || looksLikeFile(pos[1])):
		c, verdict, err = diffFiles(pos[0], pos[1])
	case len(pos) >= 1 && len(pos) <= 3:
		c, verdict, err = sf.diffDoc(e, pos[0], pos[1:])
	default:
		return usageErr("diff wants DOC [FROM [TO]] or OLD.md NEW.md (run redline diff --help)")
	}
	if err != nil {
		return err
	}
	if err := write(e.stdout, c, verdict); err != nil {
		return err
	}
	if threshold >= 0 && verdict.Level >= threshold {
		fmt.Fprintf(e.stderr, "redline: the change is %s (--fail-on %s)\n", verdict.Level, threshold)
		return errSilent
	}
	return nil
}

type writeFunc func(w io.Writer, c *change.Change, v change.Verdict) error

func formatter(format string, color bool) (writeFunc, error) {
	switch format {
	case "text":
		return func(w io.Writer, c *change.Change, v change.Verdict) error { return change.WriteText(w, c, v, color) }, nil
	case "markdown", "md":
		return change.WriteMarkdown, nil
	case "json":
		return change.WriteJSON, nil
	}
	return nil, usageErr(fmt.Sprintf("--format %q: want text, markdown or json", format))
}

// useColor resolves --color: always, never, or auto (a terminal, unless
// $NO_COLOR is set).
func useColor(mode string, e *env) (bool, error) {
	switch mode {
	case "always":
		return true, nil
	case "never":
		return false, nil
	case "auto":
		f, ok := e.stdout.(*os.File)
		return ok && e.getenv("NO_COLOR") == "" && term.IsTerminal(int(f.Fd())), nil
	}
	return false, usageErr(fmt.Sprintf("--color %q: want auto, always or never", mode))
}

// looksLikeFile tells a file argument from a document name: a path, a
// Markdown file name, or an existing file.
func looksLikeFile(p string) bool {
	if strings.ContainsRune(p, os.PathSeparator) || strings.HasSuffix(p, ".md") || strings.HasSuffix(p, ".markdown") {
		return true
	}
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

// diffFiles compares two bare Markdown files; NEW's notify overrides.
func diffFiles(oldPath, newPath string) (*change.Change, change.Verdict, error) {
	oldV, err := content.ReadVersion(oldPath)
	if err != nil {
		return nil, change.Verdict{}, err
	}
	newV, err := content.ReadVersion(newPath)
	if err != nil {
		return nil, change.Verdict{}, err
	}
	r := render.New(render.Options{})
	oldDoc, err := r.Render(render.Input{Body: oldV.Body, FirstLine: oldV.BodyLine})
	if err != nil {
		return nil, change.Verdict{}, err
	}
	newDoc, err := r.Render(render.Input{Body: newV.Body, FirstLine: newV.BodyLine})
	if err != nil {
		return nil, change.Verdict{}, err
	}
	c := change.Compare(oldDoc.Blocks, newDoc.Blocks)
	return c, change.ApplyOverride(c, newV.Notify, newV.Reason), nil
}

// diffDoc compares versions of a document of the content folder.
func (f *siteFlags) diffDoc(e *env, slug string, ids []string) (*change.Change, change.Verdict, error) {
	m, probs, err := f.load(e.getenv)
	if err != nil {
		return nil, change.Verdict{}, err
	}
	if err := report(e.stderr, probs); err != nil {
		return nil, change.Verdict{}, err
	}
	doc := m.Doc(slug)
	if doc == nil {
		return nil, change.Verdict{}, hinted{fmt.Errorf("no document %q in %s", slug, f.content), "documents: " + slugs(m)}
	}
	vs := doc.Versions
	if len(vs) < 2 && len(ids) == 0 {
		return nil, change.Verdict{}, fmt.Errorf("%s has only one version: nothing to compare", slug)
	}
	from, to := vs[max(len(vs)-2, 0)], vs[len(vs)-1]
	find := func(id string) (*site.Version, error) {
		if v := doc.Version(id); v != nil {
			return v, nil
		}
		return nil, hinted{fmt.Errorf("%s has no version %q", slug, id), "versions: " + versionIDs(doc)}
	}
	if len(ids) >= 1 {
		if from, err = find(ids[0]); err != nil {
			return nil, change.Verdict{}, err
		}
	}
	if len(ids) == 2 {
		if to, err = find(ids[1]); err != nil {
			return nil, change.Verdict{}, err
		}
	}
	switch {
	case from == to:
		return nil, change.Verdict{}, usageErr(fmt.Sprintf("%s is %s's newest version: give an older FROM, or FROM and TO", from.ID, slug))
	case from.Effective.After(to.Effective) || from.Effective.Equal(to.Effective) && from.ID > to.ID:
		return nil, change.Verdict{}, usageErr(fmt.Sprintf("FROM %s comes after TO %s: swap them", from.ID, to.ID))
	case to.Prev == from:
		return to.Change, to.Verdict, nil
	}
	c := change.Compare(from.Page.Blocks, to.Page.Blocks)
	return c, change.ApplyOverride(c, "", ""), nil
}
