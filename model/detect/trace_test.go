package detect

import (
	"slices"
	"testing"
	"time"
)

func TestTraceReplay(t *testing.T) {
	const win, burst = 16000, 6000
	x := signal(15*SampleRate, 0, burst,
		[2]float64{0.5, 2 * SampleRate}, [2]float64{0.25, 3*SampleRate + 4000},
		[2]float64{0.125, 7 * SampleRate}, [2]float64{0.5, 9 * SampleRate},
		[2]float64{0.5, 11 * SampleRate}, [2]float64{0.25, 15*SampleRate - burst - 100})
	for _, hop := range []time.Duration{100 * time.Millisecond, 30 * time.Millisecond} {
		tr, err := Record(newFake(win, burst), x, Config{Hop: hop})
		if err != nil {
			t.Fatal(err)
		}
		if tr.Duration != 15*time.Second || tr.Hop != hop || len(tr.Scores) != len(tr.Times)*len(fakeLabels) {
			t.Fatalf("trace: %v %v %d times %d scores", tr.Duration, tr.Hop, len(tr.Times), len(tr.Scores))
		}
		for _, cfg := range []Config{
			{Hop: hop},
			{AverageWindow: 300 * time.Millisecond, Threshold: 0.5},
			{AverageWindow: time.Second, Threshold: 0.6, Suppression: 3 * time.Second},
			{Threshold: 0.3, Suppression: -1, MinCount: 1},
		} {
			cfg.Hop = hop
			s, err := NewStreamer(newFake(win, burst), cfg)
			if err != nil {
				t.Fatal(err)
			}
			want := collect(t, s, x, 4000, true)
			got, err := tr.Replay(Config{AverageWindow: cfg.AverageWindow, Threshold: cfg.Threshold, Suppression: cfg.Suppression, MinCount: cfg.MinCount})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) || len(want) == 0 {
				t.Errorf("hop %v %+v: replay\n%s\nstreamer\n%s", hop, cfg, describe(got), describe(want))
			}
		}
	}
	tr, err := Record(newFake(win, burst), x, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Replay(Config{Hop: 50 * time.Millisecond}); err == nil {
		t.Error("replay at another hop: no error")
	}
	tr.Scores = tr.Scores[1:]
	if _, err := tr.Replay(Config{}); err == nil {
		t.Error("replay of a broken trace: no error")
	}
}
