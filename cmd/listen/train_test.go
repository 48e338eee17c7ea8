package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/model"
)

// toneData writes a tiny data set into a new folder: for each class a
// folder of one-second clips of a distinct tone in faint noise, one
// clip per speaker. It returns the folder.
func toneData(t *testing.T, classes map[string]float64, speakers int) string {
	t.Helper()
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	for name, hz := range classes {
		if err := os.MkdirAll(filepath.Join(dir, name), 0o755); err != nil {
			t.Fatal(err)
		}
		for s := range speakers {
			x := make([]float32, audio.Rate)
			f := hz * (1 + 0.05*rng.Float64())
			for i := range x {
				x[i] = float32(0.02 * rng.NormFloat64())
				if i >= audio.Rate/4 && i < 3*audio.Rate/4 { // a tone in the middle half second
					x[i] += float32(0.4 * math.Sin(2*math.Pi*f*float64(i)/audio.Rate))
				}
			}
			path := filepath.Join(dir, name, fmt.Sprintf("spk%03d_nohash_0.wav", s))
			if err := audio.WriteFile(path, x, audio.Rate); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

var threeTones = map[string]float64{"low": 300, "mid": 1000, "high": 2500}

// tinyArgs are the flags of a fast training run.
func tinyArgs(data, out string, extra ...string) []string {
	return append([]string{"train", "-data", data, "-out", out, "-hidden", "8", "-layers", "1", "-epochs", "2",
		"-batch", "8", "-workers", "2", "-val-pct", "20", "-test-pct", "20", "-lr", "0.02"}, extra...)
}

func readModel(t *testing.T, path string) *model.Model {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := model.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestTrainThenEval(t *testing.T) {
	data := toneData(t, threeTones, 16)
	out := filepath.Join(t.TempDir(), "tones.safetensors")
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), tinyArgs(data, out), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	so := stdout.String()
	for _, want := range []string{"training,", "validation,", "test clips", "epoch 1/2 loss", "epoch 2/2 loss", "ex/s",
		"test split", "precision", "confusion matrix", "model written to"} {
		if !strings.Contains(so, want) {
			t.Errorf("stdout lacks %q:\n%s", want, so)
		}
	}
	m := readModel(t, out)
	if got := strings.Join(m.Meta.Labels, ","); got != "high,low,mid" {
		t.Errorf("labels %s", got)
	}
	if m.Meta.Training["test_accuracy"] == "" {
		t.Errorf("no test accuracy in the model's training record: %v", m.Meta.Training)
	}
	// The model says what it learned from, not where that was.
	if m.Meta.Training["data"] != filepath.Base(data) || len(m.Meta.Training["clips_sha256"]) != 64 {
		t.Errorf("data %q, clips_sha256 %q", m.Meta.Training["data"], m.Meta.Training["clips_sha256"])
	}
	for k, v := range m.Meta.Training {
		if strings.Contains(v, data) || strings.Contains(v, filepath.Dir(out)) {
			t.Errorf("training note %s names a folder of this machine: %s", k, v)
		}
	}
	metrics, err := os.ReadFile(filepath.Join(filepath.Dir(out), "tones.metrics.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(metrics)), "\n")
	if len(lines) != 2 {
		t.Fatalf("metrics file has %d lines, want 2:\n%s", len(lines), metrics)
	}
	var e struct {
		Epoch  int     `json:"epoch"`
		ValAcc float64 `json:"val_acc"`
		Speed  float64 `json:"ex_per_s"`
	}
	if err := json.Unmarshal([]byte(lines[1]), &e); err != nil || e.Epoch != 2 || e.Speed <= 0 {
		t.Errorf("metrics line %q: %+v %v", lines[1], e, err)
	}
	for _, p := range []string{"tones.curves.png", "tones.confusion.png"} {
		f, err := os.Open(filepath.Join(filepath.Dir(out), p))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := png.Decode(f); err != nil {
			t.Errorf("%s: %v", p, err)
		}
		f.Close()
	}

	// eval on every clip, as text and as JSON.
	stdout.Reset()
	stderr.Reset()
	if code := run(context.Background(), []string{"eval", "-data", data, "-model", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("eval exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "all split, 48 clips") || !strings.Contains(stdout.String(), "recall") {
		t.Errorf("eval output:\n%s", stdout.String())
	}
	stdout.Reset()
	if code := run(context.Background(), []string{"eval", "-data", data, "-model", out, "-json", "-split", "test"}, &stdout, &stderr); code != 0 {
		t.Fatalf("eval -json exit %d: %s", code, stderr.String())
	}
	var r struct {
		Accuracy float64 `json:"accuracy"`
		Clips    int     `json:"clips"`
		Split    string  `json:"split"`
		Classes  []struct {
			Label     string  `json:"label"`
			Precision float64 `json:"precision"`
		} `json:"classes"`
		Confusion struct {
			Counts [][]int `json:"counts"`
		} `json:"confusion"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
		t.Fatalf("%v:\n%s", err, stdout.String())
	}
	if r.Accuracy < 0 || r.Accuracy > 1 || r.Clips == 0 || r.Clips >= 48 || r.Split != "testing" || len(r.Classes) != 3 || len(r.Confusion.Counts) != 3 {
		t.Errorf("eval -json: %+v", r)
	}
	want := m.Meta.Training["test_accuracy"]
	if got := fmt.Sprintf("%.4f", r.Accuracy); got != want {
		t.Errorf("eval -split test accuracy %s, train reported %s", got, want)
	}
}

func TestTrainLearnsTones(t *testing.T) {
	data := toneData(t, threeTones, 16)
	out := filepath.Join(t.TempDir(), "m.safetensors")
	var stdout, stderr bytes.Buffer
	args := tinyArgs(data, out, "-epochs", "8", "-hidden", "16", "-specaug=false", "-dropout", "0")
	if code := run(context.Background(), args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout.String(), stderr.String())
	}
	stdout.Reset()
	if code := run(context.Background(), []string{"eval", "-data", data, "-model", out, "-json"}, &stdout, &stderr); code != 0 {
		t.Fatalf("eval exit %d: %s", code, stderr.String())
	}
	var r struct{ Accuracy float64 }
	json.Unmarshal(stdout.Bytes(), &r)
	if r.Accuracy < 0.9 {
		t.Errorf("accuracy on three tones %.2f, want >= 0.9", r.Accuracy)
	}
}

func TestTrainBadInput(t *testing.T) {
	empty := t.TempDir()
	oneClass := toneData(t, map[string]float64{"only": 440}, 4)
	good := toneData(t, threeTones, 4)
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"empty folder", tinyArgs(empty, filepath.Join(t.TempDir(), "m.safetensors")), 1, "no folders of .wav or .flac files"},
		{"missing folder", tinyArgs(filepath.Join(empty, "nope"), filepath.Join(t.TempDir(), "m.safetensors")), 1, "nope"},
		{"one class", tinyArgs(oneClass, filepath.Join(t.TempDir(), "m.safetensors")), 1, "need at least two"},
		{"unwritable output", tinyArgs(good, filepath.Join(empty, "no", "such", "dir", "m.safetensors")), 1, "cannot write"},
		{"output is a folder", tinyArgs(good, empty), 1, "is a directory"},
		{"no data flag", []string{"train", "-out", filepath.Join(t.TempDir(), "m.safetensors")}, 2, "-data DIR is required"},
		{"bad optimizer", tinyArgs(good, filepath.Join(t.TempDir(), "m.safetensors"), "-optimizer", "lbfgs"), 2, "adam or sgd"},
		{"speed too large", tinyArgs(good, filepath.Join(t.TempDir(), "m.safetensors"), "-speed", "0.7"), 2, "-speed"},
		{"label smoothing of one", tinyArgs(good, filepath.Join(t.TempDir(), "m.safetensors"), "-smooth", "1"), 2, "-smooth 1 must be in [0, 1)"},
		{"noise share above one", tinyArgs(good, filepath.Join(t.TempDir(), "m.safetensors"), "-noise-prob", "1.5"), 2, "-noise-prob"},
		{"resume without checkpoint", tinyArgs(good, filepath.Join(t.TempDir(), "m.safetensors"), "-resume"), 1, "resume"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tt.args, &stdout, &stderr)
			if code != tt.code || !strings.Contains(stderr.String(), tt.msg) {
				t.Errorf("exit %d, want %d; stderr %q lacks %q", code, tt.code, stderr.String(), tt.msg)
			}
			if strings.Contains(stdout.String(), "epoch 1/") {
				t.Errorf("training started:\n%s", stdout.String())
			}
		})
	}
}

// TestTrainSkipsCorruptAndResamples puts a corrupt WAV and an 8 kHz clip
// among the clips: the corrupt one is skipped with a warning and counted,
// the other resampled and used, and training goes on.
func TestTrainSkipsCorruptAndResamples(t *testing.T) {
	data := toneData(t, threeTones, 12)
	if err := os.WriteFile(filepath.Join(data, "low", "bad_nohash_0.wav"), []byte("RIFF\x10\x00\x00\x00WAVEjunkjunk"), 0o644); err != nil {
		t.Fatal(err)
	}
	x := make([]float32, 8000)
	for i := range x {
		x[i] = float32(0.4 * math.Sin(2*math.Pi*2500*float64(i)/8000))
	}
	if err := audio.WriteFile(filepath.Join(data, "high", "slow_nohash_0.wav"), x, 8000); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "m.safetensors")
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), tinyArgs(data, out, "-val-pct", "0", "-test-pct", "0"), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout.String(), stderr.String())
	}
	se := stderr.String()
	if !strings.Contains(se, "skipped") || !strings.Contains(se, "bad_nohash_0.wav") || !strings.Contains(se, "1 clips could not be read") {
		t.Errorf("stderr does not report the corrupt clip:\n%s", se)
	}
	if strings.Contains(se, "slow_nohash_0.wav") {
		t.Errorf("the 8 kHz clip was not used:\n%s", se)
	}
	if !strings.Contains(stdout.String(), "epoch 2/2 loss") {
		t.Errorf("training did not finish:\n%s", stdout.String())
	}

	stdout.Reset()
	stderr.Reset()
	// eval gives the figures of the others, and fails for the corrupt one.
	if code := run(context.Background(), []string{"eval", "-data", data, "-model", out, "-json"}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "bad_nohash_0.wav") {
		t.Fatalf("eval exit %d, want 1 and the corrupt clip named: %s", code, stderr.String())
	}
	var r struct{ Clips, Skipped int }
	if err := json.Unmarshal(stdout.Bytes(), &r); err != nil || r.Skipped != 1 || r.Clips != 37 {
		t.Errorf("eval: %+v %v, want 37 clips and 1 skipped", r, err)
	}
}

// cancelWriter calls onMatch the first time what it is written contains
// match: a way to act at a known point of a run, as a user pressing Ctrl-C.
type cancelWriter struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	match   string
	onMatch func()
}

func (w *cancelWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if w.onMatch != nil && strings.Contains(w.buf.String(), w.match) {
		w.onMatch()
		w.onMatch = nil
	}
	return len(p), nil
}

func copyFile(t *testing.T, dst, src string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestTrainResume: a run interrupted in the middle of its second epoch (as
// by Ctrl-C) and resumed, and one resumed from the checkpoint of its first
// epoch (as after kill -9), both end with the weights of a run straight
// through.
func TestTrainResume(t *testing.T) {
	data := toneData(t, threeTones, 12)
	straight := filepath.Join(t.TempDir(), "straight.safetensors")
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), tinyArgs(data, straight, "-epochs", "3", "-batch", "4"), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout.String(), stderr.String())
	}
	want := readModel(t, straight).Params()

	dir := t.TempDir()
	out := filepath.Join(dir, "m.safetensors")
	ckpt := out + ".ckpt"
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := &cancelWriter{match: "epoch 2/3 [", onMatch: func() {
		copyFile(t, filepath.Join(dir, "epoch1.ckpt"), ckpt) // what a kill -9 now would leave
		cancel()
	}}
	stderr.Reset()
	code := run(ctx, tinyArgs(data, out, "-epochs", "3", "-batch", "4"), w, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "interrupted") || !strings.Contains(stderr.String(), "listen train -resume") {
		t.Fatalf("interrupted run: exit %d, stderr:\n%s", code, stderr.String())
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("an interrupted run wrote the model")
	}

	for _, from := range []string{"", "epoch1.ckpt"} {
		if from != "" {
			copyFile(t, ckpt, filepath.Join(dir, from))
		}
		stdout.Reset()
		stderr.Reset()
		// Only -out and -resume: the rest comes from the checkpoint.
		if code := run(context.Background(), []string{"train", "-resume", "-out", out}, &stdout, &stderr); code != 0 {
			t.Fatalf("resume from %q: exit %d\n%s\n%s", from, code, stdout.String(), stderr.String())
		}
		if !strings.Contains(stdout.String(), "resuming") {
			t.Errorf("no resuming line:\n%s", stdout.String())
		}
		if got := readModel(t, out).Params(); !reflect.DeepEqual(got, want) {
			t.Errorf("resumed from %q: weights differ from the straight run's", from)
		}
	}

	// A resumed run refuses flags that would change it.
	stderr.Reset()
	if code := run(context.Background(), []string{"train", "-resume", "-out", out, "-hidden", "9"}, io.Discard, &stderr); code != 2 || !strings.Contains(stderr.String(), "differs from the checkpoint") {
		t.Errorf("changed -hidden on resume: exit %d %s", code, stderr.String())
	}
}

func TestTrainExtra(t *testing.T) {
	data := toneData(t, threeTones, 16)
	extra := toneData(t, map[string]float64{"low": 320, "high": 2400}, 5)
	out := filepath.Join(t.TempDir(), "x.safetensors")
	code, stdout, extraErr := runCmd(tinyArgs(data, out, "-epochs", "1", "-extra", extra)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, extraErr)
	}
	_, base, stderr := runCmd(tinyArgs(data, out, "-epochs", "1")...)
	count := func(s string) string {
		i := strings.Index(s, " training,")
		if i < 0 {
			t.Fatalf("no training count in %q (%s)", s, stderr)
		}
		j := strings.LastIndexAny(s[:i], " (")
		return s[j+1 : i]
	}
	a, _ := strconv.Atoi(count(stdout))
	b, _ := strconv.Atoi(count(base))
	// The extra folder's speakers are the data's first five: the clips of
	// those in validation or test are left out, and the run says how many.
	m := regexp.MustCompile(`left out (\d+) of speakers in validation or test`).FindStringSubmatch(extraErr)
	if m == nil {
		t.Fatalf("no count of left-out extra clips in %q", extraErr)
	}
	n, _ := strconv.Atoi(m[1])
	if n == 0 || n == 10 {
		t.Fatalf("%d of 10 extra clips left out: the test needs some speakers on each side", n)
	}
	if a != b+10-n || b == 0 {
		t.Errorf("%d training clips with -extra, %d without; want the 10 extra clips of wanted words less the %d left out more", a, b, n)
	}
	code, _, stderr = runCmd(tinyArgs(data, out, "-extra", filepath.Join(extra, "nope"))...)
	if code == 0 || !strings.Contains(stderr, "nope") || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
		t.Errorf("missing -extra folder: exit %d, stderr %q", code, stderr)
	}
}

// The closing line names what picked the best epoch: validation accuracy,
// or training accuracy when there are no validation clips.
func TestTrainBestEpochSays(t *testing.T) {
	data := toneData(t, threeTones, 10)
	for _, tc := range []struct {
		valPct, want string
	}{
		{"20", "best validation accuracy"},
		{"-1", "best training accuracy"},
	} {
		out := filepath.Join(t.TempDir(), "x.safetensors")
		code, stdout, stderr := runCmd(tinyArgs(data, out, "-epochs", "1", "-val-pct", tc.valPct)...)
		if code != 0 {
			t.Fatalf("-val-pct %s: exit %d: %s", tc.valPct, code, stderr)
		}
		if !strings.Contains(stdout, tc.want+" ") {
			t.Errorf("-val-pct %s: no %q in %q", tc.valPct, tc.want, stdout)
		}
	}
}
