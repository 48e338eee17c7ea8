package detect

import (
	"bufio"
	"flag"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/model"
)

// TestTune is the tool that chose the defaults, not a test: given a model,
// a long recording and its ground truth (listen mkstream), it records the
// model's posteriors at each hop and replays them with a grid of smoothing
// settings, printing the streaming figures of each. Without -tune.model it
// does nothing. For example:
//
//	go test ./model/detect -run TestTune -v -tune.model M.safetensors \
//	    -tune.wav tune.wav -tune.truth tune.txt -tune.hops 100ms,50ms
var (
	tuneModel = flag.String("tune.model", "", "TestTune: model file")
	tuneWAV   = flag.String("tune.wav", "", "TestTune: long recording")
	tuneTruth = flag.String("tune.truth", "", "TestTune: its ground truth")
	tuneHops  = flag.String("tune.hops", "100ms", "TestTune: hops to record")
	tuneAvgs  = flag.String("tune.avgs", "300ms,500ms,750ms,1s", "TestTune: average windows")
	tuneThrs  = flag.String("tune.thrs", "0.5,0.6,0.7,0.8,0.9", "TestTune: thresholds")
	tuneSups  = flag.String("tune.sups", "1s,1500ms", "TestTune: suppression times")
	tuneMins  = flag.String("tune.mins", "3", "TestTune: minimum counts")
)

func TestTune(t *testing.T) {
	if *tuneModel == "" {
		return // a tool: see the comment above
	}
	f, err := os.Open(*tuneModel)
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.Decode(bufio.NewReader(f))
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	x, err := audio.ReadFile(*tuneWAV)
	if err != nil {
		t.Fatal(err)
	}
	tf, err := os.Open(*tuneTruth)
	if err != nil {
		t.Fatal(err)
	}
	truth, err := ReadTruth(tf)
	tf.Close()
	if err != nil {
		t.Fatal(err)
	}
	ends := wordEnds(x, truth)
	dur := SamplesToDuration(int64(len(x)))
	for _, hop := range durations(t, *tuneHops) {
		c, err := ForModel(m)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		tr, err := Record(c, x, Config{Hop: hop})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("hop %v: %d windows of %v audio in %v\n", hop, len(tr.Times), dur, time.Since(start).Round(time.Millisecond))
		for _, avg := range durations(t, *tuneAvgs) {
			for _, thr := range floats(t, *tuneThrs) {
				for _, sup := range durations(t, *tuneSups) {
					for _, mc := range floats(t, *tuneMins) {
						cfg := Config{AverageWindow: avg, Threshold: float32(thr), Suppression: sup, MinCount: int(mc)}
						ds, err := tr.Replay(cfg)
						if err != nil {
							t.Fatal(err)
						}
						found := make([]Event, len(ds))
						for i, d := range ds {
							found[i] = d.Event()
						}
						st := Evaluate(truth, found, DefaultTolerance, dur)
						lat := latencies(truth, ends, ds)
						fmt.Printf("hop %v avg %v thr %.2f sup %v min %d: correct %.1f%% wrong %.1f%% fa/h %.1f; latency after word end p50 %v p90 %v\n",
							hop, avg, thr, sup, int(mc), st.CorrectPct(), st.WrongPct(), st.FalseAlarmsPerHour(), lat[0], lat[1])
					}
				}
			}
		}
	}
}

// wordEnds estimates where each truth word ends: the end of the last 10 ms
// frame of its clip's second that is within 25 dB of the clip's loudest.
func wordEnds(x []float32, truth []Event) []time.Duration {
	out := make([]time.Duration, len(truth))
	for k, e := range truth {
		s := HopSamples(e.Time)
		var en []float64
		for i := s; i+160 <= min(s+SampleRate, len(x)); i += 160 {
			var v float64
			for _, y := range x[i : i+160] {
				v += float64(y) * float64(y)
			}
			en = append(en, v)
		}
		peak := slices.Max(append(en, 0))
		last := 0
		for i, v := range en {
			if v > peak/math.Pow(10, 2.5) {
				last = i
			}
		}
		out[k] = e.Time + time.Duration(last+1)*10*time.Millisecond
	}
	return out
}

// latencies returns the median and 90th percentile of At minus the word's
// end, over detections with the label of a truth word within the tolerance.
func latencies(truth []Event, ends []time.Duration, ds []Detection) [2]time.Duration {
	var l []time.Duration
	for _, d := range ds {
		for k, e := range truth {
			if e.Label == d.Label && (d.Start-e.Time).Abs() <= DefaultTolerance {
				l = append(l, d.At-ends[k])
				break
			}
		}
	}
	if len(l) == 0 {
		return [2]time.Duration{}
	}
	slices.Sort(l)
	return [2]time.Duration{l[len(l)/2], l[len(l)*9/10]}
}

func durations(t *testing.T, s string) []time.Duration {
	var out []time.Duration
	for _, f := range strings.Split(s, ",") {
		d, err := time.ParseDuration(strings.TrimSpace(f))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	return out
}

func floats(t *testing.T, s string) []float64 {
	var out []float64
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}
