package notify

import (
	"fmt"
	"time"
)

// SkipReason says why a recipient row is not emailed.
type SkipReason string

// Reasons a row is skipped.
const (
	SkipInvalid       SkipReason = "invalid address"
	SkipBadRow        SkipReason = "bad row" // a bad date or locale, an oversized field, not UTF-8
	SkipDuplicate     SkipReason = "duplicate"
	SkipSuppressed    SkipReason = "suppressed"
	SkipSignedUpAfter SkipReason = "signed up after"
	SkipNotListed     SkipReason = "not in recipients list" // in the ledger from an earlier run, gone from the CSV
	SkipKnows         SkipReason = "nothing new"            // already told, or knew a version with no material change since
	SkipSuperseded    SkipReason = "superseded by"          // a newer campaign of the document covers this one (followed by its id)
)

// Skip reports one skipped row.
type Skip struct {
	File   string
	Line   int
	Email  string
	Reason SkipReason
	Detail string
}

func (s Skip) String() string {
	msg := fmt.Sprintf("%s:%d: %q: %s", s.File, s.Line, s.Email, s.Reason)
	if s.Detail != "" {
		msg += " (" + s.Detail + ")"
	}
	return msg
}

// Screen decides, row by row, who is emailed about a campaign. It keeps a
// 16-byte fingerprint and a line number per address to catch duplicates on
// disk (seenSet), not in memory, so its memory does not grow with the list.
type Screen struct {
	file       string
	published  time.Time
	suppressed *Suppressions
	seen       *seenSet
}

// NewScreen returns a Screen for a campaign published on published (rows
// whose signed_up date is after that day are skipped) that skips the
// addresses in suppressed (which may be nil). file names the CSV in reports.
// Close it when done.
func NewScreen(file string, published time.Time, suppressed *Suppressions) (*Screen, error) {
	seen, err := newSeenSet()
	if err != nil {
		return nil, err
	}
	return &Screen{file: file, published: published, suppressed: suppressed, seen: seen}, nil
}

// Close discards the duplicate set.
func (s *Screen) Close() error { return s.seen.close() }

// Check admits r, or says why it is skipped. Checks run in order: address,
// duplicate, suppression, signup date; an address seen once counts as seen
// even when it is then suppressed, so a later duplicate is reported as such.
//
// The error is the duplicate set's (the disk), never the row's.
func (s *Screen) Check(r Recipient) (Skip, bool, error) {
	skip := Skip{File: s.file, Line: r.Line, Email: r.Email}
	if r.Bad != "" {
		skip.Reason, skip.Detail = SkipBadRow, r.Bad
		return skip, false, nil
	}
	if _, err := checkAddress(r.Email); err != nil {
		skip.Reason, skip.Detail = SkipInvalid, err.Error()
		return skip, false, nil
	}
	first, dup, err := s.seen.add(hashAddress(r.Email), r.Line)
	if err != nil {
		return Skip{}, false, err
	}
	if dup {
		skip.Reason, skip.Detail = SkipDuplicate, fmt.Sprintf("first on line %d", first)
		return skip, false, nil
	}
	if s.suppressed.Has(r.Email) {
		skip.Reason = SkipSuppressed
		return skip, false, nil
	}
	if !r.SignedUp.IsZero() && !s.published.IsZero() && dateAfter(r.SignedUp, s.published) {
		skip.Reason = SkipSignedUpAfter
		skip.Detail = fmt.Sprintf("signed up %s, version published %s", r.SignedUp.Format(time.DateOnly), s.published.Format(time.DateOnly))
		return skip, false, nil
	}
	return Skip{}, true, nil
}

// dateAfter compares calendar days: someone who signed up on the day a
// version was published is still told about it.
func dateAfter(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return time.Date(ay, am, ad, 0, 0, 0, 0, time.UTC).After(time.Date(by, bm, bd, 0, 0, 0, 0, time.UTC))
}
