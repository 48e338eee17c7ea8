package mfcc

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestLogPlusOffset(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	x := []float64{0, 1e-300, 1 - logOffset, 2, 0.5, math.Sqrt2, math.Sqrt2 / 2, math.E, 1e300, math.MaxFloat64 / 2}
	for range 100000 {
		x = append(x, math.Exp(rng.Float64()*80-20)) // 2e-9 .. 5e25
	}
	got := append([]float64(nil), x...)
	logPlusOffset(got)
	for i, v := range x {
		want := math.Log(v + logOffset)
		if math.Abs(got[i]-want) > 2.3e-16*math.Max(1, math.Abs(want)) {
			t.Fatalf("log(%g + 1e-6) = %.17g, math.Log %.17g", v, got[i], want)
		}
	}
}

func BenchmarkLog(b *testing.B) {
	x := make([]float64, 40)
	for i := range x {
		x[i] = float64(i) * 3.7
	}
	y := make([]float64, 40)
	b.Run("math.Log", func(b *testing.B) {
		for b.Loop() {
			for i, v := range x {
				y[i] = math.Log(v + logOffset)
			}
		}
	})
	b.Run("logPlusOffset", func(b *testing.B) {
		for b.Loop() {
			copy(y, x)
			logPlusOffset(y)
		}
	})
}
