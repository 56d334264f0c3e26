package site

import (
	"encoding/json"
	"sort"
)

// ManifestSchema names the version of the changes.json format. Bump it on
// any incompatible change; see docs/changes-json.md.
const ManifestSchema = "redline.changes/v1"

// Manifest is changes.json: one record of every version of every document.
// The feed, pages and emails are drawn from the same model.
type Manifest struct {
	Schema    string        `json:"schema"`
	Site      ManifestSite  `json:"site"`
	AsOf      string        `json:"as_of"` // the build date that decides current and upcoming
	Documents []ManifestDoc `json:"documents"`
}

// ManifestSite describes the site.
type ManifestSite struct {
	Name       string `json:"name"`
	BaseURL    string `json:"base_url"`
	Contact    string `json:"contact"`
	NoticeDays int    `json:"notice_days"`
}

// ManifestDoc is one document.
type ManifestDoc struct {
	Slug     string            `json:"slug"`
	Title    string            `json:"title"`
	URL      string            `json:"url"`
	Current  string            `json:"current,omitempty"` // id of the version in effect
	Versions []ManifestVersion `json:"versions"`          // oldest first
}

// ManifestVersion is one version.
type ManifestVersion struct {
	ID         string `json:"id"`
	Title      string `json:"title"`
	URL        string `json:"url"`
	ChangesURL string `json:"changes_url,omitempty"`
	Previous   string `json:"previous,omitempty"`
	Status     Status `json:"status"`
	Effective  string `json:"effective"`
	Published  string `json:"published"`
	NoticeDays int    `json:"notice_days"` // effective − published
	// Level is the verdict against the previous version ("" for the
	// first): editorial, minor or material, with legal's override applied.
	Level         string    `json:"level,omitempty"`
	DetectedLevel string    `json:"detected_level,omitempty"` // the detector's own verdict
	Override      *Override `json:"override,omitempty"`
	Summary       []string  `json:"summary"`
	Categories    []string  `json:"categories"` // legal's and the detected ones
	SHA256        string    `json:"sha256"`     // of the version's source file
}

// Override records legal's notify: yes|no and its reason.
type Override struct {
	Notify string `json:"notify"`
	Reason string `json:"reason"`
}

// Manifest builds the changes.json record of the model.
func (m *Model) Manifest() *Manifest {
	man := &Manifest{
		Schema: ManifestSchema,
		Site:   ManifestSite{Name: m.Config.Name, BaseURL: m.Config.BaseURL, Contact: m.Config.Contact, NoticeDays: m.Config.NoticeDays},
		AsOf:   m.Now.Format("2006-01-02"),
	}
	for _, d := range m.Published() {
		md := ManifestDoc{Slug: d.Slug, Title: d.Title, URL: m.absURL(m.docPath(d))}
		if d.Current != nil {
			md.Current = d.Current.ID
		}
		for _, v := range d.Public() {
			mv := ManifestVersion{
				ID: v.ID, Title: v.Title, URL: m.absURL(m.versionPath(v)), Status: v.Status,
				Effective: v.Effective.Format("2006-01-02"), Published: v.Published.Format("2006-01-02"),
				NoticeDays: v.NoticeDays(), Level: v.Level(),
				Summary: nonNil(v.Summary), Categories: nonNil(v.AllCategories()), SHA256: v.SHA256,
			}
			if v.Prev != nil {
				mv.Previous = v.Prev.ID
				mv.ChangesURL = m.absURL(m.versionPath(v) + "changes/")
				mv.DetectedLevel = v.Verdict.Detected.String()
			}
			if v.Verdict.Override != "" {
				mv.Override = &Override{Notify: v.Verdict.Override, Reason: v.Verdict.OverrideReason}
			}
			md.Versions = append(md.Versions, mv)
		}
		man.Documents = append(man.Documents, md)
	}
	return man
}

func (m *Model) changesJSON() ([]byte, error) {
	b, err := json.MarshalIndent(m.Manifest(), "", "  ")
	return append(b, '\n'), err
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// sortEntries orders feed entries newest first, with ties broken so the
// order never depends on map or goroutine order.
func sortEntries(es []feedEntry) {
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i].v, es[j].v
		if !a.Published.Equal(b.Published) {
			return a.Published.After(b.Published)
		}
		if a.Doc.Slug != b.Doc.Slug {
			return a.Doc.Slug < b.Doc.Slug
		}
		return a.ID > b.ID
	})
}
