package notify_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getspectr/redline/internal/benchmeter"
	"github.com/getspectr/redline/internal/notify"
)

// Run with: go test ./internal/notify/ -run '^$' -bench . -benchtime 2000x
// (msgs/s is the metric to read; ns/op covers one whole campaign run).

func BenchmarkSendSink(b *testing.B) {
	for _, conns := range []int{1, 4, 16} {
		b.Run(fmt.Sprintf("conns=%d", conns), func(b *testing.B) {
			benchSend(b, startSink(b, nil).URL(), conns)
		})
	}
}

func BenchmarkSendMailpit(b *testing.B) {
	for _, conns := range []int{1, 4, 16} {
		b.Run(fmt.Sprintf("conns=%d", conns), func(b *testing.B) {
			benchSend(b, startMailpit(b).SMTPURL(), conns)
		})
	}
}

// benchSend sends one campaign to b.N recipients and reports messages per
// second, ledger included.
func benchSend(b *testing.B, url string, conns int) {
	l, _ := openLedger(b)
	benchSendWith(b, l, url, conns)
}

// benchSendWith is benchSend with the ledger l.
func benchSendWith(b *testing.B, l notify.Ledger, url string, conns int) {
	opts := sendOptions(testCampaign(b), l, "", url)
	opts.Recipients = &csvGen{n: b.N}
	opts.Connections = conns
	b.ResetTimer()
	m := benchmeter.Start()
	sum, err := notify.Run(context.Background(), opts)
	rate := m.Rate(sum.Sent)
	b.StopTimer()
	if err != nil || sum.Sent != b.N {
		b.Fatalf("%v\n%s", err, sum)
	}
	b.ReportMetric(rate, "msgs/s")
}

// BenchmarkPeakMemory sends to 10,000 and 100,000 recipients through the
// in-process sink and reports the peak heap in use while doing so. The CSV
// is generated on the fly, so only the notifier's own memory is measured.
// With REDLINE_BENCH_1M=1 it adds 1,000,000 recipients: the whole list is
// screened and recorded in the ledger (the part that grows with the list:
// duplicates, coverage, enqueue), then the run is stopped after 10,000
// messages, since sending the rest only repeats the bounded send loop
// (about half an hour on a laptop). Run with -benchtime 1x, one size per
// process for a clean peak-rss figure:
//
//	go test ./internal/notify/ -run '^$' -bench 'PeakMemory/recipients=10000$' -benchtime 1x
//	REDLINE_BENCH_1M=1 go test ./internal/notify/ -run '^$' -bench 'PeakMemory/recipients=1000000$' -benchtime 1x -timeout 1h
func BenchmarkPeakMemory(b *testing.B) {
	sizes := []int{10_000, 100_000}
	if os.Getenv("REDLINE_BENCH_1M") != "" {
		sizes = append(sizes, 1_000_000)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("recipients=%d", n), func(b *testing.B) {
			sk := startSinkWith(b, func(s *sink) { s.countOnly = true })
			stopAt := n
			if n > 100_000 {
				stopAt = 10_000
			}
			for range b.N {
				l, _ := openLedger(b)
				opts := sendOptions(testCampaign(b), l, "", sk.URL())
				opts.Recipients = &csvGen{n: n}
				opts.Connections = 4
				ctx, cancel := context.WithCancel(context.Background())
				if stopAt < n {
					opts.Progress = func(done, _ int) {
						if done == stopAt {
							cancel()
						}
					}
				}
				runtime.GC()
				peak, stop := sampleHeap()
				m := benchmeter.Start()
				sum, err := notify.Run(ctx, opts)
				elapsed := m.Wall()
				p := stop()
				cancel()
				if stopAt == n && (err != nil || sum.Sent != n) || sum.Sent < stopAt || sum.Queued != n {
					b.Fatalf("%v\n%s", err, sum)
				}
				b.ReportMetric(float64(p.heapInuse)/(1<<20), "peak-heap-MB")
				b.ReportMetric(float64(p.sys)/(1<<20), "peak-sys-MB")
				if rss := peakRSS(); rss > 0 {
					b.ReportMetric(float64(rss)/(1<<20), "peak-rss-MB")
				}
				b.ReportMetric(float64(sum.Sent)/elapsed.Seconds(), "msgs/s")
				_ = peak
			}
		})
	}
}

// peakRSS is the process's peak resident set (VmHWM), which also counts
// SQLite's page cache, allocated outside the Go heap. It never goes down,
// so run one size per process for a clean figure.
func peakRSS() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

type heapPeak struct{ heapInuse, sys uint64 }

// sampleHeap records the highest HeapInuse and Sys every 10ms until stopped.
func sampleHeap() (*heapPeak, func() heapPeak) {
	var (
		mu   sync.Mutex
		p    heapPeak
		done = make(chan struct{})
		wg   sync.WaitGroup
	)
	sample := func() {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		mu.Lock()
		p.heapInuse = max(p.heapInuse, ms.HeapInuse)
		p.sys = max(p.sys, ms.Sys)
		mu.Unlock()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				sample()
			}
		}
	}()
	return &p, func() heapPeak {
		close(done)
		wg.Wait()
		sample()
		mu.Lock()
		defer mu.Unlock()
		return p
	}
}

// csvGen streams a recipients CSV of n rows without holding it in memory.
type csvGen struct {
	n, i int
	buf  []byte
}

func (g *csvGen) Read(p []byte) (int, error) {
	for len(g.buf) == 0 {
		switch {
		case g.i > g.n:
			return 0, io.EOF
		case g.i == 0:
			g.buf = []byte("email,name,signed_up\n")
		default:
			g.buf = fmt.Appendf(g.buf[:0], "user%07d@example.com,User %d,2024-01-01\n", g.i-1, g.i-1)
		}
		g.i++
	}
	n := copy(p, g.buf)
	g.buf = g.buf[n:]
	return n, nil
}
