package notify

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
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

// CampaignRecord is what the ledger keeps about a campaign itself. Base is
// the version users knew when it started: the --since of a document's first
// campaign, the previous campaign's version after that. It is recorded once
// and never asked again.
type CampaignRecord struct {
	ID, Doc, Version, Hash string
	Base                   string
	Covers                 []string
}

// Opened is what OpenCampaign found: the campaign as the ledger keeps it
// (its base is the one first recorded), and the hash it had before when the
// version's content changed since (an editorial fix after a partial send).
type Opened struct {
	CampaignRecord
	PreviousHash string // "" unless the hash changed in this call
	Superseded   int    // rows of older open campaigns of the document closed by this one
}

// Entry is a recipient row handed to the ledger: pending, or skipped with a reason.
type Entry struct {
	Email, Name, Locale string
	Known               string // the version of the document this person knew
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
	Known       string // the version the recipient knew: the message covers what came after
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

	// The delivery's attempts and uncertain resends once this update is
	// applied, as the sender counts them: the SQLite send journal (see
	// sendlog.go) records these rather than the increments, so that a
	// record applied twice changes nothing. Record ignores them.
	AttemptsAfter, UncertainAfter int
}

// RejectedRow is a row of a recipients list that named no recipient.
type RejectedRow struct {
	Skip
	Seen time.Time // when it was first seen
}

// rejects reports whether a skipped row is one for rejected_rows: one that
// is not a recipient's delivery row (suppressed and late signups are).
func rejects(r SkipReason) bool {
	return r == SkipInvalid || r == SkipBadRow || r == SkipDuplicate
}

// Status is a campaign with its delivery counts by state.
type Status struct {
	CampaignRecord
	Created   time.Time
	Completed time.Time // zero until every recipient is sent or skipped
	Counts    map[State]int
	Hashes    []HashChange // the content hashes the version had while this campaign ran, oldest first
}

// HashChange records that the campaign's version had a content hash from a time on.
type HashChange struct {
	Hash string
	From time.Time
}

// Outstanding is the number of recipients still to be sent.
func (s Status) Outstanding() int { return s.Counts[StatePending] + s.Counts[StateSending] }

// Unreached is the number of recipients not told: outstanding or failed. A
// campaign is complete only when it is 0.
func (s Status) Unreached() int { return s.Outstanding() + s.Counts[StateFailed] }

// Suppressor records that an address must not be emailed again.
type Suppressor interface {
	Suppress(ctx context.Context, email, source string) error
}

// Ledger is the durable record of campaigns, deliveries, announcements and
// suppressions: the resume point of a killed run and the evidence of notice.
// SQLite (OpenSQLite) is the embedded implementation, PostgreSQL
// (OpenPostgres) the shared one; OpenLedger picks one from --state, and
// ledgers_test.go runs one conformance suite over both.
type Ledger interface {
	Announcements
	Suppressor

	// OpenCampaign records c if it is new. For a known id it keeps the
	// recorded base and, when c.Hash differs, records the new hash (kept
	// as evidence, with the time). A new campaign supersedes the older
	// open campaigns of its document: their unsent rows become skipped
	// (SkipSuperseded), since the new campaign's message covers them.
	OpenCampaign(ctx context.Context, c CampaignRecord) (Opened, error)
	// Enqueue adds rows seen by ingest run. Known rows keep their state,
	// except that pending rows may become skipped and back; every row
	// seen is stamped with run.
	Enqueue(ctx context.Context, campaignID string, run int64, entries []Entry) error
	// Retire marks pending and sending rows not stamped with run as skipped
	// (SkipNotListed): they left the recipients list since an earlier run.
	Retire(ctx context.Context, campaignID string, run int64) (int, error)
	// Requeue makes failed rows pending again.
	Requeue(ctx context.Context, campaignID string) (int, error)
	// Told returns, for each of emails (compared case-insensitively) that
	// was sent a campaign of doc other than except, the versions of those
	// campaigns, keyed by addressKey.
	Told(ctx context.Context, doc, except string, emails []string) (map[string][]string, error)
	// Claim returns up to limit pending or sending rows with id > after, by id.
	Claim(ctx context.Context, campaignID string, after int64, limit int) ([]Delivery, error)
	// Record applies updates in one transaction: all or none are durable.
	Record(ctx context.Context, updates []Update) error
	// Lookup returns the row for email (compared case-insensitively).
	Lookup(ctx context.Context, campaignID, email string) (Delivery, bool, error)
	// Complete marks the campaign done and records the announcement
	// (doc → version) if no row is pending, sending or failed; it reports
	// whether it did.
	Complete(ctx context.Context, campaignID string) (bool, error)
	// Announced returns the version of doc announced last (by a campaign
	// that completed), if any.
	Announced(ctx context.Context, doc string) (version string, ok bool, err error)
	// Status returns the campaign and its counts, or ErrNoCampaign.
	Status(ctx context.Context, campaignID string) (Status, error)
	// Campaigns returns every campaign, newest first.
	Campaigns(ctx context.Context) ([]Status, error)
	// Evidence calls fn for every delivery of the campaign, by id.
	Evidence(ctx context.Context, campaignID string, fn func(Delivery) error) error
	// Reject records rows of a recipients list that name no recipient (an
	// invalid address, a bad row, a duplicate), seen by ingest run; a row
	// seen again keeps its first time.
	Reject(ctx context.Context, campaignID string, run int64, rows []Skip) error
	// Rejected calls fn for every rejected row of the campaign, in the
	// order they were first seen.
	Rejected(ctx context.Context, campaignID string, fn func(RejectedRow) error) error
	// Suppressions calls fn for every suppressed address.
	Suppressions(ctx context.Context, fn func(email string) error) error
	Close() error
}

// SendLocker is implemented by ledgers that one process may hold for
// itself. Run holds the lock while it sends unless the ledger is a
// LeaseClaimer (PostgreSQL), whose senders share a campaign through leases
// instead; notify migrate holds it on both ledgers while it copies.
type SendLocker interface {
	LockSending() (unlock func(), err error)
}

var _ SendLocker = (*SQLiteLedger)(nil)

// evidenceHeader is the first row of ExportEvidence.
var evidenceHeader = []string{
	"campaign", "recipient", "version_hash", "message_id", "state", "reason",
	"attempts", "uncertain_resends", "sent_at", "updated_at", "server_reply", "knew_version",
}

// safeCSV writes CSV that a spreadsheet opens as text: a cell starting
// with = + - @ (or a tab or CR) would be run as a formula, so it gets a
// leading apostrophe, which spreadsheets hide (OWASP "CSV injection").
type safeCSV struct{ *csv.Writer }

func (w safeCSV) Write(rec []string) error {
	for i, c := range rec {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			rec[i] = "'" + c
		}
	}
	return w.Writer.Write(rec)
}

// ExportSuppressions writes every suppressed address (unsubscribes and
// addresses the ledger was told never to email) as CSV with an "email"
// header, so the product can sync them.
func ExportSuppressions(ctx context.Context, l Ledger, w io.Writer) error {
	cw := safeCSV{csv.NewWriter(w)}
	if err := cw.Write([]string{"email"}); err != nil {
		return fmt.Errorf("notify: unsubscribes: %w", err)
	}
	if err := l.Suppressions(ctx, func(e string) error { return cw.Write([]string{e}) }); err != nil {
		return fmt.Errorf("notify: unsubscribes: %w", err)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("notify: unsubscribes: %w", err)
	}
	return nil
}

// ExportEvidence writes the campaign's deliveries as CSV: who was sent which
// version (by hash), with which Message-ID, when, and what the server said;
// then the rows of the recipients list that named nobody, as skipped, with
// file:line and the reason.
func ExportEvidence(ctx context.Context, l Ledger, campaignID string, w io.Writer) error {
	if _, err := l.Status(ctx, campaignID); err != nil {
		return fmt.Errorf("notify: evidence for %s: %w", campaignID, err)
	}
	cw := safeCSV{csv.NewWriter(w)}
	if err := cw.Write(evidenceHeader); err != nil {
		return fmt.Errorf("notify: evidence: %w", err)
	}
	err := l.Evidence(ctx, campaignID, func(d Delivery) error {
		mid := ""
		if d.MessageID != "" {
			mid = "<" + d.MessageID + ">"
		}
		return cw.Write([]string{
			d.Campaign, d.Email, d.VersionHash, mid, string(d.State), d.Reason,
			strconv.Itoa(d.Attempts), strconv.Itoa(d.Uncertain), rfc3339(d.Sent), rfc3339(d.Updated), d.Reply, d.Known,
		})
	})
	if err == nil {
		// Rows of the list that named nobody: skipped, with the reason
		// and where they are, after the recipients.
		err = l.Rejected(ctx, campaignID, func(r RejectedRow) error {
			reason := fmt.Sprintf("%s:%d: %s", r.File, r.Line, r.Reason)
			if r.Detail != "" {
				reason += " (" + r.Detail + ")"
			}
			return cw.Write([]string{campaignID, r.Email, "", "", string(StateSkipped), reason, "0", "0", "", rfc3339(r.Seen), "", ""})
		})
	}
	if err != nil {
		return fmt.Errorf("notify: evidence for %s: %w", campaignID, err)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("notify: evidence: %w", err)
	}
	return nil
}

// rfc3339 is an export's time: RFC 3339 in UTC, "" for none.
func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}
