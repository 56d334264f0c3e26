package notify

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
)

// sqliteSenderSchema is schema 4 on SQLite: the sender column, so both
// backends keep the same evidence; one SQLite ledger has one sender, and
// leaves it empty.
const sqliteSenderSchema = `ALTER TABLE deliveries ADD COLUMN sender TEXT NOT NULL DEFAULT '';`

// pgLeaseSchema is schema 4 on PostgreSQL, which lets several senders
// share a campaign: who holds each unsettled row and until when (on the
// database's clock), who made a row's last attempt (evidence: which sender
// sent it), and what the last load of each campaign's recipients was made
// from.
const pgLeaseSchema = `
ALTER TABLE deliveries ADD COLUMN lease_owner TEXT NOT NULL DEFAULT '';
ALTER TABLE deliveries ADD COLUMN lease_until TIMESTAMPTZ;
ALTER TABLE deliveries ADD COLUMN sender TEXT NOT NULL DEFAULT '';
CREATE TABLE campaign_loads (
	campaign  TEXT PRIMARY KEY,
	input_key TEXT NOT NULL,
	loads     INTEGER NOT NULL,
	loaded_at TIMESTAMPTZ NOT NULL
);
`

var (
	_ LeaseClaimer = (*PostgresLedger)(nil)
	_ IngestSharer = (*PostgresLedger)(nil)
)

// claimable is the condition on an unsettled row that owner ($2) may claim.
const claimable = `(lease_owner = '' OR (lease_owner <> $2 AND lease_until < now()))`

func ms(d time.Duration) int64 { return max(1, d.Milliseconds()) }

// pgClaimMarkSchema is schema 5 on PostgreSQL: how far into each
// campaign the senders have claimed, so a claim starts past the rows other
// senders hold instead of stepping over them (see ClaimLease).
const pgClaimMarkSchema = `
CREATE TABLE claim_marks (
	campaign TEXT PRIMARY KEY,
	after    BIGINT NOT NULL
);
`

// ClaimLease implements LeaseClaimer. One statement, so one transaction
// and one round trip.
//
// A claim after a row (after > 0) starts past the campaign's claim mark,
// the highest id any sender has claimed, and moves the mark: senders
// claiming in turn would otherwise each step over the rows the others
// hold, (senders-1) rows per row claimed. A claim from the start (after =
// 0: a sender's first, or leased.Claim's second look when the rows past
// the mark ran out) ignores the mark, so rows that came back (a lapsed or
// released lease, a requeue) are found. The claimed rows are updated by
// primary key (= ANY), never by a join the planner might make a scan of
// the whole table (see pgRecordManySQL).
func (l *PostgresLedger) ClaimLease(ctx context.Context, campaignID, owner string, after int64, ttl time.Duration, limit int) ([]Delivery, error) {
	rows, err := l.pool.Query(ctx, `WITH m (after) AS (
			SELECT CASE WHEN $5 = 0 THEN 0
				ELSE greatest($5, coalesce((SELECT after FROM claim_marks WHERE campaign = $1), 0)) END),
		c (claimed) AS (
			SELECT id FROM deliveries
			WHERE campaign = $1 AND state IN ('pending','sending') AND `+claimable+` AND id > (SELECT after FROM m)
			ORDER BY id LIMIT $3
			FOR UPDATE SKIP LOCKED),
		u AS (
			UPDATE deliveries SET lease_owner = $2, lease_until = now() + $4 * interval '1 millisecond'
			WHERE id = ANY (ARRAY(SELECT claimed FROM c)) RETURNING `+deliveryCols+`),
		k AS (
			INSERT INTO claim_marks (campaign, after) SELECT $1, max(id) FROM u HAVING count(*) > 0
			ON CONFLICT (campaign) DO UPDATE SET after = greatest(claim_marks.after, excluded.after))
		SELECT * FROM u`, campaignID, owner, limit, ms(ttl), after)
	if err != nil {
		return nil, fmt.Errorf("ledger: claim: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Delivery, error) { return scanDelivery(r) })
	if err != nil {
		return nil, fmt.Errorf("ledger: claim: %w", err)
	}
	slices.SortFunc(out, func(a, b Delivery) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// RenewLease implements LeaseClaimer. Rows the sender is recording at
// that moment are skipped, not waited for: waiting could deadlock with
// that transaction, and recording an attempt renews the row anyway.
func (l *PostgresLedger) RenewLease(ctx context.Context, campaignID, owner string, ttl time.Duration) (int, error) {
	return l.exec(ctx, "renew leases", `UPDATE deliveries SET lease_until = now() + $3 * interval '1 millisecond'
		WHERE id IN (SELECT id FROM deliveries WHERE campaign = $1 AND lease_owner = $2 AND state IN ('pending','sending')
			FOR UPDATE SKIP LOCKED)`, campaignID, owner, ms(ttl))
}

// ReleaseLease implements LeaseClaimer.
func (l *PostgresLedger) ReleaseLease(ctx context.Context, campaignID, owner string) (int, error) {
	return l.exec(ctx, "release leases", `UPDATE deliveries SET lease_owner = '', lease_until = NULL
		WHERE campaign = $1 AND lease_owner = $2 AND state IN ('pending','sending')`, campaignID, owner)
}

func (l *PostgresLedger) exec(ctx context.Context, what, sql string, args ...any) (int, error) {
	tag, err := l.pool.Exec(ctx, sql, args...)
	if err != nil {
		return 0, fmt.Errorf("ledger: %s: %w", what, err)
	}
	return int(tag.RowsAffected()), nil
}

// Leases implements LeaseClaimer.
func (l *PostgresLedger) Leases(ctx context.Context, campaignID, owner string) (LeaseCounts, error) {
	var n LeaseCounts
	err := l.pool.QueryRow(ctx, `SELECT
			count(*) FILTER (WHERE `+claimable+`),
			count(*) FILTER (WHERE lease_owner NOT IN ('', $2) AND lease_until >= now())
		FROM deliveries WHERE campaign = $1 AND state IN ('pending','sending')`,
		campaignID, owner).Scan(&n.Claimable, &n.HeldByOthers)
	if err != nil {
		return n, fmt.Errorf("ledger: leases: %w", err)
	}
	return n, nil
}

// LockIngest implements IngestSharer with a transaction-scoped advisory
// lock: it is held by an open transaction, so it ends with the transaction
// or with the sender's connection, kill -9 included. The load's marker is
// written in that transaction, so the next sender sees it as it gets the
// lock.
func (l *PostgresLedger) LockIngest(ctx context.Context, campaignID string) (IngestLock, error) {
	tx, err := l.pool.Begin(ctx)
	if err != nil {
		return IngestLock{}, fmt.Errorf("ledger: load lock: %w", err)
	}
	lk, err := l.lockIngest(ctx, tx, campaignID)
	if err != nil {
		_ = tx.Rollback(context.WithoutCancel(ctx))
		return IngestLock{}, fmt.Errorf("ledger: load lock: %w", err)
	}
	return lk, nil
}

func (l *PostgresLedger) lockIngest(ctx context.Context, tx pgx.Tx, campaignID string) (IngestLock, error) {
	lk := IngestLock{}
	name := "redline.load:" + campaignID
	var got bool
	if err := tx.QueryRow(ctx, `SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0))`, name).Scan(&got); err != nil {
		return lk, err
	}
	if !got {
		lk.Waited = true
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, name); err != nil {
			return lk, err
		}
	}
	err := tx.QueryRow(ctx, `SELECT input_key FROM campaign_loads WHERE campaign = $1`, campaignID).Scan(&lk.Key)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return lk, err
	}
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM deliveries WHERE campaign = $1
			AND state IN ('pending','sending') AND lease_owner <> '' AND lease_until >= clock_timestamp())`,
		campaignID).Scan(&lk.Live); err != nil {
		return lk, err
	}
	loaded := false
	lk.Loaded = func(ctx context.Context, key string) error {
		_, err := tx.Exec(ctx, `INSERT INTO campaign_loads (campaign, input_key, loads, loaded_at)
			VALUES ($1, $2, 1, clock_timestamp())
			ON CONFLICT (campaign) DO UPDATE SET input_key = excluded.input_key,
				loads = campaign_loads.loads + 1, loaded_at = excluded.loaded_at`, campaignID, key)
		loaded = err == nil
		return err
	}
	lk.Unlock = func() {
		bg := context.WithoutCancel(ctx)
		if loaded {
			_ = tx.Commit(bg)
			return
		}
		_ = tx.Rollback(bg)
	}
	return lk, nil
}

// pgLoads returns how many times the campaign's recipients were loaded
// (for tests: senders started together load them once).
func (l *PostgresLedger) loads(ctx context.Context, campaignID string) (int, error) {
	var n int
	err := l.tx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT loads FROM campaign_loads WHERE campaign = $1`, campaignID).Scan(&n)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		return err
	})
	return n, err
}

// senders returns how many rows of the campaign each sender sent.
func (l *PostgresLedger) senders(ctx context.Context, campaignID string) (map[string]int, error) {
	out := map[string]int{}
	err := l.tx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT sender, count(*) FROM deliveries WHERE campaign = $1 AND state = 'sent' GROUP BY sender`, campaignID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var s string
			var n int
			if err := rows.Scan(&s, &n); err != nil {
				return err
			}
			out[s] = n
		}
		return rows.Err()
	})
	return out, err
}
