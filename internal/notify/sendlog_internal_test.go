package notify

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// sendlogLedger opens a ledger with one campaign of three pending rows and
// returns it with their deliveries.
func sendlogLedger(t *testing.T) (*SQLiteLedger, []Delivery) {
	t.Helper()
	ctx := context.Background()
	l, err := OpenSQLite(ctx, filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	if _, err := l.OpenCampaign(ctx, CampaignRecord{ID: "c", Doc: "privacy", Version: "v2", Hash: "h2"}); err != nil {
		t.Fatal(err)
	}
	var es []Entry
	for i := range 3 {
		es = append(es, Entry{Email: fmt.Sprintf("user%d@example.com", i), Line: i + 2, State: StatePending})
	}
	if err := l.Enqueue(ctx, "c", 1, es); err != nil {
		t.Fatal(err)
	}
	ds, err := l.Claim(ctx, "c", 0, 10)
	if err != nil || len(ds) != 3 {
		t.Fatalf("claim: %v, %d rows", err, len(ds))
	}
	return l, ds
}

// openAgain opens the ledger at l's path again, as the next command would.
func openAgain(t *testing.T, l *SQLiteLedger) (*SQLiteLedger, error) {
	t.Helper()
	l2, err := OpenSQLite(context.Background(), l.path)
	if err == nil {
		t.Cleanup(func() { l2.Close() })
	}
	return l2, err
}

func rows(t *testing.T, l *SQLiteLedger) []Delivery {
	t.Helper()
	var out []Delivery
	for i := range 3 {
		d, ok, err := l.Lookup(context.Background(), "c", fmt.Sprintf("user%d@example.com", i))
		if err != nil || !ok {
			t.Fatalf("lookup %d: %v %v", i, ok, err)
		}
		out = append(out, d)
	}
	return out
}

var at = time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)

// writeKilled writes what a run does for two messages (the first sent, the
// second in flight) and stops as a killed run would: nothing applied.
func writeKilled(t *testing.T, l *SQLiteLedger, ds []Delivery) {
	t.Helper()
	s, err := l.newSendlog()
	if err != nil {
		t.Fatal(err)
	}
	steps := [][]Update{
		{{ID: ds[0].ID, State: StateSending, MessageID: "<m0@x>", Attempt: true, At: at, AttemptsAfter: 1}},
		{{ID: ds[0].ID, State: StateSent, Reply: "250 queued as A\t\"1\"", At: at.Add(time.Second), AttemptsAfter: 1},
			{ID: ds[1].ID, State: StateSending, MessageID: "<m1@x>", Attempt: true, Uncertain: true, At: at.Add(2 * time.Second), AttemptsAfter: 3, UncertainAfter: 1}},
	}
	for _, ups := range steps {
		if err := s.commitAsync(ups...).wait(); err != nil {
			t.Fatal(err)
		}
	}
	s.f.Close() // killed: the writer never ran
}

// A killed run's journal is applied by the next process that opens the
// ledger, and removed; the rows read as if each update had been recorded.
func TestSendlogReplayAfterKill(t *testing.T) {
	l, ds := sendlogLedger(t)
	writeKilled(t, l, ds)
	if got := rows(t, l); got[0].State != StatePending {
		t.Fatalf("before replay the ledger should not have the journal's updates: %+v", got[0])
	}
	l2, err := openAgain(t, l)
	if err != nil {
		t.Fatal(err)
	}
	got := rows(t, l2)
	if d := got[0]; d.State != StateSent || d.Attempts != 1 || d.MessageID != "<m0@x>" || d.Reply != "250 queued as A\t\"1\"" ||
		!d.Sent.Equal(at.Add(time.Second)) || d.VersionHash != "h2" {
		t.Errorf("sent row after replay: %+v", d)
	}
	if d := got[1]; d.State != StateSending || d.Attempts != 3 || d.Uncertain != 1 || d.MessageID != "<m1@x>" || !d.Sent.IsZero() {
		t.Errorf("in-flight row after replay: %+v", d)
	}
	if d := got[2]; d.State != StatePending || d.Attempts != 0 {
		t.Errorf("untouched row after replay: %+v", d)
	}
	if left, _ := l.sendlogFiles(); len(left) != 0 {
		t.Errorf("journal files left after replay: %v", left)
	}
}

// Applying a journal again (killed after the transaction, before the file
// was removed) changes nothing: the records hold counts, not increments.
func TestSendlogReplayTwiceChangesNothing(t *testing.T) {
	l, ds := sendlogLedger(t)
	writeKilled(t, l, ds)
	files, _ := l.sendlogFiles()
	saved := map[string][]byte{}
	for _, f := range files {
		saved[f], _ = os.ReadFile(f)
	}
	l2, err := openAgain(t, l)
	if err != nil {
		t.Fatal(err)
	}
	once := rows(t, l2)
	for f, data := range saved {
		if err := os.WriteFile(f, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	l3, err := openAgain(t, l)
	if err != nil {
		t.Fatal(err)
	}
	if twice := rows(t, l3); !reflect.DeepEqual(once, twice) {
		t.Errorf("applied twice:\n%+v\nonce:\n%+v", twice, once)
	}
}

// A record whose write was cut short is the last line and is dropped; a
// damaged record before others stops the open with the file and line.
func TestSendlogDamaged(t *testing.T) {
	l, ds := sendlogLedger(t)
	writeKilled(t, l, ds)
	name := l.sendlogName(1)
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	torn := appendSendlogRecord(nil, Update{ID: ds[2].ID, State: StateSending, MessageID: "<m2@x>", AttemptsAfter: 1})
	if err := os.WriteFile(name, append(append([]byte{}, data...), torn[:len(torn)-9]...), 0o600); err != nil {
		t.Fatal(err)
	}
	l2, err := openAgain(t, l)
	if err != nil {
		t.Fatalf("a torn last record should be dropped: %v", err)
	}
	if got := rows(t, l2); got[0].State != StateSent || got[2].State != StatePending {
		t.Errorf("after a torn record: %+v", got)
	}

	// The first record (line 2) damaged, others after it.
	writeKilled(t, l, ds)
	data, _ = os.ReadFile(name)
	lines := strings.SplitAfter(string(data), "\n")
	lines[1] = strings.Replace(lines[1], "sending", "sendinG", 1)
	if err := os.WriteFile(name, []byte(strings.Join(lines, "")), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = openAgain(t, l)
	if err == nil || !strings.Contains(err.Error(), name+":2: damaged send journal record") || !strings.Contains(err.Error(), "move the file away") {
		t.Fatalf("open with a damaged record: %v", err)
	}

	// A journal from a newer redline.
	if err := os.WriteFile(name, []byte("redline send journal 9\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err = openAgain(t, l); err == nil || !strings.Contains(err.Error(), name+":1: not a send journal this redline can read") {
		t.Fatalf("open with a newer journal: %v", err)
	}

	// A record for a delivery the ledger does not hold.
	rec := appendSendlogRecord([]byte(sendlogHeader), Update{ID: 999, State: StateSent, AttemptsAfter: 1})
	if err := os.WriteFile(name, rec, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err = openAgain(t, l); err == nil || !strings.Contains(err.Error(), "delivery 999 not found") {
		t.Fatalf("open with a journal naming no delivery: %v", err)
	}
}

// While a run holds the send lock its journal is its own: other processes
// leave it alone, and the run applies it as it goes and removes it at the
// end.
func TestSendlogLeftToTheLiveRun(t *testing.T) {
	l, ds := sendlogLedger(t)
	unlock, err := l.LockSending()
	if err != nil {
		t.Fatal(err)
	}
	s, err := l.openSendlog()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.commit(Update{ID: ds[0].ID, State: StateSending, MessageID: "<m0@x>", At: at, AttemptsAfter: 1}); err != nil {
		t.Fatal(err)
	}
	l2, err := openAgain(t, l)
	if err != nil {
		t.Fatal(err)
	}
	if files, _ := l.sendlogFiles(); len(files) == 0 {
		t.Fatal("another process removed the live run's journal")
	}
	if err := s.commit(Update{ID: ds[0].ID, State: StateSent, Reply: "250 ok", At: at, AttemptsAfter: 1}); err != nil {
		t.Fatal(err)
	}
	if err := s.close(); err != nil {
		t.Fatal(err)
	}
	unlock()
	if files, _ := l.sendlogFiles(); len(files) != 0 {
		t.Errorf("journal files left after the run: %v", files)
	}
	if d := rows(t, l2)[0]; d.State != StateSent || d.Attempts != 1 || d.MessageID != "<m0@x>" {
		t.Errorf("row after the run: %+v", d)
	}
	if err := s.commit(Update{ID: ds[1].ID, State: StateSending}); err != errCommitterClosed {
		t.Errorf("commit after close: %v", err)
	}
}

func TestSendlogRecordRoundTrip(t *testing.T) {
	for _, u := range []Update{
		{ID: 1, State: StateSending, MessageID: "<a@b>", AttemptsAfter: 1, At: at},
		{ID: 1 << 40, State: StateFailed, Reason: "gave up after 5 attempts: 451 try\tlater\n", Reply: "451 \"later\" ünïcode", AttemptsAfter: 5, UncertainAfter: 2, At: at.Add(time.Nanosecond)},
		{ID: 7, State: StatePending},
	} {
		rec := appendSendlogRecord(nil, u)
		if strings.Count(string(rec), "\n") != 1 || rec[len(rec)-1] != '\n' {
			t.Fatalf("record is not one line: %q", rec)
		}
		got, err := parseSendlogRecord(rec[:len(rec)-1])
		if err != nil {
			t.Fatalf("%q: %v", rec, err)
		}
		u.Attempt, u.Uncertain = false, false // not recorded: the counts are
		if !reflect.DeepEqual(got, u) {
			t.Errorf("round trip:\n got %+v\nwant %+v", got, u)
		}
	}
}

// FuzzSendlogRecord: any line parses or fails without panicking, and every
// update survives the round trip.
func FuzzSendlogRecord(f *testing.F) {
	f.Add(int64(3), "sent", 2, 1, int64(1764669600000000000), "reason", "250 ok", "<m@x>", []byte("00000000\t1\tsent"))
	f.Fuzz(func(t *testing.T, id int64, state string, attempts, uncertain int, ns int64, reason, reply, msgID string, line []byte) {
		_, _ = parseSendlogRecord(line)
		if attempts < 0 || uncertain < 0 || ns == 0 {
			return
		}
		u := Update{ID: id, State: StateSent, Reason: reason, Reply: reply, MessageID: msgID, AttemptsAfter: attempts, UncertainAfter: uncertain, At: time.Unix(0, ns).UTC()}
		if state == "pending" {
			u.State = StatePending
		}
		rec := appendSendlogRecord(nil, u)
		got, err := parseSendlogRecord(rec[:len(rec)-1])
		if err != nil || !reflect.DeepEqual(got, u) {
			t.Fatalf("round trip of %+v: %+v, %v", u, got, err)
		}
	})
}
