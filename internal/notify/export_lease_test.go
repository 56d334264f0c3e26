package notify

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// LoadsForTest is how many times the campaign's recipients were loaded.
func LoadsForTest(ctx context.Context, l *PostgresLedger, campaignID string) (int, error) {
	return l.loads(ctx, campaignID)
}

// SendersForTest is how many rows of the campaign each sender sent.
func SendersForTest(ctx context.Context, l *PostgresLedger, campaignID string) (map[string]int, error) {
	return l.senders(ctx, campaignID)
}

// HeldForTest returns the addresses of the unsettled rows owner holds.
func HeldForTest(ctx context.Context, l *PostgresLedger, campaignID, owner string) ([]string, error) {
	rows, err := l.pool.Query(ctx, `SELECT email FROM deliveries WHERE campaign = $1 AND lease_owner = $2
		AND state IN ('pending','sending') ORDER BY id`, campaignID, owner)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}
