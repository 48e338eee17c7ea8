package mfcc

import "math"

// Coefficients of the Go standard library's pure-Go math.Log (from
// FreeBSD's e_log.c).
const (
	ln2Hi = 6.93147180369123816490e-01 // 3fe62e42 fee00000
	ln2Lo = 1.90821492927058770002e-10 // 3dea39ef 35793c76
	logL1 = 6.666666666666735130e-01   // 3FE55555 55555593
	logL2 = 3.999999999940941908e-01   // 3FD99999 9997FA04
	logL3 = 2.857142874366239149e-01   // 3FD24924 94229359
	logL4 = 2.222219843214978396e-01   // 3FCC71C5 1D8E78AF
	logL5 = 1.818357216161805012e-01   // 3FC74664 96CB03DE
	logL6 = 1.531383769920937332e-01   // 3FC39A09 D078C69F
	logL7 = 1.479819860511658591e-01   // 3FC2F112 DF3E5244
)

// logPlusOffsetGo sets x[i] = log(x[i] + logOffset) for every i; each x[i]
// must be finite and >= 0 (mel energies are), so that x[i] + logOffset is
// a positive normal number. It is math.Log's algorithm without the checks
// for special values and written into the loop, with no call, so that the
// processor overlaps the logs of neighbouring values; results are within
// one unit in the last place of math.Log's. logPlusOffset is this, or the
// same in assembly.
func logPlusOffsetGo(x []float64) {
	for i, v := range x {
		v += logOffset
		// v = f1 * 2**ki with f1 in [1/sqrt2, sqrt2).
		b := math.Float64bits(v)
		ki := int64(b>>52) - 1022
		f1 := math.Float64frombits(b&(1<<52-1) | 0x3fe<<52) // [0.5, 1)
		if f1 < math.Sqrt2/2 {
			f1 *= 2
			ki--
		}
		f := f1 - 1
		k := float64(ki)
		s := f / (2 + f)
		s2 := s * s
		s4 := s2 * s2
		// float64(a*b) keeps the compiler from fusing a multiply and an add
		// (it may with GOAMD64=v3), so that the assembly, which does not,
		// gives the same bits.
		t1 := float64(s2 * (logL1 + float64(s4*(logL3+float64(s4*(logL5+float64(s4*logL7)))))))
		t2 := float64(s4 * (logL2 + float64(s4*(logL4+float64(s4*logL6)))))
		r := t1 + t2
		hfsq := float64(0.5 * f * f)
		x[i] = float64(k*ln2Hi) - ((hfsq - (float64(s*(hfsq+r)) + float64(k*ln2Lo))) - f)
	}
}
