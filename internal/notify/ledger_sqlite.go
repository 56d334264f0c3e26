package notify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// SQLiteLedger is the embedded Ledger: one SQLite file in WAL mode with
// synchronous=NORMAL. A commit is in the WAL (the OS's cache) when it
// returns, so it survives the process being killed at any instant; only a
// power failure or kernel crash can lose the last commits, and the ledger is
// then still consistent: a lost "sent" becomes "sending" (resent as
// uncertain, same Message-ID) and a lost "sending" becomes "pending". FULL
// would add an fsync to every commit and widen the uncertain window (see
// doc.go) for that rarer case. A sending run records through the send
// journal beside the file (sendlog.go), which holds to the same rule: a
// record is durable once written, and a power failure may lose the last
// ones, with the same outcomes.
type SQLiteLedger struct {
	path        string
	db          *sql.DB
	now         func() time.Time
	record      *sql.Stmt // prepared once: it runs for every recipient
	enqueueMany rowStmts
	recordMany  rowStmts
	imageMany   rowStmts
}

var _ Ledger = (*SQLiteLedger)(nil)

const schema = `
CREATE TABLE IF NOT EXISTS campaigns (
	id           TEXT PRIMARY KEY,
	doc          TEXT NOT NULL,
	version      TEXT NOT NULL,
	hash         TEXT NOT NULL,
	covers       TEXT NOT NULL DEFAULT '',
	created_at   TEXT NOT NULL,
	completed_at TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE TABLE IF NOT EXISTS deliveries (
	id           INTEGER PRIMARY KEY,
	campaign     TEXT NOT NULL REFERENCES campaigns(id),
	email        TEXT NOT NULL,
	email_key    TEXT NOT NULL,
	name         TEXT NOT NULL DEFAULT '',
	locale       TEXT NOT NULL DEFAULT '',
	line         INTEGER NOT NULL DEFAULT 0,
	run          INTEGER NOT NULL DEFAULT 0,
	state        TEXT NOT NULL CHECK (state IN ('pending','sending','sent','failed','skipped')),
	reason       TEXT NOT NULL DEFAULT '',
	attempts     INTEGER NOT NULL DEFAULT 0,
	uncertain    INTEGER NOT NULL DEFAULT 0,
	reply        TEXT NOT NULL DEFAULT '',
	message_id   TEXT NOT NULL DEFAULT '',
	version_hash TEXT NOT NULL,
	updated_at   TEXT NOT NULL,
	sent_at      TEXT NOT NULL DEFAULT '',
	UNIQUE (campaign, email_key)
) STRICT;
CREATE INDEX IF NOT EXISTS deliveries_outstanding ON deliveries (campaign, id)
	WHERE state IN ('pending','sending');
CREATE TABLE IF NOT EXISTS announcements (
	doc          TEXT NOT NULL,
	version      TEXT NOT NULL,
	hash         TEXT NOT NULL,
	campaign     TEXT NOT NULL,
	announced_at TEXT NOT NULL,
	PRIMARY KEY (doc, version)
) STRICT;
CREATE TABLE IF NOT EXISTS suppressions (
	email_key  TEXT PRIMARY KEY,
	email      TEXT NOT NULL,
	source     TEXT NOT NULL,
	created_at TEXT NOT NULL
) STRICT;
`

// schemaV2 adds what lets every run tell each person what they missed: the
// base a campaign started from, the version each recipient knew, and the
// content hashes an announced version had (an editorial fix changes it).
const schemaV2 = `
ALTER TABLE campaigns ADD COLUMN base TEXT NOT NULL DEFAULT '';
ALTER TABLE deliveries ADD COLUMN known TEXT NOT NULL DEFAULT '';
CREATE TABLE campaign_hashes (
	campaign TEXT NOT NULL REFERENCES campaigns(id),
	hash     TEXT NOT NULL,
	from_at  TEXT NOT NULL
) STRICT;
CREATE INDEX campaign_hashes_campaign ON campaign_hashes (campaign);
CREATE INDEX campaigns_doc ON campaigns (doc);
INSERT INTO campaign_hashes (campaign, hash, from_at) SELECT id, hash, created_at FROM campaigns;
`

// OpenSQLite opens (creating if needed) the ledger at path; the caller picks
// the path (redline uses .redline/state.db). The parent directory is created,
// and the file is readable by its owner only: it holds email addresses.
func OpenSQLite(ctx context.Context, path string) (*SQLiteLedger, error) {
	if strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("ledger: path %q must not contain ? or #", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	f.Close()
	dsn := path + "?_busy_timeout=10000&_journal_mode=WAL&_synchronous=NORMAL&_foreign_keys=1&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("ledger: %s: %w", path, err)
	}
	db.SetMaxOpenConns(4)
	l := &SQLiteLedger{path: path, db: db, now: time.Now,
		enqueueMany: rowStmts{build: enqueueManySQL}, recordMany: rowStmts{build: recordManySQL},
		imageMany: rowStmts{build: imageManySQL}}
	if err := l.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("ledger: %s: %w", path, err)
	}
	if l.record, err = db.PrepareContext(ctx, recordSQL); err != nil {
		db.Close()
		return nil, fmt.Errorf("ledger: %s: %w", path, err)
	}
	if err := l.recoverSendlog(); err != nil {
		l.Close()
		return nil, err
	}
	return l, nil
}

// errSendingElsewhere is LockSending's error while another run holds the lock.
var errSendingElsewhere = errors.New("another redline notify is sending with this ledger")

// recoverSendlog applies the send journal a killed run left, so that every
// command reads the ledger as the run left it. While a run is sending, its
// journal is its own: the ledger is then at most sendlogApplyEvery behind.
func (l *SQLiteLedger) recoverSendlog() error {
	files, err := l.sendlogFiles()
	if err != nil || len(files) == 0 {
		return err
	}
	unlock, err := l.LockSending()
	if errors.Is(err, errSendingElsewhere) {
		return nil
	}
	if err != nil {
		return err
	}
	unlock()
	return nil
}

func (l *SQLiteLedger) migrate(ctx context.Context) error {
	var v int
	if err := l.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return err
	}
	steps, err := pending(sqliteMigrations, v)
	if err != nil || len(steps) == 0 {
		return err // nothing to write: status queries and dry runs stay read-only
	}
	return l.tx(ctx, func(tx *sql.Tx) error {
		for _, m := range steps {
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("schema %d: %w", m.version, err)
			}
		}
		_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", schemaVersion))
		return err
	})
}

// Close closes the database.
func (l *SQLiteLedger) Close() error {
	l.record.Close()
	l.enqueueMany.close()
	l.recordMany.close()
	l.imageMany.close()
	return l.db.Close()
}

// tx runs fn in one IMMEDIATE transaction.
func (l *SQLiteLedger) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// timeFormat sorts as text.
const timeFormat = "2006-01-02T15:04:05.000000000Z"

func stamp(t time.Time) string { return t.UTC().Format(timeFormat) }

func parseStamp(s string) time.Time {
	t, _ := time.Parse(timeFormat, s)
	return t
}

// Announced implements Announcements.
func (l *SQLiteLedger) Announced(ctx context.Context, doc string) (string, bool, error) {
	var v string
	err := l.db.QueryRowContext(ctx,
		"SELECT version FROM announcements WHERE doc = ? ORDER BY rowid DESC LIMIT 1", doc).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("ledger: %w", err)
	}
	return v, true, nil
}

// Suppress implements Suppressor. The first suppression of an address is kept.
func (l *SQLiteLedger) Suppress(ctx context.Context, email, source string) error {
	_, err := l.db.ExecContext(ctx,
		"INSERT INTO suppressions (email_key, email, source, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
		addressKey(email), email, source, stamp(l.now()))
	if err != nil {
		return fmt.Errorf("ledger: suppress: %w", err)
	}
	return nil
}

// Suppressions implements Ledger.
func (l *SQLiteLedger) Suppressions(ctx context.Context, fn func(string) error) error {
	rows, err := l.db.QueryContext(ctx, "SELECT email FROM suppressions ORDER BY rowid")
	if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			return fmt.Errorf("ledger: %w", err)
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// OpenCampaign implements Ledger.
func (l *SQLiteLedger) OpenCampaign(ctx context.Context, c CampaignRecord) (Opened, error) {
	out := Opened{CampaignRecord: c}
	now := stamp(l.now())
	err := l.tx(ctx, func(tx *sql.Tx) error {
		var base, hash string
		err := tx.QueryRowContext(ctx, `SELECT base, hash FROM campaigns WHERE id = ?`, c.ID).Scan(&base, &hash)
		switch {
		case err == nil:
			out.Base = base
			if hash == c.Hash {
				out.Hash = hash
				return nil
			}
			out.PreviousHash = hash
			if _, err := tx.ExecContext(ctx, `UPDATE campaigns SET hash = ? WHERE id = ?`, c.Hash, c.ID); err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO campaign_hashes (campaign, hash, from_at) VALUES (?, ?, ?)`, c.ID, c.Hash, now)
			return err
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO campaigns (id, doc, version, hash, base, covers, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			c.ID, c.Doc, c.Version, c.Hash, c.Base, strings.Join(c.Covers, " "), now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO campaign_hashes (campaign, hash, from_at) VALUES (?, ?, ?)`, c.ID, c.Hash, now); err != nil {
			return err
		}
		// Older open campaigns of the document: the new message covers
		// what they announced, so their unsent rows are closed.
		res, err := tx.ExecContext(ctx, `UPDATE deliveries SET state = 'skipped', reason = ?, updated_at = ?
			WHERE state IN ('pending','sending','failed') AND campaign IN
				(SELECT id FROM campaigns WHERE doc = ? AND id <> ? AND completed_at = '')`,
			string(SkipSuperseded)+" "+c.ID, now, c.Doc, c.ID)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		out.Superseded = int(n)
		_, err = tx.ExecContext(ctx, `UPDATE campaigns SET completed_at = ? WHERE doc = ? AND id <> ? AND completed_at = ''`, now, c.Doc, c.ID)
		return err
	})
	if err != nil {
		return Opened{}, fmt.Errorf("ledger: campaign %s: %w", c.ID, err)
	}
	return out, nil
}

// DocCampaigns implements Announcements.
func (l *SQLiteLedger) DocCampaigns(ctx context.Context, doc string) ([]CampaignRecord, error) {
	rows, err := l.db.QueryContext(ctx,
		`SELECT id, doc, version, hash, base, covers FROM campaigns WHERE doc = ? ORDER BY created_at, rowid`, doc)
	if err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	defer rows.Close()
	var out []CampaignRecord
	for rows.Next() {
		var c CampaignRecord
		var covers string
		if err := rows.Scan(&c.ID, &c.Doc, &c.Version, &c.Hash, &c.Base, &covers); err != nil {
			return nil, fmt.Errorf("ledger: %w", err)
		}
		c.Covers = strings.Fields(covers)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	return out, nil
}
