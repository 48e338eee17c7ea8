package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/model/detect"
)

// e2eWords are the commands of the end-to-end recording, in the order they
// are spoken: one real Speech Commands clip each, in testdata/listen/ (see
// testdata/README.md), chosen because the default model gets every one
// right with a wide margin.
var e2eWords = []string{"yes", "stop", "left", "go"}

// e2eRecording builds the end-to-end recording from e2eWords' clips: lead
// silence, then each clip followed by gap seconds of quiet noise (about
// -50 dBFS, above the energy gate so the model runs on it), from a fixed
// seed. It returns the samples at 16 kHz.
func e2eRecording(t testing.TB, lead, gap float64) []float32 {
	t.Helper()
	rng := rand.New(rand.NewPCG(6, 2026))
	noise := func(dst []float32, seconds float64) []float32 {
		for range int(seconds * audio.Rate) {
			dst = append(dst, float32(rng.NormFloat64()*0.003))
		}
		return dst
	}
	rec := noise(nil, lead)
	for _, w := range e2eWords {
		clip, err := audio.ReadFile(filepath.Join("..", "..", "testdata", "listen", w+".wav"))
		if err != nil {
			t.Fatal(err)
		}
		rec = append(rec, clip...)
		rec = noise(rec, gap)
	}
	return rec
}

// e2eDetection is one line of "listen -json" and "listen classify -json"
// on a long file.
type e2eDetection struct {
	File  string  `json:"file"`
	Label string  `json:"label"`
	P     float32 `json:"p"`
	Start float64 `json:"start"`
	End   float64 `json:"end"`
}

// parseDetections reads JSON lines of detections.
func parseDetections(t testing.TB, out string) []e2eDetection {
	t.Helper()
	var ds []e2eDetection
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" {
			continue
		}
		var d e2eDetection
		if err := json.Unmarshal([]byte(line), &d); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		ds = append(ds, d)
	}
	return ds
}

func detectionLabels(ds []e2eDetection) []string {
	var l []string
	for _, d := range ds {
		l = append(l, d.Label)
	}
	return l
}

// "listen -input FILE" runs the listener's loop over a file, and prints
// the same detections, with the same times, as "listen classify" on it: the
// two share the streaming path. The recording is the end-to-end one, twice
// over, so the same word comes back after others.
func TestListenInputMatchesClassify(t *testing.T) {
	rec := e2eRecording(t, 1, 1.2)
	rec = append(rec, rec...)
	path := filepath.Join(t.TempDir(), "commands.wav")
	if err := audio.WriteFile(path, rec, audio.Rate); err != nil {
		t.Fatal(err)
	}
	var lout, lerr, cout, cerr bytes.Buffer
	if code := run(context.Background(), []string{"-json", "-input", path}, &lout, &lerr); code != 0 {
		t.Fatalf("listen -input: exit %d\n%s", code, lerr.String())
	}
	// The status line gives the settings in effect: the default model's own
	// threshold and average (from its metadata), not the generic ones.
	own := defaultSettings(t)
	def := detect.DefaultConfig()
	if own.Threshold == 0 || own.Threshold == def.Threshold || own.AverageWindow == 0 || own.AverageWindow == def.AverageWindow {
		t.Fatalf("the default model carries threshold %g and average %v: the test needs both, unlike the generic %g and %v",
			own.Threshold, own.AverageWindow, def.Threshold, def.AverageWindow)
	}
	status := lerr.String()
	if !strings.Contains(status, "listening on") || !strings.Contains(status, fmt.Sprintf("threshold %g,", own.Threshold)) ||
		!strings.Contains(status, fmt.Sprintf("average %v,", own.AverageWindow)) || !strings.Contains(status, fmt.Sprintf("hop %v;", own.Hop)) {
		t.Errorf("no status line with the model's threshold %g, average %v and hop %v on stderr: %q", own.Threshold, own.AverageWindow, own.Hop, status)
	}
	if code := run(context.Background(), []string{"classify", "-json", path}, &cout, &cerr); code != 0 {
		t.Fatalf("classify: exit %d\n%s", code, cerr.String())
	}
	live, files := parseDetections(t, lout.String()), parseDetections(t, cout.String())
	t.Logf("listen -input: %+v", live)
	want := append(append([]string{}, e2eWords...), e2eWords...)
	if got := detectionLabels(live); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("listen -input printed %q, want %q", got, want)
	}
	if len(live) != len(files) {
		t.Fatalf("listen -input printed %d detections, classify %d:\n%s\n%s", len(live), len(files), lout.String(), cout.String())
	}
	for i := range live {
		if live[i].File != "" {
			t.Errorf("listener line %d names a file: %+v", i, live[i])
		}
		c := files[i]
		c.File = ""
		if live[i] != c {
			t.Errorf("detection %d: listen -input %+v, classify %+v", i, live[i], files[i])
		}
	}

	// The text output matches too, line for line, after the file name.
	lout.Reset()
	cout.Reset()
	run(context.Background(), []string{"-quiet", "-input", path}, &lout, &lerr)
	run(context.Background(), []string{"classify", path}, &cout, &cerr)
	if want := strings.ReplaceAll(cout.String(), path+"\t", ""); lout.String() != want {
		t.Errorf("text output differs:\nlisten -input:\n%s\nclassify:\n%s", lout.String(), cout.String())
	}
}

func TestListenInputErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"-realtime"}, 2, "-realtime needs -input"},
		{[]string{"-input", filepath.Join("..", "..", "testdata", "detect", "commands.wav"), "-device", "0"}, 2, "-device and -input cannot be used together"},
		{[]string{"-device", "", "-input", filepath.Join(t.TempDir(), "none.wav")}, 2, "-device and -input cannot be used together"},
		{[]string{"-input", filepath.Join(t.TempDir(), "none.wav")}, 1, "none.wav"},
		{[]string{"-input", filepath.Join("..", "..", "testdata", "README.md")}, 1, "README.md"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), tc.args, &out, &errb)
			if code != tc.code || !strings.Contains(errb.String(), tc.msg) {
				t.Errorf("exit %d, stderr %q: want %d and %q", code, errb.String(), tc.code, tc.msg)
			}
		})
	}
}

// "stopped after" reports the audio heard: the file's duration, not the
// window of silence that finishes the stream (1 s for default, 2.6 s for
// home), nor a rounding up to whole seconds.
func TestListenInputStoppedAfter(t *testing.T) {
	for _, tc := range []struct {
		model   string
		seconds float64
		want    string
	}{
		{"default", 13, "stopped after 13s"},
		{"home", 1, "stopped after 1s"},
		{"default", 2.5, "stopped after 2.5s"},
	} {
		t.Run(fmt.Sprintf("%s %gs", tc.model, tc.seconds), func(t *testing.T) {
			rec := e2eRecording(t, 0.2, 0.1)
			rec = append(rec, make([]float32, int(tc.seconds*audio.Rate))...)[:int(tc.seconds*audio.Rate)]
			path := filepath.Join(t.TempDir(), "rec.wav")
			if err := audio.WriteFile(path, rec, audio.Rate); err != nil {
				t.Fatal(err)
			}
			var out, errb bytes.Buffer
			if code := run(context.Background(), []string{"-input", path, "-model", tc.model}, &out, &errb); code != 0 {
				t.Fatalf("exit %d: %s", code, errb.String())
			}
			last := strings.TrimSpace(errb.String())
			last = last[strings.LastIndex(last, "\n")+1:]
			if last != tc.want {
				t.Errorf("last line of stderr %q, want %q", last, tc.want)
			}
		})
	}
}

// With -realtime the file is handed out at the pace of a microphone, and
// Ctrl-C (the context) stops the listener cleanly mid-file, as it does a
// live one.
func TestListenInputRealtimeStops(t *testing.T) {
	path := filepath.Join(t.TempDir(), "commands.wav")
	if err := audio.WriteFile(path, e2eRecording(t, 1, 1.2), audio.Rate); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stderr := newSignalWriter("listening on")
	var stdout bytes.Buffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"-input", path, "-realtime"}, &stdout, stderr) }()
	select {
	case <-stderr.ready:
	case code := <-done:
		t.Fatalf("exited %d before listening:\n%s", code, stderr.String())
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d after cancel, want 0:\n%s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "stopped after") {
		t.Errorf("stderr %q: no clean stop", stderr.String())
	}
}

// signalWriter is a goroutine-safe buffer that closes ready when what was
// written contains mark.
type signalWriter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	mark  string
	ready chan struct{}
	once  sync.Once
}

func newSignalWriter(mark string) *signalWriter {
	return &signalWriter{mark: mark, ready: make(chan struct{})}
}

func (w *signalWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n, err := w.buf.Write(p)
	if w.mark != "" && strings.Contains(w.buf.String(), w.mark) {
		w.once.Do(func() { close(w.ready) })
	}
	return n, err
}

func (w *signalWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}
