package notify

import (
	"fmt"
	"sort"
	"strings"
)

// maxReported caps the skips and failures a Summary lists one by one; the
// counts are always complete, the ledger and the logger have every one.
const maxReported = 1000

// Failure is one recipient that could not be reached.
type Failure struct {
	Email    string
	Attempts int
	Reason   string // the server's reply, or why retrying stopped
}

// Summary is the outcome of a Run.
type Summary struct {
	Campaign string
	DryRun   bool

	Rows            int                // data rows read from the recipients CSV
	IgnoredColumns  []string           // columns of the CSV that are not read (named once)
	Queued          int                // recipients this run had to send to
	Sent            int                // accepted by the server in this run
	Written         int                // dry run: messages written to the outbox
	AlreadySent     int                // sent by an earlier run, not sent again
	FailedEarlier   int                // failed in an earlier run, not retried (see RunOptions.RetryFailed)
	Skipped         map[SkipReason]int // rows skipped, by reason
	Skips           []Skip             // the first skipped rows, in file order
	Failed          int                // failed for good in this run
	Failures        []Failure          // the first failures
	Retries         int                // temporary failures retried
	UncertainResent int                // resent after an unknown outcome, same Message-ID
	HashChangedFrom string             // the version's earlier content hash, when it changed since the campaign started
	Superseded      int                // unsent rows of older campaigns of the document this one took over
	Joined          bool               // another sender of the campaign had loaded the same list: not read again

	// Status is the campaign in the ledger after the run (send mode only).
	Status Status
}

// Unreached is the number of recipients of the campaign who have not got
// the message: failed or still pending in the ledger. The CLI exits non-zero
// when it is not 0.
func (s Summary) Unreached() int {
	if s.DryRun {
		return 0
	}
	return s.Status.Unreached()
}

func (s *Summary) addSkip(k Skip) {
	if s.Skipped == nil {
		s.Skipped = map[SkipReason]int{}
	}
	s.Skipped[k.Reason]++
	if len(s.Skips) < maxReported {
		s.Skips = append(s.Skips, k)
	}
}

func (s *Summary) addFailure(f Failure) {
	s.Failed++
	if len(s.Failures) < maxReported {
		s.Failures = append(s.Failures, f)
	}
}

// String is a short human report, one fact per line.
func (s Summary) String() string {
	var b strings.Builder
	mode := "sent"
	if s.DryRun {
		mode = "dry run"
	}
	fmt.Fprintf(&b, "campaign %s (%s)\n", s.Campaign, mode)
	if s.Joined {
		fmt.Fprintf(&b, "  rows read:         none: another sender of this campaign loaded the same list\n")
	} else {
		fmt.Fprintf(&b, "  rows read:         %d\n", s.Rows)
	}
	if len(s.IgnoredColumns) > 0 {
		fmt.Fprintf(&b, "  columns ignored:   %s\n", strings.Join(s.IgnoredColumns, ", "))
	}
	if s.DryRun {
		fmt.Fprintf(&b, "  messages written:  %d\n", s.Written)
	} else {
		fmt.Fprintf(&b, "  sent now:          %d\n", s.Sent)
	}
	fmt.Fprintf(&b, "  already sent:      %d\n", s.AlreadySent)
	reasons := make([]string, 0, len(s.Skipped))
	for r := range s.Skipped {
		reasons = append(reasons, string(r))
	}
	sort.Strings(reasons)
	for _, r := range reasons {
		fmt.Fprintf(&b, "  skipped, %s: %d\n", r, s.Skipped[SkipReason(r)])
	}
	if s.Failed+s.FailedEarlier > 0 {
		fmt.Fprintf(&b, "  failed:            %d (earlier runs, not retried: %d; --retry-failed retries them)\n", s.Failed, s.FailedEarlier)
	}
	if s.HashChangedFrom != "" {
		fmt.Fprintf(&b, "  content changed:   hash %.12s → %.12s since the campaign started; nobody told is told again\n", s.HashChangedFrom, s.Status.Hash)
	}
	if s.Superseded > 0 {
		fmt.Fprintf(&b, "  took over:         %d unsent rows of older campaigns of %s\n", s.Superseded, s.Status.Doc)
	}
	if s.Retries > 0 {
		fmt.Fprintf(&b, "  retried:           %d\n", s.Retries)
	}
	if s.UncertainResent > 0 {
		fmt.Fprintf(&b, "  uncertain, resent: %d (same Message-ID; a receiver may show it twice)\n", s.UncertainResent)
	}
	if !s.DryRun {
		fmt.Fprintf(&b, "  not reached:       %d\n", s.Unreached())
	}
	return b.String()
}
