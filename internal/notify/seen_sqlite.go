package notify

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// seenSet remembers the addresses of one pass over a recipients list, to
// catch duplicates, on disk: a throw-away SQLite file with no journal and no
// fsync, whose page cache is bounded (about 2 MB), so memory stays flat
// however long the list. A 16-byte fingerprint and the first line are kept
// per address. It is not the ledger: a dry run has none, and the dry run
// and the send must screen alike.
//
// A fixed-size Bloom filter in front says for most addresses that they are
// new; those are written to the file in multi-row batches instead of one
// statement each. Only an address the filter may have seen is looked up.
type seenSet struct {
	dir     string
	db      *sql.DB
	tx      *sql.Tx
	ins     *sql.Stmt
	rows    int // rows in the open transaction
	bloom   []uint64
	pending map[addrHash]int // new addresses not yet in the file, with their line
	args    []any
}

// seenBloomBits is the filter's size (512 KiB): about 10% false
// positives at 1,000,000 addresses, which are then looked up on disk.
const seenBloomBits = 1 << 22

// seenBatch is how many new addresses are written per statement.
const seenBatch = 256

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
	s := &seenSet{dir: dir, db: db, bloom: make([]uint64, seenBloomBits/64), pending: make(map[addrHash]int, seenBatch)}
	if _, err := db.Exec(`PRAGMA cache_size = -2000;
		CREATE TABLE seen (k BLOB PRIMARY KEY, line INTEGER NOT NULL) WITHOUT ROWID`); err != nil {
		s.close()
		return nil, fmt.Errorf("duplicate check: %w", err)
	}
	return s, nil
}

// add records h first seen on line, or returns the line it was first seen on.
func (s *seenSet) add(h addrHash, line int) (first int, dup bool, err error) {
	if !s.mark(h) { // certainly new
		s.pending[h] = line
		if len(s.pending) == seenBatch {
			err = s.flush()
		}
		return line, false, err
	}
	if first, ok := s.pending[h]; ok {
		return first, first != line, nil
	}
	if err := s.flush(); err != nil {
		return 0, false, err
	}
	if err := s.begin(); err != nil {
		return 0, false, err
	}
	ctx := context.Background()
	if s.ins == nil {
		if s.ins, err = s.tx.PrepareContext(ctx,
			`INSERT INTO seen (k, line) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET k = k RETURNING line`); err != nil {
			return 0, false, fmt.Errorf("duplicate check: %w", err)
		}
	}
	if err := s.ins.QueryRowContext(ctx, h[:], line).Scan(&first); err != nil {
		return 0, false, fmt.Errorf("duplicate check: %w", err)
	}
	if err := s.counted(1); err != nil {
		return 0, false, err
	}
	return first, first != line, nil
}

// mark sets h's bits in the filter and reports whether all were set.
func (s *seenSet) mark(h addrHash) bool {
	all := true
	for i := range 3 {
		b := binary.LittleEndian.Uint32(h[4*i:]) % seenBloomBits
		w, bit := &s.bloom[int(b/64)%len(s.bloom)], uint64(1)<<(b%64)
		all = all && *w&bit != 0
		*w |= bit
	}
	return all
}

func (s *seenSet) begin() error {
	if s.tx != nil {
		return nil
	}
	var err error
	if s.tx, err = s.db.BeginTx(context.Background(), nil); err != nil {
		return fmt.Errorf("duplicate check: %w", err)
	}
	return nil
}

// flush writes the pending new addresses to the file.
func (s *seenSet) flush() error {
	if len(s.pending) == 0 {
		return nil
	}
	if err := s.begin(); err != nil {
		return err
	}
	s.args = s.args[:0]
	for h, line := range s.pending {
		s.args = append(s.args, h[:], line)
	}
	// Plain placeholders: the driver looks numbered ones up by name.
	q := `INSERT INTO seen (k, line) VALUES (?, ?)` + strings.Repeat(",(?, ?)", len(s.pending)-1)
	if _, err := s.tx.ExecContext(context.Background(), q, s.args...); err != nil {
		return fmt.Errorf("duplicate check: %w", err)
	}
	n := len(s.pending)
	clear(s.pending)
	return s.counted(n)
}

// counted commits the open transaction every seenCommitEvery rows.
func (s *seenSet) counted(n int) error {
	if s.rows += n; s.rows >= seenCommitEvery {
		return s.commit()
	}
	return nil
}

func (s *seenSet) commit() error {
	if s.tx == nil {
		return nil
	}
	if s.ins != nil {
		s.ins.Close()
	}
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
		if s.ins != nil {
			s.ins.Close()
		}
		_ = s.tx.Rollback()
		s.tx = nil
	}
	err := s.db.Close()
	os.RemoveAll(s.dir)
	return err
}
