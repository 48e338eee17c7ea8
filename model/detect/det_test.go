package detect

import (
	"math"
	"slices"
	"testing"
	"time"
)

func TestDefaultThresholds(t *testing.T) {
	th := DefaultThresholds()
	if len(th) != 14 || th[0] != 0.5 || th[9] != 0.95 || th[13] != 0.99 {
		t.Errorf("thresholds %v", th)
	}
	if !slices.IsSorted(th) {
		t.Errorf("thresholds %v not increasing", th)
	}
}

// Each threshold of a sweep gives what Replay gives at it; on words of
// several strengths, higher thresholds report fewer of them.
func TestSweep(t *testing.T) {
	const win, burst = 16000, 8000
	// Words of parts of a burst score 0.98 times the part at best: fewer
	// pass the higher thresholds, and those of half a burst or less none.
	x := make([]float32, 30*SampleRate)
	for k, frac := range []float64{1, 0.75, 0.625, 0.5, 0.375, 1, 0.8} {
		start := (2 + 4*k) * SampleRate
		for i := start; i < start+int(frac*burst); i++ {
			x[i] = 0.5
		}
	}
	tr, err := Record(newFake(win, burst), x, Config{})
	if err != nil {
		t.Fatal(err)
	}
	th := DefaultThresholds()
	got, err := tr.Sweep(Config{}, th)
	if err != nil {
		t.Fatal(err)
	}
	prev := math.MaxInt
	counts := make([]int, len(th))
	for i, d := range got {
		want, err := tr.Replay(Config{Threshold: th[i]})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(d, want) {
			t.Errorf("threshold %v: sweep\n%s\nreplay\n%s", th[i], describe(d), describe(want))
		}
		counts[i] = len(d)
		if len(d) > prev {
			t.Errorf("threshold %v: %d detections, more than the %d at the lower threshold", th[i], len(d), prev)
		}
		prev = len(d)
	}
	if counts[0] != 5 || counts[len(counts)-1] != 0 || counts[0] == counts[5] {
		t.Errorf("detections by threshold %v: want the 5 words above half a burst at 0.5, fewer higher up, none at 0.99", counts)
	}
	if _, err := tr.Sweep(Config{Hop: time.Millisecond}, th); err == nil {
		t.Error("sweep at another hop: no error")
	}
}

func det(label string, startMs, endMs int) Detection {
	return Detection{Label: label, Start: time.Duration(startMs) * time.Millisecond, End: time.Duration(endMs) * time.Millisecond}
}

func span(label string, startMs, endMs int) Span {
	return Span{Label: label, Start: time.Duration(startMs) * time.Millisecond, End: time.Duration(endMs) * time.Millisecond}
}

func TestAttribute(t *testing.T) {
	spans := []Span{span("yes", 0, 1000), span("", 1500, 2500), span("no", 3000, 3500), span("", 6000, 7000)}
	found := []Detection{
		det("yes", 0, 1000),    // exactly the first clip
		det("yes", 800, 1800),  // 200 ms of the first, 300 of the second
		det("no", 1250, 2250),  // all in the second
		det("no", 2500, 3500),  // 500 ms of the third, none of the second
		det("no", 2000, 3000),  // 500 ms of the second, touches the third
		det("yes", 4000, 4200), // in a gap, nearer the third
		det("yes", 5500, 5900), // in a gap, nearer the fourth
		det("yes", 8000, 9000), // after the last
		det("yes", 1250, 1750), // 250 ms of the second; starts in the gap
	}
	want := []int{0, 1, 1, 2, 1, 2, 3, 3, 1}
	if got := Attribute(spans, found); !slices.Equal(got, want) {
		t.Errorf("attribute %v, want %v", got, want)
	}
	// A tie goes to the earlier span.
	if got := Attribute([]Span{span("", 0, 1000), span("", 1000, 2000)}, []Detection{det("x", 500, 1500)}); got[0] != 0 {
		t.Errorf("tie: span %d, want 0", got[0])
	}
	if got := Attribute(nil, found[:2]); !slices.Equal(got, []int{-1, -1}) {
		t.Errorf("no spans: %v", got)
	}
}

func TestScoreClips(t *testing.T) {
	spans := []Span{span("yes", 0, 1000), span("no", 2000, 3000), span("", 4000, 5000), span("yes", 6000, 7000)}
	found := []Detection{
		det("yes", 0, 1000),    // found
		det("yes", 100, 1000),  // a repeat: wrong
		det("yes", 2000, 3000), // another command on "no": wrong
		det("no", 4000, 5000),  // on a negative: a false alarm
		det("yes", 4100, 5000), // another false alarm
	}
	got := ScoreClips(spans, found)
	want := ClipScore{Commands: 3, Found: 1, Wrong: 2, FalseAlarms: 2}
	if got != want || got.Misses() != 2 {
		t.Errorf("score %+v (misses %d), want %+v (2)", got, got.Misses(), want)
	}
}

func TestDETPoint(t *testing.T) {
	p := DETPoint{Threshold: 0.8, FalseAlarms: 6, Hours: 2, Misses: 1, Commands: 4}
	if p.FalseAlarmsPerHour() != 3 || p.MissRate() != 0.25 {
		t.Errorf("%+v: %v an hour, miss rate %v", p, p.FalseAlarmsPerHour(), p.MissRate())
	}
	if q := (DETPoint{}); !math.IsNaN(q.FalseAlarmsPerHour()) || !math.IsNaN(q.MissRate()) {
		t.Errorf("empty point: %v an hour, miss rate %v; want NaN", q.FalseAlarmsPerHour(), q.MissRate())
	}
}

func TestPickThreshold(t *testing.T) {
	pts := []DETPoint{
		{Threshold: 0.5, FalseAlarms: 40, Hours: 2, Misses: 1, Commands: 100},
		{Threshold: 0.6, FalseAlarms: 20, Hours: 2, Misses: 2, Commands: 100},
		{Threshold: 0.7, FalseAlarms: 12, Hours: 2, Misses: 3, Commands: 100},
		{Threshold: 0.8, FalseAlarms: 12, Hours: 2, Misses: 3, Commands: 100},
		{Threshold: 0.9, FalseAlarms: 2, Hours: 2, Misses: 9, Commands: 100},
	}
	for _, c := range []struct {
		budget float64
		want   int
		ok     bool
	}{
		{20, 0, true}, // everything fits: the fewest misses
		{19.9, 1, true},
		{6, 3, true}, // 0.7 and 0.8 tie on misses and alarms: the higher threshold
		{1, 4, true},
		{0.5, -1, false},
	} {
		got, ok := PickThreshold(pts, c.budget)
		if got != c.want || ok != c.ok {
			t.Errorf("budget %v: point %d (ok %v), want %d (%v)", c.budget, got, ok, c.want, c.ok)
		}
	}
	// Without commands: the lowest threshold within the budget.
	neg := []DETPoint{{Threshold: 0.5, FalseAlarms: 30, Hours: 1}, {Threshold: 0.7, FalseAlarms: 8, Hours: 1}, {Threshold: 0.9, FalseAlarms: 1, Hours: 1}}
	if got, ok := PickThreshold(neg, 10); got != 1 || !ok {
		t.Errorf("negatives only, budget 10: point %d (ok %v), want 1", got, ok)
	}
}
