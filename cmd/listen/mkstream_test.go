package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/model/detect"
)

// Each synthetic word is a 0.25 s constant level, so the recording shows
// where each clip went and which word it was.
var mkstreamLevels = map[string]float32{"yes": 0.5, "no": 0.25, "bird": 0.125, "_unknown_": 0.0625}

const mkstreamClip = audio.Rate / 4

// mkstreamData writes DIR/WORD/SPEAKER_nohash_0.wav for speakers a and b
// and every word of mkstreamLevels, plus a _silence_ folder (never used)
// and a noise folder with a 2 s recording.
func mkstreamData(t *testing.T) (data, noise string) {
	t.Helper()
	data = t.TempDir()
	for word, level := range mkstreamLevels {
		for _, spk := range []string{"aaaa0001", "bbbb0002"} {
			name := spk + "_nohash_0.wav"
			if word == "_unknown_" {
				name = "tree_" + name
			}
			clip := make([]float32, mkstreamClip)
			for i := range clip {
				clip[i] = level
			}
			mkstreamWriteWAV(t, filepath.Join(data, word, name), clip)
		}
	}
	mkstreamWriteWAV(t, filepath.Join(data, "_silence_", "s.wav"), make([]float32, audio.Rate))
	if err := os.WriteFile(filepath.Join(data, "README.md"), []byte("not a folder"), 0o644); err != nil {
		t.Fatal(err)
	}
	noise = t.TempDir()
	bed := make([]float32, 2*audio.Rate)
	for i := range bed {
		bed[i] = float32(math.Sin(float64(i) * 0.3))
	}
	mkstreamWriteWAV(t, filepath.Join(noise, "sine.wav"), bed)
	return data, noise
}

func mkstreamWriteWAV(t *testing.T, path string, samples []float32) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := audio.WriteFile(path, samples, audio.Rate); err != nil {
		t.Fatal(err)
	}
}

func mkstreamRun(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(context.Background(), append([]string{"mkstream"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

// mkstreamReadBack returns the recording and truth mkstream wrote.
func mkstreamReadBack(t *testing.T, wav, truth string) ([]float32, []detect.Event) {
	t.Helper()
	samples, err := audio.ReadFile(wav)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(truth)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	events, err := detect.ReadTruth(f)
	if err != nil {
		t.Fatal(err)
	}
	return samples, events
}

// mkstreamLevelAt returns the median-free level of a clip at sample i: the mean of
// 100 samples there.
func mkstreamLevelAt(x []float32, i int) float64 {
	var s float64
	for _, v := range x[i : i+100] {
		s += float64(v)
	}
	return s / 100
}

func TestMkstream(t *testing.T) {
	data, _ := mkstreamData(t)
	out := t.TempDir()
	wav, truth := filepath.Join(out, "long.wav"), filepath.Join(out, "labels.txt")
	code, stdout, stderr := mkstreamRun("-data", data, "-noise", "-", "-words", "yes,no",
		"-out", wav, "-truth", truth, "-minutes", "0.5", "-gap-min", "500ms", "-gap-max", "1s",
		"-word-gain-db", "0", "-unknown-pct", "30", "-seed", "7")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	samples, events := mkstreamReadBack(t, wav, truth)
	if len(samples) != 30*audio.Rate {
		t.Errorf("%d samples, want 30 s", len(samples))
	}
	if len(events) < 10 {
		t.Fatalf("only %d words: %v", len(events), events)
	}
	if !strings.Contains(stdout, "30s") || !strings.Contains(stdout, "unknown words") {
		t.Errorf("stdout %q", stdout)
	}

	// Where the clips go is datasets/mkstream's test; here the command
	// reports what it wrote and the flags reach the library.
	inTruth := map[string]int{}
	for _, e := range events {
		inTruth[e.Label]++
	}
	if inTruth["_unknown_"] == 0 || inTruth["yes"] == 0 || inTruth["no"] == 0 {
		t.Errorf("words in truth %v", inTruth)
	}
	if want := fmt.Sprintf("and %d unknown words", inTruth["_unknown_"]); !strings.Contains(stdout, want) {
		t.Errorf("stdout %q, want %q", stdout, want)
	}
	if want := fmt.Sprintf("%d commands", inTruth["yes"]+inTruth["no"]); !strings.Contains(stdout, want) {
		t.Errorf("stdout %q, want %q", stdout, want)
	}

	// The same seed gives the same files; another seed does not.
	wav2, truth2 := filepath.Join(out, "again.wav"), filepath.Join(out, "again.txt")
	args := []string{"-data", data, "-noise", "-", "-words", "yes,no", "-minutes", "0.5",
		"-gap-min", "500ms", "-gap-max", "1s", "-word-gain-db", "0", "-unknown-pct", "30",
		"-out", wav2, "-truth", truth2}
	if code, _, stderr := mkstreamRun(append(args, "-seed", "7")...); code != 0 {
		t.Fatal(stderr)
	}
	same := func() bool {
		a, _ := os.ReadFile(wav)
		b, _ := os.ReadFile(wav2)
		c, _ := os.ReadFile(truth)
		d, _ := os.ReadFile(truth2)
		return bytes.Equal(a, b) && bytes.Equal(c, d)
	}
	if !same() {
		t.Error("same seed, different output")
	}
	if code, _, stderr := mkstreamRun(append(args, "-seed", "8")...); code != 0 {
		t.Fatal(stderr)
	}
	if same() {
		t.Error("another seed, same output")
	}
}

// TestMkstreamNoiseFlags checks that -noise, -noise-volume and
// -word-gain-db reach the library: a noise bed under 0.01, clips below
// their full level.
func TestMkstreamNoiseFlags(t *testing.T) {
	data, noise := mkstreamData(t)
	out := t.TempDir()
	wav, truth := filepath.Join(out, "long.wav"), filepath.Join(out, "labels.txt")
	code, _, stderr := mkstreamRun("-data", data, "-noise", noise, "-noise-volume", "0.01",
		"-word-gain-db", "40", "-unknown-pct", "0", "-out", wav, "-truth", truth, "-minutes", "0.5", "-words", "yes")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	samples, events := mkstreamReadBack(t, wav, truth)
	if v := mkstreamLevelAt(samples, 100); v == 0 || math.Abs(v) > 0.01 {
		t.Errorf("noise level %v at the start, want 0 to 0.01", v)
	}
	quieter := 0
	for _, e := range events {
		if mkstreamLevelAt(samples, int(e.Time*audio.Rate/time.Second)) < 0.4 {
			quieter++
		}
	}
	if len(events) == 0 || quieter == 0 {
		t.Errorf("%d clips, %d quieter than full level", len(events), quieter)
	}
}

func TestMkstreamFilters(t *testing.T) {
	data, _ := mkstreamData(t)
	out := t.TempDir()
	speakers := filepath.Join(out, "speakers.txt")
	if err := os.WriteFile(speakers, []byte("# held out\nbbbb0002\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	list := filepath.Join(out, "list.txt")
	if err := os.WriteFile(list, []byte("yes/aaaa0001_nohash_0.wav\nno/bbbb0002_nohash_0.wav\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Overwrite aaaa0001's yes with another level to tell speakers apart.
	marked := make([]float32, mkstreamClip)
	for i := range marked {
		marked[i] = 0.75
	}
	mkstreamWriteWAV(t, filepath.Join(data, "yes", "aaaa0001_nohash_0.wav"), marked)

	wav, truth := filepath.Join(out, "long.wav"), filepath.Join(out, "labels.txt")
	base := []string{"-data", data, "-noise", "-", "-words", "yes,no", "-out", wav, "-truth", truth,
		"-minutes", "0.5", "-word-gain-db", "0"}
	levels := func() map[float64]int {
		samples, events := mkstreamReadBack(t, wav, truth)
		m := map[float64]int{}
		for _, e := range events {
			m[math.Round(mkstreamLevelAt(samples, int(e.Time*audio.Rate/time.Second))*100)/100]++
		}
		return m
	}
	if code, _, stderr := mkstreamRun(append(base, "-speakers", speakers)...); code != 0 {
		t.Fatal(stderr)
	}
	if m := levels(); m[0.75] != 0 || m[0.5] == 0 {
		t.Errorf("-speakers: levels %v, want no 0.75 (speaker aaaa0001)", m)
	}
	if code, _, stderr := mkstreamRun(append(base, "-list", list)...); code != 0 {
		t.Fatal(stderr)
	}
	if m := levels(); m[0.5] != 0 || m[0.75] == 0 {
		t.Errorf("-list: levels %v, want only aaaa0001's yes", m)
	}
	// Both: the list's yes is aaaa0001's, filtered out by -speakers.
	code, _, stderr := mkstreamRun(append(base, "-list", list, "-speakers", speakers)...)
	if code != 1 || !strings.Contains(stderr, `no clips of "yes"`) {
		t.Errorf("both filters: exit %d, %s", code, stderr)
	}
}

func TestMkstreamErrors(t *testing.T) {
	data, _ := mkstreamData(t)
	out := t.TempDir()
	wav, truth := filepath.Join(out, "long.wav"), filepath.Join(out, "labels.txt")
	ok := []string{"-data", data, "-out", wav, "-truth", truth, "-minutes", "0.1", "-words", "yes,no"}
	// A broken clip is skipped with a warning.
	if err := os.WriteFile(filepath.Join(data, "yes", "broken_nohash_0.wav"), []byte("RIFF junk"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"-data", data}, 2, "required"},
		{append(ok, "extra"), 2, "unexpected"},
		{append(ok, "-minutes", "0"), 2, "-minutes"},
		{append(ok, "-gap-min", "2s", "-gap-max", "1s"), 2, "gaps"},
		{append(ok, "-unknown-pct", "101"), 2, "-unknown-pct"},
		{append(ok, "-words", " , "), 2, "no word"},
		{append(ok, "-words", "yes,up"), 1, `no clips of "up"`},
		{[]string{"-data", data, "-out", wav, "-truth", truth}, 1, `no clips of "up"`}, // the ten words by default
		{[]string{"-data", filepath.Join(data, "nope"), "-out", wav, "-truth", truth}, 1, "nope"},
		{append(ok, "-speakers", filepath.Join(out, "missing.txt")), 1, "missing.txt"},
		{append(ok, "-noise", filepath.Join(out, "nonoise")), 1, "nonoise"},
		{[]string{"-data", data, "-words", "yes", "-out", filepath.Join(out, "no", "dir.wav"), "-truth", truth}, 1, "dir.wav"},
	} {
		code, _, stderr := mkstreamRun(slices.Clone(tc.args)...)
		if code != tc.code || !strings.Contains(stderr, tc.msg) {
			t.Errorf("%q: exit %d, stderr %q; want %d and %q", tc.args, code, stderr, tc.code, tc.msg)
		}
		if strings.Count(strings.TrimSpace(stderr), "\n") > 0 && tc.code == 1 {
			t.Errorf("%q: more than one line: %q", tc.args, stderr)
		}
	}
	if _, err := os.Stat(wav); err == nil {
		t.Error("a failed run wrote the recording")
	}
	code, _, stderr := mkstreamRun(append(ok, "-noise", "-", "-unknown-pct", "0", "-words", "yes", "-gap-min", "0", "-gap-max", "10ms")...)
	if code != 0 || !strings.Contains(stderr, "skipping") || !strings.Contains(stderr, "broken") {
		t.Errorf("broken clip: exit %d, %q", code, stderr)
	}
}

// TestMkstreamSplit builds a stream from a trained model's test speakers:
// as many as listen eval -split test finds (one clip per class each here),
// fewer than the folder has.
func TestMkstreamSplit(t *testing.T) {
	data := toneData(t, threeTones, 16)
	m := filepath.Join(t.TempDir(), "m.safetensors")
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), tinyArgs(data, m, "-epochs", "1"), &stdout, &stderr); code != 0 {
		t.Fatalf("train exit %d: %s", code, stderr.String())
	}
	stdout.Reset()
	if code := run(context.Background(), []string{"eval", "-data", data, "-model", m, "-split", "test", "-json"}, &stdout, &stderr); code != 0 {
		t.Fatalf("eval exit %d: %s", code, stderr.String())
	}
	var r struct{ Clips int }
	if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	want := r.Clips / len(threeTones)
	if want == 0 || want >= 16 {
		t.Fatalf("the test split has %d clips", r.Clips)
	}
	out := t.TempDir()
	wav, truth := filepath.Join(out, "long.wav"), filepath.Join(out, "labels.txt")
	base := []string{"-data", data, "-noise", "-", "-words", "low,mid,high", "-unknown-pct", "0", "-minutes", "0.2", "-out", wav, "-truth", truth}
	code, got, errs := mkstreamRun(append(base, "-model", m, "-split", "test")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(got, fmt.Sprintf("the %d speakers in %s's testing split", want, m)) {
		t.Errorf("stdout %q, want %d speakers", got, want)
	}
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"-split", "test"}, "-model and -split go together"},
		{[]string{"-model", m}, "-model and -split go together"},
		{[]string{"-model", m, "-split", "all"}, `-split "all"`},
	} {
		if code, _, errs := mkstreamRun(append(slices.Clone(base), tc.args...)...); code != 2 || !strings.Contains(errs, tc.msg) {
			t.Errorf("%q: exit %d, %q; want 2 and %q", tc.args, code, errs, tc.msg)
		}
	}
}
