package synth

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/datasets"
)

// These tests run the real synthesisers: espeak-ng and flite must be
// installed (Debian packages espeak-ng and flite; .ci/run installs them).

var twoPhrases = []string{"hey, what is the temperature", "turn on the lights"}

func generate(t *testing.T, opt Options) *Result {
	t.Helper()
	res, err := Generate(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestGenerate(t *testing.T) {
	dir := t.TempDir()
	var progress bytes.Buffer
	res := generate(t, Options{Phrases: twoPhrases, Dir: dir, PerPhrase: 8, Seed: 1, Progress: &progress})
	if len(res.Warnings) > 0 {
		t.Errorf("warnings: %q", res.Warnings)
	}
	if len(res.Clips) != 16 {
		t.Fatalf("%d clips, want 16", len(res.Clips))
	}
	if res.Window < audio.Rate || res.Window > 3*audio.Rate || res.Window%(audio.Rate/10) != 0 {
		t.Errorf("window %d samples", res.Window)
	}
	longest := 0
	engines := map[string]map[string]bool{}
	for _, c := range res.Clips {
		longest = max(longest, c.Speech)
		if engines[c.Label] == nil {
			engines[c.Label] = map[string]bool{}
		}
		engines[c.Label][c.Voice.Engine] = true
		x, err := audio.ReadFile(filepath.Join(dir, c.Path))
		if err != nil {
			t.Fatal(err)
		}
		if len(x) != res.Window {
			t.Errorf("%s: %d samples, want the window %d", c.Path, len(x), res.Window)
		}
		// Speech is where the clip says, well above what surrounds it
		// (the noise is at least 5 dB down over the whole speech).
		if c.Speech < audio.Rate/2 || c.Offset+c.Speech > res.Window {
			t.Errorf("%s: speech %d samples at %d", c.Path, c.Speech, c.Offset)
		}
		in := RMS(x[c.Offset : c.Offset+c.Speech])
		if in < 1e-3 {
			t.Errorf("%s: speech RMS %g", c.Path, in)
		}
		if !strings.HasPrefix(filepath.Base(c.Path), c.Voice.Speaker+"_nohash_") {
			t.Errorf("%s: not named by speaker %s", c.Path, c.Voice.Speaker)
		}
	}
	if want := autoWindow(longest); res.Window != want {
		t.Errorf("window %d, want %d for a longest phrase of %d", res.Window, want, longest)
	}
	for l, es := range engines {
		if !es["espeak-ng"] || !es["flite"] {
			t.Errorf("%s: engines %v, want both", l, es)
		}
	}
	if !strings.Contains(progress.String(), "synthesising 16/16 clips") || !strings.Contains(progress.String(), "writing 16/16 clips") {
		t.Errorf("progress:\n%s", progress.String())
	}

	labels, err := datasets.ReadLabels(filepath.Join(dir, LabelsFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(labels) != 2 || labels["hey_what_is_the_temperature"] != twoPhrases[0] || labels["turn_on_the_lights"] != twoPhrases[1] {
		t.Errorf("labels.txt: %q", labels)
	}
	manifest, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(strings.TrimSpace(string(manifest)), "\n")
	if len(rows) != 2+16 || !strings.HasPrefix(rows[1], "path\tlabel\tspeaker") {
		t.Errorf("synth.tsv has %d lines, starting %q", len(rows), rows[:2])
	}

	// datasets.Scan reads it, and a speaker split keeps each voice on one
	// side.
	d, err := datasets.Scan(dir, datasets.Options{SplitBy: datasets.SplitSpeaker, ValidationPct: 30, TestPct: 30})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(d.Labels, "hey_what_is_the_temperature") || !slices.Contains(d.Labels, "turn_on_the_lights") {
		t.Errorf("Scan labels %q", d.Labels)
	}
	if n := len(d.Indices(datasets.All)); n != 16 {
		t.Errorf("Scan found %d clips, want 16", n)
	}
	split := map[string]datasets.Split{}
	for _, c := range d.Clips {
		if s, ok := split[c.Speaker]; ok && s != c.Split {
			t.Errorf("speaker %s in %v and %v", c.Speaker, s, c.Split)
		}
		split[c.Speaker] = c.Split
	}
}

func TestGenerateDeterministic(t *testing.T) {
	read := func(dir string) map[string][]byte {
		files := map[string][]byte{}
		filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
			if err == nil && !fi.IsDir() {
				b, _ := os.ReadFile(p)
				rel, _ := filepath.Rel(dir, p)
				files[rel] = b
			}
			return err
		})
		return files
	}
	opt := Options{Phrases: []string{"what time is it"}, PerPhrase: 6, Seed: 7}
	a, b, c := opt, opt, opt
	a.Dir, b.Dir, c.Dir = t.TempDir(), t.TempDir(), t.TempDir()
	b.Workers = 1
	c.Seed = 8
	generate(t, a)
	generate(t, b)
	generate(t, c)
	fa, fb, fc := read(a.Dir), read(b.Dir), read(c.Dir)
	if len(fa) != 6+2 {
		t.Fatalf("%d files", len(fa))
	}
	for name, data := range fa {
		if !bytes.Equal(data, fb[name]) {
			t.Errorf("%s differs between runs with the same seed", name)
		}
	}
	same := 0
	for name, data := range fa {
		if bytes.Equal(data, fc[name]) {
			same++
		}
	}
	if same == len(fa) {
		t.Error("another seed wrote the same files")
	}
}

func TestGenerateRerun(t *testing.T) {
	dir := t.TempDir()
	// A folder with a recording of the user's and a labels file of its own.
	mine := filepath.Join(dir, "turn_on_the_lights", "me_nohash_0.wav")
	os.MkdirAll(filepath.Dir(mine), 0o755)
	if err := audio.WriteFile(mine, burst(16000, 0, 16000, 0.1), audio.Rate); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, LabelsFile), []byte("lights_out\tlights out\n"), 0o644)

	generate(t, Options{Phrases: twoPhrases, Dir: dir, PerPhrase: 6, Engines: []string{"flite"}})
	generate(t, Options{Phrases: twoPhrases, Dir: dir, PerPhrase: 3, Engines: []string{"flite"}})
	for _, l := range []string{"hey_what_is_the_temperature", "turn_on_the_lights"} {
		ents, _ := os.ReadDir(filepath.Join(dir, l))
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		want := 3
		if l == "turn_on_the_lights" {
			want = 4
			if !slices.Contains(names, "me_nohash_0.wav") {
				t.Errorf("the user's recording is gone: %q", names)
			}
		}
		if len(names) != want {
			t.Errorf("%s: %q, want %d files", l, names, want)
		}
	}
	labels, err := datasets.ReadLabels(filepath.Join(dir, LabelsFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(labels) != 3 || labels["lights_out"] != "lights out" {
		t.Errorf("labels.txt not merged: %q", labels)
	}
}

func TestGenerateEngines(t *testing.T) {
	for _, e := range EngineNames() {
		t.Run(e, func(t *testing.T) {
			res := generate(t, Options{Phrases: []string{"stop the music"}, Dir: t.TempDir(), PerPhrase: 4, Engines: []string{e}})
			for _, v := range res.Voices {
				if v.Engine != e {
					t.Errorf("voice %+v", v)
				}
			}
			for _, c := range res.Clips {
				if c.Voice.Engine != e {
					t.Errorf("clip %s by %s", c.Path, c.Voice.Engine)
				}
			}
		})
	}
}

func TestGenerateNoiseDir(t *testing.T) {
	noise := t.TempDir()
	hum := make([]float32, 4*audio.Rate)
	GenerateNoise(hum, Brown, rand.New(rand.NewPCG(1, 1)))
	if err := audio.WriteFile(filepath.Join(noise, "hum.wav"), hum, audio.Rate); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(noise, "README.md"), []byte("not a WAV"), 0o644)
	res := generate(t, Options{Phrases: []string{"play some music"}, Dir: t.TempDir(), PerPhrase: 4, NoiseDir: noise})
	for _, c := range res.Clips {
		if c.Noise != "hum.wav" {
			t.Errorf("%s: noise %q", c.Path, c.Noise)
		}
	}

	short := t.TempDir()
	audio.WriteFile(filepath.Join(short, "blip.wav"), hum[:audio.Rate], audio.Rate)
	for name, dir := range map[string]string{"short": short, "empty": t.TempDir(), "missing": filepath.Join(noise, "nope")} {
		_, err := Generate(context.Background(), Options{Phrases: []string{"play"}, Dir: t.TempDir(), PerPhrase: 1, NoiseDir: dir})
		if err == nil {
			t.Errorf("%s noise folder: no error", name)
		}
	}
}

func TestGenerateWindow(t *testing.T) {
	long := "what is the temperature in the living room"
	opt := Options{Phrases: []string{long}, Dir: t.TempDir(), PerPhrase: 4, Seed: 3, Variation: &Variation{
		Rate: [2]float64{1, 1}, Pitch: [2]float64{1, 1}, Speed: [2]float64{1, 1},
		GainDB: [2]float64{-6, -6}, SNRDB: [2]float64{20, 20}, FloorDB: 50,
	}}
	res := generate(t, opt)
	longest := 0
	for _, c := range res.Clips {
		longest = max(longest, c.Speech)
		if c.Speed != 1 {
			t.Fatalf("%s: sped up %.3fx in an automatic window", c.Path, c.Speed)
		}
	}

	// A window 10% shorter than the longest rendering: it is sped up to fit.
	opt.Dir = t.TempDir()
	opt.Window = time.Duration(float64(longest) / 1.1 / audio.Rate * float64(time.Second))
	res = generate(t, opt)
	sped := 0
	for _, c := range res.Clips {
		if c.Speed > 1 {
			sped++
			if c.Speed > 1.12 {
				t.Errorf("%s: sped up %.3fx to fit 10%% less", c.Path, c.Speed)
			}
		}
		if c.Speech > res.Window {
			t.Errorf("%s: %d samples of speech in a window of %d", c.Path, c.Speech, res.Window)
		}
	}
	if sped == 0 {
		t.Error("no clip was sped up")
	}

	// Half the length: too much speeding up.
	opt.Dir = t.TempDir()
	opt.Window = time.Duration(float64(longest) / 2 / audio.Rate * float64(time.Second))
	if _, err := Generate(context.Background(), opt); err == nil || !strings.Contains(err.Error(), "shorten the phrase") {
		t.Errorf("err = %v", err)
	}
	opt.Window = 4 * time.Second
	if _, err := Generate(context.Background(), opt); err == nil {
		t.Error("no error for a 4 s window")
	}
}

func TestGenerateMissing(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := Generate(context.Background(), Options{Phrases: twoPhrases, Dir: t.TempDir()})
	var me *MissingError
	if !errors.As(err, &me) || !strings.Contains(err.Error(), "apt-get install espeak-ng flite") {
		t.Errorf("err = %v", err)
	}
}

func TestGenerateCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Generate(ctx, Options{Phrases: twoPhrases, Dir: t.TempDir(), PerPhrase: 50})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestGenerateBadOptions(t *testing.T) {
	for name, opt := range map[string]Options{
		"no phrases":    {Dir: "x"},
		"no dir":        {Phrases: twoPhrases},
		"same label":    {Phrases: []string{"turn on", "Turn on!"}, Dir: "x"},
		"no letters":    {Phrases: []string{"?"}, Dir: "x"},
		"negative n":    {Phrases: twoPhrases, Dir: "x", PerPhrase: -1},
		"bad engine":    {Phrases: twoPhrases, Dir: "x", Engines: []string{"festival"}},
		"no such voice": {Phrases: twoPhrases, Dir: "x", Voices: []string{"nobody"}},
	} {
		if _, err := Generate(context.Background(), opt); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestGenerateEveryVoice(t *testing.T) {
	words := []string{"snow", "town", "cup", "lift", "cough", "gone", "top", "yet"}
	voices := []string{"en-029", "en-029+f1", "awb", "rms"}
	opt := Options{Phrases: words, Dir: t.TempDir(), PerPhrase: 1, Seed: 1, Voices: voices, Window: time.Second}
	// By default each phrase's first clip is the first engine's.
	for _, c := range generate(t, opt).Clips {
		if c.Voice.Engine != "espeak-ng" {
			t.Errorf("%s: %s without EveryVoice", c.Path, c.Voice.Engine)
		}
	}
	opt.Dir, opt.EveryVoice = t.TempDir(), true
	said := map[string]int{}
	for _, c := range generate(t, opt).Clips {
		said[c.Voice.Name]++
	}
	for _, v := range voices {
		if said[v] != 2 {
			t.Errorf("with EveryVoice, %s said %d of 8 words, want 2: %v", v, said[v], said)
		}
	}
}

func TestGenerateDropLong(t *testing.T) {
	long := "what is the temperature in the living room"
	opt := Options{Phrases: []string{"stop", long}, Dir: t.TempDir(), PerPhrase: 2, Seed: 1, Window: time.Second, DropLong: true}
	res := generate(t, opt)
	if len(res.Clips) != 2 || len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "left out 2 of 4 renderings") {
		t.Fatalf("%d clips, warnings %q", len(res.Clips), res.Warnings)
	}
	for _, c := range res.Clips {
		if c.Label != "stop" {
			t.Errorf("%s: label %s", c.Path, c.Label)
		}
		if _, err := os.Stat(filepath.Join(opt.Dir, c.Path)); err != nil {
			t.Error(err)
		}
	}
	opt.Phrases, opt.Dir = []string{long}, t.TempDir()
	if _, err := Generate(context.Background(), opt); err == nil || !strings.Contains(err.Error(), "every rendering") {
		t.Errorf("only long phrases: %v", err)
	}
}
