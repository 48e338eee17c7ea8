//go:build amd64 && !purego

package kernel

import "golang.org/x/sys/cpu"

// hasAVX2FMA reports whether the CPU and the operating system support AVX2
// and FMA3, which every assembly kernel in this package needs
// (golang.org/x/sys/cpu checks that the OS saves the YMM registers).
var hasAVX2FMA = cpu.X86.HasAVX2 && cpu.X86.HasFMA
