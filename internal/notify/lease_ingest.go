package notify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
)

// IngestSharer is implemented by ledgers on which several senders share a
// campaign (PostgreSQL). Opening the campaign and loading its recipients
// happen under a per-campaign lock, one sender at a time, and the ledger
// remembers what the last complete load was made from, so senders that
// start together load the list once.
type IngestSharer interface {
	// LockIngest blocks until the caller holds the campaign's ingest lock
	// (or ctx ends) and reports the last complete load. The lock is also
	// released if the process dies.
	LockIngest(ctx context.Context, campaignID string) (IngestLock, error)
}

// IngestLock is a held ingest lock and what the ledger knew when it was taken.
type IngestLock struct {
	Key    string // input key of the campaign's last complete load; "" if none
	Waited bool   // another sender held the lock when this one asked for it
	Live   bool   // a live lease holds rows of the campaign: a sender is at work
	// Loaded records key as the campaign's last complete load.
	Loaded func(ctx context.Context, key string) error
	Unlock func()
}

// shared is prepare on a ledger several senders share. The first sender to
// take the lock opens the campaign and loads the list; a sender that then
// finds the same input loaded, while another sender was loading it or is
// sending, joins that run instead of loading it again. A sender that starts
// alone, or with a changed list, suppress file or --retry-failed, loads as
// a single sender does: its list is the new one, and rows that left it are
// retired.
func shared(ctx context.Context, o *RunOptions, sum *Summary, sh IngestSharer) error {
	key, err := inputKey(o)
	if err != nil {
		return err
	}
	lk, err := sh.LockIngest(ctx, o.Campaign.ID)
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	defer lk.Unlock()
	if key != "" && lk.Key == key && (lk.Waited || lk.Live) {
		sum.Joined = true
		o.Logger.Info("recipients already loaded by another sender of this campaign: sending with it", "campaign", o.Campaign.ID)
		return queued(ctx, o, sum)
	}
	if err := load(ctx, o, sum); err != nil {
		return err
	}
	if err := lk.Loaded(ctx, key); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	return queued(ctx, o, sum)
}

// inputKey identifies what a load is made from: the campaign's content,
// --retry-failed, the recipients and the suppress file. It reads both files
// once and rewinds them; "" when one cannot be rewound (a pipe), which is
// then always loaded.
func inputKey(o *RunOptions) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%t\x00", o.Campaign.ID, o.Campaign.Hash, o.RetryFailed)
	for _, in := range []struct {
		r    io.Reader
		name string
	}{{o.Recipients, o.RecipientsName}, {o.Suppress, o.SuppressName}} {
		if in.r == nil {
			h.Write([]byte{0})
			continue
		}
		rs, ok := in.r.(io.ReadSeeker)
		if !ok {
			return "", nil
		}
		pos, err := rs.Seek(0, io.SeekCurrent)
		if err != nil {
			return "", nil // not seekable after all: always loaded
		}
		if _, err := io.Copy(h, rs); err != nil {
			return "", fmt.Errorf("notify: %s: %w", in.name, err)
		}
		if _, err := rs.Seek(pos, io.SeekStart); err != nil {
			return "", fmt.Errorf("notify: %s: %w", in.name, err)
		}
		h.Write([]byte{1})
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
