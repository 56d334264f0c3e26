package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/getspectr/redline/internal/content"
	"github.com/getspectr/redline/internal/site"
)

// siteFlags are the flags every command that reads content/ shares.
type siteFlags struct {
	content string
	now     string
	baseURL string
}

func (f *siteFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.content, "content", "content", "content `folder`: site.yaml and one folder per document")
	fs.StringVar(&f.now, "now", "", "build `date` (YYYY-MM-DD) that decides current and upcoming versions (default $SOURCE_DATE_EPOCH, else today)")
	fs.StringVar(&f.baseURL, "base-url", "", "`URL` the site is published at, overriding site.yaml's base_url")
}

// load reads and analyses the content. It returns the problems of both
// stages, so that a run reports every one; link problems stay in the model.
func (f *siteFlags) load(getenv func(string) string) (*site.Model, content.Problems, error) {
	now, err := buildDate(f.now, getenv)
	if err != nil {
		return nil, nil, err
	}
	if f.baseURL != "" {
		if u, err := url.Parse(f.baseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return nil, nil, usageErr(fmt.Sprintf("--base-url %q is not an absolute http(s) URL without query or fragment", f.baseURL))
		}
	}
	s, probs := content.Load(f.content)
	if f.baseURL != "" {
		s.Config.BaseURL = strings.TrimSuffix(f.baseURL, "/") + "/"
		probs = dropBaseURLProblems(probs, filepath.Join(f.content, content.ConfigFile))
	}
	m, more := site.Analyze(s, now)
	probs = append(probs, more...)
	probs.Sort()
	return m, probs, nil
}

// dropBaseURLProblems forgets site.yaml's problems with base_url itself
// (missing or invalid) when the flag gives one; every other problem stays.
func dropBaseURLProblems(ps content.Problems, cfg string) content.Problems {
	var out content.Problems
	for _, p := range ps {
		if p.File == cfg && (strings.HasPrefix(p.Msg, "missing base_url") || strings.HasPrefix(p.Msg, "base_url:")) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// report prints problems, one per line, and returns an error counting them.
func report(w io.Writer, ps content.Problems) error {
	if len(ps) == 0 {
		return nil
	}
	for _, p := range ps {
		fmt.Fprintln(w, p)
	}
	return problemCount(len(ps))
}

func problemCount(n int) error {
	if n == 1 {
		return errors.New("1 problem: fix it and run again")
	}
	return fmt.Errorf("%d problems: fix them and run again", n)
}

func since(start time.Time) string { return time.Since(start).Round(time.Millisecond).String() }

// counts says how many documents and versions a model has: "2 documents (5 versions)".
func counts(m *site.Model) string {
	versions := 0
	for _, d := range m.Docs {
		versions += len(d.Versions)
	}
	return plural(len(m.Docs), "document") + " (" + plural(versions, "version") + ")"
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprint(n) + " " + word + "s"
}

func slugs(m *site.Model) string {
	var s []string
	for _, d := range m.Docs {
		s = append(s, d.Slug)
	}
	return strings.Join(s, ", ")
}

func versionIDs(d *site.Doc) string {
	var s []string
	for _, v := range d.Versions {
		s = append(s, v.ID)
	}
	return strings.Join(s, ", ")
}
