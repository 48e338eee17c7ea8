package evaluate

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/datasets"
	"github.com/listen-go/listen/model/detect"
)

// A recording that holds commands, taken for negatives, must report them
// as false alarms, the folder of command clips too, each clip firing its
// own label; a sweep's false alarms never rise with the threshold.
func TestNegativesReportsCommands(t *testing.T) {
	m := defaultModel(t)
	res, err := Negatives(context.Background(), m, []string{commandsWAV, clipsDir}, NegativesOptions{Name: "default", Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Negatives) != 2 || res.Negatives[0].Kind != "recording" || res.Negatives[1].Kind != "clips" || res.Negatives[1].Clips != 4 {
		t.Fatalf("negatives %+v", res.Negatives)
	}
	// The hours are the recording's and the clips' own audio, no gaps.
	clips := 0.0
	for _, w := range []string{"go", "left", "stop", "yes"} {
		x, err := audio.ReadFile(filepath.Join(clipsDir, w+".wav"))
		if err != nil {
			t.Fatal(err)
		}
		clips += float64(len(x)) / audio.Rate
	}
	if got := res.Negatives[1].Seconds; math.Abs(got-clips) > 1e-9 {
		t.Errorf("clips counted %v s, their audio is %v s", got, clips)
	}
	cfg, err := detect.ModelConfig(m)
	if err != nil {
		t.Fatal(err)
	}
	at := res.AtModel
	if math.Abs(at.Threshold-float64(cfg.Threshold)) > 1e-6 || at.FalseAlarms < 5 {
		t.Errorf("at the model's threshold %v: %d false alarms, want at least 5 (stop and yes, and the clips)", at.Threshold, at.FalseAlarms)
	}
	for _, w := range []string{"stop", "yes", "left"} {
		if at.Labels[w] == 0 {
			t.Errorf("%s not reported: %v", w, at.Labels)
		}
	}
	fired := map[string]int{}
	for _, f := range at.Files {
		fired[filepath.Base(f.File)] = f.FalseAlarms
	}
	if fired["commands.wav"] < 2 || fired["yes.wav"] == 0 || fired["stop.wav"] == 0 {
		t.Errorf("files that fired: %+v", at.Files)
	}
	if len(res.Sweep) != len(detect.DefaultThresholds()) {
		t.Fatalf("%d points", len(res.Sweep))
	}
	for i := 1; i < len(res.Sweep); i++ {
		if res.Sweep[i].Threshold <= res.Sweep[i-1].Threshold || res.Sweep[i].FalseAlarms > res.Sweep[i-1].FalseAlarms {
			t.Errorf("sweep not monotone at %d: %+v then %+v", i, res.Sweep[i-1], res.Sweep[i])
		}
	}
	var buf bytes.Buffer
	if err := res.Report(&buf); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"4 clips", "an hour", "labels reported:", "commands.wav", "0.95"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, buf.String())
		}
	}
}

// The figures are bit for bit the same for any number of workers and any
// piece length; with command clips, the misses fall as false alarms rise,
// and Pick takes PickThreshold's point.
func TestNegativesWorkers(t *testing.T) {
	m := defaultModel(t)
	data := commandFolder(t)
	run := func(workers int, piece time.Duration) []byte {
		pieceLen = piece
		defer func() { pieceLen = 30 * time.Second }()
		res, err := Negatives(context.Background(), m, []string{commandsWAV}, NegativesOptions{Name: "default", Workers: workers,
			Data: data, Split: datasets.All, Thresholds: []float32{0.5, 0.7, 0.9, 0.99}})
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	one := run(1, 30*time.Second)
	for _, c := range []struct {
		workers int
		piece   time.Duration
	}{{3, time.Second}, {2, 1500 * time.Millisecond}, {1, 700 * time.Millisecond}} {
		if got := run(c.workers, c.piece); !bytes.Equal(got, one) {
			t.Errorf("%d workers, pieces of %v:\n%s\none worker, whole:\n%s", c.workers, c.piece, got, one)
		}
	}
	var res NegativesResult
	if err := json.Unmarshal(one, &res); err != nil {
		t.Fatal(err)
	}
	if res.Commands == nil || res.Commands.Clips != 10 {
		t.Fatalf("commands %+v", res.Commands)
	}
	for i := 1; i < len(res.Sweep); i++ {
		if res.Sweep[i].Misses < res.Sweep[i-1].Misses {
			t.Errorf("misses fall from %d to %d as the threshold rises", res.Sweep[i-1].Misses, res.Sweep[i].Misses)
		}
	}
}

func TestPick(t *testing.T) {
	r := &NegativesResult{}
	for i, fa := range []int{30, 12, 5, 1, 0} {
		miss := 1 + i
		rate := float64(miss) / 20
		r.Sweep = append(r.Sweep, Point{Threshold: 0.5 + 0.1*float64(i), FalseAlarms: fa, FalseAlarmsPerHour: float64(fa) / 2,
			Commands: 20, Misses: miss, MissRate: &rate, hours: 2})
	}
	for _, c := range []struct {
		budget float64
		want   float64
		ok     bool
	}{{100, 0.5, true}, {6, 0.6, true}, {5, 0.7, true}, {2.5, 0.7, true}, {0, 0.9, true}, {-1, 0, false}} {
		det := make([]detect.DETPoint, len(r.Sweep))
		for i, p := range r.Sweep {
			det[i] = p.DET()
		}
		k, okP := detect.PickThreshold(det, c.budget)
		ok := r.Pick(c.budget)
		if ok != c.ok || ok != okP || ok && (r.Chosen.Threshold != c.want || r.Sweep[k].Threshold != c.want) {
			t.Errorf("budget %v: ok %v, chosen %+v; want %v at %v", c.budget, ok, r.Chosen, c.ok, c.want)
		}
	}
}

func TestNegativesBadInput(t *testing.T) {
	m := defaultModel(t)
	dir := t.TempDir()
	notWAV := filepath.Join(dir, "x.wav")
	os.WriteFile(notWAV, []byte("not a wav file"), 0o644)
	empty := filepath.Join(dir, "empty")
	os.Mkdir(empty, 0o755)
	for _, c := range []struct {
		paths []string
		want  string
	}{
		{[]string{notWAV}, "x.wav"},
		{[]string{filepath.Join(dir, "missing.wav")}, "missing.wav"},
		{[]string{empty}, "no .wav or .flac files"},
		{nil, "no negatives"},
	} {
		_, err := Negatives(context.Background(), m, c.paths, NegativesOptions{Name: "default"})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want one naming %q", c.paths, err, c.want)
		}
	}
	// A broken clip in a folder is skipped with a warning, the rest counted.
	folder := filepath.Join(dir, "clips")
	os.Mkdir(folder, 0o755)
	b, _ := os.ReadFile(filepath.Join(clipsDir, "go.wav"))
	os.WriteFile(filepath.Join(folder, "a.wav"), b, 0o644)
	os.WriteFile(filepath.Join(folder, "b.wav"), []byte("RIFF0000WAVE"), 0o644)
	var warned []string
	res, err := Negatives(context.Background(), m, []string{folder}, NegativesOptions{Name: "default", Warn: func(w string) { warned = append(warned, w) }})
	if err != nil {
		t.Fatal(err)
	}
	if res.Negatives[0].Clips != 1 || res.Negatives[0].Skipped != 1 || len(warned) != 1 || !strings.Contains(warned[0], "b.wav") {
		t.Errorf("negatives %+v, warnings %q", res.Negatives, warned)
	}
}
