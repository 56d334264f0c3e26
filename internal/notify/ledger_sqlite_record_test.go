package notify

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestRecordManyUsesPrimaryKey checks that the multi-row UPDATE finds each
// delivery by its id, not by scanning the table.
func TestRecordManyUsesPrimaryKey(t *testing.T) {
	ctx := context.Background()
	l, err := OpenSQLite(ctx, filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	args := make([]any, 0, 24)
	for i := range 3 {
		args = append(args, i+1, "sent", "", "", "", 0, 0, "t")
	}
	rows, err := l.db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+recordManySQL(3), args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if got := strings.Join(plan, "; "); !strings.Contains(got, "SEARCH deliveries USING INTEGER PRIMARY KEY") || strings.Contains(got, "SCAN deliveries") {
		t.Fatalf("plan: %s", got)
	}
}
