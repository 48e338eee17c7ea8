//go:build amd64 && !purego

package kernel

import (
	"math"
	"math/rand"
	"testing"
)

// TestNoAVX2Fallback runs the entry points as on a CPU without AVX2 or FMA.
func TestNoAVX2Fallback(t *testing.T) {
	defer func(v bool) { hasAVX2FMA = v }(hasAVX2FMA)
	hasAVX2FMA = false
	rng := rand.New(rand.NewSource(11))
	for _, g := range []gemmCase{
		{m: 13, n: 17, k: 19, alpha: 1, beta: 0},
		{transA: true, transB: true, m: 1, n: 33, k: 40, alpha: 2, beta: 1, padA: 1},
		{transB: true, m: 64, n: 512, k: 128, alpha: 1, beta: 1},
	} {
		checkGemm(t, rng, g)
	}
	xs := []float32{-3, -0.5, 0, 0.1, 0.7, 4, 9, 1, 2}
	got := make([]float32, len(xs))
	Sigmoid(got, xs)
	for i, x := range xs {
		if want := sigmoid64(float64(x)); math.Abs(float64(got[i])-want) > 1e-6*want {
			t.Errorf("Sigmoid(%g) = %g, want %g", x, got[i], want)
		}
	}
	Tanh(got, xs)
	for i, x := range xs {
		if want := math.Tanh(float64(x)); math.Abs(float64(got[i])-want) > 1e-6*math.Abs(want) {
			t.Errorf("Tanh(%g) = %g, want %g", x, got[i], want)
		}
	}
	x := randSlice(rng, 70)
	if got, want := Dot(x, x), dotGo(x, x); math.Abs(float64(got-want)) > 1e-5*float64(want) {
		t.Errorf("Dot = %g, want %g", got, want)
	}
}
