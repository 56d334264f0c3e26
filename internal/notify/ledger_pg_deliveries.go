package notify

import (
	"context"
	"errors"
	"fmt"
	"regexp"

	"github.com/jackc/pgx/v5"
)

// pgEnqueueSQL and pgRecordSQL are SQLite's statements (see there), which
// number their placeholders so that PostgreSQL can share them.
var (
	pgEnqueueSQL = pgSQL(enqueueSQL)
	pgRecordSQL  = pgSQL(recordSQL)
)

// pgSQL turns SQLite's numbered placeholders (?1) into PostgreSQL's ($1).
func pgSQL(q string) string { return placeholder.ReplaceAllString(q, "$$$1") }

var placeholder = regexp.MustCompile(`\?([0-9]+)`)

// Enqueue implements Ledger: one batch, one round trip, one transaction.
func (l *PostgresLedger) Enqueue(ctx context.Context, campaignID string, run int64, entries []Entry) error {
	now := stamp(l.now())
	err := l.tx(ctx, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		for _, e := range entries {
			if e.State != StatePending && e.State != StateSkipped {
				return fmt.Errorf("enqueue %s: state %q", e.Email, e.State)
			}
			b.Queue(pgEnqueueSQL, campaignID, e.Email, addressKey(e.Email), e.Name, e.Locale, e.Known,
				e.Line, run, string(e.State), e.Reason, now)
		}
		b.Queue(pgReopenSQL, campaignID)
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return fmt.Errorf("ledger: enqueue: %w", err)
	}
	return nil
}

// pgReopenSQL clears the completion of a campaign that has work again.
const pgReopenSQL = `UPDATE campaigns SET completed_at = '' WHERE id = $1 AND completed_at <> ''
	AND EXISTS (SELECT 1 FROM deliveries WHERE campaign = $1 AND state IN ('pending','sending'))`

// Retire implements Ledger.
func (l *PostgresLedger) Retire(ctx context.Context, campaignID string, run int64) (int, error) {
	tag, err := l.pool.Exec(ctx,
		`UPDATE deliveries SET state = 'skipped', reason = $1, updated_at = $2
		 WHERE campaign = $3 AND run <> $4 AND state IN ('pending','sending')`,
		string(SkipNotListed), stamp(l.now()), campaignID, run)
	if err != nil {
		return 0, fmt.Errorf("ledger: retire: %w", err)
	}
	return int(tag.RowsAffected()), nil
}

// Requeue implements Ledger.
func (l *PostgresLedger) Requeue(ctx context.Context, campaignID string) (int, error) {
	var n int64
	err := l.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx,
			`UPDATE deliveries SET state = 'pending', attempts = 0, updated_at = $1 WHERE campaign = $2 AND state = 'failed'`,
			stamp(l.now()), campaignID)
		if err != nil {
			return err
		}
		n = tag.RowsAffected()
		_, err = tx.Exec(ctx, pgReopenSQL, campaignID)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("ledger: requeue: %w", err)
	}
	return int(n), nil
}

// Told implements Ledger.
func (l *PostgresLedger) Told(ctx context.Context, doc, except string, emails []string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(emails) == 0 {
		return out, nil
	}
	keys := make([]string, len(emails))
	for i, e := range emails {
		keys[i] = addressKey(e)
	}
	err := l.each(ctx, `SELECT d.email_key, c.version FROM campaigns c
		JOIN deliveries d ON d.campaign = c.id
		WHERE c.doc = $1 AND c.id <> $2 AND d.state = 'sent' AND d.email_key = ANY($3)
		ORDER BY c.created_at, c.seq`, []any{doc, except, keys}, func(r pgx.Rows) error {
		var k, v string
		if err := r.Scan(&k, &v); err != nil {
			return fmt.Errorf("ledger: told: %w", err)
		}
		out[k] = append(out[k], v)
		return nil
	})
	return out, err
}

// deliveries calls fn for each row of a query selecting deliveryCols.
func (l *PostgresLedger) deliveries(ctx context.Context, q string, args []any, fn func(Delivery) error) error {
	return l.each(ctx, `SELECT `+deliveryCols+` FROM deliveries `+q, args, func(r pgx.Rows) error {
		d, err := scanDelivery(r)
		if err != nil {
			return fmt.Errorf("ledger: %w", err)
		}
		return fn(d)
	})
}

// Claim implements Ledger.
func (l *PostgresLedger) Claim(ctx context.Context, campaignID string, after int64, limit int) ([]Delivery, error) {
	var out []Delivery
	err := l.deliveries(ctx, `WHERE campaign = $1 AND state IN ('pending','sending') AND id > $2 ORDER BY id LIMIT $3`,
		[]any{campaignID, after, limit}, func(d Delivery) error { out = append(out, d); return nil })
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Lookup implements Ledger.
func (l *PostgresLedger) Lookup(ctx context.Context, campaignID, email string) (Delivery, bool, error) {
	d, err := scanDelivery(l.pool.QueryRow(ctx, `SELECT `+deliveryCols+` FROM deliveries
		WHERE campaign = $1 AND email_key = $2`, campaignID, addressKey(email)))
	if errors.Is(err, pgx.ErrNoRows) {
		return Delivery{}, false, nil
	}
	if err != nil {
		return Delivery{}, false, fmt.Errorf("ledger: lookup: %w", err)
	}
	return d, true, nil
}

// Evidence implements Ledger.
func (l *PostgresLedger) Evidence(ctx context.Context, campaignID string, fn func(Delivery) error) error {
	return l.deliveries(ctx, `WHERE campaign = $1 ORDER BY id`, []any{campaignID}, fn)
}
