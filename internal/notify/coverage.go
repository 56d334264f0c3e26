package notify

import (
	"context"
	"fmt"
)

// coverage decides, for batches of admitted recipients, which version each
// one knew and so what their message covers: the latest of the document's
// root version, the version published before their signup date, and any
// version an earlier campaign of the document told them about (from the
// ledger, one query per batch). Both the dry run and the send use it, so
// they agree row for row.
type coverage struct {
	c      Campaign
	ledger Ledger // nil: a dry run without a ledger
	others bool   // the document has other campaigns in the ledger
	batch  []Recipient
	emit   func(r Recipient, ok bool) error // ok false: nothing material to tell r
	tell   map[string]bool                  // c.For(known)'s ok, by known: a few versions, many rows
}

func newCoverage(ctx context.Context, c Campaign, l Ledger, emit func(Recipient, bool) error) (*coverage, error) {
	cv := &coverage{c: c, ledger: l, emit: emit, batch: make([]Recipient, 0, enqueueBatch), tell: map[string]bool{}}
	if l != nil {
		recs, err := l.DocCampaigns(ctx, c.Doc)
		if err != nil {
			return nil, fmt.Errorf("notify: %w", err)
		}
		for _, r := range recs {
			cv.others = cv.others || r.ID != c.ID
		}
	}
	return cv, nil
}

// add queues r; emit runs for the batch once it is full.
func (cv *coverage) add(ctx context.Context, r Recipient) error {
	cv.batch = append(cv.batch, r)
	if len(cv.batch) == cap(cv.batch) {
		return cv.flush(ctx)
	}
	return nil
}

// flush emits every queued recipient with its Known version set.
func (cv *coverage) flush(ctx context.Context) error {
	if len(cv.batch) == 0 {
		return nil
	}
	var told map[string][]string
	if cv.others {
		emails := make([]string, len(cv.batch))
		for i, r := range cv.batch {
			emails[i] = r.Email
		}
		var err error
		if told, err = cv.ledger.Told(ctx, cv.c.Doc, cv.c.ID, emails); err != nil {
			return fmt.Errorf("notify: %w", err)
		}
	}
	for _, r := range cv.batch {
		known := cv.c.later(cv.c.Root, cv.c.knownAt(r.SignedUp))
		for _, v := range told[addressKey(r.Email)] {
			known = cv.c.later(known, v)
		}
		r.Known = known
		ok, seen := cv.tell[known]
		if !seen {
			_, ok = cv.c.For(known)
			cv.tell[known] = ok
		}
		if err := cv.emit(r, ok); err != nil {
			return err
		}
	}
	cv.batch = cv.batch[:0]
	return nil
}
