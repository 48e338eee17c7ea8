package audio_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/listen-go/listen/audio"
)

// word returns a clip of quiet noise (level q) with a loud tone burst from
// sample a to b.
func word(n, a, b int, q float32, seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 1))
	x := make([]float32, n)
	for i := range x {
		x[i] = q * float32(rng.NormFloat64())
		if i >= a && i < b {
			x[i] += 0.5 * float32(math.Sin(float64(i)*0.2))
		}
	}
	return x
}

func TestPadContinuesTheBackground(t *testing.T) {
	clip := word(8000, 2000, 6000, 0.01, 1)
	dst := make([]float32, 16000)
	for i := range dst {
		dst[i] = 7 // must all be overwritten
	}
	audio.Pad(dst, clip)
	if !slices.Equal(dst[:len(clip)], clip) {
		t.Fatal("the clip itself was not copied first")
	}
	pad := dst[len(clip):]
	rms := func(x []float32) float64 {
		s := 0.0
		for _, v := range x {
			s += float64(v) * float64(v)
		}
		return math.Sqrt(s / float64(len(x)))
	}
	if r := rms(pad); r < 0.005 || r > 0.02 {
		t.Errorf("padding RMS %.4f, want the background's 0.01", r)
	}
	// The padding is one 100 ms stretch of the clip, forwards then backwards.
	seg := pad[:audio.PadSegment]
	found := false
	for a := 0; a+len(seg) <= len(clip); a++ {
		if slices.Equal(clip[a:a+len(seg)], seg) {
			found = a+len(seg) <= 2000 || a >= 6000
			break
		}
	}
	if !found {
		t.Error("the padding does not start with a quiet stretch of the clip")
	}
	back := pad[audio.PadSegment : 2*audio.PadSegment]
	for i := range back {
		if back[i] != seg[len(seg)-1-i] {
			t.Fatalf("second stretch is not the first reversed (at %d)", i)
		}
	}
}

func TestPadZeros(t *testing.T) {
	for name, clip := range map[string][]float32{
		"silence":       make([]float32, 4000),
		"shorter":       word(audio.PadSegment-1, 0, 100, 0.01, 2),
		"all sound":     word(4000, 0, 4000, 0.01, 3),
		"empty":         nil,
		"digital quiet": word(4000, 1000, 3000, 0, 4),
	} {
		t.Run(name, func(t *testing.T) {
			dst := make([]float32, 6000)
			for i := range dst {
				dst[i] = 7
			}
			audio.Pad(dst, clip)
			for i, v := range dst[len(clip):] {
				if v != 0 {
					t.Fatalf("padding sample %d is %v, want 0", i, v)
				}
			}
		})
	}
}

func TestPadCuts(t *testing.T) {
	clip := word(3000, 0, 1000, 0.01, 5)
	dst := make([]float32, 2000)
	audio.Pad(dst, clip)
	if !slices.Equal(dst, clip[:2000]) {
		t.Error("a clip longer than dst is not cut to its start")
	}
}

func TestPadBefore(t *testing.T) {
	rms := func(x []float32) float64 {
		s := 0.0
		for _, v := range x {
			s += float64(v) * float64(v)
		}
		return math.Sqrt(s / float64(len(x)))
	}
	for _, tc := range []struct {
		name string
		clip []float32
		lo   float64 // range of the padding's RMS
		hi   float64
	}{
		{"quiet background", word(8000, 2000, 6000, 0.01, 1), 0.005, 0.02},
		// Too noisy for Pad (no stretch 15 dB below the loudest): PadBefore
		// still repeats the quietest stretch, the noise.
		{"noisy", word(8000, 2000, 6000, 0.2, 6), 0.1, 0.3},
		{"silence", make([]float32, 4000), 0, 0},
		{"shorter than a segment", word(audio.PadSegment-1, 0, 100, 0.01, 2), 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dst := make([]float32, 16000)
			for i := range dst {
				dst[i] = 7 // must all be overwritten
			}
			audio.PadBefore(dst, tc.clip)
			k := len(dst) - len(tc.clip)
			if !slices.Equal(dst[k:], tc.clip) {
				t.Fatal("the clip is not at the end of the window")
			}
			if r := rms(dst[:k]); r < tc.lo || r > tc.hi {
				t.Errorf("padding RMS %.4f, want %.3f to %.3f", r, tc.lo, tc.hi)
			}
			if tc.hi > 0 && dst[0] == 0 {
				t.Error("the padding starts with zeros")
			}
		})
	}
	clip := word(3000, 0, 1000, 0.01, 5)
	dst := make([]float32, 2000)
	audio.PadBefore(dst, clip)
	if !slices.Equal(dst, clip[:2000]) {
		t.Error("a clip longer than dst is not cut to its start")
	}
}
