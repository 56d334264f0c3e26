package notify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// pgRecordManySQL applies a whole commit's updates in one statement, so
// one round trip and one transaction whatever their number: the rows come
// as arrays, one per column ($1 … $9: id, state, reason, reply,
// message_id, attempts to add, uncertain to add, time, fenced), and the
// columns are set as recordSQL sets them. A fenced update (an attempt
// under a lease) applies only to a row owner ($10) holds that is still
// pending or sending; it records the owner as the row's sender and renews
// the lease for $11 ms. The statement returns how many fenced updates
// applied, and fails (division by zero, which undoes it all) when an
// unfenced one found no row: fewer than $12 of them applied.
//
// Per statement, PostgreSQL's fixed work (parse, plan, executor start,
// snapshot) is done once per commit instead of once per row. The
// redundant d.id = ANY ($1) makes the rows be found by primary key
// whatever the planner believes of the table's size: the plan is made once
// per connection (generic), maybe while the table is still small, and a
// hash join over the whole table would then be kept for every commit.
const pgRecordManySQL = `WITH v AS (
	SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::text[], $9::bool[])
		AS v (id, state, reason, reply, message_id, attempts, uncertain, at, fenced)
), u AS (
	UPDATE deliveries d SET
	state = v.state,
	reason = v.reason,
	reply = CASE WHEN v.reply = '' THEN d.reply ELSE v.reply END,
	message_id = CASE WHEN v.message_id = '' THEN d.message_id ELSE v.message_id END,
	attempts = d.attempts + v.attempts,
	uncertain = d.uncertain + v.uncertain,
	updated_at = v.at,
	sent_at = CASE WHEN v.state = 'sent' THEN v.at ELSE d.sent_at END,
	version_hash = CASE WHEN v.state = 'sending' THEN (SELECT hash FROM campaigns WHERE id = d.campaign) ELSE d.version_hash END,
	sender = CASE WHEN v.fenced THEN $10::text ELSE d.sender END,
	lease_until = CASE WHEN v.fenced THEN now() + $11 * interval '1 millisecond' ELSE d.lease_until END
	FROM v
	WHERE d.id = v.id AND d.id = ANY ($1::bigint[])
		AND (NOT v.fenced OR (d.lease_owner = $10::text AND d.state IN ('pending','sending')))
	RETURNING v.fenced
)
SELECT count(*) FILTER (WHERE fenced), 1 / (count(*) FILTER (WHERE NOT fenced) = $12)::int FROM u`

// RecordLeased implements LeaseClaimer: one statement (pgRecordManySQL),
// so one round trip and one transaction per commit.
func (l *PostgresLedger) RecordLeased(ctx context.Context, owner string, ttl time.Duration, updates []Update) error {
	lost, err := l.record(ctx, owner, ttl, updates)
	if err != nil {
		return fmt.Errorf("ledger: record: %w", err)
	}
	if lost > 0 {
		return fmt.Errorf("ledger: %w (%d messages not sent by this sender)", ErrLeaseLost, lost)
	}
	return nil
}

// Record implements Ledger: one statement, as RecordLeased without leases.
func (l *PostgresLedger) Record(ctx context.Context, updates []Update) error {
	if _, err := l.record(ctx, "", 0, updates); err != nil {
		return fmt.Errorf("ledger: record: %w", err)
	}
	return nil
}

// record applies updates, all or none, the attempts among them fenced by
// owner's leases when owner is set, and returns how many of those were
// refused. A batch naming a delivery twice (one UPDATE … FROM applies only
// one of them), or one with a delivery that is not found (to name it in
// the error), is applied one update at a time.
func (l *PostgresLedger) record(ctx context.Context, owner string, ttl time.Duration, updates []Update) (lost int, err error) {
	if len(updates) == 0 {
		return 0, nil
	}
	if !distinctIDs(updates) {
		return l.recordOneByOne(ctx, owner, ttl, updates)
	}
	n := len(updates)
	var (
		ids                                 = make([]int64, n)
		states, reasons, replies, mids, ats = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		attempts, uncertain                 = make([]int32, n), make([]int32, n)
		fenced                              = make([]bool, n)
		wantFenced, wantPlain               int
	)
	for i, u := range updates {
		ids[i], states[i], reasons[i], replies[i], mids[i] = u.ID, string(u.State), u.Reason, u.Reply, u.MessageID
		attempts[i], uncertain[i] = int32(b2i(u.Attempt)), int32(b2i(u.Attempt && u.Uncertain))
		ats[i] = stamp(l.at(u))
		fenced[i] = owner != "" && u.Attempt
		if fenced[i] {
			wantFenced++
		} else {
			wantPlain++
		}
	}
	var held int
	var one *int32
	err = l.pool.QueryRow(ctx, pgRecordManySQL, ids, states, reasons, replies, mids, attempts, uncertain, ats, fenced,
		owner, ms(ttl), wantPlain).Scan(&held, &one)
	if pe := (*pgconn.PgError)(nil); errors.As(err, &pe) && pe.Code == "22012" {
		return l.recordOneByOne(ctx, owner, ttl, updates)
	}
	if err != nil {
		return 0, err
	}
	return wantFenced - held, nil
}

// at is when u happened: its own time, or now.
func (l *PostgresLedger) at(u Update) time.Time {
	if u.At.IsZero() {
		return l.now()
	}
	return u.At
}

// recordOneByOne is record with one statement per update, all in one
// batch (BEGIN, the updates, COMMIT: one round trip). An update of a row
// that does not exist fails it (division by zero), so all or none are
// durable, and the error names that row.
func (l *PostgresLedger) recordOneByOne(ctx context.Context, owner string, ttl time.Duration, updates []Update) (lost int, err error) {
	b := &pgx.Batch{}
	b.Queue("BEGIN")
	for _, u := range updates {
		args := l.recordArgs(u)
		if owner != "" && u.Attempt {
			b.Queue(`WITH u AS (`+pgAttemptSQL+` RETURNING 1) SELECT count(*) FROM u`, append(args, owner, ms(ttl))...)
		} else {
			b.Queue(`WITH u AS (`+pgRecordSQL+` RETURNING 1) SELECT 1 / count(*) FROM u`, args...)
		}
	}
	b.Queue("COMMIT")
	br := l.pool.SendBatch(ctx, b)
	err = func() error {
		if _, err := br.Exec(); err != nil {
			return err
		}
		for _, u := range updates {
			var n int
			if err := br.QueryRow().Scan(&n); err != nil {
				if pe := (*pgconn.PgError)(nil); errors.As(err, &pe) && pe.Code == "22012" {
					return fmt.Errorf("delivery %d not found", u.ID)
				}
				return err
			}
			if n == 0 {
				lost++ // an attempt on a row this sender no longer holds
			}
		}
		_, err := br.Exec()
		return err
	}()
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, err
	}
	return lost, nil
}

// pgAttemptSQL is pgRecordSQL for an attempt under a lease: it applies only
// to a row the owner ($9) holds that is still unsettled, records the owner
// as its sender and renews the lease for $10 ms.
var pgAttemptSQL = strings.Replace(pgRecordSQL, "\n\tWHERE id = $8", `,
	sender = $9::text,
	lease_until = now() + $10 * interval '1 millisecond'
	WHERE id = $8 AND lease_owner = $9::text AND state IN ('pending','sending')`, 1)

func init() {
	if !strings.Contains(pgAttemptSQL, "lease_owner") {
		panic("notify: pgRecordSQL no longer ends with WHERE id = $8: update pgAttemptSQL")
	}
}

// recordArgs are the arguments of pgRecordSQL for u.
func (l *PostgresLedger) recordArgs(u Update) []any {
	return []any{string(u.State), u.Reason, u.Reply, u.MessageID, b2i(u.Attempt), b2i(u.Attempt && u.Uncertain), stamp(l.at(u)), u.ID}
}
