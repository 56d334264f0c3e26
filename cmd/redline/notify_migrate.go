package main

import (
	"context"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/getspectr/redline/internal/notify"
)

// runNotifyMigrate copies a SQLite ledger into PostgreSQL and checks the
// copy table by table.
func runNotifyMigrate(ctx context.Context, e *env, args []string) error {
	fs := newFlags("notify migrate", " [--from FILE] --to postgres://…", e.stderr)
	from := fs.String("from", defaultState, "the SQLite ledger `file` to copy")
	to := fs.String("to", "", "the PostgreSQL ledger `URL` to copy into: an empty database (password from the URL or PGPASSWORD)")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	switch {
	case *to == "":
		return usageErr("notify migrate needs --to postgres://user@host/db")
	case !notify.IsPostgresURL(*to):
		return usageErr("notify migrate: --to must be a postgres:// or postgresql:// URL")
	case notify.IsPostgresURL(*from):
		return usageErr("notify migrate: --from is the SQLite ledger file to copy")
	}
	if _, err := os.Stat(*from); err != nil {
		return hinted{fmt.Errorf("no ledger at %s", *from), "pass --from with the SQLite ledger's path (redline notify --state)"}
	}
	src, err := notify.OpenSQLite(ctx, *from)
	if err != nil {
		return fmt.Errorf("ledger %s: %w", *from, err)
	}
	defer src.Close()
	dst, err := notify.OpenPostgres(ctx, *to)
	if err != nil {
		return hinted{err, "check the URL, that the server is up and that the user may create tables in the database"}
	}
	defer dst.Close()
	rep, err := notify.CopyLedger(ctx, src, dst)
	if err != nil {
		return err
	}
	shown := notify.DescribeState(*to)
	if rep.AlreadyCopied {
		fmt.Fprintf(e.stdout, "%s already holds exactly the ledger %s: nothing to copy\n", shown, *from)
	} else {
		fmt.Fprintf(e.stdout, "copied %s into %s\n", *from, shown)
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "  TABLE\tSQLITE\tPOSTGRESQL")
	for _, t := range rep.Tables {
		fmt.Fprintf(tw, "  %s\t%d\t%d\n", t.Table, t.From, t.To)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "verified: every table holds the same rows in both; send with --state %s from now on\n", shown)
	return nil
}
