//go:build unix

package mfcc

import (
	"syscall"
	"testing"
	"time"
)

// cpuClock measures the process's CPU time, user and system, over a
// benchmark. On a shared machine wall time per op swings with the load;
// CPU time per op (reported as cpu-ns/op) is what the work itself costs.
type cpuClock struct{ start time.Duration }

func cpuNow() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func startCPU() cpuClock { return cpuClock{cpuNow()} }

func (c cpuClock) report(b *testing.B) {
	if b.N > 0 {
		b.ReportMetric(float64(cpuNow()-c.start)/float64(b.N), "cpu-ns/op")
	}
}
