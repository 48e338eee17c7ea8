package main

import (
	"encoding/json"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/datasets"
	"github.com/listen-go/listen/model/detect"
	"github.com/listen-go/listen/train/evaluate"
)

var negWAV = filepath.Join("..", "..", "testdata", "detect", "commands.wav")

// negCommandFolder lays testdata/listen out as a dataset of the default
// model's words: go, left, stop and yes hold their own clip, the other
// words a copy of yes.wav.
func negCommandFolder(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, w := range datasets.DefaultWords {
		b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "listen", w+".wav"))
		if os.IsNotExist(err) {
			b, err = os.ReadFile(filepath.Join("..", "..", "testdata", "listen", "yes.wav"))
		}
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Join(dir, w), 0o755)
		if err := os.WriteFile(filepath.Join(dir, w, "spk0_nohash_0.wav"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func evalNegJSON(t *testing.T, args ...string) evaluate.NegativesResult {
	t.Helper()
	code, out, errs := runCmd(append([]string{"eval", "-json", "-workers", "2"}, args...)...)
	if code != 0 {
		t.Fatalf("%v: exit %d: %s", args, code, errs)
	}
	var r evaluate.NegativesResult
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("output %q: %v", out, err)
	}
	return r
}

// defaultSettings returns the embedded default model's own detection
// settings.
func defaultSettings(t *testing.T) detect.Config {
	t.Helper()
	m, err := loadModel("default")
	if err != nil {
		t.Fatal(err)
	}
	own, err := detect.ModelConfig(m)
	if err != nil {
		t.Fatal(err)
	}
	return own
}

// A "negatives" recording that holds commands reports them; the sweep's
// false alarms fall as the threshold rises.
func TestEvalNegatives(t *testing.T) {
	r := evalNegJSON(t, "-negatives", negWAV)
	own := defaultSettings(t)
	if math.Abs(r.AtModel.Threshold-float64(own.Threshold)) > 1e-6 || r.AtModel.FalseAlarms < 2 || r.AtModel.Labels["stop"] == 0 || r.AtModel.Labels["yes"] == 0 {
		t.Errorf("at the model's settings: %+v", r.AtModel)
	}
	if len(r.AtModel.Files) != 1 || r.AtModel.Files[0].File != negWAV || r.Seconds < 8 || r.Seconds > 10 {
		t.Errorf("files %+v, %v s", r.AtModel.Files, r.Seconds)
	}
	if len(r.Sweep) != len(detect.DefaultThresholds()) {
		t.Errorf("%d points", len(r.Sweep))
	}
	for i := 1; i < len(r.Sweep); i++ {
		if r.Sweep[i].Threshold <= r.Sweep[i-1].Threshold || r.Sweep[i].FalseAlarms > r.Sweep[i-1].FalseAlarms {
			t.Errorf("sweep not monotone: %+v then %+v", r.Sweep[i-1], r.Sweep[i])
		}
	}
	code, out, _ := runCmd("eval", "-negatives", negWAV+",", "-thresholds", "0.6,0.9", "-budget", "5000")
	for _, want := range []string{"labels reported:", "files that fired:", "commands.wav", "threshold  false alarms", "budget 5000 false alarms an hour: threshold 0.6"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("text output (exit %d) lacks %q:\n%s", code, want, out)
		}
	}
}

// With command clips, each threshold gets its misses; -budget picks what
// detect.PickThreshold picks on the same table, and -plot writes a PNG.
func TestEvalNegativesDET(t *testing.T) {
	data := negCommandFolder(t)
	png1 := filepath.Join(t.TempDir(), "det.png")
	r := evalNegJSON(t, "-negatives", negWAV, "-data", data, "-budget", "700", "-plot", png1)
	if r.Commands == nil || r.Commands.Clips != 10 {
		t.Fatalf("commands %+v", r.Commands)
	}
	det := make([]detect.DETPoint, len(r.Sweep))
	for i, p := range r.Sweep {
		if p.MissRate == nil || p.Commands != 10 {
			t.Fatalf("point %+v has no miss rate of 10 commands", p)
		}
		det[i] = detect.DETPoint{Threshold: float32(p.Threshold), FalseAlarms: p.FalseAlarms, Hours: r.Seconds / 3600, Misses: p.Misses, Commands: p.Commands}
	}
	k, ok := detect.PickThreshold(det, 700)
	if ok != (r.Chosen != nil) || ok && r.Chosen.Threshold != r.Sweep[k].Threshold {
		t.Errorf("chosen %+v, PickThreshold %d (%v) of %+v", r.Chosen, k, ok, r.Sweep)
	}
	f, err := os.Open(png1)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil || img.Bounds().Dx() < 100 {
		t.Errorf("plot: %v", err)
	}
}

// Noise mixed in at an SNR is reproducible for a seed and changes the
// posteriors; "-" is none.
func TestEvalNegativesNoise(t *testing.T) {
	dir := t.TempDir()
	noise := make([]float32, 3*audio.Rate)
	rng := rand.New(rand.NewPCG(1, 1))
	for i := range noise {
		noise[i] = float32(rng.NormFloat64() * 0.1)
	}
	if err := audio.WriteFile(filepath.Join(dir, "white.wav"), noise, audio.Rate); err != nil {
		t.Fatal(err)
	}
	clips := filepath.Join("..", "..", "testdata", "listen")
	a := evalNegJSON(t, "-negatives", negWAV+","+clips, "-noise", dir, "-snr", "0", "-seed", "3")
	b := evalNegJSON(t, "-negatives", negWAV+","+clips, "-noise", dir, "-snr", "0", "-seed", "3")
	clean := evalNegJSON(t, "-negatives", negWAV+","+clips, "-noise", "-")
	if a.SNRdB == nil || *a.SNRdB != 0 || a.Noise != dir || clean.Noise != "" {
		t.Errorf("noise %q at %v; clean run noise %q", a.Noise, a.SNRdB, clean.Noise)
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) != string(jb) {
		t.Errorf("same seed, other results:\n%s\n%s", ja, jb)
	}
	if a.Seconds != clean.Seconds {
		t.Errorf("noise changed the hours: %v and %v", a.Seconds, clean.Seconds)
	}
	same := true
	for i := range a.Sweep {
		same = same && a.Sweep[i].FalseAlarms == clean.Sweep[i].FalseAlarms
	}
	if same && a.AtModel.FalseAlarms == clean.AtModel.FalseAlarms {
		t.Errorf("noise at 0 dB changed no figure: %+v", a.Sweep)
	}
}

func TestEvalNegativesBadInput(t *testing.T) {
	dir := t.TempDir()
	notWAV := filepath.Join(dir, "x.wav")
	os.WriteFile(notWAV, []byte("not a wav file"), 0o644)
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-negatives", filepath.Join(dir, "missing.wav")}, 1, "missing.wav"},
		{[]string{"-negatives", notWAV}, 1, "x.wav"},
		{[]string{"-negatives", dir + "/empty", "-noise", filepath.Join(dir, "nonoise")}, 1, "empty"},
		{[]string{"-negatives", negWAV, "-budget", "-1"}, 2, "-budget"},
		{[]string{"-negatives", negWAV, "-thresholds", "0.5,2"}, 2, "-thresholds"},
		{[]string{"-negatives", negWAV, "-plot", filepath.Join(dir, "d.png")}, 2, "-plot"},
		{[]string{"-negatives", negWAV, "-stream", negWAV}, 2, "-truth"},
		{[]string{"-data", dir, "-budget", "5"}, 2, "only with -negatives"},
	} {
		code, _, errs := runCmd(append([]string{"eval"}, c.args...)...)
		if code != c.code || !strings.Contains(errs, c.want) || strings.Count(strings.TrimSpace(errs), "\n") > 0 {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and one line naming %q", c.args, code, errs, c.code, c.want)
		}
	}
}
