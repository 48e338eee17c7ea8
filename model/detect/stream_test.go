package detect

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

// fakeClassifier stands for a model: a "word" is a burst of samples at a
// fixed level, one level per label; the score of a label is the share of its
// burst inside the window, and silence takes the rest.
type fakeClassifier struct {
	window int
	burst  int             // samples in a word
	levels map[float32]int // sample value -> label index
	calls  int
	fail   error
}

var fakeLabels = []string{"_silence_", "_unknown_", "yes", "no"}

func newFake(window, burst int) *fakeClassifier {
	return &fakeClassifier{window: window, burst: burst, levels: map[float32]int{0.5: 2, 0.25: 3, 0.125: 1}}
}

func (f *fakeClassifier) Labels() []string { return fakeLabels }
func (f *fakeClassifier) Window() int      { return f.window }

func (f *fakeClassifier) Classify(dst, window []float32) ([]float32, error) {
	f.calls++
	if f.fail != nil {
		return nil, f.fail
	}
	if len(window) != f.window {
		panic("fake: wrong window")
	}
	if dst == nil {
		dst = make([]float32, len(fakeLabels))
	}
	for i := range dst {
		dst[i] = 0
	}
	for _, x := range window {
		if k, ok := f.levels[x]; ok {
			dst[k]++
		}
	}
	rest := float32(1)
	for k := 1; k < len(dst); k++ {
		dst[k] = min(dst[k]/float32(f.burst), 1) * 0.98
		rest -= dst[k]
	}
	dst[0] = rest
	return dst, nil
}

// signal returns n samples of background at level bg with words (label
// level, start sample) of burst samples each.
func signal(n int, bg float32, burst int, words ...[2]float64) []float32 {
	s := make([]float32, n)
	for i := range s {
		// Alternate signs so the background never equals a word level.
		if i%2 == 0 {
			s[i] = bg
		} else {
			s[i] = -bg
		}
	}
	for _, w := range words {
		start := int(w[1])
		for i := start; i < start+burst && i < n; i++ {
			s[i] = float32(w[0])
		}
	}
	return s
}

func collect(t *testing.T, s *Streamer, x []float32, chunk int, flush bool) []Detection {
	t.Helper()
	var got []Detection
	emit := func(d Detection) { got = append(got, d) }
	for len(x) > 0 {
		n := min(chunk, len(x))
		if err := s.Write(x[:n], emit); err != nil {
			t.Fatal(err)
		}
		x = x[n:]
	}
	if flush {
		if err := s.Flush(emit); err != nil {
			t.Fatal(err)
		}
	}
	return got
}

func describe(ds []Detection) string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "%s %.2f [%v %v] at %v\n", d.Label, d.P, d.Start, d.End, d.At)
	}
	return b.String()
}

// tfConfig is TensorFlow's streaming-test smoothing (500 ms average of at
// least 3 results), which the hand-computed expectations below assume.
var tfConfig = Config{AverageWindow: 500 * time.Millisecond, MinCount: 3}

func TestStreamer(t *testing.T) {
	const win, burst = 16000, 8000
	// yes at 2 s, no at 5 s, unknown at 8 s, yes at 11 s, in 14 s.
	x := signal(14*SampleRate, 0.01, burst,
		[2]float64{0.5, 2 * SampleRate}, [2]float64{0.25, 5 * SampleRate},
		[2]float64{0.125, 8 * SampleRate}, [2]float64{0.5, 11 * SampleRate})
	s, err := NewStreamer(newFake(win, burst), tfConfig)
	if err != nil {
		t.Fatal(err)
	}
	want := collect(t, s, x, len(x), false)
	// The 500 ms average at 2.7 s holds the windows ending 2.2 s to 2.7 s,
	// which see 40%, 60%, 80% and then all of the word: 0.98*4.8/6 = 0.78.
	if got := describe(want); got != ""+
		"yes 0.78 [1.5s 2.5s] at 2.7s\n"+
		"no 0.78 [4.5s 5.5s] at 5.7s\n"+
		"yes 0.78 [10.5s 11.5s] at 11.7s\n" {
		t.Errorf("detections:\n%s", got)
	}
	runs, skipped := s.Runs()
	if wantRuns := int64((14*SampleRate-win)/1600 + 1); runs != wantRuns || skipped != 0 {
		t.Errorf("runs %d skipped %d, want %d and 0", runs, skipped, wantRuns)
	}
	if s.Elapsed() != 14*time.Second {
		t.Errorf("elapsed %v", s.Elapsed())
	}
	// Any chunking gives the same detections.
	for _, chunk := range []int{1, 7, 160, 1600, 1601, 16000, 33333} {
		s.Reset()
		if got := collect(t, s, x, chunk, false); !slices.Equal(got, want) {
			t.Errorf("chunks of %d:\n%s\nwant\n%s", chunk, describe(got), describe(want))
		}
	}
}

func TestStreamerGate(t *testing.T) {
	const win, burst = 16000, 4000
	// Digital silence around two words: the gate skips the quiet windows,
	// and the word's start is not lost since the gate looks at the whole
	// window. The words themselves are loud.
	x := signal(12*SampleRate, 0, burst, [2]float64{0.5, 3 * SampleRate}, [2]float64{0.25, 7*SampleRate + 800})
	for i := range x {
		if x[i] == 0 && i%3 == 0 {
			x[i] = 1e-4 // -80 dBFS hiss
		}
	}
	gated, err := NewStreamer(newFake(win, burst), Config{})
	if err != nil {
		t.Fatal(err)
	}
	open, err := NewStreamer(newFake(win, burst), Config{Gate: NoGate})
	if err != nil {
		t.Fatal(err)
	}
	got := collect(t, gated, x, 1000, true)
	want := collect(t, open, x, 1000, true)
	if !slices.Equal(got, want) || len(want) != 2 {
		t.Errorf("gated:\n%s\nungated:\n%s", describe(got), describe(want))
	}
	runs, skipped := gated.Runs()
	if runs == 0 || skipped < 3*runs {
		t.Errorf("gated: %d runs, %d skipped; want most skipped", runs, skipped)
	}
	if _, skipped := open.Runs(); skipped != 0 {
		t.Errorf("ungated skipped %d", skipped)
	}
	// Gated windows count as silence.
	if p := gated.Posteriors(); p[0] != 1 {
		t.Errorf("posteriors after trailing silence %v", p)
	}
}

func TestStreamerFlush(t *testing.T) {
	const win, burst = 16000, 8000
	// A word ending 100 ms before the end: without Flush, only a window or
	// two see all of it, too few to report.
	n := 3 * SampleRate
	x := signal(n, 0.01, burst, [2]float64{0.5, float64(n - burst - 1600)})
	s, err := NewStreamer(newFake(win, burst), tfConfig)
	if err != nil {
		t.Fatal(err)
	}
	if got := collect(t, s, x, 4096, false); len(got) != 0 {
		t.Errorf("before flush: %s", describe(got))
	}
	s.Reset()
	got := collect(t, s, x, 4096, true)
	if len(got) != 1 || got[0].Label != "yes" || got[0].End > 3*time.Second || got[0].At > 3*time.Second {
		t.Errorf("with flush: %s", describe(got))
	}
	if err := s.Write(x[:10], nil); !errors.Is(err, ErrFlushed) {
		t.Errorf("write after flush: %v", err)
	}
	if err := s.Flush(nil); err != nil {
		t.Errorf("second flush: %v", err)
	}
	s.Reset()
	if err := s.Write(x[:10], nil); err != nil {
		t.Errorf("write after reset: %v", err)
	}
}

func TestStreamerEdges(t *testing.T) {
	f := newFake(16000, 8000)
	s, err := NewStreamer(f, Config{})
	if err != nil {
		t.Fatal(err)
	}
	// Less than a window: the classifier never runs.
	for _, x := range [][]float32{nil, {}, {0.3}, make([]float32, 15999)} {
		s.Reset()
		if err := s.Write(x, nil); err != nil {
			t.Fatal(err)
		}
		if f.calls != 0 {
			t.Fatalf("classifier ran on %d samples", len(x))
		}
	}
	// NaN and Inf are silence, not poison.
	s.Reset()
	x := signal(3*SampleRate, 0.01, 8000, [2]float64{0.5, SampleRate})
	x[100], x[200], x[300] = float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))
	got := collect(t, s, x, 999, false)
	if len(got) != 1 || got[0].Label != "yes" || math.IsNaN(float64(got[0].P)) {
		t.Errorf("with NaN: %s", describe(got))
	}
	// The classifier's error comes back, wrapped, with the time.
	f.fail = errors.New("boom")
	s.Reset()
	err = s.Write(signal(20000, 0.01, 0), nil)
	if !errors.Is(err, f.fail) || !strings.Contains(err.Error(), "1s") {
		t.Errorf("error %v", err)
	}
}

func TestNewStreamerErrors(t *testing.T) {
	for name, tc := range map[string]struct {
		c   Classifier
		cfg Config
	}{
		"hop longer than window": {newFake(800, 100), Config{Hop: 100 * time.Millisecond}},
		"empty window":           {newFake(0, 100), Config{}},
		"bad threshold":          {newFake(16000, 100), Config{Threshold: 2}},
	} {
		if _, err := NewStreamer(tc.c, tc.cfg); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestStreamerAllocs(t *testing.T) {
	x := signal(20*SampleRate, 0.01, 8000, [2]float64{0.5, 2 * SampleRate}, [2]float64{0.25, 9 * SampleRate})
	s, err := NewStreamer(newFake(16000, 8000), Config{Hop: 30 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	emit := func(Detection) { n++ }
	// Warm up past the first window, then go round the signal in chunks.
	if err := s.Write(x[:2*SampleRate], emit); err != nil {
		t.Fatal(err)
	}
	pos := 2 * SampleRate
	allocs := testing.AllocsPerRun(300, func() {
		if pos+512 > len(x) {
			pos = 0
		}
		if err := s.Write(x[pos:pos+512], emit); err != nil {
			t.Fatal(err)
		}
		pos += 512
	})
	if allocs != 0 {
		t.Errorf("%v allocations per Write", allocs)
	}
	if n == 0 {
		t.Error("no detections while measuring")
	}
}

func TestSamplesToDuration(t *testing.T) {
	for n, want := range map[int64]time.Duration{
		0:                  0,
		1:                  62500 * time.Nanosecond,
		16000:              time.Second,
		24 * 3600 * 16000:  24 * time.Hour,
		1 << 40:            68719476*time.Second + 736*time.Millisecond,
		365 * 86400 * 1600: 365 * 8640 * time.Second,
	} {
		if got := SamplesToDuration(n); got != want {
			t.Errorf("SamplesToDuration(%d) = %v, want %v", n, got, want)
		}
	}
	if HopSamples(100*time.Millisecond) != 1600 || HopSamples(30*time.Millisecond) != 480 {
		t.Error("HopSamples")
	}
}

// TestLongWindowSuppression: with a 2.6 s window a word stays whole in the
// window for 1.6 s, longer than the 1.5 s default suppression; the default
// suppression of a Streamer stretches to the window so it is reported once,
// while an explicit 1.5 s reports it twice.
func TestLongWindowSuppression(t *testing.T) {
	const win, burst = 41600, 16000
	x := signal(8*SampleRate, 0.01, burst, [2]float64{0.5, 2 * SampleRate})
	for _, tc := range []struct {
		suppress time.Duration
		want     int
	}{{0, 1}, {DefaultSuppression, 2}} {
		cfg := tfConfig
		cfg.Suppression = tc.suppress
		s, err := NewStreamer(newFake(win, burst), cfg)
		if err != nil {
			t.Fatal(err)
		}
		got := collect(t, s, x, 1000, true)
		if len(got) != tc.want {
			t.Errorf("suppression %v: %d detections, want %d:\n%s", tc.suppress, len(got), tc.want, describe(got))
		}
		for _, d := range got {
			if d.Label != "yes" {
				t.Errorf("suppression %v: detected %s", tc.suppress, d.Label)
			}
		}
	}
}
