package notify_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getspectr/redline/internal/notify"
)

const templatesDir = "../../templates/email"

var testKey = []byte("0123456789abcdef-test-unsubscribe-key")

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

var testSite = notify.Site{
	Name:              "Spectr",
	BaseURL:           "https://legal.spectr.test",
	From:              "Spectr Legal <legal@spectr.test>",
	ReplyTo:           "privacy@spectr.test",
	UnsubscribeURL:    "https://legal.spectr.test/unsubscribe",
	UnsubscribeMailto: "unsubscribe@spectr.test",
}

// testHistory has a minor version after the known one, then a material one.
func testHistory() notify.History {
	return notify.History{
		Doc:   "privacy",
		Title: "Privacy Policy",
		Versions: []notify.VersionInfo{
			{ID: "2025-01-10", Hash: strings.Repeat("a1", 32), Effective: day("2025-01-10"), Published: day("2024-12-10")},
			{ID: "2025-06-01", Hash: strings.Repeat("b2", 32), Effective: day("2025-06-01"), Published: day("2025-05-01"),
				Summary: []string{"Clarified how to contact us."},
				Changes: []notify.ChangeItem{{Level: "minor", Category: "contact", Section: "Contact", Old: "Please write to us.", New: "Please email us.", Why: "reworded",
					Quote: []notify.QuotePart{{Op: "equal", Text: "Please "}, {Op: "delete", Text: "write to"}, {Op: "insert", Text: "email"}, {Op: "equal", Text: " us."}}}}},
			{ID: "2026-03-27", Hash: strings.Repeat("c3", 32), Effective: day("2026-04-27"), Published: day("2026-03-27"), Material: true,
				Summary: []string{"We now share usage data with our analytics processor.", "We keep logs for 90 days instead of 30."},
				Changes: []notify.ChangeItem{
					{Level: "material", Category: "sharing and processors", Section: "Who we share data with", Old: "We do not share usage data.", New: "We share usage data with Plausible Insights OÜ.",
						Why: `negation: "We do not share" → "We share"`, Quote: []notify.QuotePart{{Op: "equal", Text: "We "}, {Op: "delete", Text: "do not "}, {Op: "equal", Text: "share usage data"}, {Op: "insert", Text: " with Plausible Insights OÜ"}, {Op: "equal", Text: "."}}},
					{Level: "material", Category: "retention", Section: "How long we keep data", Old: "We keep logs for 30 days.", New: "We keep logs for 90 days.",
						Why: `retention period: "30 days" → "90 days"`, Quote: []notify.QuotePart{{Op: "equal", Text: "We keep logs for "}, {Op: "delete", Text: "30"}, {Op: "insert", Text: "90"}, {Op: "equal", Text: " days."}}},
				}},
		},
	}
}

// testCampaign is the campaign Plan makes from testHistory, with testSite.
func testCampaign(t testing.TB) notify.Campaign {
	t.Helper()
	c, err := campaignFixture()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func campaignFixture() (notify.Campaign, error) {
	cs, err := notify.Plan(context.Background(), noAnnouncements{}, []notify.History{testHistory()},
		day("2026-04-01"), map[string]string{"privacy": "2025-01-10"})
	if err != nil || len(cs) != 1 {
		return notify.Campaign{}, fmt.Errorf("plan: %v, %d campaigns", err, len(cs))
	}
	return cs[0].WithSite(testSite), nil
}

type noAnnouncements struct{}

func (noAnnouncements) DocCampaigns(context.Context, string) ([]notify.CampaignRecord, error) {
	return nil, nil
}

// openLedger opens a fresh SQLite ledger in a temp dir.
func openLedger(t testing.TB) (*notify.SQLiteLedger, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "state", "state.db")
	l, err := notify.OpenSQLite(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l, path
}

// recipientsCSV makes n recipients user0000@example.com … with names.
func recipientsCSV(n int) string {
	var b strings.Builder
	b.WriteString("email,name,signed_up\n")
	for i := range n {
		fmt.Fprintf(&b, "user%05d@example.com,User %d,2024-01-01\n", i, i)
	}
	return b.String()
}

// sendOptions are options for a send to url with fast retries.
func sendOptions(c notify.Campaign, l notify.Ledger, csv, url string) notify.RunOptions {
	return notify.RunOptions{
		Campaign:       c,
		Recipients:     strings.NewReader(csv),
		RecipientsName: "users.csv",
		Ledger:         l,
		TemplatesDir:   templatesDir,
		Send:           true,
		SMTP:           notify.SMTPConfig{URL: url, Timeout: 5 * time.Second},
		Connections:    4,
		RetryBase:      5 * time.Millisecond,
		RetryMax:       50 * time.Millisecond,
		UnsubscribeKey: testKey,
		Now:            func() time.Time { return testNow },
	}
}

// testNow is between the publication and the effective date of the campaign.
var testNow = day("2026-04-01").Add(9 * time.Hour)

// logBuffer is a concurrency-safe log sink for slog.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func debugLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func mustStatus(t testing.TB, l notify.Ledger, id string) notify.Status {
	t.Helper()
	s, err := l.Status(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
