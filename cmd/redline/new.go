package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/getspectr/redline/internal/content"
)

const newArgs = ` [flags] DOC

Starts a new version of DOC: content/DOC/<date>.md with the newest version's
text and front matter to fill in. Its effective date is --now plus the
site's notice_days, so that a material change gives enough notice. A new
document gets an empty first version.`

func runNew(ctx context.Context, e *env, args []string) error {
	fs := newFlags("new", newArgs, e.stderr)
	dir := fs.String("content", "content", "content `folder`")
	nowFlag := fs.String("now", "", "publication `date` (YYYY-MM-DD; default $SOURCE_DATE_EPOCH, else today)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErr("new wants one document name, e.g. redline new privacy")
	}
	slug := pos[0]
	if !content.ValidSlug(slug) {
		return usageErr(fmt.Sprintf("%q is not a document name: use lowercase letters, digits and hyphens, e.g. cookie-policy", slug))
	}
	now, err := buildDate(*nowFlag, e.getenv)
	if err != nil {
		return err
	}
	s, probs := content.Load(*dir)
	if d := s.Doc(slug); d == nil && len(probs) > 0 && s.Config.Name == "" {
		return report(e.stderr, probs)
	}
	notice := s.Config.NoticeDays
	effective := now.AddDate(0, 0, notice)
	if d := s.Doc(slug); d != nil {
		warnUpcoming(e, d, now)
		// After the newest version, upcoming ones included.
		if last := d.Versions[len(d.Versions)-1].Effective; !effective.After(last) {
			effective = last.AddDate(0, 0, 1)
		}
	}
	path := filepath.Join(*dir, slug, effective.Format(content.DateLayout)+".md")
	if _, err := os.Stat(path); err == nil {
		return hinted{fmt.Errorf("%s already exists", path), "edit it, or pass --now to start from another date"}
	}
	title, body := titleCase(slug), newPlaceholder+"\n"
	if d := s.Doc(slug); d != nil {
		last := d.Versions[len(d.Versions)-1]
		title, body = last.Title, string(last.Body)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: %s\n", yamlString(title))
	fmt.Fprintf(&b, "published: %s\neffective: %s\n", now.Format(content.DateLayout), effective.Format(content.DateLayout))
	b.WriteString("# What changed, for users (required when the change is material):\nsummary:\n  - \n")
	b.WriteString("# notify: auto lets the detector decide; yes or no overrides it and needs a reason.\nnotify: auto\n---\n")
	b.WriteString(body)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(b.String()); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "created %s (effective %s, %d days after publication)\nnext: edit it, then run redline diff %s and redline check\n",
		path, effective.Format(content.DateLayout), int(effective.Sub(now).Hours()/24), slug)
	return nil
}

// newPlaceholder is the body of a new document's first version; check
// refuses it until legal replaces it.
const newPlaceholder = "Write the policy here."

// warnUpcoming says when a version after now already exists: the new one
// starts from its text and comes after it, which is rarely what legal means
// when a change is already on its way.
func warnUpcoming(e *env, d *content.Document, now time.Time) {
	for _, v := range d.Versions {
		if v.Effective.After(now) {
			fmt.Fprintf(e.stderr, "warning: %s already has an upcoming version, %s (effective %s): the new one starts from its text and takes effect after it; to change what is coming, edit that file instead\n",
				d.Slug, v.Path, v.Effective.Format(content.DateLayout))
			return
		}
	}
}

func titleCase(slug string) string {
	words := strings.Split(slug, "-")
	for i, w := range words {
		if w != "" {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, " ")
}

// yamlString quotes s when YAML would read it as something else.
func yamlString(s string) string {
	if s == "" || strings.ContainsAny(s, ":#'\"{}[],&*!|>%@`") || strings.TrimSpace(s) != s {
		return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
	}
	return s
}
