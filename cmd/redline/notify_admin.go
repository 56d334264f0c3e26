package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"text/tabwriter"
	"time"

	"github.com/getspectr/redline/internal/notify"
)

// runNotifyStatus prints each campaign's progress from the ledger.
func runNotifyStatus(ctx context.Context, e *env, args []string) error {
	fs := newFlags("notify status", " [--state FILE|URL]", e.stderr)
	state := fs.String("state", defaultState, stateUsage)
	if err := parseNone(fs, args); err != nil {
		return err
	}
	l, err := openExisting(ctx, *state)
	if err != nil {
		return err
	}
	defer l.Close()
	all, err := l.Campaigns(ctx)
	if err != nil {
		return err
	}
	if len(all) == 0 {
		fmt.Fprintln(e.stdout, "no campaigns yet")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "CAMPAIGN\tCREATED\tSENT\tPENDING\tSENDING\tFAILED\tSKIPPED\tCOMPLETE")
	for _, s := range all {
		done := "no"
		if !s.Completed.IsZero() {
			done = s.Completed.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%s\n", s.ID, s.Created.UTC().Format(time.RFC3339),
			s.Counts[notify.StateSent], s.Counts[notify.StatePending], s.Counts[notify.StateSending],
			s.Counts[notify.StateFailed], s.Counts[notify.StateSkipped], done)
	}
	return tw.Flush()
}

// runNotifyExport writes a campaign's evidence of notice as CSV.
func runNotifyExport(ctx context.Context, e *env, args []string) error {
	fs := newFlags("notify export", " CAMPAIGN [--state FILE|URL] [--out FILE.csv]", e.stderr)
	state := fs.String("state", defaultState, stateUsage)
	out := fs.String("out", "", "write to this `file` instead of standard output")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErr("notify export wants one CAMPAIGN id (see redline notify status)")
	}
	return exportTo(ctx, e, *state, *out, func(l notify.Ledger, w io.Writer) error {
		if err := notify.ExportEvidence(ctx, l, pos[0], w); err != nil {
			return hinted{err, "campaign ids are listed by redline notify status"}
		}
		return nil
	})
}

// exportTo opens the existing ledger at state and runs export into the
// file out, or standard output when out is "".
func exportTo(ctx context.Context, e *env, state, out string, export func(notify.Ledger, io.Writer) error) error {
	l, err := openExisting(ctx, state)
	if err != nil {
		return err
	}
	defer l.Close()
	if out == "" {
		return export(l, e.stdout)
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := export(l, f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// runNotifyUnsubscribes writes every suppressed address as CSV, for the
// product to sync.
func runNotifyUnsubscribes(ctx context.Context, e *env, args []string) error {
	fs := newFlags("notify unsubscribes", " [--state FILE|URL] [--out FILE.csv]", e.stderr)
	state := fs.String("state", defaultState, stateUsage)
	out := fs.String("out", "", "write to this `file` instead of standard output")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	return exportTo(ctx, e, *state, *out, func(l notify.Ledger, w io.Writer) error {
		return notify.ExportSuppressions(ctx, l, w)
	})
}

// runNotifyPreview prints the message one recipient would get for DOC's
// newest version, planned as if announced since the version before it.
func runNotifyPreview(ctx context.Context, e *env, args []string) error {
	fs := newFlags("notify preview", " [DOC] [flags]", e.stderr)
	var f notifyFlags
	f.register(fs)
	to := fs.String("to", "reader@example.com", "`address` of the sample recipient")
	html := fs.Bool("html", false, "print the HTML part instead of the text part")
	mime := fs.Bool("mime", false, "print the whole message as sent (MIME, quoted-printable), both parts")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	key, err := unsubscribeKey(e)
	if err != nil {
		return err
	}
	m, hs, err := f.histories(e)
	if err != nil {
		return err
	}
	var h *notify.History
	for i := range hs {
		if len(pos) == 0 || hs[i].Doc == pos[0] {
			h = &hs[i]
			break
		}
	}
	if len(pos) > 1 {
		return usageErr("notify preview wants at most one document name")
	}
	if h == nil {
		return hinted{fmt.Errorf("no document %q in %s", pos[0], f.content), "documents: " + slugs(m)}
	}
	since := map[string]string{h.Doc: ""} // a single version is announced as new
	if n := len(h.Versions); n > 1 {
		since[h.Doc] = h.Versions[n-2].ID
	}
	preview := *h
	for i := range preview.Versions {
		preview.Versions[i].Material = true // show the message even for a minor change
	}
	cs, err := notify.Plan(ctx, noAnnouncements{}, []notify.History{preview}, m.Now.AddDate(100, 0, 0), since)
	if err != nil || len(cs) == 0 {
		return fmt.Errorf("%s: nothing to preview: %v", h.Doc, err)
	}
	dk, err := dkimConfig(e, m)
	if err != nil {
		return err
	}
	return notify.Preview(e.stdout, notify.PreviewOptions{
		Campaign: cs[0].WithSite(siteValues(m)), TemplatesDir: f.templates + "/email", UnsubscribeKey: key, DKIM: dk,
		Recipient: notify.Recipient{Email: *to, Name: "Sample Reader"}, Now: m.Now, Part: part(*html, *mime),
	})
}

func part(html, mime bool) string {
	switch {
	case mime:
		return "mime"
	case html:
		return "html"
	}
	return "text"
}

// runUnsubscribeServer serves RFC 8058 one-click unsubscribes into the ledger.
func runUnsubscribeServer(ctx context.Context, e *env, args []string) error {
	fs := newFlags("unsubscribe-server", " [--listen ADDR] [--state FILE|URL]", e.stderr)
	listen := fs.String("listen", "127.0.0.1:8089", "`address` to listen on")
	state := fs.String("state", defaultState, stateUsage+", where unsubscribes are recorded")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	key, err := unsubscribeKey(e)
	if err != nil {
		return err
	}
	l, err := openState(ctx, *state, false)
	if err != nil {
		return err
	}
	defer l.Close()
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(e.stderr, nil))
	srv := notify.NewUnsubscribeServer(notify.NewUnsubscribeHandler(key, l, log))
	fmt.Fprintf(e.stdout, "unsubscribe server listening on http://%s/ (ledger %s)\n", ln.Addr(), notify.DescribeState(*state))
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// defaultState is the ledger when --state is not given.
const defaultState = ".redline/state.db"

const stateUsage = "ledger: a SQLite `file`, or a postgres:// URL (password from the URL or PGPASSWORD)"

// openExisting opens a ledger that must already exist: a file must be
// there (a database is created by whoever runs the first send).
func openExisting(ctx context.Context, state string) (notify.Ledger, error) {
	return openState(ctx, state, true)
}

// openState opens the ledger --state names: a SQLite file (created unless
// mustExist) or a PostgreSQL URL, whose errors never show the password.
func openState(ctx context.Context, state string, mustExist bool) (notify.Ledger, error) {
	pg := notify.IsPostgresURL(state)
	if mustExist && !pg {
		if _, err := os.Stat(state); err != nil {
			return nil, hinted{fmt.Errorf("no ledger at %s", state), "redline notify --send creates it; pass --state if it is elsewhere"}
		}
	}
	l, err := notify.OpenLedger(ctx, state)
	switch {
	case err != nil && pg:
		return nil, hinted{err, "check the URL, that the server is up and that the user may create tables in the database"}
	case err != nil:
		return nil, fmt.Errorf("ledger %s: %w", state, err)
	}
	return l, nil
}

// parseNone parses flags of a command that takes no arguments.
func parseNone(fs *flag.FlagSet, args []string) error {
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErr(fmt.Sprintf("%s takes no arguments, got %q", fs.Name(), pos[0]))
	}
	return nil
}
