package notify_test

import (
	"context"
	"testing"
	"time"

	"github.com/getspectr/redline/internal/notify"
	"github.com/getspectr/redline/internal/testwait"
)

// TestRateWaitRecordsLastOutcome: a connection that waits for the rate
// limit first makes its last outcome durable. Otherwise a sender killed
// during the wait would leave a message the server accepted as "sending",
// and the next run would send it twice. At one message an hour the second
// message waits an hour; the first must be recorded sent long before.
func TestRateWaitRecordsLastOutcome(t *testing.T) {
	sk := startSink(t, nil)
	l, _ := openLedger(t)
	c := testCampaign(t)
	opts := sendOptions(c, l, recipientsCSV(2), sk.URL())
	opts.Connections = 1
	opts.Rate = 1.0 / 3600

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := notify.Run(ctx, opts)
		done <- err
	}()
	defer func() {
		cancel()
		<-done
	}()

	deadline := testwait.Deadline(t)
	first := csvEmail(0)
	for {
		d, ok, err := l.Lookup(context.Background(), c.ID, first)
		if err != nil {
			t.Fatal(err)
		}
		if ok && d.State == notify.StateSent {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s is %q in the ledger while the sender waits for the rate limit; want sent", first, d.State)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if got := sk.Accepted(); got[first] != 1 || len(got) != 1 {
		t.Errorf("the server accepted %v; want only %s, once (the second message waits for the rate)", got, first)
	}
}
