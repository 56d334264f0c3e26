package notify_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getspectr/redline/internal/notify"
)

// TestDryRun writes one .eml per recipient and touches neither SMTP nor the
// ledger's delivery state.
func TestDryRun(t *testing.T) {
	sk := startSink(t, nil)
	l, _ := openLedger(t)
	c := testCampaign(t)
	outbox := filepath.Join(t.TempDir(), "outbox")
	opts := sendOptions(c, l, recipientsCSV(25)+"bad,,\n", sk.URL())
	opts.Send = false // the default
	opts.OutboxDir = outbox
	sum, err := notify.Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if !sum.DryRun || sum.Written != 25 || sum.Sent != 0 || sum.Skipped[notify.SkipInvalid] != 1 || sum.Unreached() != 0 {
		t.Fatalf("summary:\n%s", sum)
	}
	if _, conns := sk.Stats(); conns != 0 {
		t.Fatalf("dry run opened %d SMTP connections", conns)
	}
	if _, err := l.Status(context.Background(), c.ID); !errors.Is(err, notify.ErrNoCampaign) {
		t.Fatalf("dry run wrote to the ledger: %v", err)
	}
	files, _ := filepath.Glob(filepath.Join(outbox, "*.eml"))
	if len(files) != 25 {
		t.Fatalf("%d .eml files", len(files))
	}
	raw, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	p := parseMessage(t, raw)
	id := strings.Trim(p.header.Get("Message-ID"), "<>")
	if filepath.Base(files[0]) != id[:strings.IndexByte(id, '@')]+".eml" {
		t.Errorf("file %s holds Message-ID %s", files[0], id)
	}

	// After a real run reached some, a dry run leaves them out.
	send := sendOptions(c, l, recipientsCSV(10), sk.URL())
	if _, err := notify.Run(context.Background(), send); err != nil {
		t.Fatal(err)
	}
	opts.Recipients = strings.NewReader(recipientsCSV(25))
	opts.OutboxDir = t.TempDir()
	sum, err = notify.Run(context.Background(), opts)
	if err != nil || sum.Written != 15 || sum.AlreadySent != 10 {
		t.Fatalf("dry run after a partial send: %v\n%s", err, sum)
	}
	if received, _ := sk.Stats(); received != 10 {
		t.Fatalf("sink received %d", received)
	}
}
