package notify

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"hash"
	"strings"

	"github.com/jackc/pgx/v5"
)

// ledgerTable is one table of the ledger as CopyLedger moves it: the
// columns both backends share, in the order each keeps its rows (SQLite by
// rowid, PostgreSQL by seq, which the copy assigns in the same order).
type ledgerTable struct {
	name, cols, pgOrder string
}

// ledgerTables are in the order their references need.
var ledgerTables = []ledgerTable{
	{"campaigns", "id, doc, version, hash, covers, created_at, completed_at, base", "seq"},
	{"campaign_hashes", "campaign, hash, from_at", "seq"},
	{"deliveries", "id, campaign, email, email_key, name, locale, line, run, state, reason, attempts, uncertain, reply, message_id, version_hash, updated_at, sent_at, known, sender", "id"},
	{"announcements", "doc, version, hash, campaign, announced_at", "seq"},
	{"suppressions", "email_key, email, source, created_at", "seq"},
	{"rejected_rows", "campaign, file, line, email, reason, detail, run, seen_at", "seq"},
}

// TableCount is how many rows a table holds in the source and the target.
type TableCount struct {
	Table        string
	From, To     int64
	fromSum, sum []byte
}

// CopyReport says what CopyLedger found and did.
type CopyReport struct {
	Tables []TableCount
	// AlreadyCopied: the target held exactly the source's rows already
	// (a rerun), so nothing was written.
	AlreadyCopied bool
}

// CopyLedger copies every row of a SQLite ledger into an empty PostgreSQL
// one, in one transaction, and checks that each table then holds as many
// rows with the same contents as the source; it commits only if so. A
// target that holds exactly the source's rows already is left alone
// (AlreadyCopied); any other non-empty target is refused. Neither ledger
// may be sending meanwhile: both are locked for sending while it runs.
func CopyLedger(ctx context.Context, from *SQLiteLedger, to *PostgresLedger) (CopyReport, error) {
	var rep CopyReport
	unlockFrom, err := from.LockSending()
	if err != nil {
		return rep, err
	}
	defer unlockFrom()
	unlockTo, err := to.LockSending()
	if err != nil {
		return rep, err
	}
	defer unlockTo()
	src, err := from.db.BeginTx(ctx, nil) // one snapshot of the source
	if err != nil {
		return rep, fmt.Errorf("ledger %s: %w", from.path, err)
	}
	defer src.Rollback()
	for _, t := range ledgerTables {
		n, sum, err := sqliteDigest(ctx, src, t)
		if err != nil {
			return rep, fmt.Errorf("ledger %s: %s: %w", from.path, t.name, err)
		}
		rep.Tables = append(rep.Tables, TableCount{Table: t.name, From: n, fromSum: sum})
	}
	err = to.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(schemaLockKey)); err != nil {
			return err
		}
		if err := targetDigests(ctx, tx, rep.Tables); err != nil {
			return err
		}
		if !rep.empty() {
			if rep.same() {
				rep.AlreadyCopied = true
				return nil
			}
			return fmt.Errorf("it is not empty and holds other data than %s (%s): copy only into an empty database, or one that holds exactly this ledger", from.path, rep.targetCounts())
		}
		for _, t := range ledgerTables {
			if err := copyTable(ctx, src, tx, t); err != nil {
				return fmt.Errorf("%s: %w", t.name, err)
			}
		}
		if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence('deliveries', 'id'), COALESCE(max(id), 0) + 1, false) FROM deliveries`); err != nil {
			return err
		}
		if err := targetDigests(ctx, tx, rep.Tables); err != nil {
			return err
		}
		if !rep.same() {
			return fmt.Errorf("the copy does not match the source (%s), so nothing was committed", rep.targetCounts())
		}
		return nil
	})
	if err != nil {
		return rep, fmt.Errorf("ledger %s: %w", to.shown, err)
	}
	return rep, nil
}

func (r *CopyReport) empty() bool {
	for _, t := range r.Tables {
		if t.To != 0 {
			return false
		}
	}
	return true
}

func (r *CopyReport) same() bool {
	for _, t := range r.Tables {
		if t.From != t.To || string(t.fromSum) != string(t.sum) {
			return false
		}
	}
	return true
}

func (r *CopyReport) targetCounts() string {
	var parts []string
	for _, t := range r.Tables {
		parts = append(parts, fmt.Sprintf("%s %d rows, source %d", t.Table, t.To, t.From))
	}
	return strings.Join(parts, "; ")
}

// rowDigest hashes rows value by value, as text, so that both backends'
// values (int64 or int32, string) hash alike.
type rowDigest struct {
	h hash.Hash
	n int64
}

func newRowDigest() *rowDigest { return &rowDigest{h: sha256.New()} }

func (d *rowDigest) add(vals []any) {
	for _, v := range vals {
		fmt.Fprintf(d.h, "%v\x1f", v)
	}
	d.h.Write([]byte{0x1e})
	d.n++
}

// sqliteRows queries a table's columns in rowid order.
func sqliteRows(ctx context.Context, tx *sql.Tx, t ledgerTable) (*sql.Rows, error) {
	return tx.QueryContext(ctx, "SELECT "+t.cols+" FROM "+t.name+" ORDER BY rowid")
}

// scanAny reads the current row's n values as the driver gives them.
func scanAny(rows *sql.Rows, n int) ([]any, error) {
	vals := make([]any, n)
	ptrs := make([]any, n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	return vals, rows.Scan(ptrs...)
}

func sqliteDigest(ctx context.Context, tx *sql.Tx, t ledgerTable) (int64, []byte, error) {
	rows, err := sqliteRows(ctx, tx, t)
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	d, n := newRowDigest(), len(strings.Split(t.cols, ", "))
	for rows.Next() {
		vals, err := scanAny(rows, n)
		if err != nil {
			return 0, nil, err
		}
		d.add(vals)
	}
	return d.n, d.h.Sum(nil), rows.Err()
}

// targetDigests fills in To and sum of each table from the target.
func targetDigests(ctx context.Context, tx pgx.Tx, tables []TableCount) error {
	for i, t := range ledgerTables {
		d := newRowDigest()
		rows, err := tx.Query(ctx, "SELECT "+t.cols+" FROM "+t.name+" ORDER BY "+t.pgOrder)
		if err != nil {
			return err
		}
		for rows.Next() {
			vals, err := rows.Values()
			if err != nil {
				rows.Close()
				return err
			}
			d.add(vals)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		tables[i].To, tables[i].sum = d.n, d.h.Sum(nil)
	}
	return nil
}

// copyTable streams a table from SQLite into PostgreSQL with COPY.
func copyTable(ctx context.Context, src *sql.Tx, dst pgx.Tx, t ledgerTable) error {
	rows, err := sqliteRows(ctx, src, t)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols := strings.Split(t.cols, ", ")
	_, err = dst.CopyFrom(ctx, pgx.Identifier{t.name}, cols, pgx.CopyFromFunc(func() ([]any, error) {
		if !rows.Next() {
			return nil, rows.Err()
		}
		return scanAny(rows, len(cols))
	}))
	return err
}
