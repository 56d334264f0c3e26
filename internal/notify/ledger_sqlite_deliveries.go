package notify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// mayChange is when a re-ingested row takes the state the screen gives it:
// rows not yet in flight, and in-flight ones of people who unsubscribed since.
const mayChange = `(deliveries.state IN ('pending','skipped') OR (deliveries.state = 'sending' AND excluded.state = 'skipped'))`

// enqueueConflict is what a re-ingested row does to the one already there.
const enqueueConflict = `
ON CONFLICT (campaign, email_key) DO UPDATE SET
	run = excluded.run,
	line = excluded.line,
	name = CASE WHEN ` + mayChange + ` THEN excluded.name ELSE deliveries.name END,
	locale = CASE WHEN ` + mayChange + ` THEN excluded.locale ELSE deliveries.locale END,
	known = CASE WHEN ` + mayChange + ` THEN excluded.known ELSE deliveries.known END,
	reason = CASE WHEN ` + mayChange + ` AND (deliveries.state <> excluded.state OR excluded.state = 'skipped')
		THEN excluded.reason ELSE deliveries.reason END,
	state = CASE WHEN ` + mayChange + ` THEN excluded.state ELSE deliveries.state END,
	updated_at = CASE WHEN ` + mayChange + ` AND deliveries.state <> excluded.state
		THEN excluded.updated_at ELSE deliveries.updated_at END`

const enqueueSQL = `
INSERT INTO deliveries (campaign, email, email_key, name, locale, known, line, run, state, reason, version_hash, updated_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, (SELECT hash FROM campaigns WHERE id = ?1), ?11)` + enqueueConflict

// enqueueRows is the most rows one multi-row INSERT carries.
const enqueueRows = 64

// enqueueManySQL inserts n rows in one statement, as enqueueSQL does one
// by one (an upsert applies the rows of its VALUES in order). Each row has
// 12 values: campaign, email, email_key, name, locale, known, line, run,
// state, reason, version_hash, updated_at.
func enqueueManySQL(n int) string {
	return `INSERT INTO deliveries (campaign, email, email_key, name, locale, known, line, run, state, reason, version_hash, updated_at)
	VALUES ` + placeholderRows(n, 12) + enqueueConflict
}

// Enqueue implements Ledger, with multi-row statements: one statement per
// row costs most of the ingest's time in per-statement work.
func (l *SQLiteLedger) Enqueue(ctx context.Context, campaignID string, run int64, entries []Entry) error {
	now := stamp(l.now())
	for _, e := range entries {
		if e.State != StatePending && e.State != StateSkipped {
			return fmt.Errorf("ledger: enqueue: enqueue %s: state %q", e.Email, e.State)
		}
	}
	err := l.tx(ctx, func(tx *sql.Tx) error {
		var hash any // NULL when there is no such campaign: the insert fails
		var h string
		switch err := tx.QueryRowContext(ctx, `SELECT hash FROM campaigns WHERE id = ?`, campaignID).Scan(&h); {
		case err == nil:
			hash = h
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		args := make([]any, 0, 12*min(len(entries), enqueueRows))
		for len(entries) > 0 {
			chunk := entries[:min(len(entries), enqueueRows)]
			entries = entries[len(chunk):]
			st, err := l.enqueueMany.get(ctx, l.db, len(chunk))
			if err != nil {
				return err
			}
			args = args[:0]
			for _, e := range chunk {
				args = append(args, campaignID, e.Email, addressKey(e.Email), e.Name, e.Locale, e.Known,
					e.Line, run, string(e.State), e.Reason, hash, now)
			}
			if _, err := tx.StmtContext(ctx, st).ExecContext(ctx, args...); err != nil {
				return err
			}
		}
		return reopen(ctx, tx, campaignID)
	})
	if err != nil {
		return fmt.Errorf("ledger: enqueue: %w", err)
	}
	return nil
}

// reopen clears the completion of a campaign that has work again (people
// added to the list, failures queued again).
func reopen(ctx context.Context, tx *sql.Tx, campaignID string) error {
	_, err := tx.ExecContext(ctx, `UPDATE campaigns SET completed_at = '' WHERE id = ? AND completed_at <> ''
		AND EXISTS (SELECT 1 FROM deliveries WHERE campaign = ? AND state IN ('pending','sending'))`, campaignID, campaignID)
	return err
}

// Retire implements Ledger.
func (l *SQLiteLedger) Retire(ctx context.Context, campaignID string, run int64) (int, error) {
	res, err := l.db.ExecContext(ctx,
		`UPDATE deliveries SET state = 'skipped', reason = ?, updated_at = ?
		 WHERE campaign = ? AND run <> ? AND state IN ('pending','sending')`,
		string(SkipNotListed), stamp(l.now()), campaignID, run)
	if err != nil {
		return 0, fmt.Errorf("ledger: retire: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// Requeue implements Ledger.
func (l *SQLiteLedger) Requeue(ctx context.Context, campaignID string) (int, error) {
	var n int64
	err := l.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx,
			`UPDATE deliveries SET state = 'pending', attempts = 0, updated_at = ? WHERE campaign = ? AND state = 'failed'`,
			stamp(l.now()), campaignID)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return reopen(ctx, tx, campaignID)
	})
	if err != nil {
		return 0, fmt.Errorf("ledger: requeue: %w", err)
	}
	return int(n), nil
}

// Told implements Ledger.
func (l *SQLiteLedger) Told(ctx context.Context, doc, except string, emails []string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(emails) == 0 {
		return out, nil
	}
	args := make([]any, 0, len(emails)+2)
	args = append(args, doc, except)
	for _, e := range emails {
		args = append(args, addressKey(e))
	}
	rows, err := l.db.QueryContext(ctx, `SELECT d.email_key, c.version FROM campaigns c
		JOIN deliveries d ON d.campaign = c.id
		WHERE c.doc = ? AND c.id <> ? AND d.state = 'sent' AND d.email_key IN (?`+strings.Repeat(",?", len(emails)-1)+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("ledger: told: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, fmt.Errorf("ledger: told: %w", err)
		}
		out[k] = append(out[k], v)
	}
	return out, rows.Err()
}

const deliveryCols = `id, campaign, email, name, locale, known, line, state, reason, attempts, uncertain,
	reply, message_id, version_hash, updated_at, sent_at`

func scanDelivery(sc interface{ Scan(...any) error }) (Delivery, error) {
	var d Delivery
	var state, updated, sent string
	err := sc.Scan(&d.ID, &d.Campaign, &d.Email, &d.Name, &d.Locale, &d.Known, &d.Line, &state, &d.Reason,
		&d.Attempts, &d.Uncertain, &d.Reply, &d.MessageID, &d.VersionHash, &updated, &sent)
	d.State, d.Updated, d.Sent = State(state), parseStamp(updated), parseStamp(sent)
	return d, err
}

// Claim implements Ledger.
func (l *SQLiteLedger) Claim(ctx context.Context, campaignID string, after int64, limit int) ([]Delivery, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT `+deliveryCols+` FROM deliveries
		WHERE campaign = ? AND state IN ('pending','sending') AND id > ? ORDER BY id LIMIT ?`,
		campaignID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("ledger: claim: %w", err)
	}
	defer rows.Close()
	var out []Delivery
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, fmt.Errorf("ledger: claim: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

const recordSQL = `UPDATE deliveries SET
	state = ?1,
	reason = ?2,
	reply = CASE WHEN ?3 = '' THEN reply ELSE ?3 END,
	message_id = CASE WHEN ?4 = '' THEN message_id ELSE ?4 END,
	attempts = attempts + ?5,
	uncertain = uncertain + ?6,
	updated_at = ?7,
	sent_at = CASE WHEN ?1 = 'sent' THEN ?7 ELSE sent_at END,
	version_hash = CASE WHEN ?1 = 'sending' THEN ` + campaignHash + ` ELSE version_hash END
	WHERE id = ?8`

// Record implements Ledger. A batch of distinct deliveries is applied with
// multi-row statements; one naming a delivery twice, or one with a
// delivery that is not found (to name it in the error), one at a time.
func (l *SQLiteLedger) Record(ctx context.Context, updates []Update) error {
	if len(updates) > 1 && distinctIDs(updates) {
		err := l.tx(ctx, func(tx *sql.Tx) error {
			ok, err := l.recordBatch(ctx, tx, updates)
			if err == nil && !ok {
				err = errOneByOne
			}
			return err
		})
		if err == nil {
			return nil
		}
		if !errors.Is(err, errOneByOne) {
			return fmt.Errorf("ledger: record: %w", err)
		}
	}
	err := l.tx(ctx, func(tx *sql.Tx) error {
		st := tx.StmtContext(ctx, l.record)
		defer st.Close()
		for _, u := range updates {
			at := u.At
			if at.IsZero() {
				at = l.now()
			}
			res, err := st.ExecContext(ctx, string(u.State), u.Reason, u.Reply, u.MessageID,
				b2i(u.Attempt), b2i(u.Attempt && u.Uncertain), stamp(at), u.ID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return fmt.Errorf("delivery %d not found", u.ID)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("ledger: record: %w", err)
	}
	return nil
}

// Lookup implements Ledger.
func (l *SQLiteLedger) Lookup(ctx context.Context, campaignID, email string) (Delivery, bool, error) {
	d, err := scanDelivery(l.db.QueryRowContext(ctx, `SELECT `+deliveryCols+` FROM deliveries
		WHERE campaign = ? AND email_key = ?`, campaignID, addressKey(email)))
	if errors.Is(err, sql.ErrNoRows) {
		return Delivery{}, false, nil
	}
	if err != nil {
		return Delivery{}, false, fmt.Errorf("ledger: lookup: %w", err)
	}
	return d, true, nil
}

// Evidence implements Ledger.
func (l *SQLiteLedger) Evidence(ctx context.Context, campaignID string, fn func(Delivery) error) error {
	rows, err := l.db.QueryContext(ctx, `SELECT `+deliveryCols+` FROM deliveries WHERE campaign = ? ORDER BY id`, campaignID)
	if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return fmt.Errorf("ledger: %w", err)
		}
		if err := fn(d); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Complete implements Ledger.
func (l *SQLiteLedger) Complete(ctx context.Context, campaignID string) (bool, error) {
	done := false
	now := stamp(l.now())
	err := l.tx(ctx, func(tx *sql.Tx) error {
		var open int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM deliveries
			WHERE campaign = ? AND state IN ('pending','sending','failed')`, campaignID).Scan(&open); err != nil {
			return err
		}
		if open > 0 {
			return nil
		}
		res, err := tx.ExecContext(ctx, `UPDATE campaigns SET completed_at = ? WHERE id = ? AND completed_at = ''`, now, campaignID)
		if err != nil {
			return err
		}
		done = true
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // already complete (or unknown: Status tells)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO announcements (doc, version, hash, campaign, announced_at)
			SELECT doc, version, hash, id, ? FROM campaigns WHERE id = ? ON CONFLICT DO NOTHING`, now, campaignID)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("ledger: complete %s: %w", campaignID, err)
	}
	return done, nil
}

// Status implements Ledger.
func (l *SQLiteLedger) Status(ctx context.Context, campaignID string) (Status, error) {
	var s Status
	var covers, created, completed string
	err := l.db.QueryRowContext(ctx, `SELECT id, doc, version, hash, base, covers, created_at, completed_at
		FROM campaigns WHERE id = ?`, campaignID).Scan(&s.ID, &s.Doc, &s.Version, &s.Hash, &s.Base, &covers, &created, &completed)
	if errors.Is(err, sql.ErrNoRows) {
		return s, fmt.Errorf("%s: %w", campaignID, ErrNoCampaign)
	}
	if err != nil {
		return s, fmt.Errorf("ledger: status: %w", err)
	}
	s.Covers = strings.Fields(covers)
	s.Created, s.Completed = parseStamp(created), parseStamp(completed)
	s.Counts = map[State]int{}
	rows, err := l.db.QueryContext(ctx, `SELECT state, count(*) FROM deliveries WHERE campaign = ? GROUP BY state`, campaignID)
	if err != nil {
		return s, fmt.Errorf("ledger: status: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return s, fmt.Errorf("ledger: status: %w", err)
		}
		s.Counts[State(st)] = n
	}
	if err := rows.Err(); err != nil {
		return s, fmt.Errorf("ledger: status: %w", err)
	}
	hs, err := l.db.QueryContext(ctx, `SELECT hash, from_at FROM campaign_hashes WHERE campaign = ? ORDER BY rowid`, campaignID)
	if err != nil {
		return s, fmt.Errorf("ledger: status: %w", err)
	}
	defer hs.Close()
	for hs.Next() {
		var h HashChange
		var from string
		if err := hs.Scan(&h.Hash, &from); err != nil {
			return s, fmt.Errorf("ledger: status: %w", err)
		}
		h.From = parseStamp(from)
		s.Hashes = append(s.Hashes, h)
	}
	return s, hs.Err()
}

// Campaigns implements Ledger.
func (l *SQLiteLedger) Campaigns(ctx context.Context) ([]Status, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT id FROM campaigns ORDER BY created_at DESC, id`)
	if err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("ledger: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	return statuses(ctx, l, ids)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// statuses returns the Status of each campaign of ids, in order.
func statuses(ctx context.Context, l Ledger, ids []string) ([]Status, error) {
	out := make([]Status, 0, len(ids))
	for _, id := range ids {
		s, err := l.Status(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}
