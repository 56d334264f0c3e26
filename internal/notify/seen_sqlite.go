package notify

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
)

// seenSet remembers the addresses of one pass over a recipients list, to
// catch duplicates, on disk: a throw-away SQLite file with no journal and no
// fsync, whose page cache is bounded (about 2 MB), so memory stays flat
// however long the list. A 16-byte fingerprint and the first line are kept
// per address. It is not the ledger: a dry run has none, and the dry run
// and the send must screen alike.
type seenSet struct {
	dir  string
	db   *sql.DB
	tx   *sql.Tx
	ins  *sql.Stmt
	rows int // rows in the open transaction
}

const seenCommitEvery = 5000

func newSeenSet() (*seenSet, error) {
	dir, err := os.MkdirTemp("", "redline-seen-*")
	if err != nil {
		return nil, fmt.Errorf("duplicate check: %w", err)
	}
	path := filepath.Join(dir, "seen.db")
	db, err := sql.Open("sqlite", path+"?_journal_mode=OFF&_synchronous=OFF")
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("duplicate check: %w", err)
	}
	db.SetMaxOpenConns(1)
	s := &seenSet{dir: dir, db: db}
	if _, err := db.Exec(`PRAGMA cache_size = -2000;
		CREATE TABLE seen (k BLOB PRIMARY KEY, line INTEGER NOT NULL) WITHOUT ROWID`); err != nil {
		s.close()
		return nil, fmt.Errorf("duplicate check: %w", err)
	}
	return s, nil
}

// add records h first seen on line, or returns the line it was first seen on.
func (s *seenSet) add(h addrHash, line int) (first int, dup bool, err error) {
	ctx := context.Background()
	if s.tx == nil {
		if s.tx, err = s.db.BeginTx(ctx, nil); err != nil {
			return 0, false, fmt.Errorf("duplicate check: %w", err)
		}
		if s.ins, err = s.tx.PrepareContext(ctx,
			`INSERT INTO seen (k, line) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET k = k RETURNING line`); err != nil {
			return 0, false, fmt.Errorf("duplicate check: %w", err)
		}
	}
	if err := s.ins.QueryRowContext(ctx, h[:], line).Scan(&first); err != nil {
		return 0, false, fmt.Errorf("duplicate check: %w", err)
	}
	if s.rows++; s.rows == seenCommitEvery {
		if err := s.commit(); err != nil {
			return 0, false, err
		}
	}
	return first, first != line, nil
}

func (s *seenSet) commit() error {
	if s.tx == nil {
		return nil
	}
	s.ins.Close()
	err := s.tx.Commit()
	s.tx, s.ins, s.rows = nil, nil, 0
	if err != nil {
		return fmt.Errorf("duplicate check: %w", err)
	}
	return nil
}

// close discards the set and its file.
func (s *seenSet) close() error {
	if s.tx != nil {
		s.ins.Close()
		_ = s.tx.Rollback()
		s.tx = nil
	}
	err := s.db.Close()
	os.RemoveAll(s.dir)
	return err
}
