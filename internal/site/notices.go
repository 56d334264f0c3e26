package site

import (
	"encoding/json"
)

// NoticesSchema names the version of the notices.json format.
const NoticesSchema = "redline.notices/v1"

// Notices is notices.json: what the product should show in-app now.
// Spectr's policy promises notice "via email or through a notice on the
// platform"; this is the platform half. A notice lists a material change
// that is upcoming, or took effect within the last notice_days days.
type Notices struct {
	Schema  string   `json:"schema"`
	AsOf    string   `json:"as_of"`
	Notices []Notice `json:"notices"`
}

// Notice is one material change to show.
type Notice struct {
	ID         string   `json:"id"` // doc/version, stable: dismissals can be keyed by it
	Document   string   `json:"document"`
	Title      string   `json:"title"`
	Version    string   `json:"version"`
	Status     Status   `json:"status"` // upcoming, current, or archived by a later version
	Effective  string   `json:"effective"`
	Published  string   `json:"published"`
	Summary    []string `json:"summary"`
	Categories []string `json:"categories"`
	URL        string   `json:"url"`         // the new version
	ChangesURL string   `json:"changes_url"` // the redline
	SHA256     string   `json:"sha256"`
}

// Notices returns the notices to show as of the model's date.
func (m *Model) Notices() *Notices {
	n := &Notices{Schema: NoticesSchema, AsOf: m.Now.Format("2006-01-02"), Notices: []Notice{}}
	for _, d := range m.Docs {
		for _, v := range d.Versions {
			if !v.Material() || v.Published.After(m.Now) || !m.Live(v) {
				continue
			}
			n.Notices = append(n.Notices, Notice{
				ID: d.Slug + "/" + v.ID, Document: d.Slug, Title: v.Title, Version: v.ID, Status: v.Status,
				Effective: v.Effective.Format("2006-01-02"), Published: v.Published.Format("2006-01-02"),
				Summary: nonNil(v.Summary), Categories: nonNil(v.AllCategories()),
				URL: m.absURL(m.versionPath(v)), ChangesURL: m.absURL(m.versionPath(v) + "changes/"), SHA256: v.SHA256,
			})
		}
	}
	return n
}

func (m *Model) noticesJSON() ([]byte, error) {
	b, err := json.MarshalIndent(m.Notices(), "", "  ")
	return append(b, '\n'), err
}
