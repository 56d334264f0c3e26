package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// interruptible returns a context cancelled by the first SIGINT or SIGTERM:
// a notify run then stops cleanly, recording the messages in flight (which
// may take as long as a server's reply). A second signal exits at once with
// status 130; what was in flight stays "sending" in the ledger and the next
// run resends it as uncertain, with the same Message-ID. stop releases the
// signals.
func interruptible(parent context.Context, stderr io.Writer, exit func(int)) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancel(parent)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case <-sigs:
		case <-done:
			return
		}
		fmt.Fprintln(stderr, "redline: stopping after the messages in flight; interrupt again to stop now")
		cancel()
		select {
		case <-sigs:
			fmt.Fprintln(stderr, "redline: stopped now; run again to resume (messages in flight are resent with the same Message-ID)")
			exit(130)
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(done)
		cancel()
	}
}
