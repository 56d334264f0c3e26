// Package pgtest runs a real PostgreSQL for tests: one temporary cluster per
// test binary, on a free 127.0.0.1 port, started on first use and stopped
// by Main when the tests end; each test gets a database of its own. The
// binaries are Debian's (/usr/lib/postgresql/N/bin, or $REDLINE_PG_BIN):
// without them the tests fail, never skip, and say that `make tools`
// installs them. PostgreSQL refuses to run as root, so as root the cluster
// belongs to the postgres system user.
package pgtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getspectr/redline/internal/testwait"
	"github.com/jackc/pgx/v5"
)

// Server is a running temporary cluster.
type Server struct {
	dir      string // removed by Stop
	port     int
	password string
	cmd      *exec.Cmd
	log      *syncBuffer
	exited   chan error
}

var (
	mu      sync.Mutex
	shared  *Server
	failure error
	dbSeq   atomic.Int64
)

// Main runs the tests and stops the shared server, if a test started it.
// Call it from TestMain: os.Exit(pgtest.Main(m)).
func Main(m interface{ Run() int }) int {
	code := m.Run()
	mu.Lock()
	defer mu.Unlock()
	if shared != nil {
		shared.Stop()
		shared = nil
	}
	return code
}

// Runner is m with Main around its Run, for a TestMain that hands m to
// something else (testscript.Main).
func Runner(m interface{ Run() int }) interface{ Run() int } { return runner{m} }

type runner struct{ m interface{ Run() int } }

func (r runner) Run() int { return Main(r.m) }

// URL returns the URL of a new, empty database on the shared server,
// starting the server on first use. The URL holds the password. The test
// fails if PostgreSQL cannot be started.
func URL(t testing.TB) string {
	t.Helper()
	s := server(t)
	name := fmt.Sprintf("t%d_%d", os.Getpid(), dbSeq.Add(1))
	ctx := testwait.Context(t)
	conn, err := pgx.Connect(ctx, s.url("postgres"))
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	return s.url(name)
}

// AdminURL is the URL of the shared server's postgres database.
func AdminURL(t testing.TB) string {
	t.Helper()
	return server(t).url("postgres")
}

func server(t testing.TB) *Server {
	t.Helper()
	mu.Lock()
	defer mu.Unlock()
	if shared == nil && failure == nil {
		shared, failure = Start(testwait.Deadline(t))
	}
	if failure != nil {
		t.Fatalf("pgtest: %v", failure)
	}
	return shared
}

func (s *Server) url(db string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.UserPassword("postgres", s.password),
		Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)),
		Path:     "/" + db,
		RawQuery: "sslmode=disable",
	}
	return u.String()
}

// Bin finds the directory of initdb and postgres: $REDLINE_PG_BIN, else
// the newest /usr/lib/postgresql/N/bin.
func Bin() (string, error) {
	const install = "install Debian's postgresql package: make tools (or set REDLINE_PG_BIN to the directory of initdb)"
	if d := os.Getenv("REDLINE_PG_BIN"); d != "" {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err != nil {
			return "", fmt.Errorf("REDLINE_PG_BIN=%s: %v; %s", d, err, install)
		}
		return d, nil
	}
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	sort.Slice(found, func(i, j int) bool { return version(found[i]) > version(found[j]) })
	if len(found) == 0 {
		return "", errors.New("PostgreSQL not found (no /usr/lib/postgresql/*/bin/initdb); " + install)
	}
	return filepath.Dir(found[0]), nil
}

func version(initdb string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(initdb))))
	return n
}

// Start creates a cluster in a temporary directory and starts it, waiting
// until it accepts connections or deadline passes.
func Start(deadline time.Time) (*Server, error) {
	bin, err := Bin()
	if err == nil {
		err = checkUser()
	}
	if err != nil {
		return nil, err
	}
	sweepStale()
	dir, err := os.MkdirTemp("", "redline-pg-*")
	if err != nil {
		return nil, err
	}
	if err := ownDir(dir); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s := &Server{dir: dir, password: randomHex(16)}
	pwfile := filepath.Join(dir, "pw")
	err = os.WriteFile(pwfile, []byte(s.password+"\n"), 0o600)
	if err == nil {
		err = ownDir(pwfile)
	}
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	data := filepath.Join(dir, "data")
	initdb := command(dir, filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "-E", "UTF8",
		"--locale=C", "--no-sync", "--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile="+pwfile)
	if out, err := initdb.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %v: %s", err, out)
	}
	var lastErr error
	for range 3 { // a free port may be taken between asking and binding
		if lastErr = s.run(bin, data, deadline); lastErr == nil {
			return s, nil
		}
	}
	os.RemoveAll(dir)
	return nil, lastErr
}

func (s *Server) run(bin, data string, deadline time.Time) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	s.port = port
	s.log = &syncBuffer{}
	// Durability is not under test here (the server is thrown away), so
	// fsync is off: ledger tests commit often and a CI disk is slow.
	s.cmd = command(s.dir, filepath.Join(bin, "postgres"), "-D", data,
		"-c", "listen_addresses=127.0.0.1", "-p", strconv.Itoa(port),
		"-c", "unix_socket_directories="+s.dir,
		"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
		"-c", "max_connections=400", "-c", "shared_buffers=32MB")
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	s.exited = make(chan error, 1)
	go func() { s.exited <- s.cmd.Wait() }()
	for {
		select {
		case err := <-s.exited:
			return fmt.Errorf("postgres exited: %v: %s", err, s.log)
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		conn, err := pgx.Connect(ctx, s.url("postgres"))
		if err == nil {
			err = conn.Ping(ctx)
			conn.Close(ctx)
		}
		cancel()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			s.kill()
			return fmt.Errorf("postgres did not accept connections: %v: %s", err, s.log)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Stop shuts the server down (fast shutdown) and removes its files.
func (s *Server) Stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		_ = s.cmd.Process.Signal(os.Interrupt)
		select {
		case <-s.exited:
		case <-time.After(time.Minute):
			s.kill()
		}
	}
	os.RemoveAll(s.dir)
}

func (s *Server) kill() {
	_ = s.cmd.Process.Kill()
	<-s.exited
}

func command(dir, name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	sysProcAttr(cmd)
	return cmd
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Password is the shared server's password, for tests that check it is
// never shown.
func Password(t testing.TB) string {
	t.Helper()
	return server(t).password
}

// syncBuffer collects the server's log from its two pipes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.TrimSpace(b.b.String())
}
