package detect

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/listen-go/listen/mfcc"
	"github.com/listen-go/listen/model"
)

// tinyModel is an untrained model with the default features: enough to run
// the real path without a trained model.
func tinyModel(t testing.TB, hidden, layers int) *model.Model {
	t.Helper()
	m, err := model.New(model.Config{Inputs: 40, Hidden: hidden, Layers: layers, Classes: 4, CMN: true}, 1)
	if err != nil {
		t.Fatal(err)
	}
	m.Meta.Labels = []string{"_silence_", "_unknown_", "yes", "no"}
	m.Meta.Features = mfcc.DefaultConfig()
	m.Meta.WindowSamples = 16000
	return m
}

func noise(n int, amp float32, seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 0))
	x := make([]float32, n)
	for i := range x {
		x[i] = amp * float32(rng.NormFloat64())
	}
	return x
}

func TestModelClassifier(t *testing.T) {
	m := tinyModel(t, 16, 1)
	c, err := ForModel(m)
	if err != nil {
		t.Fatal(err)
	}
	if c.Window() != 16000 || c.Frames() != 97 || len(c.Labels()) != 4 {
		t.Fatalf("window %d frames %d labels %v", c.Window(), c.Frames(), c.Labels())
	}
	x := noise(16000, 0.1, 1)
	p, err := c.Classify(nil, x)
	if err != nil {
		t.Fatal(err)
	}
	var sum float32
	for _, v := range p {
		sum += v
	}
	if len(p) != 4 || math.Abs(float64(sum-1)) > 1e-5 {
		t.Errorf("probabilities %v", p)
	}
	// The same window gives the same scores, into a caller's buffer.
	dst := make([]float32, 4)
	q, err := c.Classify(dst, x)
	if err != nil || &q[0] != &dst[0] {
		t.Fatalf("into dst: %v %v", q, err)
	}
	for i := range p {
		if p[i] != q[i] {
			t.Errorf("scores differ: %v %v", p, q)
		}
	}
	if _, err := c.Classify(nil, x[:100]); err == nil {
		t.Error("short window: no error")
	}
	if _, err := c.Classify(make([]float32, 2), x); err == nil {
		t.Error("short dst: no error")
	}
}

func TestForModelErrors(t *testing.T) {
	for name, change := range map[string]func(m *model.Model){
		"no labels":   func(m *model.Model) { m.Meta.Labels = nil },
		"other rate":  func(m *model.Model) { m.Meta.Features.SampleRate = 8000 },
		"bad mfcc":    func(m *model.Model) { m.Meta.Features.NumMels = -1 },
		"log-mel 64":  func(m *model.Model) { m.Meta.Features.LogMel, m.Meta.Features.NumMels = true, 64 },
		"tiny window": func(m *model.Model) { m.Meta.WindowSamples = 100 },
	} {
		m := tinyModel(t, 4, 1)
		change(m)
		if _, err := ForModel(m); err == nil || !strings.HasPrefix(err.Error(), "detect: ") {
			t.Errorf("%s: error %v", name, err)
		}
	}
	// Zero metadata means the defaults.
	m := tinyModel(t, 4, 1)
	m.Meta.Features, m.Meta.WindowSamples = mfcc.Config{}, 0
	if c, err := ForModel(m); err != nil || c.Window() != 16000 {
		t.Errorf("defaults: %v", err)
	}
}

func TestModelStreamerAllocs(t *testing.T) {
	t.Run("one network", func(t *testing.T) { testStreamerAllocs(t, tinyModel(t, 16, 2)) })
	t.Run("ensemble", func(t *testing.T) {
		m2, err := model.New(tinyModel(t, 16, 2).Config(), 2)
		if err != nil {
			t.Fatal(err)
		}
		e, err := model.NewEnsemble(tinyModel(t, 16, 2), m2)
		if err != nil {
			t.Fatal(err)
		}
		testStreamerAllocs(t, e)
	})
}

func testStreamerAllocs(t *testing.T, m *model.Model) {
	s, err := New(m, Config{Gate: NoGate, Threshold: 0.3, MinCount: 1})
	if err != nil {
		t.Fatal(err)
	}
	x := noise(4*SampleRate, 0.1, 2)
	n := 0
	emit := func(Detection) { n++ }
	if err := s.Write(x[:2*SampleRate], emit); err != nil {
		t.Fatal(err)
	}
	pos := 0
	allocs := testing.AllocsPerRun(50, func() {
		if pos+800 > len(x) {
			pos = 0
		}
		if err := s.Write(x[pos:pos+800], emit); err != nil {
			t.Fatal(err)
		}
		pos += 800
	})
	if allocs != 0 {
		t.Errorf("%v allocations per Write", allocs)
	}
	if runs, _ := s.Runs(); runs < 25 {
		t.Errorf("only %d runs", runs)
	}
}

// BenchmarkStreamer measures the streaming path with the reference
// architecture (2 x 128 LSTM, 12 classes), one network or an ensemble of
// three as the default model is, on one second of audio per iteration, at
// several hops, gate open. %core is the CPU time per second of audio (the
// share of one core listening costs); ns/op is the same in wall-clock time,
// inflated on a busy machine.
func BenchmarkStreamer(b *testing.B) {
	var nets []*model.Model
	for seed := range int64(3) {
		m, err := model.New(model.DefaultConfig(), seed+1)
		if err != nil {
			b.Fatal(err)
		}
		m.Meta.Labels = []string{"_silence_", "_unknown_", "yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go"}
		nets = append(nets, m)
	}
	ens, err := model.NewEnsemble(nets...)
	if err != nil {
		b.Fatal(err)
	}
	x := noise(10*SampleRate, 0.05, 3)
	for _, hop := range []time.Duration{30 * time.Millisecond, 50 * time.Millisecond, 100 * time.Millisecond} {
		for _, m := range []*model.Model{nets[0], ens} {
			b.Run(fmt.Sprintf("nets=%d/hop=%v", len(m.Members()), hop), func(b *testing.B) {
				s, err := New(m, Config{Hop: hop, Gate: NoGate})
				if err != nil {
					b.Fatal(err)
				}
				if err := s.Write(x[:SampleRate], nil); err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				pos := 0
				cpu0 := cpuSeconds()
				for b.Loop() {
					if pos+SampleRate > len(x) {
						pos = 0
					}
					if err := s.Write(x[pos:pos+SampleRate], nil); err != nil {
						b.Fatal(err)
					}
					pos += SampleRate
				}
				if cpu := cpuSeconds() - cpu0; cpu > 0 {
					// CPU seconds per second of audio, as a percentage of a core.
					b.ReportMetric(100*cpu/float64(b.N), "%core")
				}
			})
		}
	}
}

// plain hides ClassifyShifted, so a Streamer computes every frame.
type plain struct{ Classifier }

func TestClassifyShiftedExact(t *testing.T) {
	m := tinyModel(t, 8, 1)
	c1, err := ForModel(m)
	if err != nil {
		t.Fatal(err)
	}
	c2, err := ForModel(m)
	if err != nil {
		t.Fatal(err)
	}
	x := noise(5*SampleRate, 0.05, 4)
	for i := 2 * SampleRate; i < 3*SampleRate; i++ {
		x[i] *= 8
	}
	// Hops that are and are not whole feature hops (160 samples).
	for _, hop := range []time.Duration{100 * time.Millisecond, 30 * time.Millisecond, 25*time.Millisecond + 62500} {
		s1, err := NewStreamer(c1, Config{Hop: hop, Gate: -20})
		if err != nil {
			t.Fatal(err)
		}
		s2, err := NewStreamer(plain{c2}, Config{Hop: hop, Gate: -20})
		if err != nil {
			t.Fatal(err)
		}
		for pos := 0; pos < len(x); pos += 1000 {
			end := min(pos+1000, len(x))
			if err := s1.Write(x[pos:end], nil); err != nil {
				t.Fatal(err)
			}
			if err := s2.Write(x[pos:end], nil); err != nil {
				t.Fatal(err)
			}
			p1, p2 := s1.Posteriors(), s2.Posteriors()
			for i := range p1 {
				if p1[i] != p2[i] {
					t.Fatalf("hop %v at %d: shifted %v, full %v", hop, end, p1, p2)
				}
			}
		}
		r1, k1 := s1.Runs()
		r2, k2 := s2.Runs()
		if r1 != r2 || k1 != k2 || k1 == 0 || r1 == 0 {
			t.Errorf("hop %v: runs %d/%d skipped %d/%d", hop, r1, r2, k1, k2)
		}
	}
}
