package notify

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// rejectSQL records a rejected row; one seen again gets the new run.
const rejectSQL = `INSERT INTO rejected_rows (campaign, file, line, email, reason, detail, run, seen_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
ON CONFLICT (campaign, file, line, email, reason, detail) DO UPDATE SET run = excluded.run`

const rejectedCols = `file, line, email, reason, detail, seen_at`

// Reject implements Ledger.
func (l *SQLiteLedger) Reject(ctx context.Context, campaignID string, run int64, rows []Skip) error {
	now := stamp(l.now())
	err := l.tx(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, rejectSQL)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, r := range rows {
			if _, err := st.ExecContext(ctx, campaignID, r.File, r.Line, r.Email, string(r.Reason), r.Detail, run, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("ledger: reject: %w", err)
	}
	return nil
}

// Rejected implements Ledger.
func (l *SQLiteLedger) Rejected(ctx context.Context, campaignID string, fn func(RejectedRow) error) error {
	rows, err := l.db.QueryContext(ctx, `SELECT `+rejectedCols+` FROM rejected_rows WHERE campaign = ? ORDER BY rowid`, campaignID)
	if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanRejected(rows)
		if err != nil {
			return fmt.Errorf("ledger: %w", err)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

func scanRejected(sc interface{ Scan(...any) error }) (RejectedRow, error) {
	var r RejectedRow
	var reason, seen string
	err := sc.Scan(&r.File, &r.Line, &r.Email, &reason, &r.Detail, &seen)
	r.Reason, r.Seen = SkipReason(reason), parseStamp(seen)
	return r, err
}

var pgRejectSQL = pgSQL(rejectSQL)

// Reject implements Ledger.
func (l *PostgresLedger) Reject(ctx context.Context, campaignID string, run int64, rows []Skip) error {
	now := stamp(l.now())
	err := l.tx(ctx, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		for _, r := range rows {
			b.Queue(pgRejectSQL, campaignID, r.File, r.Line, r.Email, string(r.Reason), r.Detail, run, now)
		}
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return fmt.Errorf("ledger: reject: %w", err)
	}
	return nil
}

// Rejected implements Ledger.
func (l *PostgresLedger) Rejected(ctx context.Context, campaignID string, fn func(RejectedRow) error) error {
	return l.each(ctx, `SELECT `+rejectedCols+` FROM rejected_rows WHERE campaign = $1 ORDER BY seq`, []any{campaignID},
		func(r pgx.Rows) error {
			row, err := scanRejected(r)
			if err != nil {
				return fmt.Errorf("ledger: %w", err)
			}
			return fn(row)
		})
}
