package content

import (
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Version is one file of a document: one text of the policy as published.
type Version struct {
	Doc         string         // document slug: the folder name
	ID          string         // the file name without ".md"; starts with an ISO date
	Path        string         // the file, as the user named it, for messages
	Title       string         // front matter title; "" when the body's first heading is the title
	Description string         // optional one-line description for search engines and previews
	Effective   time.Time      // when it takes effect; defaults to the date in the file name
	Published   time.Time      // when it was announced; defaults to Effective
	Summary     []string       // legal's own list of what changed
	Notify      string         // "auto" (default), "yes" or "no"
	Reason      string         // why notify overrides the detector
	Categories  []string       // what the change touches, as legal sees it
	Body        []byte         // Markdown, front matter removed; nil when the front matter is never closed
	BodyLine    int            // line of the file on which Body starts
	SHA256      string         // hex SHA-256 of the whole file
	Lines       map[string]int // line of each front matter key, for messages
}

// Notify values.
const (
	NotifyAuto = "auto"
	NotifyYes  = "yes"
	NotifyNo   = "no"
)

// versionKeys are the front matter keys a version may carry.
var versionKeys = []string{"title", "description", "effective", "published", "summary", "notify", "reason", "categories"}

// parseVersion reads one version file. It records problems and returns the
// version even when some fields are wrong, so that every problem is found.
//
// A bare file (outside a content folder) may have any name and any keys;
// ignore lists the keys to tolerate otherwise.
func parseVersion(doc, path string, src []byte, ignore []string, bare bool, list *Problems) *Version {
	p := problems{list: list, file: path}
	sum := sha256.Sum256(src)
	v := &Version{Doc: doc, Path: path, SHA256: hex.EncodeToString(sum[:]), Notify: NotifyAuto, Lines: map[string]int{}}
	v.ID = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	stemDate, idOK := versionDate(v.ID)
	if !idOK && !bare {
		p.add(0, "file name %q must be a lowercase ISO date, optionally with a suffix: YYYY-MM-DD.md or YYYY-MM-DD-name.md", filepath.Base(path))
	}
	fm, body, bodyLine, ok, closed := SplitFrontMatter(src)
	v.Body, v.BodyLine = body, bodyLine
	if line, depth := tooDeep(body, bodyLine); line > 0 {
		p.add(line, "lists and block quotes nest %d levels deep here (counting 2 spaces of indentation as a level), over the limit of %d: flatten them", depth, MaxNesting)
		v.Body = nil // never parsed: deep nesting is what makes the parser slow
	} else if line := longBlock(body, bodyLine); line > 0 {
		p.add(line, "this paragraph, list or table has more than %d bytes (%d KiB) without a blank line, the limit: break it up with blank lines (or split the table)", MaxBlockSize, MaxBlockSize>>10)
		v.Body = nil
	}
	if ok && !closed {
		p.add(1, "front matter opened with --- is never closed: end it with a line of ---")
	}
	var fields []field
	if ok && closed {
		fields, _ = parseMapping(fm, 1, p)
	}
	v.Effective, v.Published = stemDate, time.Time{}
	for _, f := range fields {
		v.Lines[f.key] = f.line
		v.setField(f, p, ignore, bare)
	}
	if v.Published.IsZero() {
		v.Published = v.Effective
	}
	if v.Notify != NotifyAuto && v.Reason == "" {
		p.add(v.Lines["notify"], "notify: %s overrides the detector and needs a reason: add \"reason: …\"", v.Notify)
	}
	if !v.Effective.IsZero() && v.Published.After(v.Effective) {
		p.add(v.Lines["published"], "published %s is after effective %s: a version is announced before it takes effect",
			v.Published.Format(DateLayout), v.Effective.Format(DateLayout))
	}
	return v
}

func (v *Version) setField(f field, p problems, ignore []string, bare bool) {
	switch f.key {
	case "title":
		v.Title, _ = str(f, p)
	case "description":
		v.Description, _ = str(f, p)
	case "effective":
		if d, ok := date(f, p); ok {
			v.Effective = d
		}
	case "published":
		if d, ok := date(f, p); ok {
			v.Published = d
		}
	case "summary":
		v.Summary, _ = strList(f, p)
	case "notify":
		s, _ := str(f, p)
		switch s {
		case NotifyAuto, NotifyYes, NotifyNo:
			v.Notify = s
		default:
			p.add(f.line, "notify: %q is not auto, yes or no", s)
		}
	case "reason":
		v.Reason, _ = str(f, p)
	case "categories":
		v.Categories, _ = strList(f, p)
	default:
		if !bare && !slices.Contains(ignore, f.key) {
			p.add(f.line, "unknown key %q (known: %s; or list it under ignore_keys in site.yaml)", f.key, strings.Join(versionKeys, ", "))
		}
	}
}

// versionDate returns the date a version id starts with.
func versionDate(id string) (time.Time, bool) {
	m := idRE.FindStringSubmatch(id)
	if m == nil {
		return time.Time{}, false
	}
	return ParseDate(m[1])
}
