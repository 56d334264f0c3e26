package notify

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Announcements tells which version of a document users were last told about.
// Ledger implements it; Plan needs nothing else.
type Announcements interface {
	// Announced returns the last announced version of doc, or ok false
	// when nothing was ever announced for it.
	Announced(ctx context.Context, doc string) (version string, ok bool, err error)
}

// Plan decides which campaigns to run. For each document it finds the last
// announced version (from the ledger), considers the versions after it that
// are published by now, and, if any of them is material, returns one
// campaign for the newest of them that covers them all.
//
// On the first run for a document nothing is in the ledger, and since[doc]
// must name the last version users already know; only later versions count.
// An empty since[doc] means users know no version (every version counts).
// Without either, Plan fails and asks for --since.
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
	start, err := firstUnannounced(ctx, ledger, h, since)
	if err != nil {
		return Campaign{}, false, err
	}
	var covered []VersionInfo
	material := false
	for _, v := range h.Versions[start:] {
		if !v.Published.IsZero() && v.Published.After(now) {
			continue // not published yet: announced by a later run
		}
		covered = append(covered, v)
		material = material || v.Material
	}
	if !material {
		return Campaign{}, false, nil
	}
	newest := covered[len(covered)-1]
	if newest.Hash == "" {
		return Campaign{}, false, fmt.Errorf("notify: %s/%s: version has no content hash", h.Doc, newest.ID)
	}
	c := Campaign{
		ID:        CampaignID(h.Doc, newest.ID, newest.Hash),
		Doc:       h.Doc,
		Title:     h.Title,
		Version:   newest.ID,
		Hash:      newest.Hash,
		Effective: newest.Effective,
		Published: newest.Published,
	}
	for i := len(covered) - 1; i >= 0; i-- {
		v := covered[i]
		c.Covers = append(c.Covers, v.ID)
		c.Summary = append(c.Summary, v.Summary...)
		c.Changes = append(c.Changes, v.Changes...)
	}
	return c, true, nil
}

// firstUnannounced returns the index of the first version users were not told about.
func firstUnannounced(ctx context.Context, ledger Announcements, h History, since map[string]string) (int, error) {
	last, ok, err := ledger.Announced(ctx, h.Doc)
	if err != nil {
		return 0, fmt.Errorf("notify: %s: reading last announcement: %w", h.Doc, err)
	}
	if ok {
		i := versionIndex(h.Versions, last)
		if i < 0 {
			return 0, fmt.Errorf("notify: %s: the ledger says version %q was announced, but the content has no such version (known: %s)",
				h.Doc, last, versionList(h.Versions))
		}
		return i + 1, nil
	}
	known, ok := since[h.Doc]
	if !ok {
		return 0, fmt.Errorf("notify: %s: no announcement recorded yet; pass --since VERSION naming the last version users already know (one of: %s)",
			h.Doc, versionList(h.Versions))
	}
	if known == "" {
		return 0, nil
	}
	i := versionIndex(h.Versions, known)
	if i < 0 {
		return 0, fmt.Errorf("notify: %s: --since %q is not a version of this document (one of: %s)",
			h.Doc, known, versionList(h.Versions))
	}
	return i + 1, nil
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
