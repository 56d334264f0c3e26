package notify

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"time"
)

// Announcements tells which campaigns a document had. Ledger implements it;
// Plan needs nothing else.
type Announcements interface {
	// DocCampaigns returns the campaigns recorded for doc, oldest first.
	DocCampaigns(ctx context.Context, doc string) ([]CampaignRecord, error)
}

// Plan decides which campaigns to run, one per document at most:
//
//   - the newest published version N is considered. If a material change
//     lies between the document's last campaign (or, on the first run,
//     since[doc]) and N, Plan returns a new campaign for N whose base is the
//     last campaign's version (or since[doc]);
//   - otherwise, once the document has a campaign, Plan returns the last one
//     again: every run tells people added to the list since, retries
//     failures with --retry-failed, and resumes an interrupted run, with no
//     flag. An editorial fix to its version changes only its Hash.
//
// On the first run for a document nothing is in the ledger, and since[doc]
// must name the last version users already know; only later versions count.
// An empty since[doc] means users know no version (every version counts).
// Without either, Plan fails and asks for --since. Once the ledger records
// a campaign, since[doc] must be absent or equal to the recorded base: a
// different one is refused, saying what the campaigns cover.
func Plan(ctx context.Context, ledger Announcements, histories []History, now time.Time, since map[string]string) ([]Campaign, error) {
	var out []Campaign
	for _, h := range histories {
		c, ok, err := planDoc(ctx, ledger, h, now, since)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, c)
		}
	}
	return out, nil
}

func planDoc(ctx context.Context, ledger Announcements, h History, now time.Time, since map[string]string) (Campaign, bool, error) {
	recs, err := ledger.DocCampaigns(ctx, h.Doc)
	if err != nil {
		return Campaign{}, false, fmt.Errorf("notify: %s: reading its campaigns: %w", h.Doc, err)
	}
	root, start, err := planStart(h, recs, since)
	if err != nil {
		return Campaign{}, false, err
	}
	rootIdx := versionIndex(h.Versions, root) // -1 for "" (users know no version)
	newest := -1
	for i := rootIdx + 1; i < len(h.Versions); i++ {
		if v := h.Versions[i]; v.Published.IsZero() || !v.Published.After(now) {
			newest = i // later unpublished versions are announced by a later run
		}
	}
	material := false
	for i := start; i <= newest; i++ {
		material = material || h.Versions[i].Material
	}
	base, id := root, ""
	if len(recs) > 0 {
		last := recs[len(recs)-1]
		base = last.Version
		if !material {
			// Nothing new to announce: run the last campaign again, for
			// whoever it has not reached yet (under its recorded id: one
			// from before schema 2 has the hash in it).
			newest = versionIndex(h.Versions, last.Version)
			base, id = recordedBase(h, last), last.ID
		}
	} else if !material {
		return Campaign{}, false, nil
	}
	v := h.Versions[newest]
	if v.Hash == "" {
		return Campaign{}, false, fmt.Errorf("notify: %s/%s: version has no content hash", h.Doc, v.ID)
	}
	c := Campaign{
		ID:        cmp.Or(id, CampaignID(h.Doc, v.ID)),
		Doc:       h.Doc,
		Title:     h.Title,
		Version:   v.ID,
		Hash:      v.Hash,
		Root:      root,
		Effective: v.Effective,
		Published: v.Published,
	}
	c.Versions = append(c.Versions, h.Versions[rootIdx+1:newest+1]...)
	c, ok := c.For(base)
	c.Base = base
	if !ok {
		return Campaign{}, false, fmt.Errorf("notify: %s: campaign %s covers no material change since %s", h.Doc, c.ID, base)
	}
	return c, true, nil
}

// planStart returns the version users knew before the document's first
// campaign (root) and the index of the first version not yet announced.
func planStart(h History, recs []CampaignRecord, since map[string]string) (root string, start int, err error) {
	known, given := since[h.Doc]
	if len(recs) == 0 {
		if !given {
			return "", 0, fmt.Errorf("notify: %s: no campaign recorded yet; pass --since VERSION naming the last version users already know (one of: %s)",
				h.Doc, versionList(h.Versions))
		}
		if known == "" {
			return "", 0, nil
		}
		i := versionIndex(h.Versions, known)
		if i < 0 {
			return "", 0, fmt.Errorf("notify: %s: --since %q is not a version of this document (one of: %s)",
				h.Doc, known, versionList(h.Versions))
		}
		return known, i + 1, nil
	}
	first, last := recs[0], recs[len(recs)-1]
	root = recordedBase(h, first)
	if given && known != root {
		return "", 0, fmt.Errorf("notify: %s: --since %q conflicts with the ledger: its campaigns cover %s since %s (first %s: %s → %s, last %s); run without --since",
			h.Doc, known, h.Doc, describe(root), first.ID, describe(first.Base), first.Version, last.ID)
	}
	if root != "" && versionIndex(h.Versions, root) < 0 {
		return "", 0, fmt.Errorf("notify: %s: the ledger's campaigns start from version %q, but the content has no such version (known: %s)",
			h.Doc, root, versionList(h.Versions))
	}
	i := versionIndex(h.Versions, last.Version)
	if i < 0 {
		return "", 0, fmt.Errorf("notify: %s: the ledger says version %q was announced (campaign %s), but the content has no such version (known: %s)",
			h.Doc, last.Version, last.ID, versionList(h.Versions))
	}
	return root, i + 1, nil
}

// recordedBase is the campaign's base. A campaign recorded before schema 2
// has none; its base is the version before the oldest one it covered.
func recordedBase(h History, c CampaignRecord) string {
	if c.Base != "" || len(c.Covers) == 0 {
		return c.Base
	}
	if i := versionIndex(h.Versions, c.Covers[len(c.Covers)-1]); i > 0 {
		return h.Versions[i-1].ID
	}
	return ""
}

func describe(version string) string {
	if version == "" {
		return "no version (users knew none)"
	}
	return version
}

func versionIndex(vs []VersionInfo, id string) int {
	for i, v := range vs {
		if v.ID == id {
			return i
		}
	}
	return -1
}

func versionList(vs []VersionInfo) string {
	ids := make([]string, len(vs))
	for i, v := range vs {
		ids[i] = v.ID
	}
	if len(ids) == 0 {
		return "none"
	}
	return strings.Join(ids, ", ")
}
