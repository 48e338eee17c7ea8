package model

import "math"

// halfBits rounds f to the nearest IEEE 754 half-precision value (ties to
// even) and returns its bits. ok is false when f is not finite or its
// magnitude rounds above 65504, the largest half.
func halfBits(f float32) (h uint16, ok bool) {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int(b>>23&0xff) - 127 + 15 // the half's biased exponent
	mant := b & 0x7fffff
	switch {
	case exp >= 0x1f: // too large, infinite or NaN
		return 0, false
	case exp <= 0:
		// A subnormal half, m x 2^-24, or zero (which zero and the
		// float32 subnormals reach through a shift over 24).
		shift := uint(14 - exp)
		if shift > 24 {
			return sign, true
		}
		m := mant | 0x800000
		return sign | uint16(roundShift(m, shift)), true
	}
	r := uint32(exp)<<10 | mant>>13
	if rem := mant & 0x1fff; rem > 0x1000 || rem == 0x1000 && r&1 == 1 {
		r++ // may carry into the exponent, which is still the right value
	}
	if r >= 0x7c00 {
		return 0, false
	}
	return sign | uint16(r), true
}

// roundShift returns m >> shift rounded to the nearest integer, ties to
// even.
func roundShift(m uint32, shift uint) uint32 {
	r := m >> shift
	rem := m & (1<<shift - 1)
	half := uint32(1) << (shift - 1)
	if rem > half || rem == half && r&1 == 1 {
		r++
	}
	return r
}

// halfValue returns the value of the half-precision bits h. Infinities and
// NaNs come back as float32 infinities and NaNs.
func halfValue(h uint16) float32 {
	sign := uint32(h&0x8000) << 16
	exp := uint32(h>>10) & 0x1f
	mant := uint32(h & 0x3ff)
	switch {
	case exp == 0x1f:
		return math.Float32frombits(sign | 0x7f800000 | mant<<13)
	case exp == 0 && mant == 0:
		return math.Float32frombits(sign)
	case exp == 0:
		// Subnormal: m x 2^-24, exact in float32.
		v := float32(mant) / (1 << 24)
		if sign != 0 {
			v = -v
		}
		return v
	}
	return math.Float32frombits(sign | (exp+127-15)<<23 | mant<<13)
}
