package mfcc_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/listen-go/listen/mfcc"
)

func newExtractor(t testing.TB, cfg mfcc.Config) *mfcc.Extractor {
	t.Helper()
	e, err := mfcc.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func noise(n int, seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 1))
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(rng.NormFloat64() * 0.1)
	}
	return x
}

// speech is the three test clips end to end (3 s of real speech).
func speech(t testing.TB) []float32 {
	var x []float32
	for _, c := range []string{"yes_03401e93_nohash_0.wav", "stop_0c40e715_nohash_0.wav", "left_0cb74144_nohash_0.wav"} {
		x = append(x, readClip(t, c)...)
	}
	return x
}

// configs are the shapes the streaming tests run: the default, its log-mel
// mode, an FFT size that is not a power of two with a short hop, and a hop
// longer than a frame (samples between frames are skipped).
func configs() map[string]mfcc.Config {
	logMel := mfcc.DefaultConfig()
	logMel.LogMel = true
	return map[string]mfcc.Config{
		"default": mfcc.DefaultConfig(),
		"logmel":  logMel,
		"fft400":  {SampleRate: 16000, WindowLength: 400, HopLength: 100, FFTSize: 400, NumMels: 64, MaxFreq: 8000, NumCoeffs: 13},
		"bighop":  {SampleRate: 16000, WindowLength: 256, HopLength: 700, FFTSize: 512, NumMels: 20, MinFreq: 100, NumCoeffs: 12},
	}
}

func TestStreamMatchesBatch(t *testing.T) {
	x := speech(t)
	x = append(x, noise(5003, 7)...) // and a tail that is not a whole number of hops
	rng := rand.New(rand.NewPCG(3, 4))
	for name, cfg := range configs() {
		e := newExtractor(t, cfg)
		want, err := e.Compute(nil, x)
		if err != nil {
			t.Fatal(err)
		}
		n := e.NumCoeffs()
		for _, piece := range []int{1, 7, 160, 511, 512, 4096, -1} {
			t.Run(fmt.Sprintf("%s/%d", name, piece), func(t *testing.T) {
				s := e.NewStream()
				var got []float32
				emit := func(f []float32) {
					if len(f) != n {
						t.Fatalf("frame of %d values, want %d", len(f), n)
					}
					got = append(got, f...)
				}
				for rest := x; len(rest) > 0; {
					k := piece
					if k < 0 { // random sizes, empty pieces included
						k = rng.IntN(1500)
					}
					k = min(k, len(rest))
					if err := s.Write(rest[:k], emit); err != nil {
						t.Fatal(err)
					}
					rest = rest[k:]
				}
				if len(got) != len(want) {
					t.Fatalf("%d frames, batch %d", len(got)/n, len(want)/n)
				}
				for i := range want {
					if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
						t.Fatalf("frame %d value %d: stream %g, batch %g", i/n, i%n, got[i], want[i])
					}
				}
			})
		}
	}
}

func TestStreamReset(t *testing.T) {
	e := newExtractor(t, mfcc.DefaultConfig())
	x := noise(3000, 1)
	want, _ := e.Compute(nil, x)
	s := e.NewStream()
	s.Write(noise(777, 2), func([]float32) {})
	s.Reset()
	var got []float32
	s.Write(x, func(f []float32) { got = append(got, f...) })
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Error("after Reset the stream does not start again at sample 0")
	}
}

func TestStreamAllocs(t *testing.T) {
	for name, cfg := range configs() {
		e := newExtractor(t, cfg)
		for _, piece := range []int{1, 160, 4096} {
			s := e.NewStream()
			x := noise(piece, 1)
			frames := 0
			emit := func([]float32) { frames++ }
			for range 3*cfg.FFTSize/piece + 10 { // well into the stream
				s.Write(x, emit)
			}
			before := frames
			allocs := testing.AllocsPerRun(2000/piece+20, func() {
				if err := s.Write(x, emit); err != nil {
					t.Fatal(err)
				}
			})
			if frames == before {
				t.Fatalf("%s/%d: no frames emitted while measuring", name, piece)
			}
			if allocs != 0 {
				t.Errorf("%s, pieces of %d: %v allocations per Write, want 0", name, piece, allocs)
			}
		}
	}
}

func TestComputeAllocs(t *testing.T) {
	e := newExtractor(t, mfcc.DefaultConfig())
	x := noise(16000, 1)
	dst := make([]float32, e.NumFrames(len(x))*e.NumCoeffs())
	if allocs := testing.AllocsPerRun(20, func() { e.Compute(dst, x) }); allocs != 0 {
		t.Errorf("Compute into a big enough dst: %v allocations, want 0", allocs)
	}
}

func TestComputeDst(t *testing.T) {
	e := newExtractor(t, mfcc.DefaultConfig())
	x := noise(16000, 1)
	want, _ := e.Compute(nil, x)
	big := make([]float32, 5, len(want)+10)
	got, _ := e.Compute(big, x)
	if &got[0] != &big[:1][0] || len(got) != len(want) {
		t.Error("Compute did not reuse a dst with enough capacity")
	}
	small := make([]float32, 10)
	got, _ = e.Compute(small, x)
	if len(got) != len(want) || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Error("Compute into a short dst gave a different result")
	}
}

func TestNumFrames(t *testing.T) {
	e := newExtractor(t, mfcc.DefaultConfig())
	for _, tc := range []struct{ n, want int }{
		{0, 0}, {1, 0}, {511, 0}, {512, 1}, {671, 1}, {672, 2}, {16000, 97}, {48000, 297},
	} {
		if got := e.NumFrames(tc.n); got != tc.want {
			t.Errorf("NumFrames(%d) = %d, want %d", tc.n, got, tc.want)
		}
	}
	if e.NumCoeffs() != 40 {
		t.Errorf("NumCoeffs() = %d, want 40", e.NumCoeffs())
	}
	cfg := configs()["fft400"]
	cfg.LogMel = true
	if got := newExtractor(t, cfg).NumCoeffs(); got != 64 {
		t.Errorf("log-mel NumCoeffs() = %d, want NumMels, 64", got)
	}
}

func TestShortClip(t *testing.T) {
	e := newExtractor(t, mfcc.DefaultConfig())
	for _, n := range []int{0, 1, 100, 511} {
		got, err := e.Compute(nil, noise(n, 1))
		if err != nil || len(got) != 0 {
			t.Errorf("%d samples: %d values, %v; want none and no error", n, len(got), err)
		}
		s := e.NewStream()
		if err := s.Write(noise(n, 1), func([]float32) { t.Errorf("%d samples: stream emitted a frame", n) }); err != nil {
			t.Error(err)
		}
	}
	got, err := e.Compute(nil, noise(512, 1))
	if err != nil || len(got) != 40 {
		t.Errorf("512 samples: %d values, %v; want one frame", len(got), err)
	}
}

func TestSilence(t *testing.T) {
	for name, cfg := range configs() {
		e := newExtractor(t, cfg)
		got, err := e.Compute(nil, make([]float32, 16000))
		if err != nil {
			t.Fatal(err)
		}
		// Every mel energy is 0, so every log mel is log(1e-6); the DCT of a
		// constant is its first coefficient only.
		logFloor := math.Log(1e-6)
		for i, v := range got {
			var want float64
			switch k := i % e.NumCoeffs(); {
			case cfg.LogMel:
				want = logFloor
			case k == 0:
				want = logFloor * math.Sqrt(float64(cfg.NumMels))
			}
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) || math.Abs(float64(v)-want) > 1e-4 {
				t.Fatalf("%s: value %d of silence is %g, want %g", name, i, v, want)
			}
		}
	}
}

func TestNotFinite(t *testing.T) {
	e := newExtractor(t, mfcc.DefaultConfig())
	for _, bad := range []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))} {
		x := noise(16000, 1)
		x[1234] = bad
		got, err := e.Compute(nil, x)
		if !errors.Is(err, mfcc.ErrNotFinite) || !strings.Contains(err.Error(), "sample 1234") || len(got) != 0 {
			t.Errorf("%v at 1234: %d values, error %v", bad, len(got), err)
		}
		// The stream rejects the piece, names the sample's place in the
		// stream, and carries on as if the piece had not come.
		s := e.NewStream()
		var frames []float32
		emit := func(f []float32) { frames = append(frames, f...) }
		s.Write(x[:1000], emit)
		err = s.Write(x[1000:2000], emit)
		if !errors.Is(err, mfcc.ErrNotFinite) || !strings.Contains(err.Error(), "sample 1234") {
			t.Errorf("stream: %v at 1234: error %v", bad, err)
		}
		s.Write(x[2000:], emit)
		want, _ := e.Compute(nil, append(append([]float32{}, x[:1000]...), x[2000:]...))
		if fmt.Sprint(frames) != fmt.Sprint(want) {
			t.Errorf("stream: %v: frames after a rejected piece differ from batch without it", bad)
		}
	}
}

func TestNewConfig(t *testing.T) {
	def := mfcc.DefaultConfig()
	for _, tc := range []struct {
		name string
		edit func(*mfcc.Config)
		ok   bool
	}{
		{"default", func(*mfcc.Config) {}, true},
		{"no sample rate", func(c *mfcc.Config) { c.SampleRate = 0 }, false},
		{"negative hop", func(c *mfcc.Config) { c.HopLength = -1 }, false},
		{"window longer than FFT", func(c *mfcc.Config) { c.WindowLength = 513 }, false},
		{"no window, no FFT", func(c *mfcc.Config) { c.WindowLength, c.FFTSize = 0, 0 }, false},
		{"huge FFT", func(c *mfcc.Config) { c.FFTSize = 1 << 20 }, false},
		{"no mels", func(c *mfcc.Config) { c.NumMels = 0 }, false},
		{"too many mels", func(c *mfcc.Config) { c.NumMels = 1 << 20 }, false},
		{"as many mels as allowed", func(c *mfcc.Config) { c.NumMels, c.FFTSize, c.MaxFreq = 4096, 1<<16, 8000 }, true},
		{"more coefficients than mels", func(c *mfcc.Config) { c.NumCoeffs = 41 }, false},
		{"more coefficients than mels, log-mel", func(c *mfcc.Config) { c.NumCoeffs, c.LogMel = 41, true }, true},
		{"max above Nyquist", func(c *mfcc.Config) { c.MaxFreq = 8001 }, false},
		{"min above max", func(c *mfcc.Config) { c.MinFreq = 5000 }, false},
		{"negative min", func(c *mfcc.Config) { c.MinFreq = -1 }, false},
		{"NaN min", func(c *mfcc.Config) { c.MinFreq = math.NaN() }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := def
			tc.edit(&c)
			before := c
			_, err := mfcc.New(c)
			if (err == nil) != tc.ok || (err != nil && !errors.Is(err, mfcc.ErrConfig)) {
				t.Errorf("New: %v", err)
			}
			if fmt.Sprint(c) != fmt.Sprint(before) {
				t.Error("New changed the caller's Config")
			}
		})
	}
}

func TestConfigZeroFields(t *testing.T) {
	e := newExtractor(t, mfcc.Config{SampleRate: 8000, WindowLength: 200, NumMels: 23})
	want := mfcc.Config{SampleRate: 8000, WindowLength: 200, HopLength: 100, FFTSize: 256,
		NumMels: 23, MaxFreq: 4000, NumCoeffs: 23}
	if got := e.Config(); got != want {
		t.Errorf("Config() = %+v, want %+v", got, want)
	}
	e = newExtractor(t, mfcc.Config{SampleRate: 16000, FFTSize: 400, NumMels: 40})
	if got := e.Config(); got.WindowLength != 400 || got.HopLength != 200 {
		t.Errorf("Config() = %+v, want window 400 and hop 200", got)
	}
}

func TestConfigJSON(t *testing.T) {
	b, err := json.Marshal(mfcc.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"sample_rate":16000,"window_length":480,"hop_length":160,"fft_size":512,"num_mels":40,` +
		`"min_freq":20,"max_freq":4000,"num_coeffs":40,"log_mel":false}`
	if string(b) != want {
		t.Errorf("JSON %s, want %s", b, want)
	}
	var c mfcc.Config
	if err := json.Unmarshal(b, &c); err != nil || c != mfcc.DefaultConfig() {
		t.Errorf("round trip: %+v, %v", c, err)
	}
}

// FuzzStream checks streaming against batch on arbitrary audio and piece sizes.
func FuzzStream(f *testing.F) {
	f.Add([]byte("\x01\x02\x03"), uint16(160), uint16(1))
	f.Add(make([]byte, 3000), uint16(4096), uint16(7))
	f.Fuzz(func(t *testing.T, data []byte, hop, piece uint16) {
		cfg := mfcc.Config{SampleRate: 16000, WindowLength: 48, FFTSize: 64, HopLength: int(hop%200) + 1, NumMels: 10, NumCoeffs: 5}
		e := newExtractor(t, cfg)
		x := make([]float32, len(data))
		for i, b := range data {
			x[i] = float32(int8(b)) / 128
		}
		want, err := e.Compute(nil, x)
		if err != nil {
			t.Fatal(err)
		}
		s := e.NewStream()
		var got []float32
		step := int(piece%300) + 1
		for i := 0; i < len(x); i += step {
			s.Write(x[i:min(i+step, len(x))], func(f []float32) { got = append(got, f...) })
		}
		if len(got) != len(want) {
			t.Fatalf("%d values, batch %d", len(got), len(want))
		}
		for i := range got {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("value %d: %g, batch %g", i, got[i], want[i])
			}
		}
	})
}

func BenchmarkCompute(b *testing.B) {
	for _, seconds := range []float64{0.1, 1, 10} {
		b.Run(fmt.Sprintf("%gs", seconds), func(b *testing.B) {
			e := newExtractor(b, mfcc.DefaultConfig())
			x := noise(int(seconds*16000), 1)
			dst := make([]float32, e.NumFrames(len(x))*e.NumCoeffs())
			b.SetBytes(int64(4 * len(x)))
			b.ReportAllocs()
			for b.Loop() {
				e.Compute(dst, x)
			}
		})
	}
}

func BenchmarkStream(b *testing.B) {
	for _, piece := range []int{160, 4096} {
		b.Run(fmt.Sprint(piece), func(b *testing.B) {
			e := newExtractor(b, mfcc.DefaultConfig())
			s := e.NewStream()
			x := noise(piece, 1)
			emit := func([]float32) {}
			b.SetBytes(int64(4 * piece))
			b.ReportAllocs()
			for b.Loop() {
				s.Write(x, emit)
			}
		})
	}
}

func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := mfcc.New(mfcc.DefaultConfig()); err != nil {
			b.Fatal(err)
		}
	}
}
