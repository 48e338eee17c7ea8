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
// speed comparison in docs/experiments.md. fft.FFTReal allocates its result and, for
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
// each FFT on the hot path (figures in docs/experiments.md).
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

// referenceFrame computes one frame's features straight from the
// definitions, with nothing precomputed or sparse: go-dsp's FFT, the dense
// torchaudio filterbank formula, the full DCT-II matrix.
func referenceFrame(c Config, x []float32) []float64 {
	frame := make([]float64, c.FFTSize)
	off := (c.FFTSize - c.WindowLength) / 2
	for i := 0; i < c.WindowLength; i++ {
		w := 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(c.WindowLength))
		if c.WindowLength == 1 {
			w = 1 // torch.hann_window(1)
		}
		frame[off+i] = float64(x[off+i]) * w
	}
	spec := fft.FFTReal(frame)
	nf := c.FFTSize/2 + 1
	mel := make([]float64, c.NumMels)
	mlo, mhi := 2595*math.Log10(1+c.MinFreq/700), 2595*math.Log10(1+c.MaxFreq/700)
	edges := make([]float64, c.NumMels+2)
	for i := range edges {
		edges[i] = 700 * (math.Pow(10, (mlo+(mhi-mlo)*float64(i)/float64(c.NumMels+1))/2595) - 1)
	}
	edge := func(i int) float64 { return edges[i] }
	for m := range mel {
		for k := 0; k < nf; k++ {
			hz := float64(k) * float64(c.SampleRate/2) / float64(nf-1)
			up := (hz - edge(m)) / (edge(m+1) - edge(m))
			down := (edge(m+2) - hz) / (edge(m+2) - edge(m+1))
			if w := math.Min(up, down); w > 0 {
				mel[m] += w * (real(spec[k])*real(spec[k]) + imag(spec[k])*imag(spec[k]))
			}
		}
		mel[m] = math.Log(mel[m] + 1e-6)
	}
	if c.LogMel {
		return mel
	}
	out := make([]float64, c.NumCoeffs)
	for k := range out {
		for i, v := range mel {
			out[k] += v * math.Cos(math.Pi/float64(c.NumMels)*(float64(i)+0.5)*float64(k))
		}
		out[k] *= math.Sqrt(2 / float64(c.NumMels))
		if k == 0 {
			out[k] /= math.Sqrt2
		}
	}
	return out
}

// TestReference checks the precomputed, sparse, symmetric and fused hot
// path against referenceFrame for several shapes, odd ones included.
func TestReference(t *testing.T) {
	for i, c := range []Config{
		DefaultConfig(),
		{SampleRate: 16000, WindowLength: 400, FFTSize: 512, HopLength: 160, NumMels: 23, NumCoeffs: 13, MinFreq: 64, MaxFreq: 7800},
		{SampleRate: 16000, WindowLength: 400, FFTSize: 400, HopLength: 160, NumMels: 41, NumCoeffs: 41},
		{SampleRate: 8000, WindowLength: 200, FFTSize: 256, HopLength: 80, NumMels: 15, LogMel: true},
		{SampleRate: 16000, WindowLength: 1024, FFTSize: 2048, HopLength: 512, NumMels: 128, NumCoeffs: 20},
		{SampleRate: 16000, WindowLength: 1, FFTSize: 1, NumMels: 1},
		{SampleRate: 16000, WindowLength: 2, FFTSize: 4, HopLength: 1, NumMels: 2, NumCoeffs: 1},
		{SampleRate: 16000, WindowLength: 3, FFTSize: 16, HopLength: 5, NumMels: 3},
	} {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			e, err := New(c)
			if err != nil {
				t.Fatal(err)
			}
			x := noise(3*e.cfg.FFTSize, 9)
			for i := range x[:e.cfg.FFTSize/3] {
				x[i] = 0 // a stretch of silence: the log floor
			}
			got, err := e.Compute(nil, x)
			if err != nil {
				t.Fatal(err)
			}
			n := e.NumCoeffs()
			for f := 0; f < e.NumFrames(len(x)); f++ {
				want := referenceFrame(e.cfg, x[f*e.cfg.HopLength:])
				for k, w := range want {
					if d := math.Abs(float64(got[f*n+k]) - w); d > 1e-4*(1+math.Abs(w)) {
						t.Fatalf("frame %d value %d: %g, reference %g", f, k, got[f*n+k], w)
					}
				}
			}
		})
	}
}

// TestRadix4 checks radix4 (the assembly, where there is one) against
// radix4Go: same operations in the same order, so the same bits.
func TestRadix4(t *testing.T) {
	t.Logf("useAVX = %v", useAVX)
	rng := rand.New(rand.NewPCG(7, 8))
	for _, q := range []int{4, 16, 64, 256} {
		for _, blocks := range []int{1, 3, 4} {
			n := 4 * q * blocks
			re, im, tw := make([]float64, n), make([]float64, n), make([]float64, 6*q)
			for _, s := range [][]float64{re, im, tw} {
				for i := range s {
					s[i] = rng.NormFloat64()
				}
			}
			re2, im2 := append([]float64(nil), re...), append([]float64(nil), im...)
			radix4(re, im, q, tw)
			radix4Go(re2, im2, q, tw)
			for i := range re {
				if math.Float64bits(re[i]) != math.Float64bits(re2[i]) || math.Float64bits(im[i]) != math.Float64bits(im2[i]) {
					t.Fatalf("q %d blocks %d, value %d: radix4 %g%+gi, radix4Go %g%+gi", q, blocks, i, re[i], im[i], re2[i], im2[i])
				}
			}
		}
	}
}
