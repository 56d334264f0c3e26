package pgtest

import (
	"os"
	"strings"
	"testing"

	"github.com/getspectr/redline/internal/testwait"
	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

// Two tests' databases are on one server, apart, and take a password.
func TestDatabasesApart(t *testing.T) {
	ctx := testwait.Context(t)
	a, b := URL(t), URL(t)
	if a == b || !strings.Contains(a, Password(t)) {
		t.Fatalf("urls %s %s", a, b)
	}
	ca, err := pgx.Connect(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	defer ca.Close(ctx)
	if _, err := ca.Exec(ctx, "CREATE TABLE x (id int)"); err != nil {
		t.Fatal(err)
	}
	cb, err := pgx.Connect(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Close(ctx)
	var n int
	if err := cb.QueryRow(ctx, "SELECT count(*) FROM pg_tables WHERE tablename = 'x'").Scan(&n); err != nil || n != 0 {
		t.Fatalf("database b sees a's table: %d %v", n, err)
	}
	bad := strings.Replace(a, Password(t), "wrong", 1)
	if c, err := pgx.Connect(ctx, bad); err == nil {
		c.Close(ctx)
		t.Fatal("a wrong password was accepted")
	}
}

// Without the binaries the error says how to install them.
func TestMissingBinariesSayMakeTools(t *testing.T) {
	t.Setenv("REDLINE_PG_BIN", t.TempDir())
	_, err := Bin()
	if err == nil || !strings.Contains(err.Error(), "make tools") {
		t.Fatalf("Bin() = %v", err)
	}
}
