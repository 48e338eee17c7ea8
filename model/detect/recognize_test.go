package detect

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

var testLabels = []string{"_silence_", "_unknown_", "yes", "no"}

// post returns posteriors over testLabels with p for label and the rest
// spread evenly over the others.
func post(label string, p float32) []float32 {
	out := make([]float32, len(testLabels))
	for i, l := range testLabels {
		if l == label {
			out[i] = p
		} else {
			out[i] = (1 - p) / float32(len(testLabels)-1)
		}
	}
	return out
}

type step struct {
	ms    int
	label string
	p     float32
}

// steps builds results every 100 ms from a compact description: each
// segment is "label:p:count".
func steps(start int, segs ...string) []step {
	var out []step
	t := start
	for _, s := range segs {
		var label string
		var p float32
		var n int
		parts := strings.Split(s, ":")
		label = parts[0]
		fmt.Sscan(parts[1], &p)
		fmt.Sscan(parts[2], &n)
		for range n {
			out = append(out, step{t, label, p})
			t += 100
		}
	}
	return out
}

func TestRecognizer(t *testing.T) {
	cfg := Config{AverageWindow: 500 * time.Millisecond, Threshold: 0.7, Suppression: 1500 * time.Millisecond, MinCount: 3}
	tests := []struct {
		name  string
		cfg   Config
		steps []step
		want  []string // "label@ms" of reported commands
	}{
		{
			name:  "silence only",
			cfg:   cfg,
			steps: steps(0, "_silence_:0.99:20"),
		},
		{
			// Three results at 0, 100, 200 ms: enough by count and they
			// span 200 ms >= 500/4, so the third reports.
			name:  "min count",
			cfg:   cfg,
			steps: steps(0, "yes:0.9:3"),
			want:  []string{"yes@200"},
		},
		{
			name:  "min count 5",
			cfg:   Config{AverageWindow: 500 * time.Millisecond, MinCount: 5},
			steps: steps(0, "yes:0.9:5"),
			want:  []string{"yes@400"},
		},
		{
			// Two results span 100 ms < 1000/4 even though MinCount allows
			// two; the third spans 200 ms, still < 250; the fourth reports.
			name:  "min span",
			cfg:   Config{AverageWindow: time.Second, MinCount: 2},
			steps: steps(0, "yes:0.9:4"),
			want:  []string{"yes@300"},
		},
		{
			name:  "threshold is strict",
			cfg:   Config{AverageWindow: 500 * time.Millisecond, Threshold: 0.75},
			steps: steps(0, "yes:0.75:10"),
		},
		{
			// The average rises through the threshold as the word's results
			// fill the window, which holds six results (500 ms back,
			// inclusive): four yes and two silence average 0.61, five and
			// one 0.76.
			name:  "average rises",
			cfg:   cfg,
			steps: steps(0, "_silence_:0.9:5", "yes:0.9:10"),
			want:  []string{"yes@900"},
		},
		{
			name:  "suppressed repeat",
			cfg:   cfg,
			steps: steps(0, "yes:0.9:10"),
			want:  []string{"yes@200"},
		},
		{
			// The same label stays on top: reported again once more than
			// 1500 ms passed since it was last reported.
			name:  "repeat after suppression",
			cfg:   cfg,
			steps: steps(0, "yes:0.9:20"),
			want:  []string{"yes@200", "yes@1800"},
		},
		{
			name:  "no suppression",
			cfg:   Config{AverageWindow: 500 * time.Millisecond, Suppression: -1},
			steps: steps(0, "yes:0.9:5"),
			want:  []string{"yes@200", "yes@300", "yes@400"},
		},
		{
			name:  "another label at once",
			cfg:   cfg,
			steps: steps(0, "yes:0.9:6", "no:0.99:8"),
			want:  []string{"yes@200", "no@1000"},
		},
		{
			// Unknown takes the top and becomes the previous label, so the
			// second yes is new although within the suppression time.
			name:  "unknown between",
			cfg:   cfg,
			steps: steps(0, "yes:0.9:5", "_unknown_:0.99:6", "yes:0.9:6"),
			want:  []string{"yes@200", "yes@1500"},
		},
		{
			// Silence alone never crosses the threshold here (0.6), so the
			// previous label stays yes and the second yes is suppressed.
			name:  "weak silence keeps suppression",
			cfg:   cfg,
			steps: steps(0, "yes:0.9:5", "_silence_:0.6:6", "yes:0.9:6"),
			want:  []string{"yes@200"},
		},
		{
			name:  "silence clears suppression",
			cfg:   cfg,
			steps: steps(0, "yes:0.9:5", "_silence_:0.99:6", "yes:0.9:6"),
			want:  []string{"yes@200", "yes@1500"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewRecognizer(testLabels, tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range tt.steps {
				res := r.Process(time.Duration(s.ms)*time.Millisecond, post(s.label, s.p))
				if res.Report {
					got = append(got, fmt.Sprintf("%s@%d", testLabels[res.Top], s.ms))
				}
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("reported %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRecognizerResult(t *testing.T) {
	r, err := NewRecognizer(testLabels, Config{AverageWindow: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res := r.Process(0, post("yes", 0.8)); res.Top != -1 || res.Score != 0 || res.New {
		t.Errorf("first result: %+v, want Top -1", res)
	}
	r.Process(100*time.Millisecond, post("yes", 0.95))
	res := r.Process(200*time.Millisecond, post("yes", 0.9))
	if res.Top != 2 || !res.New || !res.Report {
		t.Fatalf("third result: %+v, want yes reported", res)
	}
	if want := float32(0.8+0.95+0.9) / 3; abs32(res.Score-want) > 1e-6 {
		t.Errorf("score %v, want %v", res.Score, want)
	}
	if res.Peak != 100*time.Millisecond {
		t.Errorf("peak at %v, want 100ms", res.Peak)
	}
	// Unknown on top is New but not reported.
	r.Reset()
	for i := range 3 {
		res = r.Process(time.Duration(i)*100*time.Millisecond, post("_unknown_", 0.9))
	}
	if !res.New || res.Report {
		t.Errorf("unknown: %+v, want New and not Report", res)
	}
}

func TestRecognizerPrunes(t *testing.T) {
	// Results exactly AverageWindow old stay in the average; older ones go.
	r, err := NewRecognizer(testLabels, Config{AverageWindow: 300 * time.Millisecond, Threshold: 0.5, MinCount: 1})
	if err != nil {
		t.Fatal(err)
	}
	r.Process(0, post("no", 1))
	r.Process(100*time.Millisecond, post("yes", 1))
	res := r.Process(300*time.Millisecond, post("yes", 1))
	// 0 ms is 300 ms old: kept, so yes averages 2/3.
	if res.Top != 2 || abs32(res.Score-2.0/3) > 1e-6 {
		t.Errorf("at 300ms: %+v, want yes at 2/3", res)
	}
	res = r.Process(301*time.Millisecond, post("yes", 1))
	// Now 0 ms is dropped: yes at 1.
	if res.Top != 2 || res.Score != 1 {
		t.Errorf("at 301ms: %+v, want yes at 1", res)
	}
}

func TestRecognizerGrows(t *testing.T) {
	// Sized for a 100 ms hop, fed every millisecond: the history grows and
	// the average still covers the whole window.
	r, err := NewRecognizer(testLabels, Config{Hop: 100 * time.Millisecond, AverageWindow: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	var res Result
	for ms := range 1000 {
		label := "no"
		if ms >= 500 {
			label = "yes"
		}
		res = r.Process(time.Duration(ms)*time.Millisecond, post(label, 1))
	}
	// At 999 ms the window [499, 999] holds 500 yes and one no.
	if want := float32(500) / 501; res.Top != 2 || abs32(res.Score-want) > 1e-5 {
		t.Errorf("%+v, want yes at %v", res, want)
	}
}

func TestRecognizerPanics(t *testing.T) {
	r, err := NewRecognizer(testLabels, Config{})
	if err != nil {
		t.Fatal(err)
	}
	r.Process(time.Second, post("yes", 1))
	for name, f := range map[string]func(){
		"length":   func() { r.Process(2*time.Second, []float32{1}) },
		"backward": func() { r.Process(time.Second-1, post("yes", 1)) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if e := recover(); e == nil || !strings.HasPrefix(fmt.Sprint(e), "detect: ") {
					t.Errorf("recovered %v, want a detect: panic", e)
				}
			}()
			f()
		})
	}
	// Equal times are fine.
	r.Process(time.Second, post("yes", 1))
}

func TestNewRecognizerErrors(t *testing.T) {
	for name, tc := range map[string]struct {
		labels []string
		cfg    Config
	}{
		"no labels":      {nil, Config{}},
		"threshold 1":    {testLabels, Config{Threshold: 1}},
		"threshold -0.1": {testLabels, Config{Threshold: -0.1}},
		"negative hop":   {testLabels, Config{Hop: -1}},
		"tiny hop":       {testLabels, Config{Hop: time.Microsecond}},
		"positive gate":  {testLabels, Config{Gate: 3}},
		"negative count": {testLabels, Config{MinCount: -1}},
	} {
		if _, err := NewRecognizer(tc.labels, tc.cfg); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestReportable(t *testing.T) {
	for label, want := range map[string]bool{"yes": true, "_silence_": false, "_unknown_": false, "": false, "on": true} {
		if got := Reportable(label); got != want {
			t.Errorf("Reportable(%q) = %v", label, got)
		}
	}
	if got := Commands([]string{"_silence_", "_unknown_", "yes", "no", "", "_x"}); strings.Join(got, ",") != "yes,no" {
		t.Errorf("Commands = %q, want yes, no", got)
	}
	if got := Commands([]string{"_silence_"}); got != nil {
		t.Errorf("Commands of silence alone = %q, want none", got)
	}
}

func abs32(x float32) float32 {
	if x < 0 {
		return -x
	}
	return x
}
