package datasets

import (
	"math"
	"math/rand/v2"
	"testing"
)

// zeroCrossings counts sign changes, a stand-in for frequency.
func zeroCrossings(x []float32) int {
	n := 0
	for i := 1; i < len(x); i++ {
		if (x[i-1] < 0) != (x[i] < 0) {
			n++
		}
	}
	return n
}

func TestChangeSpeed(t *testing.T) {
	const n = 16000
	sine := func() []float32 {
		x := make([]float32, n)
		for i := range x {
			x[i] = float32(math.Sin(2 * math.Pi * 500 * float64(i) / n))
		}
		return x
	}
	for _, f := range []float64{0.9, 1, 1.1} {
		x := sine()
		changeSpeed(x, f)
		// A 500 Hz tone played at f times the speed is a 500f Hz tone; at
		// f < 1 it fills the clip, at f > 1 it ends early (silence after).
		m := min(n, int(n/f)) - 1
		got := zeroCrossings(x[:m])
		want := int(math.Round(1000 * f * float64(m) / n))
		if d := got - want; d < -2 || d > 2 {
			t.Errorf("speed %v: %d zero crossings, want about %d", f, got, want)
		}
		if f > 1 {
			for i := int(float64(n)/f) + 1; i < n; i++ {
				if x[i] != 0 {
					t.Fatalf("speed %v: sample %d = %v after the end, want 0", f, i, x[i])
				}
			}
		}
	}
	// Speed 1 changes nothing.
	x, y := sine(), sine()
	changeSpeed(x, 1)
	for i := range x {
		if x[i] != y[i] {
			t.Fatalf("speed 1 changed sample %d", i)
		}
	}
}

func TestAugmentSpeedDeterministic(t *testing.T) {
	a := Augment{Speed: 0.1}
	x := make([]float32, 1000)
	y := make([]float32, 1000)
	for i := range x {
		x[i] = float32(math.Sin(float64(i) / 7))
		y[i] = x[i]
	}
	a.Apply(x, nil, rand.New(rand.NewPCG(1, 2)))
	a.Apply(y, nil, rand.New(rand.NewPCG(1, 2)))
	for i := range x {
		if x[i] != y[i] {
			t.Fatalf("same seed, different result at %d", i)
		}
	}
}
