package mkstream_test

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/datasets"
	"github.com/listen-go/listen/datasets/mkstream"
	"github.com/listen-go/listen/model/detect"
)

// Each synthetic word is a 0.25 s constant level, so the recording shows
// where each clip went and which word it was.
var levels = map[string]float32{"yes": 0.5, "no": 0.25, "bird": 0.125, "_unknown_": 0.0625}

const clipLen = audio.Rate / 4

// testData writes DIR/WORD/SPEAKER_nohash_0.wav for speakers a and b and
// every word of levels, plus a _silence_ folder (never used) and a noise
// folder with a 2 s recording.
func testData(t *testing.T) (data, noise string) {
	t.Helper()
	data = t.TempDir()
	for word, level := range levels {
		for _, spk := range []string{"aaaa0001", "bbbb0002"} {
			name := spk + "_nohash_0.wav"
			if word == "_unknown_" {
				name = "tree_" + name
			}
			writeLevel(t, filepath.Join(data, word, name), level, clipLen)
		}
	}
	writeLevel(t, filepath.Join(data, "_silence_", "s.wav"), 0, audio.Rate)
	if err := os.WriteFile(filepath.Join(data, "README.md"), []byte("not a folder"), 0o644); err != nil {
		t.Fatal(err)
	}
	noise = t.TempDir()
	bed := make([]float32, 2*audio.Rate)
	for i := range bed {
		bed[i] = float32(math.Sin(float64(i) * 0.3))
	}
	writeWAV(t, filepath.Join(noise, "sine.wav"), bed)
	return data, noise
}

func writeLevel(t *testing.T, path string, level float32, n int) {
	t.Helper()
	clip := make([]float32, n)
	for i := range clip {
		clip[i] = level
	}
	writeWAV(t, path, clip)
}

func writeWAV(t *testing.T, path string, samples []float32) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := audio.WriteFile(path, samples, audio.Rate); err != nil {
		t.Fatal(err)
	}
}

// levelAt is the mean of the 100 samples from i.
func levelAt(x []float32, i int) float64 {
	var s float64
	for _, v := range x[i : i+100] {
		s += float64(v)
	}
	return s / 100
}

func at(e detect.Event) int { return int(e.Time * audio.Rate / time.Second) }

func options(data string) mkstream.Options {
	opt := mkstream.DefaultOptions()
	opt.Data, opt.Noise, opt.Words = data, mkstream.NoNoise, []string{"yes", "no"}
	opt.Duration, opt.GapMin, opt.GapMax = 30*time.Second, 500*time.Millisecond, time.Second
	opt.WordGainDB, opt.UnknownPct, opt.Seed = 0, 30, 7
	return opt
}

func TestMake(t *testing.T) {
	data, _ := testData(t)
	out := t.TempDir()
	opt := options(data)
	opt.Out, opt.Truth = filepath.Join(out, "long.wav"), filepath.Join(out, "labels.txt")
	placed := 0
	opt.Progress = func(n int, at, total time.Duration) {
		if n != placed+1 || at <= 0 || at >= total || total != 30*time.Second {
			t.Errorf("progress %d, %v of %v after %d", n, at, total, placed)
		}
		placed = n
	}
	s, err := mkstream.Make(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Samples) != 30*audio.Rate || s.Duration() != 30*time.Second {
		t.Errorf("%d samples (%v), want 30 s", len(s.Samples), s.Duration())
	}
	if len(s.Truth) < 10 || placed != len(s.Truth) {
		t.Fatalf("%d words, %d progress calls: %v", len(s.Truth), placed, s.Truth)
	}

	// The files hold the stream.
	samples, err := audio.ReadFile(opt.Out)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(opt.Truth)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	truth, err := detect.ReadTruth(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(samples) != len(s.Samples) || len(truth) != len(s.Truth) {
		t.Fatalf("files: %d samples, %d events; stream %d, %d", len(samples), len(truth), len(s.Samples), len(s.Truth))
	}
	for i, e := range truth {
		if e != s.Truth[i] {
			t.Errorf("truth file %v, stream %v", e, s.Truth[i])
		}
	}

	// Every truth event is a clip of its word (other words, bird and the
	// _unknown_ folder's, as _unknown_), at its time, at full volume, after
	// silence (no noise), and apart by at least the gap.
	var prevEnd time.Duration
	for _, e := range s.Truth {
		i := at(e)
		if e.Time%time.Millisecond != 0 {
			t.Errorf("%v: not a whole millisecond", e.Time)
		}
		got := levelAt(s.Samples, i)
		want := float64(levels[e.Label])
		if e.Label == "_unknown_" && math.Abs(got-float64(levels["bird"])) <= 1e-3 {
			want = float64(levels["bird"])
		}
		if math.Abs(got-want) > 1e-3 {
			t.Errorf("%s at %v: level %v, want %v", e.Label, e.Time, got, want)
		}
		if i > 0 && s.Samples[i-1] != 0 {
			t.Errorf("%s at %v: clip starts earlier", e.Label, e.Time)
		}
		if gap := e.Time - prevEnd; prevEnd > 0 && gap < 500*time.Millisecond {
			t.Errorf("%s at %v: %v after the previous word", e.Label, e.Time, gap)
		}
		prevEnd = e.Time + 250*time.Millisecond
	}

	// Every clip in the audio is in the truth: count clip starts by level.
	starts := map[float32]int{}
	for i := 1; i < len(s.Samples); i++ {
		if s.Samples[i-1] == 0 && s.Samples[i] != 0 {
			starts[s.Samples[i]]++
		}
	}
	inTruth := map[string]int{}
	for _, e := range s.Truth {
		inTruth[e.Label]++
	}
	if n := starts[0.125] + starts[0.0625]; n == 0 || n != inTruth["_unknown_"] {
		t.Errorf("unknown words in audio %v, in truth %d", starts, inTruth["_unknown_"])
	}
	if starts[0.5]+starts[0.25] != inTruth["yes"]+inTruth["no"] {
		t.Errorf("wanted clips in audio %v, in truth %v", starts, inTruth)
	}

	// The same seed gives the same stream; another seed does not.
	same := func(seed uint64) bool {
		o := options(data)
		o.Seed = seed
		s2, err := mkstream.Make(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		if len(s2.Truth) != len(s.Truth) {
			return false
		}
		for i := range s.Truth {
			if s.Truth[i] != s2.Truth[i] {
				return false
			}
		}
		for i := range s.Samples {
			if s.Samples[i] != s2.Samples[i] {
				return false
			}
		}
		return true
	}
	if !same(7) {
		t.Error("same seed, different stream")
	}
	if same(8) {
		t.Error("another seed, same stream")
	}
}

func TestMakeNoiseAndGain(t *testing.T) {
	data, noise := testData(t)
	opt := options(data)
	opt.Noise, opt.NoiseGain, opt.WordGainDB, opt.UnknownPct = noise, 0.01, 12, 0
	opt.Words, opt.GapMin, opt.GapMax = []string{"yes", "no", "bird"}, time.Second, 3*time.Second
	s, err := mkstream.Make(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	inClip := func(i int) bool {
		for _, e := range s.Truth {
			if i >= at(e) && i < at(e)+clipLen {
				return true
			}
		}
		return false
	}
	// Noise everywhere, never above the volume; no clicks at the joins.
	quiet := 0
	for i, v := range s.Samples {
		if a := math.Abs(float64(v)); a > 0.01+1e-4 && !inClip(i) {
			t.Fatalf("noise outside the clips reaches %v at %d", a, i)
		}
		if v == 0 {
			quiet++
		}
	}
	if quiet > len(s.Samples)/10 {
		t.Errorf("%d samples of digital silence: no noise bed?", quiet)
	}
	// Bird is wanted here, so it is in the truth; gains are within 12 dB.
	count := map[string]int{}
	for _, e := range s.Truth {
		lv := levelAt(s.Samples, at(e))
		want := float64(levels[e.Label])
		if lv > want+0.011 || lv < want/4-0.011 {
			t.Errorf("%s at %v: level %v, want %v to %v", e.Label, e.Time, lv, want/4, want)
		}
		count[e.Label]++
	}
	// The words come in shuffled rounds: their counts differ by at most one.
	lo, hi := len(s.Truth), 0
	for _, w := range opt.Words {
		lo, hi = min(lo, count[w]), max(hi, count[w])
	}
	if lo == 0 || hi-lo > 1 {
		t.Errorf("words in truth: %v", count)
	}
}

func TestMakeFilters(t *testing.T) {
	data, _ := testData(t)
	// aaaa0001's yes at another level tells the speakers apart.
	writeLevel(t, filepath.Join(data, "yes", "aaaa0001_nohash_0.wav"), 0.75, clipLen)
	levelsOf := func(opt mkstream.Options) map[float64]int {
		opt.UnknownPct = 0
		s, err := mkstream.Make(context.Background(), opt)
		if err != nil {
			t.Fatal(err)
		}
		m := map[float64]int{}
		for _, e := range s.Truth {
			m[math.Round(levelAt(s.Samples, at(e))*100)/100]++
		}
		return m
	}
	opt := options(data)
	opt.Speakers = []string{"bbbb0002"}
	if m := levelsOf(opt); m[0.75] != 0 || m[0.5] == 0 {
		t.Errorf("Speakers: levels %v, want no 0.75 (speaker aaaa0001)", m)
	}
	opt = options(data)
	opt.Clips = []string{"yes/aaaa0001_nohash_0.wav", "./no/bbbb0002_nohash_0.wav"}
	if m := levelsOf(opt); m[0.5] != 0 || m[0.75] == 0 || m[0.25] == 0 {
		t.Errorf("Clips: levels %v, want only aaaa0001's yes and bbbb0002's no", m)
	}
	opt.Keep = func(rel string) bool { return !strings.HasPrefix(rel, "no/") }
	if _, err := mkstream.Make(context.Background(), opt); err == nil || !strings.Contains(err.Error(), `no clips of "no"`) {
		t.Errorf("Keep: %v", err)
	}
	// Both: the list's yes is aaaa0001's, filtered out by Speakers.
	opt.Keep, opt.Speakers = nil, []string{"bbbb0002"}
	if _, err := mkstream.Make(context.Background(), opt); err == nil || !strings.Contains(err.Error(), `no clips of "yes"`) {
		t.Errorf("Clips and Speakers: %v", err)
	}
}

func TestMakeErrors(t *testing.T) {
	data, _ := testData(t)
	out := t.TempDir()
	if err := os.WriteFile(filepath.Join(data, "yes", "broken_nohash_0.wav"), []byte("RIFF junk"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		edit func(o *mkstream.Options)
		msg  string
	}{
		{"no data", func(o *mkstream.Options) { o.Data = "" }, "data"},
		{"no duration", func(o *mkstream.Options) { o.Duration = 0 }, "duration"},
		{"gaps", func(o *mkstream.Options) { o.GapMin = 2 * time.Second }, "gaps"},
		{"unknown", func(o *mkstream.Options) { o.UnknownPct = 101 }, "unknown"},
		{"noise gain", func(o *mkstream.Options) { o.NoiseGain = -1 }, "noise gain"},
		{"word gain", func(o *mkstream.Options) { o.WordGainDB = 61 }, "word gain"},
		{"missing word", func(o *mkstream.Options) { o.Words = []string{"yes", "up"} }, `no clips of "up"`},
		{"default words", func(o *mkstream.Options) { o.Words = nil }, `no clips of "up"`},
		{"missing folder", func(o *mkstream.Options) { o.Data = filepath.Join(data, "nope") }, "nope"},
		{"missing noise", func(o *mkstream.Options) { o.Noise = filepath.Join(out, "nonoise") }, "nonoise"},
		{"unwritable", func(o *mkstream.Options) { o.Out = filepath.Join(out, "no", "dir.wav") }, "dir.wav"},
	} {
		opt := options(data)
		opt.Out, opt.Truth = filepath.Join(out, "long.wav"), filepath.Join(out, "labels.txt")
		tc.edit(&opt)
		if _, err := mkstream.Make(context.Background(), opt); err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.msg)
		}
	}
	if ents, _ := os.ReadDir(out); len(ents) != 0 {
		t.Errorf("failed runs left %v", ents)
	}

	// A broken clip is skipped with a warning.
	opt := options(data)
	opt.Words, opt.UnknownPct, opt.GapMin, opt.GapMax = []string{"yes"}, 0, 0, 10*time.Millisecond
	var warned []error
	opt.Warn = func(err error) { warned = append(warned, err) }
	if _, err := mkstream.Make(context.Background(), opt); err != nil {
		t.Fatal(err)
	}
	if len(warned) != 1 || !strings.Contains(warned[0].Error(), "skipping") || !strings.Contains(warned[0].Error(), "broken") {
		t.Errorf("warnings %v, want one skipping the broken clip", warned)
	}
	// Unknown words asked for, none there: a warning.
	only := t.TempDir()
	writeLevel(t, filepath.Join(only, "yes", "a_nohash_0.wav"), 0.5, clipLen)
	opt.Data, opt.UnknownPct, warned = only, 20, nil
	if _, err := mkstream.Make(context.Background(), opt); err != nil || len(warned) != 1 || !strings.Contains(warned[0].Error(), "no unknown-word clips") {
		t.Errorf("%v, warnings %v", err, warned)
	}
	// Every clip of a wanted word unreadable.
	if err := os.WriteFile(filepath.Join(only, "yes", "a_nohash_0.wav"), []byte("RIFF"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := mkstream.Make(context.Background(), opt); err == nil || !strings.Contains(err.Error(), `no readable clips of "yes"`) {
		t.Errorf("unreadable: %v", err)
	}
	// Cancelled.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := mkstream.Make(ctx, options(data)); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	// DefaultOptions gives fresh words each time.
	d := mkstream.DefaultOptions()
	d.Words[0] = "changed"
	if datasets.DefaultWords[0] == "changed" || mkstream.DefaultOptions().Words[0] == "changed" {
		t.Error("DefaultOptions shares its words")
	}
}

func TestSplitSpeakersAndReadList(t *testing.T) {
	data, _ := testData(t)
	opt := datasets.Options{Words: []string{"yes", "no"}, SplitBy: datasets.SplitSpeaker, ValidationPct: 50, TestPct: 50}
	var all []string
	for _, sp := range []datasets.Split{datasets.Training, datasets.Validation, datasets.Testing} {
		ids, err := mkstream.SplitSpeakers(data, opt, sp)
		if err != nil && !strings.Contains(err.Error(), "no clips in the") {
			t.Fatalf("%v: %v", sp, err)
		}
		all = append(all, ids...)
	}
	if strings.Join(all, " ") != "aaaa0001 bbbb0002" && strings.Join(all, " ") != "bbbb0002 aaaa0001" {
		t.Errorf("speakers over the splits: %v", all)
	}
	keep := mkstream.KeepSpeakers([]string{"aaaa0001"})
	if !keep("yes/aaaa0001_nohash_0.wav") || !keep("no/aaaa0001_nohash_3.wav") || keep("yes/bbbb0002_nohash_0.wav") {
		t.Error("KeepSpeakers keeps other speakers' clips, or not its own")
	}

	path := filepath.Join(t.TempDir(), "list.txt")
	if err := os.WriteFile(path, []byte("# held out\n  bbbb0002 \n\naaaa0001\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := mkstream.ReadList(path)
	if err != nil || strings.Join(got, ",") != "bbbb0002,aaaa0001" {
		t.Errorf("ReadList: %q, %v", got, err)
	}
	if _, err := mkstream.ReadList(path + ".missing"); err == nil || !strings.Contains(err.Error(), "list.txt.missing") {
		t.Errorf("missing list: %v", err)
	}
}
