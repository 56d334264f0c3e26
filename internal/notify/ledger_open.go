package notify

import (
	"context"
	"errors"
	"net/url"
	"os"
	"strings"
)

// OpenLedger opens the ledger that state names: a postgres:// or
// postgresql:// URL opens PostgreSQL (the password from the URL or the
// standard PG* variables, never shown), anything else is the path of a
// SQLite file, created if missing. Both are migrated to the current schema
// on first use.
func OpenLedger(ctx context.Context, state string) (Ledger, error) {
	if IsPostgresURL(state) {
		return OpenPostgres(ctx, state)
	}
	return OpenSQLite(ctx, state)
}

// IsPostgresURL reports whether state is a PostgreSQL URL rather than a file.
func IsPostgresURL(state string) bool {
	s := strings.ToLower(state)
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// DescribeState is state as messages may show it: a file path as it is, a
// URL without its password or query.
func DescribeState(state string) string {
	if !IsPostgresURL(state) {
		return state
	}
	pu, err := parsePostgresURL(state)
	if err != nil {
		return "postgres://…"
	}
	return pu.shown
}

// postgresURL is a checked --state URL and what must never be shown of it.
type postgresURL struct {
	raw     string   // re-encoded: pgx splits user info at the first @, url.Parse at the last
	shown   string   // scheme://user@host/db, for messages
	secrets []string // the password as written and decoded, and PGPASSWORD
}

const pgCredentialsHint = "percent-encode the password's special characters (url.UserPassword does it), or leave it out of the URL and set PGPASSWORD"

// parsePostgresURL checks the URL before pgx sees it, so that no parse
// error of a URL (which quotes the URL, or the bad part of the password)
// reaches a message.
func parsePostgresURL(raw string) (postgresURL, error) {
	pu := postgresURL{}
	if p := os.Getenv("PGPASSWORD"); p != "" {
		pu.secrets = append(pu.secrets, p)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return pu, errors.New("ledger: the PostgreSQL URL is malformed; " + pgCredentialsHint)
	}
	if strings.Contains(u.Path+u.RawQuery+u.Fragment+u.Host, "@") || u.User == nil && strings.Contains(raw, "@") {
		return pu, errors.New("ledger: the PostgreSQL URL's user name or password did not parse; " + pgCredentialsHint)
	}
	if u.Fragment != "" || strings.Contains(raw, "#") {
		return pu, errors.New("ledger: the PostgreSQL URL must not have a #fragment; " + pgCredentialsHint)
	}
	if u.User != nil {
		if p, ok := u.User.Password(); ok && p != "" {
			_, enc, _ := strings.Cut(u.User.String(), ":")
			pu.secrets = append(pu.secrets, p, enc, url.PathEscape(p), url.QueryEscape(p))
		}
	}
	for _, k := range []string{"password", "sslpassword"} {
		if p := u.Query().Get(k); p != "" {
			pu.secrets = append(pu.secrets, p, url.QueryEscape(p))
		}
	}
	shown := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}
	if u.User != nil {
		shown.User = url.User(u.User.Username())
	}
	pu.shown = shown.String()
	pu.raw = u.String()
	return pu, nil
}

// scrub is err with every secret of the URL masked, still unwrapping to err.
func (pu postgresURL) scrub(err error) error {
	if err == nil {
		return nil
	}
	return &scrubbedError{err: err, secrets: pu.secrets}
}

type scrubbedError struct {
	err     error
	secrets []string
}

func (e *scrubbedError) Error() string {
	msg := e.err.Error()
	for _, s := range e.secrets {
		if len(s) >= 1 {
			msg = strings.ReplaceAll(msg, s, "xxxxx")
		}
	}
	return msg
}

func (e *scrubbedError) Unwrap() error { return e.err }
