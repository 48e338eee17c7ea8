//go:build !unix

package detect

// cpuSeconds is unavailable here; benchmarks then report wall-clock figures only.
func cpuSeconds() float64 { return 0 }
