package notify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// dryRun renders every message a send would deliver into o.OutboxDir as
// <message-id>.eml. It never dials SMTP and never writes to the ledger; it
// reads it (when given) to leave out who an earlier run already reached.
func dryRun(ctx context.Context, o *RunOptions, cp *composer, sum *Summary) error {
	if o.OutboxDir == "" {
		return errors.New("notify: a dry run needs an outbox directory")
	}
	if o.SMTP.URL != "" {
		if _, err := o.SMTP.parse(); err != nil {
			return fmt.Errorf("notify: %w", err)
		}
	}
	if err := os.MkdirAll(o.OutboxDir, 0o755); err != nil {
		return fmt.Errorf("notify: outbox: %w", err)
	}
	cv, err := newCoverage(ctx, o.Campaign, o.Ledger, func(r Recipient, ok bool) error {
		if !ok {
			sum.addSkip(Skip{File: o.RecipientsName, Line: r.Line, Email: r.Email, Reason: SkipKnows, Detail: "knew " + describe(r.Known)})
			return nil
		}
		if o.Ledger != nil {
			d, ok, err := o.Ledger.Lookup(ctx, o.Campaign.ID, r.Email)
			if err != nil {
				return fmt.Errorf("notify: %w", err)
			}
			switch {
			case ok && d.State == StateSent:
				sum.AlreadySent++
				return nil
			case ok && d.State == StateFailed && !o.RetryFailed:
				sum.FailedEarlier++
				return nil
			}
		}
		sum.Queued++
		if err := writeEML(cp, r, o.Now(), o.OutboxDir); err != nil {
			return err
		}
		sum.Written++
		if o.Progress != nil {
			o.Progress(sum.Written, 0)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := scan(ctx, o, sum, func(r Recipient) error { return cv.add(ctx, r) }, nil); err != nil {
		return err
	}
	if err := cv.flush(ctx); err != nil {
		return err
	}
	o.Logger.Info("dry run: messages written, nothing sent", "outbox", o.OutboxDir, "count", sum.Written)
	return nil
}

// writeEML writes one message atomically: a reader of the outbox never sees
// half a file.
func writeEML(cp *composer, r Recipient, now time.Time, dir string) error {
	m, id, err := cp.compose(r, now)
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	name := filepath.Join(dir, id[:strings.IndexByte(id, '@')]+".eml")
	f, err := os.CreateTemp(dir, ".tmp-*.eml")
	if err != nil {
		return fmt.Errorf("notify: outbox: %w", err)
	}
	_, werr := m.WriteTo(f)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("notify: outbox: %w", err)
	}
	if err := os.Rename(f.Name(), name); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("notify: outbox: %w", err)
	}
	return nil
}

// PreviewOptions select the message Preview renders.
type PreviewOptions struct {
	Campaign       Campaign
	TemplatesDir   string
	UnsubscribeKey []byte
	DKIM           *DKIMConfig
	Recipient      Recipient // default: a sample recipient
	Now            time.Time // default: time.Now()
	Part           string    // "text" (default) or "html": that part, decoded, after the main headers; "mime": the whole message as sent
}

// Preview renders the message one recipient would get to w: its main
// headers and its text part (or HTML part), decoded as a reader sees them,
// or, with Part "mime", the whole RFC 5322 message with both parts.
func Preview(w io.Writer, p PreviewOptions) error {
	tpl, err := LoadTemplates(p.TemplatesDir)
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	cp, err := newComposer(p.Campaign, tpl, p.UnsubscribeKey, p.DKIM)
	if err != nil {
		return err
	}
	if p.Recipient.Email == "" {
		p.Recipient = Recipient{Email: "alex@example.com", Name: "Alex Example"}
	}
	if p.Now.IsZero() {
		p.Now = time.Now()
	}
	m, id, err := cp.compose(p.Recipient, p.Now)
	if err != nil {
		return fmt.Errorf("notify: preview: %w", err)
	}
	if p.Part == "mime" {
		if _, err := m.WriteTo(w); err != nil {
			return fmt.Errorf("notify: preview: %w", err)
		}
		return nil
	}
	unsub := cp.unsubscribeURL(p.Recipient.Email)
	out, err := cp.render(p.Recipient, unsub, p.Now)
	if err != nil {
		return fmt.Errorf("notify: preview: %w", err)
	}
	lu := "<" + unsub + ">"
	if cp.mailto != "" {
		lu += ", <" + cp.mailto + ">"
	}
	to := (&mail.Address{Name: headerText(p.Recipient.Name), Address: p.Recipient.Email}).String()
	body := out.Text
	if p.Part == "html" {
		body = out.HTML
	}
	_, err = fmt.Fprintf(w, "From: %s\nTo: %s\nSubject: %s\nDate: %s\nMessage-ID: <%s>\nList-Unsubscribe: %s\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\n\n%s",
		cp.from, to, out.Subject, p.Now.Format(time.RFC1123Z), id, lu, body)
	if err != nil {
		return fmt.Errorf("notify: preview: %w", err)
	}
	return nil
}
