package notify_test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	gomail "github.com/wneessen/go-mail"

	"github.com/getspectr/redline/internal/benchmeter"
	"github.com/getspectr/redline/internal/notify"
)

// BenchmarkThroughputRatio sends the same number of messages to the
// in-process sink twice: with bare go-mail (one client per connection,
// a fresh message with the same text and HTML bodies each time, no
// ledger) and with
// notify.Run (templates, durable SQLite ledger, group commit). It reports
// both rates and redline's share of go-mail's ("ratio"; the goal is ≥ 0.9).
//
// Each side runs three times, alternating, and the medians are reported,
// with the CPU time per message (load-independent; both include the sink).
//
//	go test ./internal/notify/ -run '^$' -bench ThroughputRatio -benchtime 5000x
func BenchmarkThroughputRatio(b *testing.B) {
	for _, conns := range []int{4, 16} {
		b.Run(fmt.Sprintf("conns=%d", conns), func(b *testing.B) {
			sk := startSinkWith(b, func(s *sink) { s.countOnly = true })
			c := testCampaign(b)
			// go-mail sends the same text and HTML bodies as redline, so
			// both messages have the same size.
			var sample bytes.Buffer
			must(b, notify.Preview(&sample, notify.PreviewOptions{Campaign: c, TemplatesDir: templatesDir, UnsubscribeKey: testKey, Now: testNow, Part: "mime"}))
			p := parseMessage(b, sample.Bytes())

			// Alternate the two, three rounds each, and take the median
			// ratio: the machine's load changes from second to second.
			n := b.N
			var ratios, bares, ours, bareCPU, ourCPU []float64
			b.ResetTimer()
			for range 3 {
				m := benchmeter.Start()
				bareSend(b, sk.ln.Addr().String(), conns, n, p.text, p.html)
				bare := m.Rate(n)
				bareCPU = append(bareCPU, m.CPUPer(n))

				l, _ := openLedger(b)
				opts := sendOptions(c, l, "", sk.URL())
				opts.Recipients = &csvGen{n: n}
				opts.Connections = conns
				m = benchmeter.Start()
				sum, err := notify.Run(context.Background(), opts)
				rate := m.Rate(sum.Sent)
				ourCPU = append(ourCPU, m.CPUPer(n))
				if err != nil || sum.Sent != n {
					b.Fatalf("%v\n%s", err, sum)
				}
				bares, ours, ratios = append(bares, bare), append(ours, rate), append(ratios, rate/bare)
			}
			b.StopTimer()
			b.ReportMetric(median(bares), "gomail-msgs/s")
			b.ReportMetric(median(ours), "redline-msgs/s")
			b.ReportMetric(median(ratios), "ratio")
			b.ReportMetric(median(bareCPU), "gomail-cpu-µs/msg")
			b.ReportMetric(median(ourCPU), "redline-cpu-µs/msg")
		})
	}
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// bareSend is the baseline: go-mail alone, conns connections, n messages.
func bareSend(b *testing.B, addr string, conns, n int, text, html string) {
	host, port, _ := net.SplitHostPort(addr)
	p, _ := strconv.Atoi(port)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range conns {
		wg.Go(func() {
			cl, err := gomail.NewClient(host, gomail.WithPort(p), gomail.WithTLSPolicy(gomail.NoTLS), gomail.WithoutNoop(), gomail.WithoutRset())
			if err != nil {
				b.Error(err)
				return
			}
			sc, err := cl.DialToSMTPClientWithContext(context.Background())
			if err != nil {
				b.Error(err)
				return
			}
			defer cl.CloseWithSMTPClient(sc)
			for i := next.Add(1); i <= int64(n); i = next.Add(1) {
				m := gomail.NewMsg()
				_ = m.From("legal@spectr.test")
				_ = m.To(fmt.Sprintf("user%07d@example.com", i))
				m.Subject("Changes to our Privacy Policy")
				m.SetMessageID()
				m.SetDate()
				m.SetBodyString(gomail.TypeTextPlain, text)
				m.AddAlternativeString(gomail.TypeTextHTML, html)
				if err := cl.SendWithSMTPClient(sc, m); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}
