//go:build unix

package detect

import "syscall"

// cpuSeconds is the user+system CPU time this process has used, so that
// benchmarks can report the cost of listening even on a busy machine, where
// wall-clock ns/op also counts the time other processes ran.
func cpuSeconds() float64 {
	var r syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &r) != nil {
		return 0
	}
	return float64(r.Utime.Sec+r.Stime.Sec) + float64(r.Utime.Usec+r.Stime.Usec)/1e6
}
