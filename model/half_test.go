package model

import (
	"math"
	"testing"
)

// TestHalfEveryValue converts each of the 63,488 finite halves to float32
// and back, and checks that the float32 values just either side of the
// midpoint between neighbours round to the nearer one, and the midpoint
// itself to the one with an even mantissa.
func TestHalfEveryValue(t *testing.T) {
	for _, sign := range []uint16{0, 0x8000} {
		for h := uint16(0); h < 0x7c00; h++ {
			v := halfValue(sign | h)
			got, ok := halfBits(v)
			if !ok || got != sign|h {
				t.Fatalf("half %#04x = %v converts back to %#04x, %v", sign|h, v, got, ok)
			}
			if h == 0x7bff {
				continue
			}
			next := halfValue(sign | (h + 1))
			mid := float32((float64(v) + float64(next)) / 2)
			wantMid := sign | h
			if h&1 == 1 {
				wantMid = sign | (h + 1)
			}
			below := math.Nextafter32(mid, v)
			above := math.Nextafter32(mid, next)
			for _, c := range []struct {
				f    float32
				want uint16
			}{{mid, wantMid}, {below, sign | h}, {above, sign | (h + 1)}} {
				if got, _ := halfBits(c.f); got != c.want {
					t.Fatalf("halfBits(%v) = %#04x, want %#04x (between %#04x and %#04x)", c.f, got, c.want, sign|h, sign|(h+1))
				}
			}
		}
	}
}

func TestHalfKnownValues(t *testing.T) {
	for _, c := range []struct {
		f float32
		h uint16
	}{
		{1, 0x3c00}, {-2, 0xc000}, {0.5, 0x3800}, {65504, 0x7bff},
		{float32(math.Ldexp(1, -24)), 0x0001}, {float32(math.Ldexp(1, -14)), 0x0400},
		{float32(math.Ldexp(1, -26)), 0}, // a quarter of the smallest half
		{float32(math.Copysign(0, -1)), 0x8000},
		{0.1, 0x2e66},
	} {
		got, ok := halfBits(c.f)
		if !ok || got != c.h {
			t.Errorf("halfBits(%v) = %#04x, %v; want %#04x", c.f, got, ok, c.h)
		}
	}
	for _, f := range []float32{65520, -1e6, float32(math.Inf(1)), float32(math.NaN())} {
		if h, ok := halfBits(f); ok {
			t.Errorf("halfBits(%v) = %#04x, want not ok", f, h)
		}
	}
	if v := halfValue(0x7c00); !math.IsInf(float64(v), 1) {
		t.Errorf("halfValue(0x7c00) = %v, want +Inf", v)
	}
}
