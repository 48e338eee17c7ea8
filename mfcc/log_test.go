package mfcc

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestLogPositive(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	check := func(x float64) {
		got, want := logPositive(x), math.Log(x)
		if math.Abs(got-want) > 2e-16*math.Max(1, math.Abs(want)) {
			t.Fatalf("logPositive(%g) = %.17g, math.Log %.17g", x, got, want)
		}
	}
	for _, x := range []float64{1e-6, 1, 2, 0.5, math.Sqrt2, math.Sqrt2 / 2, math.E, 1e300, 2.3e-308, math.MaxFloat64} {
		check(x)
	}
	for range 100000 {
		check(math.Exp(rng.Float64()*80 - 20)) // 2e-9 .. 5e25
	}
}

var sinkLog float64

func BenchmarkLog(b *testing.B) {
	x := make([]float64, 40)
	for i := range x {
		x[i] = 1e-6 + float64(i)*3.7
	}
	b.Run("math.Log", func(b *testing.B) {
		for b.Loop() {
			for _, v := range x {
				sinkLog += math.Log(v)
			}
		}
	})
	b.Run("logPositive", func(b *testing.B) {
		for b.Loop() {
			for _, v := range x {
				sinkLog += logPositive(v)
			}
		}
	})
}
