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

// TestLogPlusOffsetAsm checks logPlusOffset (the assembly, where there is
// one) against logPlusOffsetGo bit for bit, lengths that are not multiples
// of four included.
func TestLogPlusOffsetAsm(t *testing.T) {
	t.Logf("useAVX2 = %v", useAVX2)
	rng := rand.New(rand.NewPCG(9, 10))
	for _, n := range []int{0, 1, 3, 4, 5, 40, 41, 1000} {
		x := make([]float64, n)
		for i := range x {
			switch i % 4 {
			case 0:
				x[i] = 0
			case 1:
				x[i] = math.Exp(rng.Float64()*100 - 50)
			default:
				x[i] = rng.Float64() * 1e-5
			}
		}
		got, want := append([]float64(nil), x...), append([]float64(nil), x...)
		logPlusOffset(got)
		logPlusOffsetGo(want)
		for i := range got {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
				t.Fatalf("n %d, log(%g + 1e-6): %.17g, Go %.17g", n, x[i], got[i], want[i])
			}
		}
	}
}
