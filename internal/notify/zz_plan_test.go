package notify

import (
	"context"
	"path/filepath"
	"testing"
)

func TestZZPlan(t *testing.T) {
	ctx := context.Background()
	l, err := OpenSQLite(ctx, filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	rows, err := l.db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+recordManySQL(3), 1, "sent", "", "", "", 0, 0, "x", 2, "sent", "", "", "", 0, 0, "x", 3, "sent", "", "", "", 0, 0, "x")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var a, b, c int
		var d string
		rows.Scan(&a, &b, &c, &d)
		t.Log(a, b, d)
	}
}
