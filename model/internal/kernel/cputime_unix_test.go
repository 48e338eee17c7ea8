//go:build unix

package kernel

import "syscall"

// cpuSeconds returns the user+system CPU time of the process. The machine
// the figures in docs/experiments.md come from is shared, so the benchmarks report
// rates per CPU second alongside the wall-clock ones.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}
