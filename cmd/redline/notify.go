package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/getspectr/redline/internal/change"
	"github.com/getspectr/redline/internal/notify"
	"github.com/getspectr/redline/internal/site"
	"golang.org/x/term"
)

const notifyArgs = ` [flags]
       redline notify status | export CAMPAIGN | unsubscribes | preview [DOC]
       redline notify migrate --from .redline/state.db --to postgres://…

Decides, for each document, whether its newest published version holds a
material change since the last version announced, and emails each recipient
once. Dry run by default: messages are written to --outbox as .eml files.
--send sends over SMTP and records every delivery in the ledger (--state).

Environment (secrets come only from here, and are never printed):
  REDLINE_SMTP_URL         smtp://host:587 (STARTTLS) or smtps://host:465;
                           TLS is required except on loopback
  REDLINE_SMTP_USER, REDLINE_SMTP_PASSWORD   credentials, if not in the URL
  REDLINE_UNSUBSCRIBE_KEY  key that signs one-click unsubscribe links (required)
  REDLINE_DKIM_KEY         optional PEM RSA key for DKIM (mail.dkim_domain/selector in site.yaml)
  PGPASSWORD, PGHOST, …    for a --state postgres:// URL without them`

// notifyFlags are the flags of notify and its subcommands.
type notifyFlags struct {
	siteFlags
	templates   string
	state       string
	recipients  string
	suppress    string
	since       string
	send        bool
	outbox      string
	connections int
	rate        float64
	attempts    int
	retryFailed bool
	verbose     bool
	ephemeralOK bool
	ehlo        string
	timeout     time.Duration
	dataTimeout time.Duration
	lease       time.Duration
}

func (f *notifyFlags) register(fs *flag.FlagSet) {
	f.siteFlags.register(fs)
	fs.StringVar(&f.templates, "templates", "templates", "templates `folder`; email templates are in its email/ folder")
	fs.StringVar(&f.state, "state", defaultState, stateUsage+": campaigns, deliveries, unsubscribes")
	fs.StringVar(&f.recipients, "recipients", "", "recipients `CSV` with a header row: email, and optionally name, locale, signed_up")
	fs.StringVar(&f.suppress, "suppress", "", "`file` of addresses never to email, one per line")
	fs.StringVar(&f.since, "since", "", "first run only: the `VERSION` users already know (or DOC=VERSION,…); nothing up to it is announced. The ledger records it: later runs need none, and refuse a different one")
	fs.BoolVar(&f.send, "send", false, "send for real (default: dry run into --outbox)")
	fs.StringVar(&f.outbox, "outbox", filepath.Join(".redline", "outbox"), "dry run: `folder` for the .eml files")
	fs.IntVar(&f.connections, "connections", 4, "parallel SMTP `connections`")
	fs.Float64Var(&f.rate, "rate", 0, "at most this many `messages/s` over all connections (0: no limit)")
	fs.IntVar(&f.attempts, "max-attempts", 5, "SMTP `attempts` per message before it counts as failed")
	fs.BoolVar(&f.retryFailed, "retry-failed", false, "try again the recipients an earlier run failed")
	fs.BoolVar(&f.verbose, "v", false, "log each step to stderr")
	fs.BoolVar(&f.ephemeralOK, "allow-ephemeral-state", false, "with --send in CI, accept a --state inside the job's workspace, which is thrown away after the job")
	fs.StringVar(&f.ehlo, "ehlo", "", "`name` to greet the SMTP server with (default: the From address's domain)")
	fs.DurationVar(&f.timeout, "smtp-timeout", notify.DefaultSMTPTimeout, "how long to wait to connect and for each SMTP reply (RFC 5321: 5m)")
	fs.DurationVar(&f.lease, "lease", notify.DefaultLease, "with a postgres:// --state, where several senders may share a campaign: how long a sender's claim on recipients lasts unless it renews it; a killed sender's recipients are taken over after that")
	fs.DurationVar(&f.dataTimeout, "data-timeout", notify.DefaultDataTimeout, "how long to wait for the reply to the end of a message (RFC 5321: 10m); no reply by then is resent once, same Message-ID")
}

func runNotify(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "status":
			return runNotifyStatus(ctx, e, args[1:])
		case "export":
			return runNotifyExport(ctx, e, args[1:])
		case "preview":
			return runNotifyPreview(ctx, e, args[1:])
		case "unsubscribes":
			return runNotifyUnsubscribes(ctx, e, args[1:])
		case "migrate":
			return runNotifyMigrate(ctx, e, args[1:])
		}
	}
	fs := newFlags("notify", notifyArgs, e.stderr)
	var f notifyFlags
	f.register(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErr(fmt.Sprintf("unknown notify command %q (want status, export, unsubscribes, preview or migrate)", pos[0]))
	}
	if f.recipients == "" {
		return usageErr("notify needs --recipients FILE.csv")
	}
	if f.lease < time.Second {
		return usageErr(fmt.Sprintf("--lease %s is too short: a sender renews its claim every third of it (use 1s or more; default %s)", f.lease, notify.DefaultLease))
	}
	if f.send && !f.ephemeralOK {
		if err := durableState(e.getenv, f.state); err != nil {
			return err
		}
	}
	key, err := unsubscribeKey(e)
	if err != nil {
		return err
	}
	m, hs, err := f.histories(e)
	if err != nil {
		return err
	}
	if f.send { // before anything is recorded
		if err := f.checkSend(e, m); err != nil {
			return err
		}
	}
	ledger, closeLedger, err := f.openLedger(ctx, !f.send)
	if err != nil {
		return err
	}
	defer closeLedger()
	var announced notify.Announcements = noAnnouncements{}
	if ledger != nil {
		announced = ledger
	}
	since, err := parseSince(f.since, m)
	if err != nil {
		return err
	}
	campaigns, err := notify.Plan(ctx, announced, hs, m.Now, since)
	if err != nil {
		return err
	}
	if len(campaigns) == 0 {
		fmt.Fprintln(e.stdout, "nothing to announce: no material change published since the last announcement")
		return nil
	}
	unreached := 0
	for _, c := range campaigns {
		n, err := f.runCampaign(ctx, e, m, c, ledger, key)
		if err != nil {
			return err
		}
		unreached += n
	}
	if unreached > 0 {
		return fmt.Errorf("%s not reached: see redline notify status, then run again (add --retry-failed to retry failures)", plural(unreached, "recipient"))
	}
	return nil
}

// runCampaign runs one campaign and prints its summary; it returns how many
// recipients were not reached.
func (f *notifyFlags) runCampaign(ctx context.Context, e *env, m *site.Model, c notify.Campaign, ledger notify.Ledger, key []byte) (int, error) {
	c = c.WithSite(siteValues(m))
	recipients, err := os.Open(f.recipients)
	if err != nil {
		return 0, err
	}
	defer recipients.Close()
	opts := notify.RunOptions{
		Campaign: c, Recipients: recipients, RecipientsName: f.recipients,
		TemplatesDir: filepath.Join(f.templates, "email"), Send: f.send, OutboxDir: f.outbox,
		SMTP: notify.SMTPConfig{URL: e.getenv("REDLINE_SMTP_URL"), Username: e.getenv("REDLINE_SMTP_USER"), Password: e.getenv("REDLINE_SMTP_PASSWORD"),
			HELO: f.ehlo, Timeout: f.timeout, DataTimeout: f.dataTimeout},
		Connections: f.connections, Rate: f.rate, MaxAttempts: f.attempts, RetryFailed: f.retryFailed, Lease: f.lease,
		UnsubscribeKey: key, Logger: f.logger(e),
		OnSkip: func(s notify.Skip) { fmt.Fprintf(e.stderr, "skipped %s\n", s) },
	}
	opts.Ledger = ledger // nil on a dry run without a ledger yet
	if dk, err := dkimConfig(e, m); err != nil {
		return 0, err
	} else {
		opts.DKIM = dk
	}
	if f.suppress != "" {
		s, err := os.Open(f.suppress)
		if err != nil {
			return 0, err
		}
		defer s.Close()
		opts.Suppress, opts.SuppressName = s, f.suppress
	}
	opts.Progress = progress(e, c.ID)
	fmt.Fprintf(e.stderr, "campaign %s: %s %s, covering %s\n", c.ID, c.Title, c.Version, strings.Join(c.Covers, ", "))
	sum, err := notify.Run(ctx, opts)
	if opts.Progress != nil {
		fmt.Fprintln(e.stderr)
	}
	fmt.Fprintln(e.stdout, sum)
	if err != nil {
		return 0, err
	}
	return sum.Unreached(), nil
}

// checkSend refuses a --send that cannot work, before any campaign is
// recorded: no or a malformed SMTP URL (the error never quotes it), or no
// mail.unsubscribe_url (the static site has no /unsubscribe to answer).
func (f *notifyFlags) checkSend(e *env, m *site.Model) error {
	cfg := notify.SMTPConfig{URL: e.getenv("REDLINE_SMTP_URL"), Username: e.getenv("REDLINE_SMTP_USER"), Password: e.getenv("REDLINE_SMTP_PASSWORD")}
	if cfg.URL == "" {
		return hinted{errors.New("--send needs REDLINE_SMTP_URL"), "export REDLINE_SMTP_URL=smtps://smtp.example.com:465 (credentials in REDLINE_SMTP_USER and REDLINE_SMTP_PASSWORD)"}
	}
	if err := notify.ValidateSMTP(cfg); err != nil {
		return fmt.Errorf("REDLINE_SMTP_URL: %w", err)
	}
	if m.Config.Mail.UnsubscribeURL == "" {
		return hinted{errors.New("--send needs mail.unsubscribe_url in site.yaml: the static site cannot take unsubscribes"),
			"run redline unsubscribe-server behind an https URL (see README, Unsubscribe server) and set mail.unsubscribe_url to it"}
	}
	return nil
}

// histories turns the analysed site into what the notifier plans over.
func (f *notifyFlags) histories(e *env) (*site.Model, []notify.History, error) {
	m, probs, err := f.load(e.getenv)
	if err != nil {
		return nil, nil, err
	}
	if err := report(e.stderr, probs); err != nil {
		return nil, nil, err
	}
	var hs []notify.History
	for _, d := range m.Docs {
		h := notify.History{Doc: d.Slug, Title: d.Title}
		for _, v := range d.Versions {
			vi := notify.VersionInfo{ID: v.ID, Hash: v.SHA256, Effective: v.Effective, Published: v.Published, Material: v.Material(), Summary: v.Summary}
			if v.Change != nil {
				vi.Changes = changeItems(v.Change)
			}
			h.Versions = append(h.Versions, vi)
		}
		hs = append(hs, h)
	}
	return m, hs, nil
}

// maxChangeItems bounds the detected changes an email lists per version:
// legal's summary comes first, the first five are shown and the rest sit
// behind "N more", and the redline page has every edit.
const maxChangeItems = 20

func changeItems(c *change.Change) []notify.ChangeItem {
	var items []notify.ChangeItem
	seen := map[[2]string]bool{}
	for _, r := range c.Reasons {
		if r.Level != change.Material || len(items) == maxChangeItems || seen[[2]string{r.Old, r.New}] {
			continue
		}
		seen[[2]string{r.Old, r.New}] = true // several rules may quote the same edit
		item := notify.ChangeItem{Level: r.Level.String(), Category: site.CategoryLabel(r.Category), Section: r.Section, Old: r.Old, New: r.New, Why: r.Why}
		for _, op := range r.Quote {
			item.Quote = append(item.Quote, notify.QuotePart{Op: op.Type, Text: op.Text})
		}
		items = append(items, item)
	}
	return items
}

func siteValues(m *site.Model) notify.Site {
	c := m.Config
	unsub := c.Mail.UnsubscribeURL
	if unsub == "" {
		unsub = c.BaseURL + "unsubscribe"
	}
	from := c.Mail.From
	if from == "" {
		from = c.Name + " <" + c.Contact + ">"
	}
	return notify.Site{Name: c.Name, BaseURL: c.BaseURL, From: from, ReplyTo: c.Mail.ReplyTo, UnsubscribeURL: unsub, UnsubscribeMailto: c.Mail.UnsubscribeMailto}
}

// openLedger opens the ledger. A dry run reads an existing ledger (to
// know what was announced and who unsubscribed) and never creates a file:
// without one it returns nil.
func (f *notifyFlags) openLedger(ctx context.Context, dryRun bool) (notify.Ledger, func(), error) {
	if dryRun && !notify.IsPostgresURL(f.state) {
		if _, err := os.Stat(f.state); errors.Is(err, os.ErrNotExist) {
			return nil, func() {}, nil
		}
	}
	l, err := openState(ctx, f.state, false)
	if err != nil {
		return nil, nil, err
	}
	return l, func() { l.Close() }, nil
}

func unsubscribeKey(e *env) ([]byte, error) {
	k := e.getenv("REDLINE_UNSUBSCRIBE_KEY")
	if len(k) < 16 {
		return nil, hinted{errors.New("REDLINE_UNSUBSCRIBE_KEY is missing or shorter than 16 characters"),
			"set it to a long random secret, e.g. export REDLINE_UNSUBSCRIBE_KEY=$(openssl rand -hex 32), and keep it: it signs every unsubscribe link"}
	}
	return []byte(k), nil
}

func dkimConfig(e *env, m *site.Model) (*notify.DKIMConfig, error) {
	pem := e.getenv("REDLINE_DKIM_KEY")
	d, s := m.Config.Mail.DKIMDomain, m.Config.Mail.DKIMSelector
	switch {
	case pem == "" && d == "" && s == "":
		return nil, nil
	case pem == "" || d == "" || s == "":
		return nil, errors.New("DKIM needs all of REDLINE_DKIM_KEY and mail.dkim_domain and mail.dkim_selector in site.yaml")
	}
	return &notify.DKIMConfig{Domain: d, Selector: s, KeyPEM: []byte(pem)}, nil
}

// parseSince reads --since: VERSION for every document that has it, or
// DOC=VERSION pairs separated by commas.
func parseSince(s string, m *site.Model) (map[string]string, error) {
	out := map[string]string{}
	if s == "" {
		return out, nil
	}
	for _, part := range strings.Split(s, ",") {
		doc, ver, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			ver, doc = doc, ""
		}
		found := false
		for _, d := range m.Docs {
			if (doc == "" || doc == d.Slug) && d.Version(ver) != nil {
				out[d.Slug], found = ver, true
			}
		}
		if !found {
			return nil, usageErr(fmt.Sprintf("--since %q: no document has version %q", part, ver))
		}
	}
	return out, nil
}

func (f *notifyFlags) logger(e *env) *slog.Logger {
	if !f.verbose {
		return nil
	}
	return slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// progress returns a progress line for a terminal, or nil.
func progress(e *env, id string) func(done, total int) {
	f, ok := e.stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	var last time.Time
	return func(done, total int) {
		if time.Since(last) < 100*time.Millisecond && done != total {
			return
		}
		last = time.Now()
		if total > 0 {
			fmt.Fprintf(f, "\r%s: %d/%d (%d%%)   ", id, done, total, done*100/total)
		} else {
			fmt.Fprintf(f, "\r%s: %d   ", id, done)
		}
	}
}

// noAnnouncements stands in for a ledger that does not exist yet (dry run).
type noAnnouncements struct{}

func (noAnnouncements) DocCampaigns(context.Context, string) ([]notify.CampaignRecord, error) {
	return nil, nil
}

// durableState refuses, in CI, a ledger that dies with the job: a relative
// --state, or one inside the workspace or the runner's temporary folder.
// The ledger is the record of who was told; a fresh one each run would tell
// everyone again.
func durableState(getenv func(string) string, state string) error {
	if ci := getenv("CI"); ci == "" || ci == "false" || ci == "0" || notify.IsPostgresURL(state) {
		return nil
	}
	hint := "keep the ledger on a persistent disk, e.g. --state /var/lib/redline/state.db on a self-hosted runner (README: Publishing from GitHub), or in PostgreSQL (--state postgres://…), or pass --allow-ephemeral-state if this workspace does persist"
	if !filepath.IsAbs(state) {
		return hinted{usageErr(fmt.Sprintf("--state %s is relative: in CI it would be inside the job's workspace, which is thrown away after the job", state)), hint}
	}
	wd, _ := os.Getwd()
	for _, place := range [][2]string{{"$GITHUB_WORKSPACE", getenv("GITHUB_WORKSPACE")}, {"$RUNNER_TEMP", getenv("RUNNER_TEMP")},
		{"$CI_PROJECT_DIR", getenv("CI_PROJECT_DIR")}, {"the current folder", wd}} {
		if rel, err := filepath.Rel(place[1], state); place[1] != "" && err == nil && filepath.IsLocal(rel) {
			return hinted{usageErr(fmt.Sprintf("--state %s is inside %s, part of the CI workspace, which is thrown away after the job", state, place[0])), hint}
		}
	}
	return nil
}
