package notify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"
)

// Several senders on one campaign.
//
// A ledger that implements LeaseClaimer (PostgreSQL) lets any number of
// senders share a campaign. A sender claims a batch of rows in one
// transaction (FOR UPDATE SKIP LOCKED), writing its owner id and a lease
// expiry on them; no other sender claims a row whose lease is live. The
// sender renews the leases of the rows it holds while it works, and a row
// is taken over only once its lease has lapsed: the sender was killed or
// stalled longer than the lease. Expiry is measured on the database's clock,
// so the senders' clocks do not matter.
//
// Every "sending" update (the one made durable before the end of DATA) is
// fenced: it applies only to a row the sender still holds, and renews that
// row's lease. A sender that lost a row to another (it stalled past its
// lease) therefore never hands that message to the server; its run stops
// with ErrLeaseLost and the other sender carries on. So a recipient is sent
// twice only for a message in flight at a kill — at most one per
// connection of the killed sender, with the same Message-ID — as with one
// sender.
//
// A sender ends when it can claim nothing and no live lease of another
// sender holds unsettled rows: until then it waits, because a lease that
// lapses brings rows back. The campaign is complete only when no row is
// pending, sending or failed (Ledger.Complete), whoever calls it.

// LeaseClaimer is implemented by ledgers on which several senders may share
// one campaign. Owners are opaque ids, unique per sender process.
type LeaseClaimer interface {
	// ClaimLease leases up to limit rows of the campaign with id > after
	// to owner for ttl: pending or sending rows that no live lease of
	// another owner holds, skipping rows another transaction is claiming.
	// Rows are by id.
	ClaimLease(ctx context.Context, campaignID, owner string, after int64, ttl time.Duration, limit int) ([]Delivery, error)
	// RenewLease extends the leases of the unsettled rows owner holds.
	RenewLease(ctx context.Context, campaignID, owner string, ttl time.Duration) (int, error)
	// ReleaseLease ends owner's leases on the rows it did not settle, so
	// other senders may take them at once.
	ReleaseLease(ctx context.Context, campaignID, owner string) (int, error)
	// Leases counts the unsettled rows of the campaign that owner could
	// claim now, and those live leases of other owners hold.
	Leases(ctx context.Context, campaignID, owner string) (LeaseCounts, error)
	// RecordLeased is Ledger.Record for owner: an update that starts an SMTP
	// transaction (Attempt) applies only to a row owner holds that is still
	// pending or sending; it records owner as the row's sender and renews
	// the lease. The other updates are applied as Record does. When an
	// attempt was refused, the rest is still committed and the error wraps
	// ErrLeaseLost.
	RecordLeased(ctx context.Context, owner string, ttl time.Duration, updates []Update) error
}

// LeaseCounts is what Leases reports.
type LeaseCounts struct {
	Claimable    int // rows owner may claim now
	HeldByOthers int // rows under a live lease of another sender
}

// ErrLeaseLost means a row this sender had claimed was taken over by
// another sender (this one stalled past its lease) or left the list; the
// message was not sent by this sender.
var ErrLeaseLost = errors.New("lease lost: another sender took over rows of this one (it stalled longer than --lease); this sender stops, the others carry on")

// DefaultLease is how long a claim lasts without renewal.
const DefaultLease = 30 * time.Second

// NewSenderID returns an owner id for this process: host, process id and
// a random part, so two processes never share one.
func NewSenderID() string {
	host, _ := os.Hostname()
	var r [4]byte
	_, _ = rand.Read(r[:])
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(r[:]))
}

// leased is the Ledger as one sender sees it on a shared campaign: Claim
// leases rows to the sender, Record is fenced by its leases.
type leased struct {
	Ledger
	lc       LeaseClaimer
	campaign string
	owner    string
	ttl      time.Duration
	batch    int
	log      *slog.Logger
}

func newLeased(o *RunOptions, lc LeaseClaimer) *leased {
	return &leased{Ledger: o.Ledger, lc: lc, campaign: o.Campaign.ID, owner: o.SenderID, ttl: o.Lease,
		batch: min(claimPage, max(16, 16*o.Connections)), log: o.Logger}
}

// Claim leases the next batch after the last one, and only when that
// finds too few, from the start: rows before it come back when a lease
// lapses or is released. Starting after the last batch keeps a claim from
// stepping over every row settled since the campaign began.
func (l *leased) Claim(ctx context.Context, campaignID string, after int64, limit int) ([]Delivery, error) {
	limit = min(limit, l.batch)
	rows, err := l.lc.ClaimLease(ctx, campaignID, l.owner, after, l.ttl, limit)
	if err != nil || len(rows) == limit || after == 0 {
		return rows, err
	}
	more, err := l.lc.ClaimLease(ctx, campaignID, l.owner, 0, l.ttl, limit-len(rows))
	return append(rows, more...), err
}

// Record applies updates fenced by this sender's leases.
func (l *leased) Record(ctx context.Context, updates []Update) error {
	return l.lc.RecordLeased(ctx, l.owner, l.ttl, updates)
}

// refill is called when the sender has settled everything it claimed: it
// returns true once rows can be claimed, false when none can be and no
// other sender holds any (the campaign's work is done or failed), and
// waits in between — a lapsing lease brings rows back.
func (l *leased) refill(ctx context.Context) (bool, error) {
	poll := min(max(l.ttl/20, 20*time.Millisecond), 250*time.Millisecond)
	t := time.NewTimer(poll)
	defer t.Stop()
	for {
		n, err := l.lc.Leases(ctx, l.campaign, l.owner)
		if err != nil {
			return false, fmt.Errorf("notify: %w", err)
		}
		if n.Claimable > 0 {
			return true, nil
		}
		if n.HeldByOthers == 0 {
			return false, nil
		}
		l.log.Debug("waiting for other senders' leases", "rows", n.HeldByOthers)
		t.Reset(poll)
		select {
		case <-ctx.Done():
			return false, ctx.Err()
		case <-t.C:
		}
	}
}

// keep renews the sender's leases every third of the lease until the
// returned stop is called; stop then releases the rows left unsettled.
func (l *leased) keep(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(l.ttl / 3)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if _, err := l.lc.RenewLease(ctx, l.campaign, l.owner, l.ttl); err != nil && ctx.Err() == nil {
				l.log.Warn("lease not renewed; other senders may take over this one's rows", "err", err.Error())
			}
		}
	}()
	return func() {
		cancel()
		<-done
		if n, err := l.lc.ReleaseLease(context.WithoutCancel(ctx), l.campaign, l.owner); err != nil {
			l.log.Warn("leases not released; other senders take the rows when they lapse", "err", err.Error())
		} else if n > 0 {
			l.log.Info("released unsettled rows to other senders", "rows", n)
		}
	}
}
