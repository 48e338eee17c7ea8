package datasets

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/listen-go/listen/audio"
)

// tone is a short synthetic clip whose pitch encodes k.
func tone(n, k int) []float32 {
	s := make([]float32, n)
	f := 200 + 37*float64(k%50)
	for i := range s {
		s[i] = float32(0.3 * math.Sin(2*math.Pi*f*float64(i)/audio.Rate))
	}
	return s
}

func writeWAV(t testing.TB, path string, s []float32, rate int) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := audio.WriteFile(path, s, rate); err != nil {
		t.Fatal(err)
	}
}

// speakers returns n 8-hex-digit speaker ids for which keep(which_set
// split) holds.
func speakers(n int, keep func(Split) bool) []string {
	var out []string
	for i := 0; len(out) < n; i++ {
		id := fmt.Sprintf("%08x", uint32(i)*2654435761)
		if keep(WhichSet(id+"_nohash_0.wav", 10, 10)) {
			out = append(out, id)
		}
	}
	return out
}

// makeSpeechCommands writes a small dataset in the Speech Commands layout:
// words x speakers clips of clipLen samples, and two noise recordings.
func makeSpeechCommands(t testing.TB, words, spk []string, clipLen int) string {
	dir := t.TempDir()
	k := 0
	for _, w := range words {
		for _, s := range spk {
			writeWAV(t, filepath.Join(dir, w, s+"_nohash_0.wav"), tone(clipLen, k), audio.Rate)
			k++
		}
	}
	writeNoise(t, filepath.Join(dir, NoiseFolder))
	return dir
}

func writeNoise(t testing.TB, dir string) {
	for i, name := range []string{"hum.wav", "hiss.wav"} {
		s := make([]float32, 2*audio.Rate)
		for j := range s {
			s[j] = float32(0.5 * math.Sin(float64(j*(i+1))*0.37))
		}
		writeWAV(t, filepath.Join(dir, name), s, audio.Rate)
	}
}

var otherWords = []string{"bed", "cat", "dog"}

func TestScanSpeechCommandsWhichSet(t *testing.T) {
	spk := speakers(40, func(Split) bool { return true })
	words := append(slices.Clone(DefaultWords), otherWords...)
	dir := makeSpeechCommands(t, words, spk, 800)
	d, err := Scan(dir, Options{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if d.Layout != SpeechCommands || d.SplitMethod != SplitHash {
		t.Errorf("layout %v split %v, want speech-commands hash", d.Layout, d.SplitMethod)
	}
	wantLabels := append([]string{SilenceLabel, UnknownLabel}, DefaultWords...)
	if !slices.Equal(d.Labels, wantLabels) {
		t.Errorf("labels %v, want %v", d.Labels, wantLabels)
	}
	if len(d.Noise) != 2 {
		t.Errorf("%d noise recordings, want 2", len(d.Noise))
	}
	if len(d.Warnings) != 0 {
		t.Errorf("warnings: %q", d.Warnings)
	}
	wanted := [3]int{}
	per := [3][]int{make([]int, 12), make([]int, 12), make([]int, 12)}
	speakerSplit := map[string]Split{}
	for _, c := range d.Clips {
		per[c.Split][c.Label]++
		if c.Path == "" {
			if c.Label != 0 || c.Gain < 0 || c.Gain >= 1 || c.Offset+audio.Rate > len(d.Noise[c.Noise]) {
				t.Errorf("bad silence clip %+v", c)
			}
			continue
		}
		if got := WhichSet(c.Path, 10, 10); got != c.Split {
			t.Errorf("%s in %v, which_set says %v", c.Path, c.Split, got)
		}
		if s, ok := speakerSplit[c.Speaker]; ok && s != c.Split {
			t.Errorf("speaker %s in %v and %v", c.Speaker, s, c.Split)
		}
		speakerSplit[c.Speaker] = c.Split
		if c.Label >= 2 {
			wanted[c.Split]++
			if d.Labels[c.Label] != c.Word {
				t.Errorf("clip %s labelled %s", c.Path, d.Labels[c.Label])
			}
		} else if c.Label != 1 || !slices.Contains(otherWords, c.Word) {
			t.Errorf("clip %+v: want _unknown_ of another word", c)
		}
	}
	for s := Training; s <= Testing; s++ {
		want := int(math.Ceil(float64(wanted[s]) / 10))
		if wanted[s] == 0 {
			t.Fatalf("split %v empty: %v", s, per)
		}
		if per[s][0] != want {
			t.Errorf("%v: %d silence clips, want %d", s, per[s][0], want)
		}
		if per[s][1] != min(want, len(spk)*len(otherWords)) && per[s][1] > want {
			t.Errorf("%v: %d unknown clips, want up to %d", s, per[s][1], want)
		}
	}
	// The same seed gives the same dataset; another seed other silence.
	d2, _ := Scan(dir, Options{Seed: 3})
	d3, _ := Scan(dir, Options{Seed: 4})
	if !slices.Equal(d.Clips, d2.Clips) {
		t.Error("Scan is not deterministic")
	}
	if slices.Equal(d.Clips, d3.Clips) {
		t.Error("Seed does not change the silence clips")
	}
	if !strings.Contains(d.Summary(), "_silence_") {
		t.Errorf("summary:\n%s", d.Summary())
	}
}

func TestScanLists(t *testing.T) {
	spk := speakers(6, func(Split) bool { return true })
	words := append(slices.Clone(DefaultWords), "bed")
	dir := makeSpeechCommands(t, words, spk, 800)
	val := fmt.Sprintf("yes/%s_nohash_0.wav\nbed/%s_nohash_0.wav\n", spk[0], spk[0])
	test := fmt.Sprintf("no/%s_nohash_0.wav\nno/notthere_nohash_0.wav\n", spk[1])
	os.WriteFile(filepath.Join(dir, "validation_list.txt"), []byte(val), 0o644)
	os.WriteFile(filepath.Join(dir, "testing_list.txt"), []byte(test), 0o644)
	d, err := Scan(dir, Options{AllUnknown: true})
	if err != nil {
		t.Fatal(err)
	}
	if d.SplitMethod != SplitLists {
		t.Fatalf("split %v, want lists", d.SplitMethod)
	}
	for _, c := range d.Clips {
		if c.Path == "" {
			continue
		}
		rel, _ := filepath.Rel(dir, c.Path)
		want := Training
		switch {
		case strings.Contains(val, rel):
			want = Validation
		case strings.Contains(test, rel):
			want = Testing
		}
		if c.Split != want {
			t.Errorf("%s in %v, want %v", rel, c.Split, want)
		}
	}
	if n := d.Count(Validation) - len(d.ByLabel(Validation)[0]); n != 2 {
		t.Errorf("%d validation speech clips, want 2 (AllUnknown keeps bed)", n)
	}
	// Forcing which_set ignores the lists.
	d, err = Scan(dir, Options{SplitBy: SplitHash})
	if err != nil || d.SplitMethod != SplitHash {
		t.Fatalf("SplitBy hash: %v %v", d.SplitMethod, err)
	}
}

// TestScanTwelveClassFallback builds the official test-set layout from
// speakers that which_set puts in testing, like
// shared/data/speech_commands_v0.02_test12: Scan must warn and split by
// speaker.
func TestScanTwelveClassFallback(t *testing.T) {
	dir := t.TempDir()
	spk := speakers(30, func(s Split) bool { return s == Testing })
	for i, s := range spk {
		for _, w := range DefaultWords[:4] {
			writeWAV(t, filepath.Join(dir, w, s+"_nohash_0.wav"), tone(400, i), audio.Rate)
		}
		writeWAV(t, filepath.Join(dir, UnknownLabel, "bed_"+s+"_nohash_1.wav"), tone(400, i), audio.Rate)
		writeWAV(t, filepath.Join(dir, SilenceLabel, fmt.Sprintf("%d.wav", 1000+i)), tone(400, i), audio.Rate)
	}
	d, err := Scan(dir, Options{Words: DefaultWords[:4], ValidationPct: 15})
	if err != nil {
		t.Fatal(err)
	}
	if d.Layout != TwelveClass || d.SplitMethod != SplitSpeaker {
		t.Fatalf("layout %v split %v, want twelve-class speaker", d.Layout, d.SplitMethod)
	}
	if len(d.Warnings) == 0 || !strings.Contains(d.Warnings[0], "which_set") {
		t.Errorf("warnings %q: want the which_set fallback explained", d.Warnings)
	}
	for _, c := range d.Clips {
		want := SpeakerSplit(c.Speaker, 15, 10)
		if c.Split != want {
			t.Errorf("%s (speaker %s) in %v, want %v", c.Path, c.Speaker, c.Split, want)
		}
		if c.Label == 1 && (c.Word != "bed" || c.Speaker == "") {
			t.Errorf("unknown clip %+v: want word bed and its speaker", c)
		}
	}
	if d.Count(Training) == 0 || d.Count(Validation) == 0 {
		t.Errorf("splits %d/%d/%d", d.Count(Training), d.Count(Validation), d.Count(Testing))
	}
	if len(d.ByLabel(All)[0]) != 30 || len(d.ByLabel(All)[1]) != 30 {
		t.Errorf("every _silence_ and _unknown_ clip must be kept: %d, %d", len(d.ByLabel(All)[0]), len(d.ByLabel(All)[1]))
	}
	// Asking for which_set gets it, however lopsided.
	d, err = Scan(dir, Options{Words: DefaultWords[:4], SplitBy: SplitHash})
	if err != nil {
		t.Fatal(err)
	}
	if n := d.Count(Testing) - len(d.ByLabel(Testing)[0]); n != 30*5 {
		t.Errorf("which_set put %d speech clips in testing, want all %d", n, 30*5)
	}
}

func TestScanFolders(t *testing.T) {
	dir := t.TempDir()
	for i := range 12 {
		for _, w := range []string{"lights", "music", "other"} {
			writeWAV(t, filepath.Join(dir, w, fmt.Sprintf("take%d.wav", i)), tone(400, i), audio.Rate)
		}
	}
	d, err := Scan(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Layout != Folders || !slices.Equal(d.Labels, []string{"lights", "music", "other"}) {
		t.Errorf("layout %v labels %v", d.Layout, d.Labels)
	}
	noise := filepath.Join(t.TempDir(), "noise")
	writeNoise(t, noise)
	d, err = Scan(dir, Options{Words: []string{"music", "lights"}, NoiseDir: noise})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{SilenceLabel, UnknownLabel, "music", "lights"}
	if !slices.Equal(d.Labels, want) {
		t.Errorf("labels %v, want %v", d.Labels, want)
	}
	if len(d.ByLabel(All)[0]) == 0 {
		t.Error("no silence clips cut from the noise")
	}
	paths, noiseClips, err := LoadNoise(noise)
	if err != nil || len(paths) != 2 || len(noiseClips[0]) != 2*audio.Rate {
		t.Errorf("LoadNoise: %v, %d recordings", err, len(paths))
	}
	si := d.ByLabel(All)[0][0]
	s, err := d.Samples(si, audio.Rate)
	c := d.Clips[si]
	if err != nil || len(s) != audio.Rate || s[5] != d.Noise[c.Noise][c.Offset+5]*c.Gain {
		t.Errorf("silence clip samples: %v", err)
	}
}

func TestScanErrors(t *testing.T) {
	empty := t.TempDir()
	one := t.TempDir()
	writeWAV(t, filepath.Join(one, "hello", "a.wav"), tone(400, 1), audio.Rate)
	writeWAV(t, filepath.Join(one, "hello", "b.wav"), tone(400, 2), audio.Rate)
	for _, tc := range []struct {
		name, dir string
		opt       Options
		want      string
	}{
		{"missing", filepath.Join(empty, "nope"), Options{}, "no such file"},
		{"empty", empty, Options{}, "no folders of .wav or .flac files"},
		{"one class", one, Options{}, "at least two"},
		{"missing word", one, Options{Words: []string{"bye"}}, `no folder of .wav or .flac files for word "bye"`},
		{"bad split", one, Options{SplitBy: "coin"}, "unknown split method"},
		{"no lists", one, Options{SplitBy: SplitLists}, "no testing_list.txt"},
		{"noise dir", one, Options{NoiseDir: empty}, "no .wav or .flac files"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Scan(tc.dir, tc.opt)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Scan: %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

// TestExport: a split exported to the twelve-class layout scans back to the
// same clips and labels.
func TestExport(t *testing.T) {
	spk := speakers(20, func(Split) bool { return true })
	words := append(slices.Clone(DefaultWords[:3]), "bed", "cat")
	dir := makeSpeechCommands(t, words, spk, 800)
	d, err := Scan(dir, Options{Words: DefaultWords[:3], SplitBy: SplitSpeaker, ValidationPct: 15, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "train")
	if err := d.Export(out, 0, Training, Validation); err != nil {
		t.Fatal(err)
	}
	if err := d.Export(out, 0); err == nil {
		t.Error("export over an existing folder")
	}
	e, err := Scan(out, Options{Words: DefaultWords[:3], SplitBy: SplitSpeaker, ValidationPct: 15, TestPct: -1})
	if err != nil {
		t.Fatal(err)
	}
	if e.Layout != TwelveClass || !slices.Equal(e.Labels, d.Labels) {
		t.Fatalf("exported layout %v labels %v", e.Layout, e.Labels)
	}
	for _, s := range []Split{Training, Validation} {
		want := d.ByLabel(s)
		got := e.ByLabel(s)
		for k := range d.Labels {
			if k == 0 {
				continue // silence cut from noise has no speaker: re-split by file name
			}
			if len(got[k]) != len(want[k]) {
				t.Errorf("%v %s: %d clips exported, want %d", s, d.Labels[k], len(got[k]), len(want[k]))
			}
		}
	}
	if e.Count(Testing) != 0 || e.Count(All) != d.Count(Training)+d.Count(Validation) {
		t.Errorf("exported %d clips (%d testing), want %d", e.Count(All), e.Count(Testing), d.Count(Training)+d.Count(Validation))
	}
}

func TestScanExtraDirs(t *testing.T) {
	words := []string{"yes", "no"}
	spk := speakers(20, func(Split) bool { return true })
	dir := makeSpeechCommands(t, words, spk, 400)
	opt := Options{Words: words, NoiseDir: "-", UnknownPct: -1, SplitBy: SplitSpeaker, ValidationPct: 30, TestPct: 30}
	base, err := Scan(dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	if base.Count(Validation) == 0 || base.Count(Testing) == 0 {
		t.Fatalf("no validation or test speakers to keep apart: %d, %d clips", base.Count(Validation), base.Count(Testing))
	}
	split := map[string]Split{}
	for _, c := range base.Clips {
		split[c.Speaker] = c.Split
	}

	// An extra folder in the Speech Commands layout: clips of every speaker
	// of DIR, of two new speakers, and of a word that is not wanted; its
	// testing_list.txt names one of the new speakers' clips.
	extra := t.TempDir()
	newSpk := []string{"aaaa0001", "aaaa0002"}
	for i, s := range append(slices.Clone(spk), newSpk...) {
		for _, w := range []string{"yes", "no", "maybe"} {
			writeWAV(t, filepath.Join(extra, w, s+"_nohash_9.wav"), tone(400, i), audio.Rate)
		}
	}
	list := "yes/" + newSpk[1] + "_nohash_9.wav\nmaybe/" + newSpk[0] + "_nohash_9.wav\n"
	if err := os.WriteFile(filepath.Join(extra, "testing_list.txt"), []byte(list), 0o644); err != nil {
		t.Fatal(err)
	}
	heard := 0 // DIR's training speakers, whose extra clips are kept
	for _, s := range spk {
		if split[s] == Training {
			heard++
		}
	}
	opt.ExtraDirs = []string{extra}
	d, err := Scan(dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []Split{Validation, Testing} {
		if d.Count(s) != base.Count(s) {
			t.Errorf("split %v: %d clips with extra folders, %d without", s, d.Count(s), base.Count(s))
		}
	}
	want := 2*heard + 3 // both words of training speakers and new speakers, less the listed test clip
	if got := d.Count(Training) - base.Count(Training); got != want {
		t.Errorf("%d extra training clips, want %d", got, want)
	}
	n := 0
	for _, c := range d.Clips {
		if !strings.HasPrefix(c.Path, extra) {
			continue
		}
		n++
		switch {
		case c.Split != Training || d.Labels[c.Label] != c.Word || strings.Contains(c.Path, "maybe"):
			t.Errorf("extra clip %+v", c)
		case c.Word == "yes" && c.Speaker == newSpk[1]:
			t.Errorf("extra clip %s is in the folder's testing_list.txt", c.Path)
		case !slices.Contains(newSpk, c.Speaker) && split[c.Speaker] != Training:
			t.Errorf("extra clip %s: its speaker is in DIR's %v split", c.Path, split[c.Speaker])
		}
	}
	if n != want {
		t.Errorf("%d extra clips in the data set, want %d", n, want)
	}
	if !slices.ContainsFunc(d.Warnings, func(w string) bool {
		return strings.Contains(w, fmt.Sprintf("left out %d of speakers in validation or test", 2*(len(spk)-heard)))
	}) {
		t.Errorf("warnings %q do not count the clips of held-out speakers", d.Warnings)
	}

	opt.ExtraDirs = []string{t.TempDir()}
	if _, err := Scan(dir, opt); err == nil || !strings.Contains(err.Error(), "no .wav or .flac files in folders named like the words") {
		t.Errorf("empty extra folder: %v", err)
	}
	opt.ExtraDirs = []string{filepath.Join(extra, "missing")}
	if _, err := Scan(dir, opt); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("missing extra folder: %v", err)
	}
}
