package notify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// recordRows is the most updates one multi-row UPDATE carries.
const recordRows = 32

// recordManySQL updates n deliveries in one statement. Each row of the
// VALUES list is (id, state, reason, reply, message_id, attempts to add,
// uncertain to add, time); the columns are set as recordSQL sets them.
// One statement instead of n saves the per-statement work, most of all
// evaluating the partial index's state list for every row.
func recordManySQL(n int) string {
	return updateManySQL(n, 8, `
	attempts = deliveries.attempts + v.column6,
	uncertain = deliveries.uncertain + v.column7,
	updated_at = v.column8,
	sent_at = CASE WHEN v.column2 = 'sent' THEN v.column8 ELSE deliveries.sent_at END,
	version_hash = CASE WHEN v.column2 = 'sending' THEN `+campaignHash+` ELSE deliveries.version_hash END`)
}

// updateManySQL is an UPDATE of n deliveries from a VALUES list of rows of
// cols values, the first five (id, state, reason, reply, message_id) set
// as Record sets them, and the rest as set says.
func updateManySQL(n, cols int, set string) string {
	return `UPDATE deliveries SET
	state = v.column2,
	reason = v.column3,
	reply = CASE WHEN v.column4 = '' THEN deliveries.reply ELSE v.column4 END,
	message_id = CASE WHEN v.column5 = '' THEN deliveries.message_id ELSE v.column5 END,` + set + `
	FROM (VALUES ` + placeholderRows(n, cols) + `) AS v
	WHERE deliveries.id = v.column1`
}

// campaignHash is the hash of the delivery's campaign, in an UPDATE of it.
const campaignHash = `(SELECT hash FROM campaigns WHERE id = deliveries.campaign)`

// placeholderRows is n rows of cols "?" each, for a VALUES list. The
// placeholders are plain "?": the driver looks each numbered one up by
// name, in time growing with their number.
func placeholderRows(n, cols int) string {
	row := "(" + strings.Repeat("?,", cols-1) + "?)"
	return row + strings.Repeat(","+row, n-1)
}

// rowStmts holds the multi-row statements made by build, prepared on
// first use, by number of rows.
type rowStmts struct {
	build func(n int) string
	mu    sync.Mutex
	stmts map[int]*sql.Stmt
}

func (r *rowStmts) get(ctx context.Context, db *sql.DB, n int) (*sql.Stmt, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if st, ok := r.stmts[n]; ok {
		return st, nil
	}
	st, err := db.PrepareContext(ctx, r.build(n))
	if err != nil {
		return nil, err
	}
	if r.stmts == nil {
		r.stmts = map[int]*sql.Stmt{}
	}
	r.stmts[n] = st
	return st, nil
}

func (r *rowStmts) close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, st := range r.stmts {
		st.Close()
	}
	r.stmts = nil
}

// distinctIDs reports whether no delivery appears twice in updates: one
// UPDATE … FROM applies only one of several rows matching the same row.
func distinctIDs(updates []Update) bool {
	seen := make(map[int64]struct{}, len(updates))
	for _, u := range updates {
		if _, dup := seen[u.ID]; dup {
			return false
		}
		seen[u.ID] = struct{}{}
	}
	return true
}

// errOneByOne makes Record apply a batch again one update at a time.
var errOneByOne = errors.New("a delivery of the batch was not found")

// recordBatch applies updates (distinct ids) in tx with multi-row
// statements. ok is false when some delivery was not found; the caller
// then rolls back and applies them one by one to name it.
func (l *SQLiteLedger) recordBatch(ctx context.Context, tx *sql.Tx, updates []Update) (ok bool, err error) {
	stmts := &l.recordMany
	args := make([]any, 0, 8*min(len(updates), recordRows))
	for len(updates) > 0 {
		chunk := updates[:min(len(updates), recordRows)]
		updates = updates[len(chunk):]
		st, err := stmts.get(ctx, l.db, len(chunk))
		if err != nil {
			return false, err
		}
		args = args[:0]
		for _, u := range chunk {
			at := u.At
			if at.IsZero() {
				at = l.now()
			}
			args = append(args, u.ID, string(u.State), u.Reason, u.Reply, u.MessageID,
				b2i(u.Attempt), b2i(u.Attempt && u.Uncertain), stamp(at))
		}
		res, err := tx.StmtContext(ctx, st).ExecContext(ctx, args...)
		if err != nil {
			return false, err
		}
		if n, _ := res.RowsAffected(); n != int64(len(chunk)) {
			return false, nil
		}
	}
	return true, nil
}

// imageManySQL sets n deliveries to the images a send journal left (see
// sendlog.go): the counts are absolute, so applying an image twice gives
// the same row. Each row of the VALUES list is (id, state, reason, reply,
// message_id, attempts, uncertain, time, sent time or ”, sent 1/0).
func imageManySQL(n int) string {
	return updateManySQL(n, 10, `
	attempts = v.column6,
	uncertain = v.column7,
	updated_at = v.column8,
	sent_at = CASE WHEN v.column9 = '' THEN deliveries.sent_at ELSE v.column9 END,
	version_hash = CASE WHEN v.column10 = 1 THEN `+campaignHash+` ELSE deliveries.version_hash END`)
}

// applySendlog writes images to the ledger in one transaction.
func (l *SQLiteLedger) applySendlog(ctx context.Context, images []image) error {
	return l.tx(ctx, func(tx *sql.Tx) error {
		args := make([]any, 0, 10*min(len(images), recordRows))
		for len(images) > 0 {
			chunk := images[:min(len(images), recordRows)]
			images = images[len(chunk):]
			st, err := l.imageMany.get(ctx, l.db, len(chunk))
			if err != nil {
				return err
			}
			args = args[:0]
			for _, m := range chunk {
				at, sent := m.at, ""
				if at.IsZero() {
					at = l.now()
				}
				if !m.sentAt.IsZero() {
					sent = stamp(m.sentAt)
				}
				args = append(args, m.id, string(m.state), m.reason, m.reply, m.msgID,
					m.attempts, m.uncertain, stamp(at), sent, b2i(m.sending))
			}
			res, err := tx.StmtContext(ctx, st).ExecContext(ctx, args...)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n != int64(len(chunk)) {
				return missingDelivery(ctx, tx, chunk)
			}
		}
		return nil
	})
}

// missingDelivery names a delivery of chunk the ledger does not hold.
func missingDelivery(ctx context.Context, tx *sql.Tx, chunk []image) error {
	for _, m := range chunk {
		var one int
		err := tx.QueryRowContext(ctx, "SELECT 1 FROM deliveries WHERE id = ?", m.id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("delivery %d not found", m.id)
		}
		if err != nil {
			return err
		}
	}
	return errors.New("a delivery was updated twice in one statement")
}
