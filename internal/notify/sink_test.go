package notify_test

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// dropMode says where the sink hangs up on a message.
type dropMode int

const (
	keep             dropMode = iota
	dropAtDataCmd             // close after the DATA command, before 354: nothing was handed over
	dropAfterContent          // close after the final ".", before the reply: the outcome is unknown
	hangAfterContent          // never reply to the final "."; wait for the client to hang up
)

// sink is a minimal in-process SMTP server on 127.0.0.1 that accepts
// everything, fast. drop, when set, decides per recipient and delivery
// attempt (1, 2, …) whether to hang up instead.
type sink struct {
	ln        net.Listener
	drop      func(rcpt string, attempt int) dropMode
	countOnly bool // keep no per-recipient maps (memory benchmarks)
	// rcpt, when set, may answer RCPT TO for a recipient's n-th RCPT with
	// a reply of its own (e.g. "550 5.1.1 no such user"); "" accepts.
	rcpt func(addr string, n int) string
	// mail, when set, answers MAIL FROM instead of "250 ok" when not "".
	mail func() string
	// dataDelay is how long the server takes to answer the end of DATA.
	dataDelay time.Duration
	// dataWithoutRcpt makes DATA get 354 although no RCPT TO was accepted,
	// as some servers do (RFC 2920 §3.1 tells clients to expect it); by
	// default the sink refuses such a DATA with 554, as RFC 5321 says.
	dataWithoutRcpt bool

	mu       sync.Mutex
	rcpts    map[string]int // RCPT TO commands per recipient
	accepted map[string]int // 250 replies to DATA per recipient
	attempts map[string]int // DATA commands per recipient
	received int            // messages fully received, acknowledged or not
	ehlo     string         // the last EHLO name
	conns    int            // connections accepted
	wg       sync.WaitGroup
}

func startSink(t testing.TB, drop func(rcpt string, attempt int) dropMode) *sink {
	t.Helper()
	return startSinkWith(t, func(s *sink) { s.drop = drop })
}

// startSinkWith starts a sink configured by set before it serves.
func startSinkWith(t testing.TB, set func(*sink)) *sink {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &sink{ln: ln, accepted: map[string]int{}, attempts: map[string]int{}, rcpts: map[string]int{}}
	set(s)
	s.wg.Add(1)
	go s.serve()
	t.Cleanup(func() {
		ln.Close()
		s.wg.Wait()
	})
	return s
}

func (s *sink) URL() string { return "smtp://" + s.ln.Addr().String() }

func (s *sink) serve() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.conns++
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer c.Close()
			s.session(c)
		}()
	}
}

func (s *sink) session(c net.Conn) {
	r := bufio.NewReader(c)
	w := bufio.NewWriter(c)
	reply := func(line string) bool {
		w.WriteString(line + "\r\n")
		return w.Flush() == nil
	}
	if !reply("220 sink ESMTP") {
		return
	}
	var rcpts []string
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"):
			s.mu.Lock()
			s.ehlo = strings.TrimSpace(line[4:])
			s.mu.Unlock()
			reply("250-sink\r\n250-8BITMIME\r\n250-PIPELINING\r\n250 SIZE 10485760")
		case strings.HasPrefix(cmd, "HELO"), strings.HasPrefix(cmd, "NOOP"):
			reply("250 ok")
		case strings.HasPrefix(cmd, "MAIL FROM:") && s.mail != nil && s.mail() != "":
			reply(s.mail())
		case strings.HasPrefix(cmd, "RSET"), strings.HasPrefix(cmd, "MAIL FROM:"):
			rcpts = rcpts[:0]
			reply("250 ok")
		case strings.HasPrefix(cmd, "RCPT TO:"):
			addr := strings.TrimSpace(line[len("RCPT TO:"):])
			addr = strings.Trim(strings.Fields(addr)[0], "<>")
			addr = strings.ToLower(addr)
			if s.rcpt != nil {
				s.mu.Lock()
				s.rcpts[addr]++
				n := s.rcpts[addr]
				s.mu.Unlock()
				if r := s.rcpt(addr, n); r != "" {
					reply(r)
					continue
				}
			}
			rcpts = append(rcpts, addr)
			reply("250 ok")
		case cmd == "DATA" && len(rcpts) == 0 && !s.dataWithoutRcpt:
			reply("554 5.5.1 no valid recipients")
		case cmd == "DATA":
			if !s.data(r, rcpts, reply) {
				return
			}
			rcpts = rcpts[:0]
		case cmd == "QUIT":
			reply("221 bye")
			return
		default:
			reply("502 not implemented")
		}
	}
}

// data handles one DATA command; false means hang up.
func (s *sink) data(r *bufio.Reader, rcpts []string, reply func(string) bool) bool {
	mode := keep
	s.mu.Lock()
	for _, rc := range rcpts {
		if s.countOnly {
			break
		}
		s.attempts[rc]++
		if s.drop != nil {
			mode = max(mode, s.drop(rc, s.attempts[rc]))
		}
	}
	s.mu.Unlock()
	if mode == dropAtDataCmd || !reply("354 go ahead") {
		return false
	}
	for {
		line, err := r.ReadSlice('\n')
		if err != nil && err != bufio.ErrBufferFull {
			return false
		}
		if bytes.Equal(line, []byte(".\r\n")) {
			break
		}
	}
	if len(rcpts) == 0 { // a message for nobody: nothing is delivered
		return reply("554 5.5.1 no valid recipients")
	}
	s.mu.Lock()
	s.received++
	if mode == keep && !s.countOnly {
		for _, rc := range rcpts {
			s.accepted[rc]++
		}
	}
	s.mu.Unlock()
	switch mode {
	case dropAfterContent:
		return false
	case hangAfterContent:
		_, _ = io.Copy(io.Discard, r) // until the client gives up and closes
		return false
	}
	if s.dataDelay > 0 {
		time.Sleep(s.dataDelay) // a server checking the message
	}
	return reply("250 2.0.0 queued")
}

// Received returns how many times the server read a whole message to rcpt
// (DATA commands, acknowledged or not).
func (s *sink) Received(rcpt string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.attempts[rcpt]
}

// Accepted returns a copy of the per-recipient acknowledged counts.
func (s *sink) Accepted() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.accepted))
	for k, v := range s.accepted {
		out[k] = v
	}
	return out
}

func (s *sink) Stats() (received, conns int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.received, s.conns
}
