package notify

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"
)

// State is where one (campaign, recipient) message stands.
type State string

// Delivery states. pending → sending → sent | failed, or pending again after
// a temporary failure. A row found in sending when a run starts belongs to a
// run that stopped between "about to send" and "server answered": it is
// resent with the same Message-ID and reported as uncertain.
const (
	StatePending State = "pending"
	StateSending State = "sending"
	StateSent    State = "sent"
	StateFailed  State = "failed"
	StateSkipped State = "skipped"
)

// ErrNoCampaign is returned for a campaign id the ledger does not know.
var ErrNoCampaign = errors.New("no such campaign in the ledger")

// CampaignRecord is what the ledger keeps about a campaign itself.
type CampaignRecord struct {
	ID, Doc, Version, Hash string
	Covers                 []string
}

// Entry is a recipient row handed to the ledger: pending, or skipped with a reason.
type Entry struct {
	Email, Name, Locale string
	Line                int
	State               State
	Reason              string
}

// Delivery is the ledger's row for one (campaign, recipient).
type Delivery struct {
	ID          int64
	Campaign    string
	Email       string
	Name        string
	Locale      string
	Line        int
	State       State
	Reason      string // why skipped or failed; last temporary error while pending
	Attempts    int    // SMTP transactions started
	Uncertain   int    // resends after an outcome that was not known
	Reply       string // the server's last reply
	MessageID   string
	VersionHash string
	Updated     time.Time
	Sent        time.Time // when the server accepted it
}

// Update changes the state of one delivery. Reason is always replaced; an
// empty Reply or MessageID leaves the stored value alone.
type Update struct {
	ID        int64
	State     State
	Reason    string
	Reply     string
	MessageID string
	Attempt   bool // this update starts an SMTP transaction: count it
	Uncertain bool // ... which resends a message whose outcome was unknown
	At        time.Time
}

// Status is a campaign with its delivery counts by state.
type Status struct {
	CampaignRecord
	Created   time.Time
	Completed time.Time // zero until every recipient is sent, failed or skipped
	Counts    map[State]int
}

// Outstanding is the number of recipients still to be sent.
func (s Status) Outstanding() int { return s.Counts[StatePending] + s.Counts[StateSending] }

// Suppressor records that an address must not be emailed again.
type Suppressor interface {
	Suppress(ctx context.Context, email, source string) error
}

// Ledger is the durable record of campaigns, deliveries, announcements and
// suppressions: the resume point of a killed run and the evidence of notice.
// SQLite (OpenSQLite) is the embedded implementation; the interface is kept
// to what a PostgreSQL one needs too (Claim becomes FOR UPDATE SKIP LOCKED).
type Ledger interface {
	Announcements
	Suppressor

	// OpenCampaign records c if it is new; it is a no-op for a known id.
	OpenCampaign(ctx context.Context, c CampaignRecord) error
	// Enqueue adds rows seen by ingest run. Known rows keep their state,
	// except that pending rows may become skipped and back; every row
	// seen is stamped with run.
	Enqueue(ctx context.Context, campaignID string, run int64, entries []Entry) error
	// Retire marks pending and sending rows not stamped with run as skipped
	// (SkipNotListed): they left the recipients list since an earlier run.
	Retire(ctx context.Context, campaignID string, run int64) (int, error)
	// Requeue makes failed rows pending again.
	Requeue(ctx context.Context, campaignID string) (int, error)
	// Claim returns up to limit pending or sending rows with id > after, by id.
	Claim(ctx context.Context, campaignID string, after int64, limit int) ([]Delivery, error)
	// Record applies updates in one transaction: all or none are durable.
	Record(ctx context.Context, updates []Update) error
	// Lookup returns the row for email (compared case-insensitively).
	Lookup(ctx context.Context, campaignID, email string) (Delivery, bool, error)
	// Complete marks the campaign done and records the announcement
	// (doc → version) if no row is pending or sending; it reports whether it did.
	Complete(ctx context.Context, campaignID string) (bool, error)
	// Status returns the campaign and its counts, or ErrNoCampaign.
	Status(ctx context.Context, campaignID string) (Status, error)
	// Campaigns returns every campaign, newest first.
	Campaigns(ctx context.Context) ([]Status, error)
	// Evidence calls fn for every delivery of the campaign, by id.
	Evidence(ctx context.Context, campaignID string, fn func(Delivery) error) error
	// Suppressions calls fn for every suppressed address.
	Suppressions(ctx context.Context, fn func(email string) error) error
	Close() error
}

// SendLocker is implemented by ledgers that only one sender may use at a
// time (SQLite). Run holds the lock while it sends; a ledger that lets
// several senders claim work safely (PostgreSQL with SKIP LOCKED) needs none.
type SendLocker interface {
	LockSending() (unlock func(), err error)
}

var _ SendLocker = (*SQLiteLedger)(nil)

// evidenceHeader is the first row of ExportEvidence.
var evidenceHeader = []string{
	"campaign", "recipient", "version_hash", "message_id", "state", "reason",
	"attempts", "uncertain_resends", "sent_at", "updated_at", "server_reply",
}

// ExportEvidence writes the campaign's deliveries as CSV: who was sent which
// version (by hash), with which Message-ID, when, and what the server said.
func ExportEvidence(ctx context.Context, l Ledger, campaignID string, w io.Writer) error {
	if _, err := l.Status(ctx, campaignID); err != nil {
		return fmt.Errorf("notify: evidence for %s: %w", campaignID, err)
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(evidenceHeader); err != nil {
		return fmt.Errorf("notify: evidence: %w", err)
	}
	stamp := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339Nano)
	}
	err := l.Evidence(ctx, campaignID, func(d Delivery) error {
		mid := ""
		if d.MessageID != "" {
			mid = "<" + d.MessageID + ">"
		}
		return cw.Write([]string{
			d.Campaign, d.Email, d.VersionHash, mid, string(d.State), d.Reason,
			strconv.Itoa(d.Attempts), strconv.Itoa(d.Uncertain), stamp(d.Sent), stamp(d.Updated), d.Reply,
		})
	})
	if err != nil {
		return fmt.Errorf("notify: evidence for %s: %w", campaignID, err)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("notify: evidence: %w", err)
	}
	return nil
}
