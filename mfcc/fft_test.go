package mfcc

import (
	"fmt"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"

	"github.com/mjibson/go-dsp/fft"
)

// godspSpectrum is the power spectrum from go-dsp, the card's FFT. It is the
// reference the hot-path FFT is checked against, and the other half of the
// speed comparison in doc.go. fft.FFTReal allocates its result and, for
// power-of-two sizes, starts worker goroutines on every call.
type godspSpectrum struct{}

func (godspSpectrum) power(dst, frame []float64) {
	c := fft.FFTReal(frame)
	for k := range dst {
		dst[k] = real(c[k])*real(c[k]) + imag(c[k])*imag(c[k])
	}
}

// TestSpectrumMatchesGoDSP checks gonum's real FFT against go-dsp's, radix-2
// and Bluestein sizes alike.
func TestSpectrumMatchesGoDSP(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 2, 3, 8, 16, 64, 400, 480, 512, 1024, 4096} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			frame := make([]float64, n)
			for i := range frame {
				frame[i] = rng.Float64()*2 - 1
			}
			want := make([]float64, n/2+1)
			godspSpectrum{}.power(want, frame)
			// Also against the definition, for the go-dsp result itself.
			for k := range want {
				var s complex128
				for i, v := range frame {
					s += complex(v, 0) * cmplx.Exp(complex(0, -2*math.Pi*float64(k*i)/float64(n)))
				}
				if d := math.Abs(want[k] - real(s*cmplx.Conj(s))); d > 1e-9*(1+want[k]) {
					t.Fatalf("go-dsp bin %d: %g, DFT %g", k, want[k], real(s*cmplx.Conj(s)))
				}
			}
			impls := map[string]spectrum{"gonum": newGonumSpectrum(n), "newSpectrum": newSpectrum(n, n/2+1)}
			if n >= 8 && n&(n-1) == 0 {
				impls["realFFT"] = newRealFFT(n, n/2+1)
			}
			for name, s := range impls {
				for _, bins := range []int{n/2 + 1, n / 4} { // all bins, and the low ones only
					if name == "realFFT" && bins != n/2+1 {
						s = newRealFFT(n, bins)
					}
					got := make([]float64, bins)
					s.power(got, frame)
					for k := range got {
						if d := math.Abs(got[k] - want[k]); d > 1e-10*(1+want[k]) {
							t.Errorf("%s bin %d of %d: %g, go-dsp %g", name, k, bins, got[k], want[k])
						}
					}
				}
			}
		})
	}
}

// TestComputeGoDSP checks that a whole MFCC computed with go-dsp's FFT agrees
// with the hot path's to float32 rounding.
func TestComputeGoDSP(t *testing.T) {
	x := noise(16000, 3)
	e, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	want, _ := e.Compute(nil, x)
	e.w.fft = godspSpectrum{}
	got, _ := e.Compute(nil, x)
	for i := range got {
		if d := math.Abs(float64(got[i] - want[i])); d > 1e-4 {
			t.Fatalf("value %d: go-dsp %g, gonum %g", i, got[i], want[i])
		}
	}
}

func noise(n int, seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, seed))
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(rng.NormFloat64() * 0.1)
	}
	return x
}

// BenchmarkFFT compares the FFTs on one default-sized frame (all 257 bins).
func BenchmarkFFT(b *testing.B) {
	frame := make([]float64, 512)
	for i, v := range noise(512, 1) {
		frame[i] = float64(v)
	}
	dst := make([]float64, 257)
	for _, s := range []struct {
		name string
		s    spectrum
	}{{"realFFT", newRealFFT(512, 257)}, {"gonum", newGonumSpectrum(512)}, {"go-dsp", godspSpectrum{}}} {
		b.Run(s.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu := startCPU()
			for b.Loop() {
				s.s.power(dst, frame)
			}
			cpu.report(b)
		})
	}
}

// BenchmarkComputeFFT is the whole default MFCC of a one-second clip with
// each FFT on the hot path: the figures in doc.go.
func BenchmarkComputeFFT(b *testing.B) {
	x := noise(16000, 1)
	for _, name := range []string{"realFFT", "gonum", "go-dsp"} {
		b.Run(name, func(b *testing.B) {
			e, err := New(DefaultConfig())
			if err != nil {
				b.Fatal(err)
			}
			switch name {
			case "gonum":
				e.w.fft = newGonumSpectrum(512)
			case "go-dsp":
				e.w.fft = godspSpectrum{}
			}
			dst := make([]float32, e.NumFrames(len(x))*e.NumCoeffs())
			b.ReportAllocs()
			cpu := startCPU()
			for b.Loop() {
				if _, err := e.Compute(dst, x); err != nil {
					b.Fatal(err)
				}
			}
			cpu.report(b)
		})
	}
}
