package notify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// PostgresLedger is the Ledger in a PostgreSQL database, for when the
// ledger must outlive the machine that sends (CI) or several senders share
// it. Each commit is durable when it returns (synchronous_commit as the
// server has it). Times are stored as the same UTC text as in SQLite.
type PostgresLedger struct {
	pool  *pgxpool.Pool
	shown string // the URL without its password, for messages
	now   func() time.Time
}

var _ Ledger = (*PostgresLedger)(nil)

// schemaLockKey is the pg_advisory_xact_lock key that serialises schema
// migrations: several senders may start together on a fresh database.
const schemaLockKey = 0x7265646c696e65 // "redline"

// OpenPostgres connects to the ledger at url (postgres://user@host/db),
// creating or upgrading its tables. The password comes from the URL or the
// PG* environment variables (PGPASSWORD, PGPASSFILE, …) and never appears
// in an error.
func OpenPostgres(ctx context.Context, url string) (*PostgresLedger, error) {
	pu, err := parsePostgresURL(url)
	if err != nil {
		return nil, err
	}
	fail := func(err error) error { return fmt.Errorf("ledger %s: %w", pu.shown, pu.scrub(err)) }
	cfg, err := pgxpool.ParseConfig(pu.raw)
	if err != nil {
		return nil, fail(errors.New("the URL's settings did not parse; " + pgCredentialsHint))
	}
	if !strings.Contains(pu.raw, "pool_max_conns") {
		// One connection is held by the send lock for a whole run; the
		// claimer, the committer and ingest each need one besides.
		cfg.MaxConns = max(cfg.MaxConns, 8)
	}
	if _, set := cfg.ConnConfig.RuntimeParams["plan_cache_mode"]; !set {
		// The statements are prepared once per connection (pgx's cache);
		// left to choose, PostgreSQL plans the commit's multi-row update
		// anew on every call (the arrays' length changes its estimate),
		// which costs more than running it. One plan serves every call.
		cfg.ConnConfig.RuntimeParams["plan_cache_mode"] = "force_generic_plan"
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fail(err)
	}
	l := &PostgresLedger{pool: pool, shown: pu.shown, now: time.Now}
	if err := l.migrate(ctx); err != nil {
		pool.Close()
		return nil, fail(err)
	}
	return l, nil
}

// migrate applies the schema migrations this database lacks, in one
// transaction under an advisory lock, so that concurrent first uses wait
// for one another and find the work done.
func (l *PostgresLedger) migrate(ctx context.Context) error {
	var v int
	if err := l.pool.QueryRow(ctx, "SELECT version FROM schema_version").Scan(&v); err == nil && v == schemaVersion {
		return nil // the usual case: nothing to write
	}
	return pgx.BeginFunc(ctx, l.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(schemaLockKey)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"); err != nil {
			return err
		}
		v := 0
		err := tx.QueryRow(ctx, "SELECT version FROM schema_version").Scan(&v)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		steps, err := pending(pgMigrations, v)
		if err != nil || len(steps) == 0 {
			return err
		}
		for _, m := range steps {
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return fmt.Errorf("schema %d: %w", m.version, err)
			}
		}
		if _, err := tx.Exec(ctx, "DELETE FROM schema_version"); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, "INSERT INTO schema_version (version) VALUES ($1)", schemaVersion)
		return err
	})
}

// Close closes the connections.
func (l *PostgresLedger) Close() error {
	l.pool.Close()
	return nil
}

// String is where the ledger is, without the password.
func (l *PostgresLedger) String() string { return l.shown }

func (l *PostgresLedger) tx(ctx context.Context, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, l.pool, fn)
}

// LockSending holds a session advisory lock, as the SQLite ledger's file
// lock does. Senders do not take it on PostgreSQL (they share a campaign
// through leases, see lease.go); notify migrate does, so two copies into
// one database never interleave. The server drops the lock when the
// connection ends, so a killed process holds nothing.
func (l *PostgresLedger) LockSending() (unlock func(), err error) {
	ctx := context.Background()
	conn, err := l.pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	var ok bool
	if err := conn.QueryRow(ctx, "SELECT pg_try_advisory_lock($1)", int64(schemaLockKey+1)).Scan(&ok); err != nil {
		conn.Release()
		return nil, fmt.Errorf("ledger: lock: %w", err)
	}
	if !ok {
		conn.Release()
		return nil, fmt.Errorf("ledger: %s: another redline notify is sending with this ledger; wait for it or stop it", l.shown)
	}
	return func() {
		_, _ = conn.Exec(ctx, "SELECT pg_advisory_unlock($1)", int64(schemaLockKey+1))
		conn.Release()
	}, nil
}

var _ SendLocker = (*PostgresLedger)(nil)

// Announced implements Announcements.
func (l *PostgresLedger) Announced(ctx context.Context, doc string) (string, bool, error) {
	var v string
	err := l.pool.QueryRow(ctx, "SELECT version FROM announcements WHERE doc = $1 ORDER BY seq DESC LIMIT 1", doc).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("ledger: %w", err)
	}
	return v, true, nil
}

// Suppress implements Suppressor. The first suppression of an address is kept.
func (l *PostgresLedger) Suppress(ctx context.Context, email, source string) error {
	_, err := l.pool.Exec(ctx,
		"INSERT INTO suppressions (email_key, email, source, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
		addressKey(email), email, source, stamp(l.now()))
	if err != nil {
		return fmt.Errorf("ledger: suppress: %w", err)
	}
	return nil
}

// Suppressions implements Ledger.
func (l *PostgresLedger) Suppressions(ctx context.Context, fn func(string) error) error {
	return l.each(ctx, "SELECT email FROM suppressions ORDER BY seq", nil, func(r pgx.Rows) error {
		var e string
		if err := r.Scan(&e); err != nil {
			return err
		}
		return fn(e)
	})
}

// each calls fn for every row of the query.
func (l *PostgresLedger) each(ctx context.Context, q string, args []any, fn func(pgx.Rows) error) error {
	rows, err := l.pool.Query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	return nil
}

// OpenCampaign implements Ledger. Campaigns of one document open one at a
// time (an advisory lock on the document), so senders starting together
// create a campaign once and supersede older ones once.
func (l *PostgresLedger) OpenCampaign(ctx context.Context, c CampaignRecord) (Opened, error) {
	out := Opened{CampaignRecord: c}
	now := stamp(l.now())
	err := l.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtext('redline campaign ' || $1::text))", c.Doc); err != nil {
			return err
		}
		var base, hash string
		err := tx.QueryRow(ctx, `SELECT base, hash FROM campaigns WHERE id = $1`, c.ID).Scan(&base, &hash)
		switch {
		case err == nil:
			out.Base = base
			if hash == c.Hash {
				out.Hash = hash
				return nil
			}
			out.PreviousHash = hash
			if _, err := tx.Exec(ctx, `UPDATE campaigns SET hash = $1 WHERE id = $2`, c.Hash, c.ID); err != nil {
				return err
			}
			_, err = tx.Exec(ctx, `INSERT INTO campaign_hashes (campaign, hash, from_at) VALUES ($1, $2, $3)`, c.ID, c.Hash, now)
			return err
		case !errors.Is(err, pgx.ErrNoRows):
			return err
		}
		if _, err := tx.Exec(ctx,
			`INSERT INTO campaigns (id, doc, version, hash, base, covers, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			c.ID, c.Doc, c.Version, c.Hash, c.Base, strings.Join(c.Covers, " "), now); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO campaign_hashes (campaign, hash, from_at) VALUES ($1, $2, $3)`, c.ID, c.Hash, now); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE deliveries SET state = 'skipped', reason = $1, updated_at = $2
			WHERE state IN ('pending','sending','failed') AND campaign IN
				(SELECT id FROM campaigns WHERE doc = $3 AND id <> $4 AND completed_at = '')`,
			string(SkipSuperseded)+" "+c.ID, now, c.Doc, c.ID)
		if err != nil {
			return err
		}
		out.Superseded = int(tag.RowsAffected())
		_, err = tx.Exec(ctx, `UPDATE campaigns SET completed_at = $1 WHERE doc = $2 AND id <> $3 AND completed_at = ''`, now, c.Doc, c.ID)
		return err
	})
	if err != nil {
		return Opened{}, fmt.Errorf("ledger: campaign %s: %w", c.ID, err)
	}
	return out, nil
}

// DocCampaigns implements Announcements.
func (l *PostgresLedger) DocCampaigns(ctx context.Context, doc string) ([]CampaignRecord, error) {
	var out []CampaignRecord
	err := l.each(ctx, `SELECT id, doc, version, hash, base, covers FROM campaigns WHERE doc = $1 ORDER BY created_at, seq`,
		[]any{doc}, func(r pgx.Rows) error {
			var c CampaignRecord
			var covers string
			if err := r.Scan(&c.ID, &c.Doc, &c.Version, &c.Hash, &c.Base, &covers); err != nil {
				return fmt.Errorf("ledger: %w", err)
			}
			c.Covers = strings.Fields(covers)
			out = append(out, c)
			return nil
		})
	return out, err
}

// Complete implements Ledger.
func (l *PostgresLedger) Complete(ctx context.Context, campaignID string) (bool, error) {
	done := false
	now := stamp(l.now())
	err := l.tx(ctx, func(tx pgx.Tx) error {
		// The campaign's row is locked first: an Enqueue reopening it
		// waits, then sees the completion.
		if _, err := tx.Exec(ctx, `SELECT 1 FROM campaigns WHERE id = $1 FOR UPDATE`, campaignID); err != nil {
			return err
		}
		var open int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM deliveries
			WHERE campaign = $1 AND state IN ('pending','sending','failed')`, campaignID).Scan(&open); err != nil {
			return err
		}
		if open > 0 {
			return nil
		}
		tag, err := tx.Exec(ctx, `UPDATE campaigns SET completed_at = $1 WHERE id = $2 AND completed_at = ''`, now, campaignID)
		if err != nil {
			return err
		}
		done = true
		if tag.RowsAffected() == 0 {
			return nil // already complete (or unknown: Status tells)
		}
		_, err = tx.Exec(ctx, `INSERT INTO announcements (doc, version, hash, campaign, announced_at)
			SELECT doc, version, hash, id, $1 FROM campaigns WHERE id = $2 ON CONFLICT DO NOTHING`, now, campaignID)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("ledger: complete %s: %w", campaignID, err)
	}
	return done, nil
}

// Status implements Ledger.
func (l *PostgresLedger) Status(ctx context.Context, campaignID string) (Status, error) {
	var s Status
	var covers, created, completed string
	err := l.pool.QueryRow(ctx, `SELECT id, doc, version, hash, base, covers, created_at, completed_at
		FROM campaigns WHERE id = $1`, campaignID).Scan(&s.ID, &s.Doc, &s.Version, &s.Hash, &s.Base, &covers, &created, &completed)
	if errors.Is(err, pgx.ErrNoRows) {
		return s, fmt.Errorf("%s: %w", campaignID, ErrNoCampaign)
	}
	if err != nil {
		return s, fmt.Errorf("ledger: status: %w", err)
	}
	s.Covers = strings.Fields(covers)
	s.Created, s.Completed = parseStamp(created), parseStamp(completed)
	s.Counts = map[State]int{}
	err = l.each(ctx, `SELECT state, count(*) FROM deliveries WHERE campaign = $1 GROUP BY state`, []any{campaignID},
		func(r pgx.Rows) error {
			var st string
			var n int
			if err := r.Scan(&st, &n); err != nil {
				return fmt.Errorf("ledger: status: %w", err)
			}
			s.Counts[State(st)] = n
			return nil
		})
	if err != nil {
		return s, err
	}
	err = l.each(ctx, `SELECT hash, from_at FROM campaign_hashes WHERE campaign = $1 ORDER BY seq`, []any{campaignID},
		func(r pgx.Rows) error {
			var h HashChange
			var from string
			if err := r.Scan(&h.Hash, &from); err != nil {
				return fmt.Errorf("ledger: status: %w", err)
			}
			h.From = parseStamp(from)
			s.Hashes = append(s.Hashes, h)
			return nil
		})
	return s, err
}

// Campaigns implements Ledger.
func (l *PostgresLedger) Campaigns(ctx context.Context) ([]Status, error) {
	var ids []string
	err := l.each(ctx, `SELECT id FROM campaigns ORDER BY created_at DESC, id COLLATE "C"`, nil, func(r pgx.Rows) error {
		var id string
		if err := r.Scan(&id); err != nil {
			return fmt.Errorf("ledger: %w", err)
		}
		ids = append(ids, id)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return statuses(ctx, l, ids)
}
