// Package benchmeter measures benchmark rounds: the wall time and the
// process's CPU time since a round started. Benchmarks report rates from
// it with b.ReportMetric; no test compares a time with a limit (the suite
// must pass on a starved machine), so timing lives here and nowhere in a
// test's assertions.
package benchmeter

import (
	"syscall"
	"time"
)

// Meter is one round's start.
type Meter struct {
	start time.Time
	cpu0  time.Duration
}

// Start starts a round.
func Start() Meter { return Meter{start: time.Now(), cpu0: CPU()} }

// Wall is the wall time since the round started.
func (m Meter) Wall() time.Duration { return time.Since(m.start) }

// CPU is the process's user and system time since the round started.
func (m Meter) CPU() time.Duration { return CPU() - m.cpu0 }

// Rate is n per second of wall time.
func (m Meter) Rate(n int) float64 { return float64(n) / m.Wall().Seconds() }

// CPUPer is the CPU microseconds per item of n.
func (m Meter) CPUPer(n int) float64 { return float64(m.CPU()) / 1e3 / float64(n) }

// CPU is the user and system time the process has used so far.
func CPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
