package detect_test

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/listen-go/listen/mfcc"
	"github.com/listen-go/listen/model"
	"github.com/listen-go/listen/model/detect"
)

// loudness is a toy classifier for the examples: a window whose samples are
// mostly loud is "yes", otherwise silence.
type loudness struct{}

func (loudness) Labels() []string { return []string{"_silence_", "yes"} }
func (loudness) Window() int      { return 16000 }
func (loudness) Classify(dst, window []float32) ([]float32, error) {
	loud := 0
	for _, x := range window {
		if x > 0.1 || x < -0.1 {
			loud++
		}
	}
	p := float32(loud) / float32(len(window))
	return append(dst[:0], 1-p, p), nil
}

func ExampleStreamer() {
	s, err := detect.NewStreamer(loudness{}, detect.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	// Four seconds of quiet with a loud second from 1.5 s.
	x := make([]float32, 4*detect.SampleRate)
	for i := 3 * detect.SampleRate / 2; i < 5*detect.SampleRate/2; i++ {
		x[i] = 0.5
	}
	print := func(d detect.Detection) {
		fmt.Printf("%s %.2f from %v to %v, reported at %v\n", d.Label, d.P, d.Start, d.End, d.At)
	}
	// Feed it in chunks of any size, as a microphone would.
	for len(x) > 0 {
		n := min(len(x), 1024)
		if err := s.Write(x[:n], print); err != nil {
			fmt.Println(err)
			return
		}
		x = x[n:]
	}
	if err := s.Flush(print); err != nil {
		fmt.Println(err)
	}
	// Output:
	// yes 0.75 from 1.4s to 2.4s, reported at 2.4s
}

func ExampleRecognizer() {
	r, err := detect.NewRecognizer([]string{"_silence_", "yes", "no"}, detect.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	scores := [][]float32{
		{0.9, 0.05, 0.05}, {0.2, 0.7, 0.1}, {0.1, 0.85, 0.05}, {0.05, 0.9, 0.05},
		{0.05, 0.9, 0.05}, {0.1, 0.8, 0.1}, {0.3, 0.1, 0.6}, {0.1, 0.05, 0.85},
		{0.05, 0.05, 0.9}, {0.05, 0.05, 0.9}, {0.05, 0.05, 0.9}, {0.05, 0.05, 0.9},
	}
	for i, p := range scores {
		t := time.Duration(i) * 100 * time.Millisecond
		if res := r.Process(t, p); res.Report {
			fmt.Printf("%v: %s %.2f\n", t, r.Labels()[res.Top], res.Score)
		}
	}
	// Output:
	// 400ms: yes 0.84
	// 900ms: no 0.81
}

func ExampleEvaluate() {
	truth, err := detect.ReadTruth(strings.NewReader("yes,1000\nno,4000\nup,7000\n"))
	if err != nil {
		fmt.Println(err)
		return
	}
	found := []detect.Event{
		{Label: "yes", Time: 1200 * time.Millisecond}, // correct
		{Label: "go", Time: 3500 * time.Millisecond},  // wrong: "no" was said
		{Label: "up", Time: 12 * time.Second},         // nothing said near: false positive
	}
	s := detect.Evaluate(truth, found, detect.DefaultTolerance, 10*time.Second)
	fmt.Println(s)
	// Output:
	// 66.7% matched, 33.3% correct, 33.3% wrong, 33.3% false positives (3 words, 1 false alarms in 10s: 360.0 per hour)
}

func ExampleWriteTruth() {
	events := []detect.Event{{Label: "yes", Time: 1500 * time.Millisecond}, {Label: "stop", Time: 4 * time.Second}}
	if err := detect.WriteTruth(os.Stdout, events); err != nil {
		fmt.Println(err)
	}
	// Output:
	// yes,1500
	// stop,4000
}

func ExampleConfig_WithDefaults() {
	c := detect.Config{Threshold: 0.8}.WithDefaults()
	fmt.Println(c.Hop, c.AverageWindow, c.Threshold, c.Suppression, c.MinCount, c.Gate)
	// Output:
	// 100ms 300ms 0.8 1.5s 2 -60
}

func ExampleRecord() {
	// Four seconds with a loud second from 1.5 s, as in ExampleStreamer.
	x := make([]float32, 4*detect.SampleRate)
	for i := 3 * detect.SampleRate / 2; i < 5*detect.SampleRate/2; i++ {
		x[i] = 0.5
	}
	// Run the classifier once...
	tr, err := detect.Record(loudness{}, x, detect.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(tr.Times), "windows classified")
	// ... and try several smoothing settings on what it said.
	for _, thr := range []float32{0.5, 0.7, 0.9} {
		ds, err := tr.Replay(detect.Config{Threshold: thr})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("threshold %.1f: %d detections", thr, len(ds))
		for _, d := range ds {
			fmt.Printf(", %s at %v", d.Label, d.At)
		}
		fmt.Println()
	}
	// Output:
	// 41 windows classified
	// threshold 0.5: 1 detections, yes at 2.2s
	// threshold 0.7: 1 detections, yes at 2.4s
	// threshold 0.9: 0 detections
}

func ExampleNew() {
	// An untrained model stands in for a trained one here; listen loads
	// its models with model.Decode.
	m, err := model.New(model.Config{Inputs: 40, Hidden: 8, Layers: 1, Classes: 3}, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	m.Meta.Labels = []string{"_silence_", "_unknown_", "yes"}
	m.Meta.Features = mfcc.DefaultConfig()
	m.Meta.WindowSamples = 16000
	s, err := detect.New(m, detect.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	// Two seconds of digital silence: the energy gate skips the model.
	if err := s.Write(make([]float32, 2*detect.SampleRate), func(d detect.Detection) { fmt.Println(d.Label) }); err != nil {
		fmt.Println(err)
		return
	}
	classified, skipped := s.Runs()
	fmt.Println(s.Elapsed(), s.Window(), "sample window;", classified, "classified,", skipped, "skipped")
	// Output:
	// 2s 16000 sample window; 0 classified, 11 skipped
}

// The labels a model can report: not silence nor other words.
func ExampleCommands() {
	fmt.Println(detect.Commands([]string{"_silence_", "_unknown_", "yes", "no", "up"}))
	// Output: [yes no up]
}

// Check says which setting is out of range and what the range is, as
// listen reports a bad flag.
func ExampleConfig_Check() {
	cfg := detect.DefaultConfig()
	fmt.Println(cfg.Check())
	cfg.MinCount = 10
	fmt.Println(cfg.Check())
	cfg = detect.Config{Threshold: 1}.WithDefaults()
	fmt.Println(cfg.Check())
	// Output:
	// <nil>
	// detect: min-count 10: more than the 4 results an average of 300ms at a 100ms hop holds, so nothing could be reported
	// detect: threshold 1: must be above 0 and below 1 (0 and 1 excluded)
}

func ExampleConfig_Holds() {
	cfg := detect.Config{AverageWindow: 500 * time.Millisecond, Hop: 100 * time.Millisecond}
	fmt.Println(cfg.Holds())
	// Output: 6
}
