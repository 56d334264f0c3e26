package notify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// enqueueBatch is how many rows go to the ledger per transaction.
const enqueueBatch = 500

// suppressions gathers the suppress file and the ledger's unsubscribes.
func suppressions(ctx context.Context, o *RunOptions) (*Suppressions, error) {
	s := NewSuppressions()
	if o.Suppress != nil {
		if err := s.ReadSuppressions(o.Suppress, o.SuppressName); err != nil {
			return nil, fmt.Errorf("notify: %w", err)
		}
	}
	if o.Ledger != nil {
		err := o.Ledger.Suppressions(ctx, func(email string) error {
			s.Add(email)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("notify: %w", err)
		}
	}
	return s, nil
}

// scan streams the recipients CSV through the screen. admit is called for
// each recipient to notify, skip for each screened-out row (after it is
// counted and logged). A malformed file stops the scan with file:line.
func scan(ctx context.Context, o *RunOptions, sum *Summary, admit func(Recipient) error, skip func(Skip) error) error {
	sup, err := suppressions(ctx, o)
	if err != nil {
		return err
	}
	rr, err := NewRecipientReader(o.Recipients, o.RecipientsName)
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	if ig := rr.Ignored(); len(ig) > 0 {
		sum.IgnoredColumns = ig
		o.Logger.Info("recipients file: ignoring columns it does not use", "file", o.RecipientsName, "columns", strings.Join(ig, ", "))
	}
	screen, err := NewScreen(o.RecipientsName, o.Campaign.Published, sup)
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	defer screen.Close()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		r, err := rr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("notify: %w", err)
		}
		sum.Rows++
		k, ok, err := screen.Check(r)
		if err != nil {
			return fmt.Errorf("notify: %s:%d: %w", o.RecipientsName, r.Line, err)
		}
		if !ok {
			sum.addSkip(k)
			o.Logger.Info("recipient skipped", "file", k.File, "line", k.Line, "email", k.Email, "reason", string(k.Reason), "detail", k.Detail)
			if o.OnSkip != nil {
				o.OnSkip(k)
			}
			if skip != nil {
				if err := skip(k); err != nil {
					return err
				}
			}
			continue
		}
		if err := admit(r); err != nil {
			return err
		}
	}
}

// ingest records every row of this run in the ledger, in batches: admitted
// rows as pending (rows already sent keep their state), suppressed and
// late signups as skipped, and retires rows that left the list.
func ingest(ctx context.Context, o *RunOptions, sum *Summary) error {
	run := time.Now().UnixNano() // not o.Now: it may be a fixed clock

	batch := make([]Entry, 0, enqueueBatch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := o.Ledger.Enqueue(ctx, o.Campaign.ID, run, batch); err != nil {
			return fmt.Errorf("notify: %w", err)
		}
		batch = batch[:0]
		return nil
	}
	add := func(e Entry) error {
		batch = append(batch, e)
		if len(batch) == cap(batch) {
			return flush()
		}
		return nil
	}
	cv, err := newCoverage(ctx, o.Campaign, o.Ledger, func(r Recipient, ok bool) error {
		if !ok {
			sum.addSkip(Skip{File: o.RecipientsName, Line: r.Line, Email: r.Email, Reason: SkipKnows, Detail: "knew " + describe(r.Known)})
			return add(Entry{Email: r.Email, Known: r.Known, Line: r.Line, State: StateSkipped, Reason: string(SkipKnows)})
		}
		return add(Entry{Email: r.Email, Name: r.Name, Locale: r.Locale, Known: r.Known, Line: r.Line, State: StatePending})
	})
	if err != nil {
		return err
	}
	var rejected []Skip
	flushRejected := func() error {
		if len(rejected) == 0 {
			return nil
		}
		if err := o.Ledger.Reject(ctx, o.Campaign.ID, run, rejected); err != nil {
			return fmt.Errorf("notify: %w", err)
		}
		rejected = rejected[:0]
		return nil
	}
	admit := func(r Recipient) error { return cv.add(ctx, r) }
	skip := func(k Skip) error {
		if rejects(k.Reason) { // not a recipient: evidence of its own
			if rejected = append(rejected, k); len(rejected) == enqueueBatch {
				return flushRejected()
			}
			return nil
		}
		if k.Reason != SkipSuppressed && k.Reason != SkipSignedUpAfter {
			return nil
		}
		return add(Entry{Email: k.Email, Line: k.Line, State: StateSkipped, Reason: string(k.Reason)})
	}
	if err := scan(ctx, o, sum, admit, skip); err != nil {
		return err
	}
	if err := cv.flush(ctx); err != nil {
		return err
	}
	if err := flush(); err != nil {
		return err
	}
	if err := flushRejected(); err != nil {
		return err
	}
	n, err := o.Ledger.Retire(ctx, o.Campaign.ID, run)
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	if n > 0 {
		o.Logger.Warn("recipients from an earlier run are no longer in the list; not sending to them", "count", n)
	}
	return nil
}
