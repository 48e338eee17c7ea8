//go:build amd64 && !purego

package mfcc

func cpuid(eax, ecx uint32) (a, b, c, d uint32)
func xgetbv() (eax, edx uint32)

//go:noescape
func radix4AVX(re, im *float64, blocks, q int, tw *float64)

// useAVX reports whether radix4 runs the AVX assembly: the CPU has AVX
// and the operating system saves the YMM registers. Tests switch it off to
// compare with the Go code.
var useAVX = hasAVX()

func hasAVX() bool {
	if maxID, _, _, _ := cpuid(0, 0); maxID < 1 {
		return false
	}
	_, _, ecx, _ := cpuid(1, 0)
	const osxsave, avx = 1 << 27, 1 << 28
	if ecx&(osxsave|avx) != osxsave|avx {
		return false
	}
	xcr0, _ := xgetbv()
	return xcr0&6 == 6 // XMM and YMM state
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
