package main

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/getspectr/redline/internal/change"
	"github.com/getspectr/redline/internal/content"
	"github.com/getspectr/redline/internal/site"
)

const reviewArgs = ` [flags] --base REF
       redline review [flags] --old DIR

Writes, as Markdown for a pull-request comment, the redline of every
document whose versions differ between the base and the content folder:
the content folder at git REF (a branch, tag or commit), or the folder
--old. For each added or edited version it names the document and the
versions compared, and gives the verdict, the reasons, the changed sections
and what the materiality gate (redline check) says of it. The first line is
a hidden marker, ` + reviewMarker + `, by which CI finds the comment it
made before and updates it instead of adding another.`

// reviewMarker starts every review, so that CI can find its own comment.
const reviewMarker = "<!-- redline-review -->"

func runReview(ctx context.Context, e *env, args []string) error {
	fs := newFlags("review", reviewArgs, e.stderr)
	var sf siteFlags
	sf.register(fs)
	baseRef := fs.String("base", "", "git `REF` whose content folder is the base, e.g. origin/main or a commit")
	oldDir := fs.String("old", "", "base content `folder`, instead of --base")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	if (*baseRef == "") == (*oldDir == "") {
		return hinted{usageErr("review wants --base REF or --old DIR, one of them"), "e.g. redline review --base origin/main"}
	}
	r := review{base: "`" + *oldDir + "`", head: "`" + sf.content + "`"}
	baseFlags := sf
	baseFlags.content = *oldDir
	if *baseRef != "" {
		snap, err := gitContent(ctx, *baseRef, sf.content)
		if err != nil {
			return err
		}
		defer snap.remove()
		baseFlags.content = snap.dir
		r.base = fmt.Sprintf("`%s` at `%s` (%s)", sf.content, *baseRef, snap.commit[:min(12, len(snap.commit))])
		r.head = "this change"
	}
	head, probs, err := sf.load(e.getenv)
	if err != nil {
		return err
	}
	base, _, err := baseFlags.load(e.getenv) // the base's own problems are not this change's
	if err != nil {
		return err
	}
	probs = append(probs, head.LinkProblems...)
	probs = append(probs, head.Gate()...)
	probs.Sort()
	r.now, r.problems = head.Now, probs
	r.docs = compareSites(base, head)
	return r.write(e.stdout)
}

// review is what a pull request changes in the content.
type review struct {
	base, head string // what is compared, for the reader
	now        time.Time
	docs       []docReview
	problems   content.Problems // of the head: redline check's findings
}

// docReview is what changed in one document.
type docReview struct {
	slug, title string
	gone        bool // the document is removed
	entries     []entry
}

// entry is one version added, edited or removed.
type entry struct {
	kind     string        // entryAdded, entryEdited or entryRemoved
	version  *site.Version // of the head; of the base when removed
	from     *site.Version // compared with: the previous version when added, the base's copy when edited
	change   *change.Change
	verdict  change.Verdict
	wasLevel string // edited: the version's verdict against its previous version, before the edit
	broken   bool   // not compared: a side could not be analysed (see the problems)
}

const (
	entryAdded   = "new version"
	entryEdited  = "edited"
	entryRemoved = "removed"
)

// compareSites lists, per document, the versions the head adds, edits and
// removes relative to the base, by the hash of their files.
func compareSites(base, head *site.Model) []docReview {
	var slugList []string
	for _, m := range []*site.Model{base, head} {
		for _, d := range m.Docs {
			if !slices.Contains(slugList, d.Slug) {
				slugList = append(slugList, d.Slug)
			}
		}
	}
	slices.Sort(slugList)
	var out []docReview
	for _, slug := range slugList {
		if dr := compareDoc(base.Doc(slug), head.Doc(slug)); len(dr.entries) > 0 {
			out = append(out, dr)
		}
	}
	return out
}

func compareDoc(bd, hd *site.Doc) docReview {
	if hd == nil {
		dr := docReview{slug: bd.Slug, title: bd.Title, gone: true}
		for _, v := range bd.Versions {
			dr.entries = append(dr.entries, entry{kind: entryRemoved, version: v})
		}
		return dr
	}
	dr := docReview{slug: hd.Slug, title: hd.Title}
	for _, v := range hd.Versions {
		var bv *site.Version
		if bd != nil {
			bv = bd.Version(v.ID)
		}
		switch {
		case bv != nil && bv.SHA256 == v.SHA256:
		case v.Page == nil || bv != nil && bv.Page == nil || bv == nil && v.Prev != nil && v.Change == nil:
			kind := entryAdded
			if bv != nil {
				kind = entryEdited
			}
			dr.entries = append(dr.entries, entry{kind: kind, version: v, from: v.Prev, broken: true})
		case bv == nil:
			dr.entries = append(dr.entries, entry{kind: entryAdded, version: v, from: v.Prev, change: v.Change, verdict: v.Verdict})
		default:
			c := change.Compare(bv.Page.Blocks, v.Page.Blocks)
			dr.entries = append(dr.entries, entry{kind: entryEdited, version: v, from: bv, change: c,
				verdict: change.ApplyOverride(c, "", ""), wasLevel: bv.Level()})
		}
	}
	if bd != nil {
		for _, bv := range bd.Versions {
			if hd.Version(bv.ID) == nil {
				dr.entries = append(dr.entries, entry{kind: entryRemoved, version: bv})
			}
		}
	}
	return dr
}
