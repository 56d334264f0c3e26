package site

import (
	"slices"
	"strconv"
	"time"

	"github.com/getspectr/redline/internal/change"
	"github.com/getspectr/redline/internal/content"
)

// compareAll compares every version with the one before it, in parallel,
// and applies front matter overrides to the detector's verdict.
func (m *Model) compareAll() {
	var pairs []*Version
	for _, d := range m.Docs {
		for _, v := range d.Versions {
			if v.Prev != nil {
				pairs = append(pairs, v)
			}
		}
	}
	parallel(len(pairs), func(i int) error {
		v := pairs[i]
		v.Change = change.Compare(v.Prev.Page.Blocks, v.Page.Blocks)
		v.Verdict = change.ApplyOverride(v.Change, v.Notify, v.Reason)
		return nil
	})
}

// Material reports whether users must be told about this version: the
// detector's verdict or legal's override says material.
func (v *Version) Material() bool { return v.Prev != nil && v.Verdict.Level == change.Material }

// Level is the version's verdict as a word, "" for a first version.
func (v *Version) Level() string {
	if v.Prev == nil {
		return ""
	}
	return v.Verdict.Level.String()
}

// AllCategories merges legal's categories with the detected ones, in a
// stable order, without repeats.
func (v *Version) AllCategories() []string {
	cats := slices.Clone(v.Categories)
	if v.Change != nil {
		for _, r := range v.Change.Reasons {
			if r.Level == v.Change.Level && !slices.Contains(cats, r.Category) {
				cats = append(cats, r.Category)
			}
		}
	}
	return cats
}

// NoticeDays is the notice period the version gives: effective − published.
func (v *Version) NoticeDays() int { return int(v.Effective.Sub(v.Published) / (24 * time.Hour)) }

// Live reports whether a material change of v still needs telling as of
// the model's date: it is upcoming, or took effect less than notice_days
// ago — whatever came after it since.
func (m *Model) Live(v *Version) bool {
	window := time.Duration(max(m.Config.NoticeDays, 1)) * 24 * time.Hour
	return v.Status == Upcoming || v.Status == Scheduled || m.Now.Sub(v.Effective) < window
}

// Gate is the materiality gate that `redline check` runs on every pull
// request: a material version that is live (see Live) needs legal's
// summary and at least notice_days between publication and effect. Older
// versions are history and are not gated.
func (m *Model) Gate() content.Problems {
	var probs content.Problems
	for _, d := range m.Docs {
		for _, v := range d.Versions {
			if !v.Material() || !m.Live(v) {
				continue
			}
			why := "the detector found a material change"
			if v.Verdict.Override != "" {
				why = "notify: yes marks it material"
			}
			if len(v.Summary) == 0 {
				probs = append(probs, content.Problem{File: v.Path, Line: 1,
					Msg: "material change without a summary (" + why + "): add \"summary:\" saying what changed for users; see redline diff " + d.Slug})
			}
			if n := v.NoticeDays(); n < m.Config.NoticeDays {
				probs = append(probs, content.Problem{File: v.Path, Line: max(v.Lines["effective"], v.Lines["published"], 1),
					Msg: noticeMsg(v, n, m.Config.NoticeDays, m.Now)})
			}
		}
	}
	return probs
}

// noticeMsg says how to give enough notice. Without a published key,
// published is the effective date, so moving effective alone never helps:
// the fix is to add published.
func noticeMsg(v *Version, n, want int, now time.Time) string {
	if v.Lines["published"] == 0 {
		return "material change with no notice: without \"published:\" it is announced on its effective date, " + v.Effective.Format(content.DateLayout) +
			"; notice_days is " + plural(want, "day") + ": add \"published: " + now.Format(content.DateLayout) + "\" (the day users are told) and set effective to " +
			now.AddDate(0, 0, want).Format(content.DateLayout) + " or later"
	}
	return "material change with " + plural(n, "day") + " of notice (published " + v.Published.Format(content.DateLayout) +
		", effective " + v.Effective.Format(content.DateLayout) + "); notice_days is " + plural(want, "day") +
		": set effective to " + v.Published.AddDate(0, 0, want).Format(content.DateLayout) + " or later"
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}
