package notify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"
)

// RunOptions configure one notification run. The zero value of Send makes
// it a dry run: messages are written to OutboxDir and nothing is sent.
type RunOptions struct {
	Campaign Campaign // from Plan, with WithSite applied

	Recipients     io.Reader // the recipients CSV, streamed
	RecipientsName string    // its name in reports; default "recipients.csv"
	Suppress       io.Reader // optional suppress file: one address per line, # comments
	SuppressName   string

	Ledger       Ledger // required to send; optional for a dry run
	TemplatesDir string // holds subject.txt.tmpl, message.txt.tmpl, message.html.tmpl

	Send      bool   // false: dry run
	OutboxDir string // dry run: where <message-id>.eml files go

	SMTP         SMTPConfig
	Connections  int           // parallel SMTP connections; default 1
	Rate         float64       // messages per second over all connections; 0 means no limit
	MaxAttempts  int           // SMTP attempts per message before it is failed; default 5
	RetryBase    time.Duration // first retry delay; default 5s, doubling, with jitter
	RetryMax     time.Duration // longest retry delay; default 5m
	BreakerAfter int           // consecutive failures that stop the run; default 10
	RetryFailed  bool          // make failed rows of earlier runs pending again

	// With a ledger that lets several senders share a campaign (LeaseClaimer):
	SenderID string        // this sender's owner id on the rows it claims; default NewSenderID()
	Lease    time.Duration // how long a claim lasts unless renewed; default DefaultLease

	UnsubscribeKey []byte      // HMAC key for unsubscribe tokens (REDLINE_UNSUBSCRIBE_KEY)
	DKIM           *DKIMConfig // optional

	Now      func() time.Time      // Date header and ledger times; leave nil (time.Now) outside tests
	Progress func(done, total int) // settled messages so far; total 0 when unknown (dry run)
	OnSkip   func(Skip)            // every skipped row, as it is read
	Logger   *slog.Logger          // default: discard
}

func (o *RunOptions) defaults() {
	if o.RecipientsName == "" {
		o.RecipientsName = "recipients.csv"
	}
	if o.SuppressName == "" {
		o.SuppressName = "suppress file"
	}
	if o.Connections <= 0 {
		o.Connections = 1
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 5
	}
	if o.RetryBase <= 0 {
		o.RetryBase = 5 * time.Second
	}
	if o.RetryMax < o.RetryBase {
		o.RetryMax = max(o.RetryBase, 5*time.Minute)
	}
	if o.BreakerAfter <= 0 {
		o.BreakerAfter = 10
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.SenderID == "" {
		o.SenderID = NewSenderID()
	}
	if o.Lease <= 0 {
		o.Lease = DefaultLease
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}

// Run executes a campaign: it streams the recipients, screens them, and
// either writes each message to the outbox (dry run) or records them in the
// ledger and delivers them over SMTP, resuming whatever an earlier run of the
// same campaign left undone. The Summary is valid even when err is not nil.
func Run(ctx context.Context, o RunOptions) (Summary, error) {
	o.defaults()
	sum := Summary{Campaign: o.Campaign.ID, DryRun: !o.Send}
	if o.Recipients == nil {
		return sum, errors.New("notify: no recipients file")
	}
	tpl, err := LoadTemplates(o.TemplatesDir)
	if err != nil {
		return sum, fmt.Errorf("notify: %w", err)
	}
	cp, err := newComposer(o.Campaign, tpl, o.UnsubscribeKey, o.DKIM)
	if err != nil {
		return sum, err
	}
	if !o.Send {
		err := dryRun(ctx, &o, cp, &sum)
		return sum, err
	}
	if o.Ledger == nil {
		return sum, errors.New("notify: sending needs a ledger")
	}
	if o.SMTP.HELO == "" {
		o.SMTP.HELO = cp.from.Address[strings.LastIndexByte(cp.from.Address, '@')+1:]
	}
	target, err := o.SMTP.parse() // before anything is recorded or dialled
	if err != nil {
		return sum, fmt.Errorf("notify: %w", err)
	}
	cfg, err := o.SMTP.client(target)
	if err != nil {
		return sum, fmt.Errorf("notify: %w", err)
	}
	_, shared := o.Ledger.(LeaseClaimer) // several senders share the campaign (lease.go): no lock
	if lk, ok := o.Ledger.(SendLocker); ok && !shared {
		unlock, err := lk.LockSending()
		if err != nil {
			return sum, fmt.Errorf("notify: %w", err)
		}
		defer unlock()
	}
	if err := prepare(ctx, &o, &sum); err != nil {
		return sum, err
	}
	deliverErr := deliver(ctx, &o, cp, cfg, target, &sum)

	// Record the outcome even when the run was interrupted.
	bg := context.WithoutCancel(ctx)
	if sum.Status, err = o.Ledger.Status(bg, o.Campaign.ID); err != nil {
		return sum, errors.Join(deliverErr, fmt.Errorf("notify: %w", err))
	}
	if deliverErr != nil {
		return sum, deliverErr
	}
	if sum.Status.Unreached() == 0 {
		if _, err := o.Ledger.Complete(bg, o.Campaign.ID); err != nil {
			return sum, fmt.Errorf("notify: %w", err)
		}
		sum.Status, err = o.Ledger.Status(bg, o.Campaign.ID)
		if err != nil {
			return sum, fmt.Errorf("notify: %w", err)
		}
		o.Logger.Info("campaign complete", "campaign", o.Campaign.ID, "announced", o.Campaign.Doc+" "+o.Campaign.Version)
	}
	return sum, nil
}

// prepare records the campaign and this run's recipients in the ledger.
// With several senders on one campaign, that is done once (see shared).
func prepare(ctx context.Context, o *RunOptions, sum *Summary) error {
	if sh, ok := o.Ledger.(IngestSharer); ok {
		return shared(ctx, o, sum, sh)
	}
	if err := load(ctx, o, sum); err != nil {
		return err
	}
	return queued(ctx, o, sum)
}

// load opens the campaign, requeues failures if asked and ingests the list.
func load(ctx context.Context, o *RunOptions, sum *Summary) error {
	c := o.Campaign
	op, err := o.Ledger.OpenCampaign(ctx, CampaignRecord{ID: c.ID, Doc: c.Doc, Version: c.Version, Hash: c.Hash, Base: c.Base, Covers: c.Covers})
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	if op.PreviousHash != "" {
		sum.HashChangedFrom = op.PreviousHash
		o.Logger.Warn("the announced version changed since the campaign started; people already told are not told again",
			"campaign", c.ID, "old_hash", op.PreviousHash, "new_hash", c.Hash)
	}
	if op.Superseded > 0 {
		sum.Superseded = op.Superseded
		o.Logger.Info("older campaign of the document closed: this message covers it", "campaign", c.ID, "rows", op.Superseded)
	}
	if o.RetryFailed {
		n, err := o.Ledger.Requeue(ctx, c.ID)
		if err != nil {
			return fmt.Errorf("notify: %w", err)
		}
		o.Logger.Info("failed recipients queued again", "count", n)
	}
	return ingest(ctx, o, sum)
}

// queued fills in the summary's counts of what is left to send.
func queued(ctx context.Context, o *RunOptions, sum *Summary) error {
	st, err := o.Ledger.Status(ctx, o.Campaign.ID)
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	sum.Queued = st.Outstanding()
	sum.AlreadySent = st.Counts[StateSent]
	sum.FailedEarlier = st.Counts[StateFailed]
	return nil
}
