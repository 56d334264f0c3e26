package notify_test

import (
	"syscall"
	"time"
)

// meter measures one benchmark round: the wall time and this process's
// CPU time since it started. Benchmarks report rates from it with
// b.ReportMetric; no test compares a time with a limit.
type meter struct {
	start time.Time
	cpu0  int64
}

func startMeter() meter { return meter{start: time.Now(), cpu0: cpuTime()} }

// wall is the wall time since the meter started.
func (m meter) wall() time.Duration { return time.Now().Sub(m.start) }

// cpu is the process's user and system time since the meter started.
func (m meter) cpu() time.Duration { return time.Duration(cpuTime() - m.cpu0) }

// rate is n per second of wall time.
func (m meter) rate(n int) float64 { return float64(n) / m.wall().Seconds() }

// cpuPer is the CPU microseconds per item of n.
func (m meter) cpuPer(n int) float64 { return float64(m.cpu()) / 1e3 / float64(n) }

func cpuTime() int64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}
