package mfcc

import "math"

// logPositive returns the natural logarithm of x, which must be a positive,
// normal, finite float64 (mel energies plus 1e-6 always are). It is the
// algorithm of the Go standard library's pure-Go math.Log (FreeBSD's
// e_log.c) without the checks for special values and without the call,
// so that the compiler inlines it and the 40 logs of a frame overlap; its
// results are within one unit in the last place of math.Log's.
func logPositive(x float64) float64 {
	const (
		ln2Hi = 6.93147180369123816490e-01 // 3fe62e42 fee00000
		ln2Lo = 1.90821492927058770002e-10 // 3dea39ef 35793c76
		l1    = 6.666666666666735130e-01   // 3FE55555 55555593
		l2    = 3.999999999940941908e-01   // 3FD99999 9997FA04
		l3    = 2.857142874366239149e-01   // 3FD24924 94229359
		l4    = 2.222219843214978396e-01   // 3FCC71C5 1D8E78AF
		l5    = 1.818357216161805012e-01   // 3FC74664 96CB03DE
		l6    = 1.531383769920937332e-01   // 3FC39A09 D078C69F
		l7    = 1.479819860511658591e-01   // 3FC2F112 DF3E5244
	)
	// x = f1 * 2**ki with f1 in [1/sqrt2, sqrt2).
	b := math.Float64bits(x)
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
	t1 := s2 * (l1 + s4*(l3+s4*(l5+s4*l7)))
	t2 := s4 * (l2 + s4*(l4+s4*l6))
	r := t1 + t2
	hfsq := 0.5 * f * f
	return k*ln2Hi - ((hfsq - (s*(hfsq+r) + k*ln2Lo)) - f)
}
