// Package mailpittest runs a real Mailpit for tests: on free 127.0.0.1
// ports, with a temporary database, stopped when the test ends, and read
// through its HTTP API. Tests that need it fail without the binary
// ($REDLINE_MAILPIT, .tools/bin/mailpit or PATH; `make tools` installs it).
package mailpittest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/getspectr/redline/internal/testwait"
)

// Mailpit is a Mailpit process started for one test, on 127.0.0.1 only.
type Mailpit struct {
	SMTPPort int
	api      string
	cmd      *exec.Cmd
	log      *bytes.Buffer
}

// Bin finds the Mailpit binary: $REDLINE_MAILPIT, else PATH. The
// integration tests need it; without it they fail rather than skip.
func Bin(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("REDLINE_MAILPIT"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("REDLINE_MAILPIT=%s: %v; install mailpit: make tools", p, err)
		}
		return p
	}
	for _, p := range []string{"../../.tools/bin/mailpit", "../../../.tools/bin/mailpit"} {
		if _, err := os.Stat(p); err == nil {
			abs, _ := filepath.Abs(p)
			return abs
		}
	}
	p, err := exec.LookPath("mailpit")
	if err != nil {
		t.Fatal("mailpit not found (set REDLINE_MAILPIT or put it on PATH); install mailpit: make tools")
	}
	return p
}

// FreePort asks the kernel for a free 127.0.0.1 port.
func FreePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// Start runs Mailpit with extra flags and waits until its API answers.
// It is killed when the test ends.
func Start(t testing.TB, extra ...string) *Mailpit {
	t.Helper()
	bin := Bin(t)
	var lastErr error
	for try := 0; try < 3; try++ {
		mp, err := tryMailpit(t, bin, extra)
		if err == nil {
			return mp
		}
		lastErr = err
	}
	t.Fatalf("mailpit did not start: %v", lastErr)
	return nil
}

func tryMailpit(t testing.TB, bin string, extra []string) (*Mailpit, error) {
	smtpPort, httpPort := FreePort(t), FreePort(t)
	dbDir := t.TempDir()
	// Mailpit's own fsyncs are not under test; on tmpfs it answers sooner
	// after DATA, which keeps the server's share of the uncertain window small.
	if d, err := os.MkdirTemp("/dev/shm", "redline-mailpit-"); err == nil {
		dbDir = d
		t.Cleanup(func() { os.RemoveAll(d) })
	}
	args := []string{
		"--smtp", fmt.Sprintf("127.0.0.1:%d", smtpPort),
		"--listen", fmt.Sprintf("127.0.0.1:%d", httpPort),
		"--database", filepath.Join(dbDir, "mp.db"),
		"--max", "0",
		"--disable-version-check",
		"--smtp-disable-rdns",
		"--quiet",
	}
	mp := &Mailpit{SMTPPort: smtpPort, api: fmt.Sprintf("http://127.0.0.1:%d", httpPort), log: &bytes.Buffer{}}
	mp.cmd = exec.Command(bin, append(args, extra...)...)
	mp.cmd.Stdout, mp.cmd.Stderr = mp.log, mp.log
	DieWithParent(mp.cmd)
	if err := mp.cmd.Start(); err != nil {
		return nil, err
	}
	exited := make(chan error, 1)
	go func() { exited <- mp.cmd.Wait() }()
	// A starved CPU may take many seconds to start it: the wait ends as
	// soon as the API answers, or just before go test's -timeout.
	deadline := testwait.Deadline(t)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			return nil, fmt.Errorf("mailpit exited: %v: %s", err, mp.log)
		default:
		}
		resp, err := http.Get(mp.api + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				t.Cleanup(func() {
					_ = mp.cmd.Process.Kill()
					<-exited
				})
				return mp, nil
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	_ = mp.cmd.Process.Kill()
	<-exited
	return nil, fmt.Errorf("mailpit API did not answer: %s", mp.log)
}

// SMTPURL is the plain loopback URL of the SMTP server.
func (m *Mailpit) SMTPURL() string { return "smtp://127.0.0.1:" + strconv.Itoa(m.SMTPPort) }

// GetJSON decodes the answer of an API path.
func (m *Mailpit) GetJSON(t testing.TB, path string, v any) {
	t.Helper()
	resp, err := http.Get(m.api + path)
	if err != nil {
		t.Fatalf("mailpit %s: %v", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("mailpit %s: %s: %s", path, resp.Status, b)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("mailpit %s: %v", path, err)
	}
}

type Address struct{ Name, Address string }

type Summary struct {
	ID        string
	MessageID string
	From      Address
	To        []Address
	Subject   string
}

// Count returns the number of stored messages.
func (m *Mailpit) Count(t testing.TB) int {
	t.Helper()
	var r struct{ Total int }
	m.GetJSON(t, "/api/v1/messages?limit=1", &r)
	return r.Total
}

// Messages returns all stored messages.
func (m *Mailpit) Messages(t testing.TB) []Summary {
	t.Helper()
	var all []Summary
	for start := 0; ; start += 1000 {
		var r struct {
			Total    int
			Messages []Summary
		}
		m.GetJSON(t, "/api/v1/messages?limit=1000&start="+strconv.Itoa(start), &r)
		all = append(all, r.Messages...)
		if len(r.Messages) == 0 || len(all) >= r.Total {
			return all
		}
	}
}

type Message struct {
	ID              string
	MessageID       string
	From            Address
	To              []Address
	Cc, Bcc         []Address
	ReplyTo         []Address
	Subject         string
	Text, HTML      string
	ListUnsubscribe struct {
		Header     string
		Links      []string
		Errors     string
		HeaderPost string
	}
}

// Message returns one message in full.
func (m *Mailpit) Message(t testing.TB, id string) Message {
	t.Helper()
	var msg Message
	m.GetJSON(t, "/api/v1/message/"+url.PathEscape(id), &msg)
	return msg
}

// Headers returns the headers of one message.
func (m *Mailpit) Headers(t testing.TB, id string) map[string][]string {
	t.Helper()
	h := map[string][]string{}
	m.GetJSON(t, "/api/v1/message/"+url.PathEscape(id)+"/headers", &h)
	return h
}

// Raw returns the message as received.
func (m *Mailpit) Raw(t testing.TB, id string) []byte {
	t.Helper()
	resp, err := http.Get(m.api + "/api/v1/message/" + url.PathEscape(id) + "/raw")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// API is the base URL of the HTTP API.
func (m *Mailpit) API() string { return m.api }
