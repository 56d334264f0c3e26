package notify_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/getspectr/redline/internal/benchmeter"
	"github.com/getspectr/redline/internal/notify"
	"github.com/getspectr/redline/internal/pgtest"
)

// BenchmarkSenders measures throughput into the in-process sink with 1, 2
// and 4 senders sharing one campaign on PostgreSQL, 8 SMTP connections in
// all, beside SQLite's single sender with the same 8 connections (the
// reference: SQLite takes one sender) and the sink fed by bare go-mail, no
// ledger (the ceiling of the sink on this machine). Each sender is a Run
// with a connection pool of its own, as a separate process has; the time
// covers loading the list and sending every message.
//
// Besides msgs/s it reports the CPU used per wall-clock second, in cores:
// this process's (senders and sink together) and PostgreSQL's (every
// backend), and the ledger transactions per message: each sender commits
// for its own connections, so with the same connections in all, more
// senders batch fewer updates per commit. cpu-µs/msg is the CPU both
// spend per message (this process, sink included, and PostgreSQL): the
// cost that must stay flat as senders are added, for them to scale on
// machines of their own.
//
//	go test ./internal/notify/ -run '^$' -bench Senders -benchtime 3000x -count 5
func BenchmarkSenders(b *testing.B) {
	const conns = 8
	b.Run("sink-alone", func(b *testing.B) {
		sk := startSinkWith(b, func(s *sink) { s.countOnly = true })
		c := testCampaign(b)
		var sample bytes.Buffer
		must(b, notify.Preview(&sample, notify.PreviewOptions{Campaign: c, TemplatesDir: templatesDir, UnsubscribeKey: testKey, Now: testNow, Part: "mime"}))
		p := parseMessage(b, sample.Bytes())
		b.ResetTimer()
		m := benchmeter.Start()
		bareSend(b, sk.ln.Addr().String(), conns, b.N, p.text, p.html)
		wall := m.Wall()
		b.ReportMetric(float64(b.N)/wall.Seconds(), "msgs/s")
		b.ReportMetric(float64(m.CPU())/float64(wall), "redline-cpu-cores")
		b.ReportMetric(m.CPUPer(b.N), "cpu-µs/msg")
	})
	b.Run("sqlite/senders=1", func(b *testing.B) { benchSenders(b, 1, conns, sqliteOpener(b), nil) })
	for _, n := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("postgres/senders=%d", n), func(b *testing.B) {
			url := pgtest.URL(b)
			benchSenders(b, n, conns/n, func() notify.Ledger { return openPG(b, url) }, pgCPU(b, url))
		})
	}
	// Four senders of 8 connections each, as four machines would run
	// them: each commit gathers as many connections' updates as one
	// sender of 8 does, so this separates the cost of more senders from
	// that of smaller commits.
	b.Run("postgres/senders=4/each-8-conns", func(b *testing.B) {
		url := pgtest.URL(b)
		benchSenders(b, 4, conns, func() notify.Ledger { return openPG(b, url) }, pgCPU(b, url))
	})
}

// BenchmarkSendersRemoteServer is BenchmarkSenders against a server that,
// like a real one across a network, takes remoteDelay to accept each
// message: then a sender's connections, not the CPU, bound what it sends,
// which is why one adds senders. Each sender has 8 connections, as a
// machine of its own would ("each-8"), and the same 32 connections are
// also split among 1, 2 and 4 senders ("total-32").
//
//	go test ./internal/notify/ -run '^$' -bench SendersRemoteServer -benchtime 2000x -count 3
func BenchmarkSendersRemoteServer(b *testing.B) {
	const remoteDelay = 20 * time.Millisecond
	for _, n := range []int{1, 2, 4, 8} {
		b.Run(fmt.Sprintf("postgres/each-8/senders=%d", n), func(b *testing.B) {
			url := pgtest.URL(b)
			benchSendersTo(b, remoteDelay, n, 8, func() notify.Ledger { return openPG(b, url) }, pgCPU(b, url))
		})
	}
	for _, n := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("postgres/total-32/senders=%d", n), func(b *testing.B) {
			url := pgtest.URL(b)
			benchSendersTo(b, remoteDelay, n, 32/n, func() notify.Ledger { return openPG(b, url) }, pgCPU(b, url))
		})
	}
	b.Run("sqlite/each-8/senders=1", func(b *testing.B) { benchSendersTo(b, remoteDelay, 1, 8, sqliteOpener(b), nil) })
}

// sqliteOpener opens one SQLite ledger file, closed when b ends.
func sqliteOpener(b *testing.B) func() notify.Ledger {
	path := filepath.Join(b.TempDir(), "state.db")
	return func() notify.Ledger {
		l, err := notify.OpenSQLite(context.Background(), path)
		must(b, err)
		b.Cleanup(func() { l.Close() })
		return l
	}
}

// benchSenders sends one campaign of b.N recipients with senders Runs of
// conns connections each, started together.
func benchSenders(b *testing.B, senders, conns int, open func() notify.Ledger, dbCPU func() time.Duration) {
	benchSendersTo(b, 0, senders, conns, open, dbCPU)
}

// benchSendersTo is benchSenders to a sink that answers the end of DATA
// after delay.
func benchSendersTo(b *testing.B, delay time.Duration, senders, conns int, open func() notify.Ledger, dbCPU func() time.Duration) {
	sk := startSinkWith(b, func(s *sink) { s.countOnly, s.dataDelay = true, delay })
	c := testCampaign(b)
	list := recipientsCSV(b.N)
	commits := &commitCounter{}
	opts := make([]notify.RunOptions, senders)
	for i := range opts {
		opts[i] = sendOptions(c, open(), list, sk.URL())
		opts[i].Connections = conns
		opts[i].Logger = slog.New(commits)
	}
	sums := make([]notify.Summary, senders)
	errs := make([]error, senders)
	b.ResetTimer()
	m, db0 := benchmeter.Start(), time.Duration(0)
	if dbCPU != nil {
		db0 = dbCPU()
	}
	var wg sync.WaitGroup
	for i := range opts {
		wg.Go(func() { sums[i], errs[i] = notify.Run(context.Background(), opts[i]) })
	}
	wg.Wait()
	wall := m.Wall()
	b.StopTimer()
	sent := 0
	for i := range sums {
		if errs[i] != nil {
			b.Fatalf("sender %d: %v\n%s", i, errs[i], sums[i])
		}
		sent += sums[i].Sent
	}
	if got, _ := sk.Stats(); sent != b.N || got != b.N {
		b.Fatalf("senders sent %d, the sink received %d, want %d", sent, got, b.N)
	}
	cpu := m.CPU()
	b.ReportMetric(float64(sent)/wall.Seconds(), "msgs/s")
	b.ReportMetric(float64(cpu)/float64(wall), "redline-cpu-cores")
	b.ReportMetric(float64(commits.n.Load())/float64(sent), "commits/msg")
	if dbCPU != nil {
		db := dbCPU() - db0
		b.ReportMetric(float64(db)/float64(wall), "pg-cpu-cores")
		cpu += db
	}
	b.ReportMetric(float64(cpu.Microseconds())/float64(sent), "cpu-µs/msg")
}

// pgCPU returns a function that reads the CPU time the PostgreSQL server of
// url has used so far: the postmaster's, its reaped children's, and its
// live backends', from /proc.
func pgCPU(b *testing.B, url string) func() time.Duration {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	must(b, err)
	var backend int
	must(b, conn.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&backend))
	conn.Close(ctx)
	st, err := procStat(backend)
	must(b, err)
	postmaster := int(st[1])
	const tick = 10 * time.Millisecond // USER_HZ is 100 on Linux
	return func() time.Duration {
		var total int64
		if st, err := procStat(postmaster); err == nil {
			total += st[2] + st[3] + st[4] + st[5]
		}
		dirs, _ := os.ReadDir("/proc")
		for _, d := range dirs {
			pid, err := strconv.Atoi(d.Name())
			if err != nil {
				continue
			}
			if st, err := procStat(pid); err == nil && st[1] == int64(postmaster) {
				total += st[2] + st[3]
			}
		}
		return time.Duration(total) * tick
	}
}

// procStat reads pid, ppid, utime, stime, cutime and cstime from
// /proc/<pid>/stat.
func procStat(pid int) ([6]int64, error) {
	var out [6]int64
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return out, err
	}
	s := string(data)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:]) // f[0] is field 3, the state
	if len(f) < 15 {
		return out, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(f))
	}
	out[0] = int64(pid)
	for i, k := range []int{1, 11, 12, 13, 14} { // ppid, utime, stime, cutime, cstime
		out[i+1], _ = strconv.ParseInt(f[k], 10, 64)
	}
	return out, nil
}

// commitCounter is a log handler that adds up the ledger transactions the
// senders report when they stop, and drops everything else.
type commitCounter struct{ n atomic.Int64 }

func (c *commitCounter) Enabled(context.Context, slog.Level) bool { return true }
func (c *commitCounter) WithAttrs([]slog.Attr) slog.Handler       { return c }
func (c *commitCounter) WithGroup(string) slog.Handler            { return c }
func (c *commitCounter) Handle(_ context.Context, r slog.Record) error {
	if r.Message == "ledger group commit" {
		r.Attrs(func(a slog.Attr) bool {
			if a.Key == "transactions" {
				c.n.Add(a.Value.Int64())
			}
			return true
		})
	}
	return nil
}
