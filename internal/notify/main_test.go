package notify_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/getspectr/redline/internal/notify"
	"github.com/getspectr/redline/internal/pgtest"
)

// helperEnv makes the test binary act as a sender process (see crashHelper):
// the crash test re-executes itself with it and kills the child with -9.
const helperEnv = "REDLINE_NOTIFY_HELPER"

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) == "send" {
		os.Exit(crashHelper())
	}
	os.Exit(pgtest.Main(m))
}

// crashHelper sends a campaign like the CLI would, configured by environment.
func crashHelper() int {
	ctx := context.Background()
	l, err := notify.OpenLedger(ctx, os.Getenv("HELPER_LEDGER")) // a file or a postgres:// URL
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer l.Close()
	f, err := os.Open(os.Getenv("HELPER_CSV"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer f.Close()
	c, err := campaignFixture()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	conns, _ := strconv.Atoi(os.Getenv("HELPER_CONNS"))
	opts := sendOptions(c, l, "", os.Getenv("HELPER_SMTP"))
	opts.Recipients = f
	opts.Connections = conns
	opts.Rate, _ = strconv.ParseFloat(os.Getenv("HELPER_RATE"), 64)
	opts.SenderID = os.Getenv("HELPER_SENDER")                    // "" makes one up
	opts.Lease, _ = time.ParseDuration(os.Getenv("HELPER_LEASE")) // "" or 0: the default
	sum, err := notify.Run(ctx, opts)
	fmt.Fprint(os.Stderr, sum)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}
