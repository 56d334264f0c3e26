package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The send journal is how a run on a SQLite ledger makes each state change
// durable before the end of DATA without a database transaction per
// message: the change is appended to <ledger>.sendlog.<n> with one write,
// and a background writer applies what has gathered to the ledger in one
// transaction every sendlogApplyEvery (or sendlogApplyRows updates).
//
// A write is as durable as a SQLite commit in the ledger's mode (WAL,
// synchronous=NORMAL, which writes the WAL without fsync): once write
// returns, the record is in the kernel's cache and survives the process
// being killed, kill -9 included. A record holds the row's values after the
// update (the attempt counts included), so applying a record twice changes
// nothing: after each transaction the writer starts a new file and removes
// the applied one, and whatever a killed run left is applied when the ledger
// is next opened by a process that can take the send lock, before anything
// reads or sends from it.
const (
	sendlogApplyRows  = 512
	sendlogApplyEvery = 20 * time.Millisecond
	sendlogHeader     = "redline send journal 1\n"
)

// recorder makes a run's state changes durable: the committer (group
// commit into the ledger) or the send journal.
type recorder interface {
	commit(ups ...Update) error
	commitAsync(ups ...Update) *ticket
	close() error
	stats() (transactions, updates int)
}

// newRecorder returns what records a run's state changes in l: the send
// journal on a SQLite ledger, the group commit on any other.
func newRecorder(l Ledger, connections int) (recorder, error) {
	if sl, ok := l.(*SQLiteLedger); ok {
		return sl.openSendlog()
	}
	return newCommitter(l, connections), nil
}

// sendlog is one run's send journal.
type sendlog struct {
	l *SQLiteLedger

	mu    sync.Mutex
	f     *os.File // the file being written
	n     int      // its number
	queue []Update // written, not yet applied
	buf   []byte
	err   error // sticky: a write failed, nothing more is recorded
	// applyErr is sticky too: moving the journal into the ledger failed.
	// Outcomes are still written (the server has those messages), but no
	// new "sending": the run stops.
	applyErr error
	closed   bool

	kick chan struct{}
	done chan struct{}
	// Written by the writer goroutine only; read after done.
	batches, updates int
}

func (l *SQLiteLedger) sendlogName(n int) string { return fmt.Sprintf("%s.sendlog.%d", l.path, n) }

// openSendlog starts a send journal. The caller holds the send lock, and
// the journal a killed run left has been applied (LockSending does it).
func (l *SQLiteLedger) openSendlog() (*sendlog, error) {
	s, err := l.newSendlog()
	if err != nil {
		return nil, err
	}
	go s.loop()
	return s, nil
}

// newSendlog creates the journal's first file; loop is the writer.
func (l *SQLiteLedger) newSendlog() (*sendlog, error) {
	s := &sendlog{l: l, kick: make(chan struct{}, 1), done: make(chan struct{})}
	f, err := s.create(1)
	if err != nil {
		return nil, err
	}
	s.f, s.n = f, 1
	return s, nil
}

func (s *sendlog) create(n int) (*os.File, error) {
	name := s.l.sendlogName(n)
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, fmt.Errorf("ledger: send journal: %w", err)
	}
	if _, err := f.WriteString(sendlogHeader); err != nil {
		f.Close()
		return nil, fmt.Errorf("ledger: send journal %s: %w", name, err)
	}
	return f, nil
}

// stoppedError is commit's error once the journal cannot be applied: the
// outcomes handed in were written, a new "sending" was not, and the run
// must stop.
type stoppedError struct{ err error }

func (e *stoppedError) Error() string {
	return e.err.Error() + "; what was sent is in the send journal, which the next command to open the ledger applies once the cause is fixed"
}

func (e *stoppedError) Unwrap() error { return e.err }

// commit makes ups durable: it returns once they are written.
func (s *sendlog) commit(ups ...Update) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return errCommitterClosed
	case s.err != nil:
		return s.err
	}
	var stopped error
	if s.applyErr != nil {
		stopped = &stoppedError{s.applyErr}
		ups = slices.DeleteFunc(slices.Clone(ups), func(u Update) bool { return u.Attempt })
		if len(ups) == 0 {
			return stopped
		}
	}
	buf := s.buf[:0]
	for _, u := range ups {
		buf = appendSendlogRecord(buf, u)
	}
	s.buf = buf
	if _, err := s.f.Write(buf); err != nil {
		// A short write leaves a torn last line, which replay drops: the
		// update was not made durable, and nothing is written after it.
		s.err = fmt.Errorf("ledger: send journal %s: %w", s.l.sendlogName(s.n), err)
		return s.err
	}
	s.queue = append(s.queue, ups...)
	if len(s.queue) >= sendlogApplyRows {
		select {
		case s.kick <- struct{}{}:
		default:
		}
	}
	return stopped
}

// commitAsync is commit: a write takes microseconds, so the ticket is
// settled when it is returned.
func (s *sendlog) commitAsync(ups ...Update) *ticket {
	t := &ticket{errc: make(chan error, 1)}
	t.errc <- s.commit(ups...)
	return t
}

// close applies what is written, removes the journal and stops the writer.
// An error means some updates are only in the journal: the next run (or
// any command opening the ledger) applies them.
func (s *sendlog) close() error {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	select {
	case s.kick <- struct{}{}:
	default:
	}
	<-s.done
	if s.err != nil {
		return s.err
	}
	if s.applyErr != nil {
		return &stoppedError{s.applyErr}
	}
	return nil
}

func (s *sendlog) stats() (int, int) { return s.batches, s.updates }

func (s *sendlog) loop() {
	defer close(s.done)
	tick := time.NewTicker(sendlogApplyEvery)
	defer tick.Stop()
	for {
		select {
		case <-s.kick:
		case <-tick.C:
		}
		if stop := s.apply(); stop {
			s.mu.Lock()
			_ = s.f.Close() // closed already unless an error left it
			s.mu.Unlock()
			return
		}
	}
}

// apply moves the queued updates into the ledger in one transaction,
// after starting a new file for what comes next; once they are in, the
// file that held them is removed. It reports whether the writer is done.
func (s *sendlog) apply() (stop bool) {
	s.mu.Lock()
	batch, old, oldN, closed := s.queue, s.f, s.n, s.closed
	if s.err != nil || s.applyErr != nil {
		s.mu.Unlock()
		return closed // the run stops at its next commit; the files stay for the next one
	}
	if len(batch) > 0 && !closed {
		f, err := s.create(s.n + 1)
		if err != nil {
			s.err = err
			s.mu.Unlock()
			return false
		}
		s.f, s.n = f, s.n+1
		s.queue = nil // the batch is the writer's until it is applied
	}
	s.mu.Unlock()
	if len(batch) > 0 {
		if err := s.l.applySendlog(context.Background(), mergeImages(batch)); err != nil {
			s.mu.Lock()
			s.applyErr = fmt.Errorf("ledger: applying the send journal: %w", err)
			s.mu.Unlock()
			return closed
		}
		s.batches++
		s.updates += len(batch)
	}
	if closed || len(batch) > 0 {
		// Applied: this file's records are in the ledger.
		old.Close()
		if err := os.Remove(s.l.sendlogName(oldN)); err != nil {
			s.mu.Lock()
			s.err = fmt.Errorf("ledger: send journal: %w", err)
			s.mu.Unlock()
			return closed
		}
	}
	return closed
}

// appendSendlogRecord encodes u as one line: a CRC-32 of the rest, then
// tab-separated id, state, attempts and uncertain resends after the
// update, time (Unix ns), and the quoted reason, reply and Message-ID.
func appendSendlogRecord(buf []byte, u Update) []byte {
	start := len(buf)
	buf = append(buf, "00000000\t"...)
	body := len(buf)
	buf = strconv.AppendInt(buf, u.ID, 10)
	buf = append(buf, '\t')
	buf = append(buf, u.State...)
	buf = append(buf, '\t')
	buf = strconv.AppendInt(buf, int64(u.AttemptsAfter), 10)
	buf = append(buf, '\t')
	buf = strconv.AppendInt(buf, int64(u.UncertainAfter), 10)
	buf = append(buf, '\t')
	var at int64
	if !u.At.IsZero() {
		at = u.At.UnixNano()
	}
	buf = strconv.AppendInt(buf, at, 10)
	for _, s := range [...]string{u.Reason, u.Reply, u.MessageID} {
		buf = append(buf, '\t')
		buf = strconv.AppendQuoteToASCII(buf, s)
	}
	const hex = "0123456789abcdef"
	sum := crc32.ChecksumIEEE(buf[body:])
	for i := 7; i >= 0; i-- {
		buf[start+i] = hex[sum&0xf]
		sum >>= 4
	}
	return append(buf, '\n')
}

// errTorn marks a record whose write did not complete.
var errTorn = errors.New("incomplete, or its checksum does not match")

// parseSendlogRecord decodes one line (without its newline).
func parseSendlogRecord(line []byte) (Update, error) {
	var u Update
	f := strings.Split(string(line), "\t")
	if len(f) != 9 || len(f[0]) != 8 {
		return u, errTorn
	}
	sum, err := strconv.ParseUint(f[0], 16, 32)
	if err != nil || uint32(sum) != crc32.ChecksumIEEE(line[9:]) {
		return u, errTorn
	}
	// The checksum matched: from here on, a bad field is not a torn write.
	if u.ID, err = strconv.ParseInt(f[1], 10, 64); err != nil {
		return u, fmt.Errorf("delivery id: %w", err)
	}
	u.State = State(f[2])
	if !slices.Contains([]State{StatePending, StateSending, StateSent, StateFailed, StateSkipped}, u.State) {
		return u, fmt.Errorf("unknown state %q", f[2])
	}
	ints := [3]int64{}
	for i := range ints {
		if ints[i], err = strconv.ParseInt(f[3+i], 10, 64); err != nil || ints[i] < 0 {
			return u, fmt.Errorf("field %d: not a count: %q", 4+i, f[3+i])
		}
	}
	u.AttemptsAfter, u.UncertainAfter = int(ints[0]), int(ints[1])
	if ints[2] != 0 {
		u.At = time.Unix(0, ints[2]).UTC()
	}
	for i, p := range []*string{&u.Reason, &u.Reply, &u.MessageID} {
		if *p, err = strconv.Unquote(f[6+i]); err != nil {
			return u, fmt.Errorf("field %d: %w", 7+i, err)
		}
	}
	return u, nil
}

// image is what a run's updates leave of one delivery row: applying an
// image twice gives the same row.
type image struct {
	id                   int64
	state                State
	reason, reply, msgID string // reply and msgID: "" keeps the row's
	attempts, uncertain  int
	at, sentAt           time.Time // sentAt zero: keeps the row's
	sending              bool      // it was sent: version_hash is the campaign's
}

func (m *image) merge(u Update) {
	m.state, m.reason = u.State, u.Reason
	if u.Reply != "" {
		m.reply = u.Reply
	}
	if u.MessageID != "" {
		m.msgID = u.MessageID
	}
	m.attempts, m.uncertain, m.at = u.AttemptsAfter, u.UncertainAfter, u.At
	switch u.State {
	case StateSent:
		m.sentAt = u.At
	case StateSending:
		m.sending = true
	}
}

// mergeImages folds updates, in order, into one image per delivery.
func mergeImages(ups []Update) []image {
	idx := make(map[int64]int, len(ups))
	var out []image
	for _, u := range ups {
		i, ok := idx[u.ID]
		if !ok {
			i = len(out)
			idx[u.ID] = i
			out = append(out, image{id: u.ID})
		}
		out[i].merge(u)
	}
	return out
}

// sendlogFiles lists the journal files a run left, oldest first.
func (l *SQLiteLedger) sendlogFiles() ([]string, error) {
	dir, prefix := filepath.Dir(l.path), filepath.Base(l.path)+".sendlog."
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	type file struct {
		name string
		n    int
	}
	var files []file
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok {
			continue
		}
		if n, err := strconv.Atoi(rest); err == nil && n >= 1 {
			files = append(files, file{filepath.Join(dir, e.Name()), n})
		}
	}
	slices.SortFunc(files, func(a, b file) int { return a.n - b.n })
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = f.name
	}
	return out, nil
}

// replaySendlog applies the journal a killed run left, if any, and removes
// it. The caller holds the send lock. A journal holds at most the updates
// of two apply intervals, so it is read whole.
func (l *SQLiteLedger) replaySendlog(ctx context.Context) error {
	files, err := l.sendlogFiles()
	if err != nil || len(files) == 0 {
		return err
	}
	var ups []Update
	for _, name := range files {
		got, err := readSendlog(name)
		if err != nil {
			return err
		}
		ups = append(ups, got...)
	}
	if len(ups) > 0 {
		if err := l.applySendlog(ctx, mergeImages(ups)); err != nil {
			return fmt.Errorf("ledger: applying the send journal %s: %w", files[0], err)
		}
	}
	for _, name := range files {
		if err := os.Remove(name); err != nil {
			return fmt.Errorf("ledger: send journal: %w", err)
		}
	}
	return nil
}

// readSendlog reads one journal file. A last line the write of which did
// not complete is dropped (that update was never durable); any other bad
// line is an error naming it.
func readSendlog(name string) ([]Update, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("ledger: send journal: %w", err)
	}
	if len(data) == 0 {
		return nil, nil // killed between creating the file and its header
	}
	header, rest, ok := bytes.Cut(data, []byte("\n"))
	if !ok {
		return nil, nil // a torn header: nothing was written after it
	}
	if string(header)+"\n" != sendlogHeader {
		return nil, fmt.Errorf("ledger: %s:1: not a send journal this redline can read (%.40q): if a newer redline wrote it, use that one to resume", name, header)
	}
	lines := bytes.Split(rest, []byte("\n"))
	if len(lines[len(lines)-1]) == 0 {
		lines = lines[:len(lines)-1] // the file ends with a whole record
	}
	ups := make([]Update, 0, len(lines))
	for i, line := range lines {
		u, err := parseSendlogRecord(line)
		if errors.Is(err, errTorn) && i == len(lines)-1 {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("ledger: %s:%d: damaged send journal record (%w): move the file away to open the ledger; the deliveries it recorded stay as the ledger has them", name, i+2, err)
		}
		ups = append(ups, u)
	}
	return ups, nil
}
