// Command redline publishes legal policies as a static site and tells users
// when a policy changes in a way that matters. See README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

func main() {
	ctx, stop := interruptible(context.Background(), os.Stderr, os.Exit)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// env is what every command gets: the streams and the process environment.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

func commands() []command {
	return []command{
		{"build", "render content/ into dist/", runBuild},
		{"check", "validate content/ and the materiality gate; write nothing", runCheck},
		{"diff", "show what changed between two versions, and whether it is material", runDiff},
		{"new", "start a new version of a document", runNew},
		{"serve", "preview the site locally, rebuilding on every change", runServe},
		{"notify", "email users about material changes (dry run unless --send)", runNotify},
		{"unsubscribe-server", "serve one-click unsubscribe links (RFC 8058)", runUnsubscribeServer},
		{"review", "the redline of every document changed since a git ref, as a pull-request comment", runReview},
		{"version", "print the version of redline and how it was built", runVersion},
		{"help", "show the help of a command: redline help COMMAND", nil},
	}
}

// run is the whole program: main only turns its error into an exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv}
	if len(args) == 0 {
		return hinted{usageErr("no command given"), "run redline help for the list of commands"}
	}
	switch args[0] {
	case "-h", "-help", "--help":
		usage(stdout)
		return nil
	case "help":
		return runHelp(ctx, e, args[1:])
	case "-version", "--version":
		return runVersion(ctx, e, nil)
	}
	c := lookup(args[0])
	if c == nil {
		return hinted{usageErr(fmt.Sprintf("unknown command %q", args[0])), "run redline help for the list of commands"}
	}
	err := c.run(ctx, e, args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return nil // the flag set printed the usage
	}
	return withUsageHint(err, c.name)
}

// withUsageHint gives a usage mistake that has no hint of its own the
// one-line pointer to the command's usage.
func withUsageHint(err error, name string) error {
	var u usageError
	var h hinted
	if errors.As(err, &u) && !errors.As(err, &h) {
		return hinted{err, fmt.Sprintf("run redline help %s for its usage", name)}
	}
	return err
}

func lookup(name string) *command {
	for _, c := range commands() {
		if c.name == name && c.run != nil {
			return &c
		}
	}
	return nil
}

// runHelp prints the list of commands, or one command's usage, on stdout.
func runHelp(ctx context.Context, e *env, args []string) error {
	switch {
	case len(args) == 0:
		usage(e.stdout)
		return nil
	case len(args) > 1:
		return hinted{usageErr("help wants one command name"), "e.g. redline help diff"}
	}
	c := lookup(args[0])
	if c == nil {
		return hinted{usageErr(fmt.Sprintf("no command %q", args[0])), "run redline help for the list of commands"}
	}
	toStdout := *e
	toStdout.stderr = e.stdout
	if err := c.run(ctx, &toStdout, []string{"--help"}); !errors.Is(err, flag.ErrHelp) {
		return err
	}
	return nil
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "redline publishes legal policies as a static site and tells users about material changes.")
	fmt.Fprintln(w, "\nUsage: redline COMMAND [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-19s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun redline help COMMAND (or redline COMMAND --help) for a command's flags.")
}

// usageError is a mistake in the command line: exit code 2.
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func usageErr(msg string) error { return usageError{msg} }

// hinted is an error with a line of advice printed after it.
type hinted struct {
	err  error
	hint string
}

func (h hinted) Error() string { return h.err.Error() }
func (h hinted) Unwrap() error { return h.err }

// silent is an error whose details were already printed.
var errSilent = errors.New("")

func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	var u usageError
	var h hinted
	switch {
	case errors.Is(err, errSilent):
	case errors.As(err, &h):
		fmt.Fprintf(stderr, "redline: %s\nhint: %s\n", lower(err.Error()), h.hint)
	default:
		fmt.Fprintf(stderr, "redline: %s\n", lower(err.Error()))
	}
	if errors.As(err, &u) {
		return 2
	}
	return 1
}

// lower starts a message in lower case, unless it starts with a name
// written in capitals ("REDLINE_SMTP_URL is …", "SMTP …").
func lower(s string) string {
	if len(s) < 2 || s[1] < 'a' || s[1] > 'z' {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
