package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/getspectr/redline/internal/content"
)

// newFlags makes a flag set that reports errors instead of exiting.
func newFlags(name, args string, w io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(w)
	fs.Usage = func() {
		fmt.Fprintf(w, "Usage: redline %s%s\n\nFlags:\n", name, args)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags that may come before, between or after positional
// arguments, and returns the positional ones. --help prints the usage and
// is not an error; a flag mistake is reported once, by the caller, with a
// one-line hint instead of the whole usage.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	out, usage := fs.Output(), fs.Usage
	fs.SetOutput(io.Discard) // the flag package's own report, and its usage, are left out
	fs.Usage = func() {}
	defer func() { fs.SetOutput(out); fs.Usage = usage }()
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.SetOutput(out)
				usage()
				return nil, flag.ErrHelp
			}
			return nil, usageErr(err.Error()) // run adds the pointer to the usage

		}
		rest := fs.Args()
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), nil // flag.Parse ate the "--"
		}
		args = rest
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// buildDate resolves --now: the flag, else SOURCE_DATE_EPOCH, else today
// (UTC), as a date at midnight UTC.
func buildDate(flagValue string, getenv func(string) string) (time.Time, error) {
	if flagValue != "" {
		t, ok := content.ParseDate(flagValue)
		if !ok {
			return time.Time{}, usageErr(fmt.Sprintf("--now %q is not a date (write YYYY-MM-DD)", flagValue))
		}
		return t, nil
	}
	if s := getenv("SOURCE_DATE_EPOCH"); s != "" {
		sec, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH %q is not a number of seconds", s)
		}
		return day(time.Unix(sec, 0)), nil
	}
	return day(time.Now()), nil
}

func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
