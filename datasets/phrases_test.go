package datasets

import (
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/listen-go/listen/audio"
)

func TestChooseWindow(t *testing.T) {
	const s = audio.Rate
	many := func(n, v int, more ...int) []int {
		out := make([]int, n)
		for i := range out {
			out[i] = v
		}
		return append(out, more...)
	}
	for _, tc := range []struct {
		name    string
		lengths []int
		want    int
	}{
		{"none", nil, MinWindow},
		{"one second", []int{s}, s},
		{"short clips", []int{100, 4000, 8000}, MinWindow},
		{"rounded up to 100 ms", []int{s + 1}, s + WindowStep},
		{"exact step", []int{2*s + 5*WindowStep}, 2*s + 5*WindowStep},
		{"capped at 3 s", []int{10 * s}, MaxWindow},
		{"one stray long clip of 100", many(99, 2*s, 3*s), 2 * s},
		{"two long clips of 100", many(98, 2*s, 3*s, 3*s), MaxWindow},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ChooseWindow(tc.lengths); got != tc.want {
				t.Errorf("ChooseWindow = %d, want %d", got, tc.want)
			}
		})
	}
}

// phraseFolder writes a Folders-layout data set of two commands with clips
// of the given lengths (samples) at rate, and a labels file.
func phraseFolder(t *testing.T, rate int, lengths map[string][]int) string {
	dir := t.TempDir()
	k := 0
	for label, ls := range lengths {
		for i, n := range ls {
			writeWAV(t, filepath.Join(dir, label, "v"+string(rune('a'+i))+"_nohash_0.wav"), tone(n, k), rate)
			k++
		}
	}
	labels := "# label\tphrase\nturn_on\tturn on\n\nturn_off\tturn off, please\n"
	if err := os.WriteFile(filepath.Join(dir, LabelsFile), []byte(labels), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestWindowFromHeaders(t *testing.T) {
	// 8 kHz clips: the lengths are counted at 16 kHz.
	dir := phraseFolder(t, 8000, map[string][]int{
		"turn_on":  {8000, 9000, 10000},
		"turn_off": {12000, 8500},
	})
	d, err := Scan(dir, Options{ValidationPct: -1, TestPct: -1, NoiseDir: "-"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := d.ClipLengths(All)
	if err != nil {
		t.Fatal(err)
	}
	want := []int{24000, 17000, 16000, 18000, 20000} // d.Clips order: label, then path
	if len(got) != len(want) {
		t.Fatalf("lengths %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("lengths %v, want %v", got, want)
		}
	}
	if w := d.Window(); w != 24000 {
		t.Errorf("window %d, want 24000 (the longest of 5 clips, 1.5 s)", w)
	}
	if d.Phrases["turn_off"] != "turn off, please" || d.Phrases["turn_on"] != "turn on" || len(d.Phrases) != 2 {
		t.Errorf("phrases %q", d.Phrases)
	}

	// A clip whose header is broken is an error naming it, and left out.
	bad := filepath.Join(dir, "turn_on", "vz_nohash_0.wav")
	if err := os.WriteFile(bad, []byte("RIFF\x04\x00\x00\x00WAVE"), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err = Scan(dir, Options{ValidationPct: -1, TestPct: -1, NoiseDir: "-"})
	if err != nil {
		t.Fatal(err)
	}
	got, err = d.ClipLengths(All)
	if err == nil || !strings.Contains(err.Error(), "vz_nohash_0.wav") || len(got) != 5 {
		t.Errorf("broken header: %d lengths, err %v; want 5 and an error naming the file", len(got), err)
	}
	if w := d.Window(); w != 24000 {
		t.Errorf("window with a broken clip %d, want 24000", w)
	}
}

func TestReadLabelsErrors(t *testing.T) {
	dir := t.TempDir()
	m, err := ReadLabels(filepath.Join(dir, "missing.txt"))
	if err != nil || len(m) != 0 {
		t.Errorf("missing file: %v, %v", m, err)
	}
	p := filepath.Join(dir, "labels.txt")
	if err := os.WriteFile(p, []byte("ok\tfine\nno tab here\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadLabels(p); err == nil || !strings.Contains(err.Error(), ":2:") {
		t.Errorf("bad line: err %v, want one naming line 2", err)
	}
}

func TestScanUnknownDirs(t *testing.T) {
	dir := phraseFolder(t, audio.Rate, map[string][]int{
		"turn_on":  {audio.Rate, audio.Rate, audio.Rate, audio.Rate},
		"turn_off": {audio.Rate, audio.Rate, audio.Rate, audio.Rate},
	})
	noise := t.TempDir()
	writeNoise(t, noise)
	// Other speech: a Speech Commands folder (whose "turn_on" folder is
	// a wanted word and must be left out, with _silence_ and the noise),
	// plus a flat folder of clips.
	sc := t.TempDir()
	spk := speakers(40, func(Split) bool { return true })
	for i, s := range spk {
		writeWAV(t, filepath.Join(sc, "bed", s+"_nohash_0.wav"), tone(audio.Rate, i), audio.Rate)
		writeWAV(t, filepath.Join(sc, UnknownLabel, "cat_"+s+"_nohash_0.wav"), tone(audio.Rate, i), audio.Rate)
	}
	writeWAV(t, filepath.Join(sc, "turn_on", spk[0]+"_nohash_0.wav"), tone(audio.Rate, 0), audio.Rate)
	writeWAV(t, filepath.Join(sc, SilenceLabel, "x_nohash_0.wav"), tone(audio.Rate, 0), audio.Rate)
	writeNoise(t, filepath.Join(sc, NoiseFolder))
	// Two clips the folder keeps for testing: never other speech.
	list := "bed/" + spk[0] + "_nohash_0.wav\nbed/" + spk[1] + "_nohash_0.wav\n"
	if err := os.WriteFile(filepath.Join(sc, "testing_list.txt"), []byte(list), 0o644); err != nil {
		t.Fatal(err)
	}
	flat := t.TempDir()
	writeWAV(t, filepath.Join(flat, "hello_nohash_0.wav"), tone(audio.Rate, 1), audio.Rate)

	d, err := Scan(dir, Options{UnknownDirs: []string{sc, flat}, AllUnknown: true, NoiseDir: noise})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(d.Labels, " "); got != "_silence_ _unknown_ turn_off turn_on" {
		t.Fatalf("labels %q", got)
	}
	words := map[string]int{}
	for _, c := range d.Clips {
		if c.Label != 1 {
			continue
		}
		words[c.Word]++
		if want := SpeakerSplit(c.Speaker, 10, 10); c.Split != want {
			t.Errorf("%s: split %v, want the speaker split's %v", c.Path, c.Split, want)
		}
		if c.Word == "bed" && (c.Speaker == spk[0] || c.Speaker == spk[1]) {
			t.Errorf("%s is in its folder's testing_list.txt", c.Path)
		}
		if strings.Contains(c.Path, "turn_on") || strings.Contains(c.Path, SilenceLabel) || strings.Contains(c.Path, NoiseFolder) {
			t.Errorf("%s taken for other speech", c.Path)
		}
	}
	if !slices.ContainsFunc(d.Warnings, func(w string) bool {
		return strings.Contains(w, sc) && strings.Contains(w, "left out the 2 clips its testing_list.txt names")
	}) {
		t.Errorf("warnings %q do not count the test-listed clips", d.Warnings)
	}
	if words["bed"] != 38 || words["cat"] != 40 || words[filepath.Base(flat)] != 1 || len(words) != 3 {
		t.Errorf("other speech by word: %v", words)
	}

	// Drawn, not all: UnknownPct of each split's command clips.
	d, err = Scan(dir, Options{UnknownDirs: []string{sc}, UnknownPct: 50, NoiseDir: "-", ValidationPct: -1, TestPct: -1})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(d.ByLabel(Training)[0]); n != 4 {
		t.Errorf("%d training _unknown_ clips, want 4 (50%% of 8)", n)
	}

	if _, err := Scan(dir, Options{UnknownDirs: []string{t.TempDir()}}); err == nil {
		t.Error("an empty folder of other speech: no error")
	}
}

func TestTighten(t *testing.T) {
	x := make([]float32, 2*audio.Rate)
	for i := range x {
		x[i] = 0.001 // a noise floor far below the sound
	}
	for i := 16000; i < 20000; i++ {
		x[i] = 0.5
	}
	tighten(x, 800, 1600)
	// The sound's frames are 100..124; kept from 16000-800 to 20000+1600.
	n := 20000 + 1600 - (16000 - 800)
	if x[0] != 0.001 || x[800] != 0.5 || x[800+3999] != 0.5 || x[n-1] != 0.001 {
		t.Errorf("sound not moved to the start: x[0] %v x[800] %v x[4799] %v x[%d] %v", x[0], x[800], x[4799], n-1, x[n-1])
	}
	for i := n; i < len(x); i++ {
		if x[i] != 0 {
			t.Fatalf("x[%d] = %v after the cut, want 0", i, x[i])
		}
	}
	silent := make([]float32, 1000)
	tighten(silent, 10, 10) // silence and short input are left alone
	tighten(nil, 10, 10)
}

func TestAugmentTightKeepsOtherDraws(t *testing.T) {
	// Tight draws after the others: a clip it leaves alone is augmented
	// exactly as without it.
	mk := func() []float32 {
		x := make([]float32, audio.Rate)
		for i := range x {
			x[i] = float32(i%100) / 1000
		}
		return x
	}
	noise := [][]float32{tone(2*audio.Rate, 3)}
	a := Augment{MaxShift: 1600, NoiseProb: 0.8, NoiseMax: 0.1}
	b := a
	b.Tight = 1e-300 // never drawn true in practice
	x, y := mk(), mk()
	a.Apply(x, noise, rand.New(rand.NewPCG(1, 2)))
	b.Apply(y, noise, rand.New(rand.NewPCG(1, 2)))
	for i := range x {
		if x[i] != y[i] {
			t.Fatalf("sample %d: %v with Tight, %v without", i, y[i], x[i])
		}
	}
}

func TestPlace(t *testing.T) {
	for _, at := range []float64{0, 0.5, 1} {
		x := make([]float32, 2*audio.Rate)
		for i := 0; i < 4000; i++ {
			x[i] = 0.5
		}
		place(x, at)
		n := 4000 + tightMargin // the sound and the margin after it (none before at 0)
		to := int(at * float64(len(x)-n))
		for i, v := range x {
			want := float32(0)
			if i >= to && i < to+4000 {
				want = 0.5
			}
			if v != want {
				t.Fatalf("at %v: x[%d] = %v, want %v", at, i, v, want)
			}
		}
	}
}

func TestMergeLabels(t *testing.T) {
	dir := t.TempDir()
	if err := MergeLabels(dir, map[string]string{"turn_on": "turn on", "b": "bee"}); err != nil {
		t.Fatal(err)
	}
	if err := MergeLabels(dir, map[string]string{"turn_on": "turn it on", "a": "ay"}); err != nil {
		t.Fatal(err)
	}
	got, err := ReadLabels(filepath.Join(dir, LabelsFile))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"turn_on": "turn it on", "a": "ay", "b": "bee"}
	if !maps.Equal(got, want) {
		t.Errorf("labels %v, want %v", got, want)
	}
	if err := MergeLabels(dir, map[string]string{"x": "a\tb"}); err == nil {
		t.Error("a phrase with a tab accepted")
	}
	if got2, _ := ReadLabels(filepath.Join(dir, LabelsFile)); !maps.Equal(got2, want) {
		t.Error("a refused merge changed the file")
	}
}
