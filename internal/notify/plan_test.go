package notify_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/getspectr/redline/internal/notify"
)

// announced maps a document to its campaigns, oldest first.
type announced map[string][]notify.CampaignRecord

func (a announced) DocCampaigns(_ context.Context, doc string) ([]notify.CampaignRecord, error) {
	return a[doc], nil
}

// campaignOf is a recorded campaign of privacy from base to version.
func campaignOf(base, version string) announced {
	return announced{"privacy": {{ID: notify.CampaignID("privacy", version), Doc: "privacy", Version: version, Base: base}}}
}

func TestPlan(t *testing.T) {
	h := testHistory()
	minorOnly := testHistory()
	minorOnly.Versions[2].Material = false
	noHash := testHistory()
	noHash.Versions[2].Hash = ""
	edited := testHistory()
	edited.Versions[2].Hash = strings.Repeat("d4", 32)
	tests := []struct {
		name    string
		h       notify.History
		ledger  announced
		since   map[string]string
		now     string
		covers  []string // nil: no campaign
		base    string
		wantErr string
	}{
		{name: "first run needs --since", h: h, now: "2026-04-01",
			wantErr: "privacy: no campaign recorded yet; pass --since VERSION"},
		{name: "since the oldest", h: h, since: map[string]string{"privacy": "2025-01-10"}, now: "2026-04-01",
			covers: []string{"2026-03-27", "2025-06-01"}, base: "2025-01-10"},
		{name: "empty since: users know no version", h: h, since: map[string]string{"privacy": ""}, now: "2026-04-01",
			covers: []string{"2026-03-27", "2025-06-01", "2025-01-10"}},
		{name: "since the newest", h: h, since: map[string]string{"privacy": "2026-03-27"}, now: "2026-04-01"},
		{name: "since an unknown version", h: h, since: map[string]string{"privacy": "2024-01-01"}, now: "2026-04-01",
			wantErr: `--since "2024-01-01" is not a version of this document (one of: 2025-01-10, 2025-06-01, 2026-03-27)`},
		{name: "resuming needs no --since", h: h, ledger: campaignOf("2025-01-10", "2026-03-27"), now: "2026-04-01",
			covers: []string{"2026-03-27", "2025-06-01"}, base: "2025-01-10"},
		{name: "the recorded --since is accepted", h: h, ledger: campaignOf("2025-01-10", "2026-03-27"),
			since: map[string]string{"privacy": "2025-01-10"}, now: "2026-04-01", covers: []string{"2026-03-27", "2025-06-01"}, base: "2025-01-10"},
		{name: "a conflicting --since is refused", h: h, ledger: campaignOf("2025-01-10", "2026-03-27"),
			since: map[string]string{"privacy": "2025-06-01"}, now: "2026-04-01",
			wantErr: `privacy: --since "2025-06-01" conflicts with the ledger: its campaigns cover privacy since 2025-01-10 (first privacy/2026-03-27: 2025-01-10 → 2026-03-27`},
		{name: "a new material version after a campaign", h: h, ledger: campaignOf("2025-01-10", "2025-06-01"), now: "2026-04-01",
			covers: []string{"2026-03-27"}, base: "2025-06-01"},
		{name: "material version not published yet", h: h, since: map[string]string{"privacy": "2025-01-10"}, now: "2026-03-26"},
		{name: "published today counts", h: h, since: map[string]string{"privacy": "2025-01-10"}, now: "2026-03-27",
			covers: []string{"2026-03-27", "2025-06-01"}, base: "2025-01-10"},
		{name: "nothing material", h: minorOnly, since: map[string]string{"privacy": "2025-01-10"}, now: "2026-04-01"},
		{name: "an edited version keeps its campaign", h: edited, ledger: campaignOf("2025-01-10", "2026-03-27"), now: "2026-04-01",
			covers: []string{"2026-03-27", "2025-06-01"}, base: "2025-01-10"},
		{name: "announced version gone from content", h: h, ledger: campaignOf("2025-01-10", "2025-02-02"), now: "2026-04-01",
			wantErr: `the ledger says version "2025-02-02" was announced (campaign privacy/2025-02-02), but the content has no such version`},
		{name: "no content hash", h: noHash, since: map[string]string{"privacy": "2025-01-10"}, now: "2026-04-01",
			wantErr: "privacy/2026-03-27: version has no content hash"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ledger := tc.ledger
			if ledger == nil {
				ledger = announced{}
			}
			cs, err := notify.Plan(context.Background(), ledger, []notify.History{tc.h}, day(tc.now), tc.since)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.covers == nil {
				if len(cs) != 0 {
					t.Fatalf("got campaign %+v, want none", cs[0])
				}
				return
			}
			if len(cs) != 1 {
				t.Fatalf("got %d campaigns", len(cs))
			}
			c := cs[0]
			if !slices.Equal(c.Covers, tc.covers) {
				t.Errorf("covers %v, want %v", c.Covers, tc.covers)
			}
			newest := tc.h.Versions[2]
			if c.Version != newest.ID || c.Hash != newest.Hash || !c.Effective.Equal(newest.Effective) || c.Title != "Privacy Policy" {
				t.Errorf("campaign %+v", c)
			}
			if want := "privacy/2026-03-27"; c.ID != want {
				t.Errorf("ID %q, want %q", c.ID, want)
			}
			if c.Base != tc.base {
				t.Errorf("base %q, want %q", c.Base, tc.base)
			}
		})
	}
}

func TestPlanMergesNewestFirst(t *testing.T) {
	cs, err := notify.Plan(context.Background(), announced{}, []notify.History{testHistory()}, day("2026-04-01"), map[string]string{"privacy": "2025-01-10"})
	if err != nil || len(cs) != 1 {
		t.Fatal(err, len(cs))
	}
	c := cs[0].WithSite(testSite)
	wantSummary := []string{
		"We now share usage data with our analytics processor.",
		"We keep logs for 90 days instead of 30.",
		"Clarified how to contact us.",
	}
	if !slices.Equal(c.Summary, wantSummary) {
		t.Errorf("summary %q", c.Summary)
	}
	if len(c.Changes) != 3 || c.Changes[0].Category != "sharing and processors" || c.Changes[2].Category != "contact" {
		t.Errorf("changes %+v", c.Changes)
	}
	if c.PolicyURL != "https://legal.spectr.test/privacy/2026-03-27/" || c.ChangesURL != "https://legal.spectr.test/privacy/2025-01-10/to/2026-03-27/" {
		t.Errorf("urls %q %q", c.PolicyURL, c.ChangesURL)
	}
}

func TestPlanSeveralDocuments(t *testing.T) {
	terms := testHistory()
	terms.Doc, terms.Title = "terms", "Terms of Service"
	cs, err := notify.Plan(context.Background(), campaignOf("2025-06-01", "2026-03-27"),
		[]notify.History{testHistory(), terms}, day("2026-04-01"), map[string]string{"terms": "2025-06-01"})
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 || cs[1].Doc != "terms" || cs[1].ID != "terms/2026-03-27" || cs[1].Base != "2025-06-01" {
		t.Fatalf("campaigns %+v", cs)
	}
}

// A campaign recorded before schema 2 (id with the hash, no base) is taken
// up under its own id, its base read from what it covered: nobody it told
// is told again.
func TestPlanLegacyCampaign(t *testing.T) {
	legacy := announced{"privacy": {{ID: "privacy/2026-03-27@c3c3c3c3c3c3", Doc: "privacy", Version: "2026-03-27", Covers: []string{"2026-03-27", "2025-06-01"}}}}
	cs, err := notify.Plan(context.Background(), legacy, []notify.History{testHistory()}, day("2026-04-01"), map[string]string{"privacy": "2025-01-10"})
	if err != nil || len(cs) != 1 || cs[0].ID != "privacy/2026-03-27@c3c3c3c3c3c3" || cs[0].Base != "2025-01-10" {
		t.Fatalf("legacy campaign planned as %+v, %v", cs, err)
	}
	if _, ok := cs[0].WithSite(testSite).For(""); !ok {
		t.Fatal("legacy campaign covers nothing")
	}
}
