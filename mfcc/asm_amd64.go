//go:build amd64 && !purego

package mfcc

import "golang.org/x/sys/cpu"

//go:noescape
func radix4AVX(re, im *float64, blocks, q int, tw *float64)

//go:noescape
func logPlusOffsetAVX2(x *float64, n int)

// useAVX reports whether radix4 runs the AVX assembly (the CPU has AVX and
// the operating system saves the YMM registers, as golang.org/x/sys/cpu
// checks), useAVX2 whether logPlusOffset does (AVX2 as well). Tests switch
// them off to compare with the Go code.
var useAVX, useAVX2 = cpu.X86.HasAVX, cpu.X86.HasAVX2

// logPlusOffset sets x[i] = log(x[i] + 1e-6), as logPlusOffsetGo, four at a
// time in AVX2 assembly when the CPU has it: the same operations in the
// same order, no fused multiply-adds, so the same bits.
func logPlusOffset(x []float64) {
	n := 0
	if useAVX2 {
		n = len(x) &^ 3
		if n > 0 {
			logPlusOffsetAVX2(&x[0], n)
		}
	}
	logPlusOffsetGo(x[n:])
}

// radix4 is radix4Go, in AVX assembly when the CPU has it. The assembly does
// the same operations in the same order, with no fused multiply-adds, so its
// results are those of the Go code.
func radix4(re, im []float64, q int, tw []float64) {
	if !useAVX || q%4 != 0 || len(re) < 4*q || len(re)%(4*q) != 0 || len(im) != len(re) || len(tw) < 6*q {
		radix4Go(re, im, q, tw)
		return
	}
	radix4AVX(&re[0], &im[0], len(re)/(4*q), q, &tw[0])
}
