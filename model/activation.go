package model

import "math"

// expf is a float32 exp accurate to about 2 ulp (Cephes expf): x = n ln2 + r
// with |r| <= ln2/2, a degree-6 polynomial for e^r, and 2^n put straight
// into the exponent bits. It saturates to 0 below -87 and to +Inf above 88.
func expf(x float32) float32 {
	if x > 88.3762626647949 {
		return float32(math.Inf(1))
	}
	if x < -87.33654475 {
		return 0
	}
	t := x*1.44269504088896341 + 0.5
	fn := float32(int32(t))
	if fn > t {
		fn--
	}
	r := x - fn*0.693359375 + fn*2.12194440e-4
	p := float32(1.9875691500e-4)
	p = p*r + 1.3981999507e-3
	p = p*r + 8.3334519073e-3
	p = p*r + 4.1665795894e-2
	p = p*r + 1.6666665459e-1
	p = p*r + 5.0000001201e-1
	y := p*r*r + r + 1
	return y * math.Float32frombits(uint32(int32(fn)+127)<<23)
}
