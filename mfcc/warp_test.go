package mfcc_test

import (
	"errors"
	"math"
	"testing"

	"github.com/listen-go/listen/mfcc"
)

// loudestMel returns the filter with the most energy in the first frame of
// a 1 kHz tone, computed with the given warp.
func loudestMel(t *testing.T, warp float64) int {
	t.Helper()
	cfg := mfcc.DefaultConfig()
	cfg.LogMel = true
	e, err := mfcc.NewWarped(cfg, warp)
	if err != nil {
		t.Fatal(err)
	}
	x := make([]float32, 1600)
	for i := range x {
		x[i] = float32(0.5 * math.Sin(2*math.Pi*1000*float64(i)/16000))
	}
	f, err := e.Compute(nil, x)
	if err != nil {
		t.Fatal(err)
	}
	best := 0
	for m := range cfg.NumMels {
		if f[m] > f[best] {
			best = m
		}
	}
	return best
}

func TestWarpMovesFilters(t *testing.T) {
	plain := loudestMel(t, 1)
	// A filter reads warp times its own frequency, so the tone lands on a
	// lower filter when warp > 1 and a higher one when warp < 1.
	if up, down := loudestMel(t, 1.15), loudestMel(t, 0.85); !(up < plain && plain < down) {
		t.Errorf("loudest filter of a 1 kHz tone: %d at warp 1.15, %d at 1, %d at 0.85; want decreasing", up, plain, down)
	}
}

func TestWarpOneIsNew(t *testing.T) {
	x := speech(t)
	want, err := newExtractor(t, mfcc.DefaultConfig()).Compute(nil, x)
	if err != nil {
		t.Fatal(err)
	}
	e, err := mfcc.NewWarped(mfcc.DefaultConfig(), 1)
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.Compute(nil, x)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("value %d: %v with warp 1, %v with New", i, got[i], want[i])
		}
	}
}

func TestWarpRange(t *testing.T) {
	for _, w := range []float64{0, 0.4, 2.5, math.NaN()} {
		if _, err := mfcc.NewWarped(mfcc.DefaultConfig(), w); !errors.Is(err, mfcc.ErrConfig) {
			t.Errorf("warp %v: err %v, want ErrConfig", w, err)
		}
	}
	// Warping past the Nyquist frequency clamps the top filters there
	// instead of reading bins that do not exist.
	cfg := mfcc.DefaultConfig()
	cfg.MaxFreq = 8000
	e, err := mfcc.NewWarped(cfg, 1.2)
	if err != nil {
		t.Fatal(err)
	}
	f, err := e.Compute(nil, speech(t))
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range f {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			t.Fatalf("value %d is %v", i, v)
		}
	}
}
