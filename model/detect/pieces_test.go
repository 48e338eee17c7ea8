package detect

import (
	"math"
	"slices"
	"testing"
	"time"
)

// recordInPieces records x with a Recorder in pieces of about size
// samples (rounded down to a whole number of hops, at least the lead) and
// joins them.
func recordInPieces(t *testing.T, c Classifier, x []float32, cfg Config, size int) *Trace {
	t.Helper()
	r, err := NewRecorder(c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	hop, lead := r.Hop(), r.Lead()
	size = max(size/hop*hop, (lead+hop-1)/hop*hop, hop)
	var parts []*Trace
	for start := 0; start == 0 || start < len(x); start += size {
		end := min(start+size, len(x))
		from := max(start-lead, 0)
		if start == 0 {
			from = 0
		}
		tr, err := r.Record(x[from:end], int64(start), end == len(x))
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, tr)
		if end == len(x) {
			break
		}
	}
	tr, err := JoinTraces(parts)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func sameTrace(t *testing.T, what string, got, want *Trace) {
	t.Helper()
	if !slices.Equal(got.Labels, want.Labels) || got.Window != want.Window || got.Hop != want.Hop || got.Duration != want.Duration {
		t.Fatalf("%s: trace %v %d %v %v, want %v %d %v %v", what, got.Labels, got.Window, got.Hop, got.Duration, want.Labels, want.Window, want.Hop, want.Duration)
	}
	if !slices.Equal(got.Times, want.Times) {
		t.Fatalf("%s: %d times (first %v), want %d (first %v)", what, len(got.Times), got.Times[:min(3, len(got.Times))], len(want.Times), want.Times[:min(3, len(want.Times))])
	}
	for i := range got.Scores {
		if math.Float32bits(got.Scores[i]) != math.Float32bits(want.Scores[i]) {
			t.Fatalf("%s: score %d (time %v) %v, want %v", what, i, got.Times[i/len(got.Labels)], got.Scores[i], want.Scores[i])
		}
	}
}

// Pieces joined give Record's trace bit for bit, whatever the piece size,
// with the gate closing in the quiet stretches and a stream whose length is
// no whole number of hops.
func TestRecorderPiecesMatchRecord(t *testing.T) {
	const win, burst = 16000, 6000
	n := 20*SampleRate + 777
	x := signal(n, 0, burst,
		[2]float64{0.5, 2 * SampleRate}, [2]float64{0.25, 3*SampleRate + 4000},
		[2]float64{0.125, 7 * SampleRate}, [2]float64{0.5, 12 * SampleRate},
		[2]float64{0.5, 13*SampleRate + 100}, [2]float64{0.25, float64(n - burst - 100)})
	for _, hop := range []time.Duration{50 * time.Millisecond, 30 * time.Millisecond, 100 * time.Millisecond} {
		cfg := Config{Hop: hop}
		want, err := Record(newFake(win, burst), x, cfg)
		if err != nil {
			t.Fatal(err)
		}
		skipped := 0
		for i := range want.Times {
			if want.Scores[i*len(fakeLabels)] == 1 {
				skipped++
			}
		}
		if skipped == 0 || skipped == len(want.Times) {
			t.Fatalf("hop %v: %d of %d results silent: the gate should close in part of the stream", hop, skipped, len(want.Times))
		}
		for _, size := range []int{1, 16000, 3*16000 + 123, 5 * SampleRate, n, 2 * n} {
			got := recordInPieces(t, newFake(win, burst), x, cfg, size)
			sameTrace(t, "hop "+hop.String(), got, want)
		}
	}
}

// The same with a real model, whose classifier reuses feature frames
// between windows: the first window of each piece computes them all.
func TestRecorderPiecesModel(t *testing.T) {
	m := tinyModel(t, 8, 1)
	x := noise(6*SampleRate+500, 0.1, 3)
	cfg := Config{Hop: 50 * time.Millisecond}
	c, err := ForModel(m)
	if err != nil {
		t.Fatal(err)
	}
	want, err := Record(c, x, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []int{20000, 2 * SampleRate} {
		c, err := ForModel(m)
		if err != nil {
			t.Fatal(err)
		}
		sameTrace(t, "model", recordInPieces(t, c, x, cfg, size), want)
	}
}

func TestRecorderErrors(t *testing.T) {
	r, err := NewRecorder(newFake(16000, 6000), Config{Hop: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if r.Hop() != 1600 || r.Lead() != 9*1600 {
		t.Errorf("hop %d lead %d, want 1600 and %d", r.Hop(), r.Lead(), 9*1600)
	}
	x := make([]float32, 3*SampleRate)
	for _, start := range []int64{1600, 1600*9 + 1, -1600} {
		if _, err := r.Record(x, start, false); err == nil {
			t.Errorf("start %d: no error", start)
		}
	}
	if _, err := r.Record(x[:100], 1600*10, false); err == nil {
		t.Error("piece shorter than its lead: no error")
	}
	if _, err := NewRecorder(newFake(16000, 6000), Config{Hop: -1}); err == nil {
		t.Error("bad config: no error")
	}
	a, _ := r.Record(x, 0, false)
	if _, err := JoinTraces([]*Trace{a, a}); err == nil {
		t.Error("joining overlapping traces: no error")
	}
	b := *a
	b.Labels = []string{"x", "y", "z", "w"}
	if _, err := JoinTraces([]*Trace{a, &b}); err == nil {
		t.Error("joining traces of other labels: no error")
	}
	if _, err := JoinTraces(nil); err == nil {
		t.Error("joining nothing: no error")
	}
}
