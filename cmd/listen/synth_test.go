package main

import (
	"bytes"
	"context"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/datasets"
	"github.com/listen-go/listen/datasets/synth"
)

// runListen runs listen with args and returns the exit code, stdout and
// stderr.
func runListen(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// These run espeak-ng and flite (Debian packages espeak-ng and flite, which
// .ci/run installs).
func TestSynthCommand(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runListen(t, "synth", "-phrases", "turn on the lights; Turn off the lights!", "-dir", dir, "-n", "4", "-seed", "2")
	if code != 0 {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	if !strings.Contains(out, "wrote 8 clips of 2 phrases") || !strings.Contains(out, "voices: espeak-ng ") || !strings.Contains(out, "flite 5") {
		t.Errorf("stdout: %s", out)
	}
	if !strings.Contains(errs, "synthesising 8/8 clips") {
		t.Errorf("no progress on stderr: %s", errs)
	}
	for _, l := range []string{"turn_on_the_lights", "turn_off_the_lights"} {
		wavs, _ := filepath.Glob(filepath.Join(dir, l, "*_nohash_*.wav"))
		if len(wavs) != 4 {
			t.Errorf("%s: %d clips, want 4", l, len(wavs))
		}
		for _, w := range wavs {
			x, err := audio.ReadFile(w)
			if err != nil {
				t.Fatal(err)
			}
			if len(x) < audio.Rate || len(x) > 3*audio.Rate {
				t.Errorf("%s: %d samples", w, len(x))
			}
		}
	}
	labels, err := datasets.ReadLabels(filepath.Join(dir, synth.LabelsFile))
	if err != nil || labels["turn_off_the_lights"] != "Turn off the lights!" {
		t.Errorf("labels.txt: %q, %v", labels, err)
	}

	// One engine, quietly, with a fixed window.
	dir = t.TempDir()
	code, out, errs = runListen(t, "synth", "-phrases", "stop", "-dir", dir, "-n", "2", "-engines", "flite", "-window", "1.5s", "-q")
	if code != 0 || errs != "" || !strings.Contains(out, "window 1.5 s") || !strings.Contains(out, "flite 5") || strings.Contains(out, "espeak") {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
}

func TestSynthVoices(t *testing.T) {
	code, out, errs := runListen(t, "synth", "-list-voices")
	if code != 0 || !strings.Contains(out, "espeak-ng_en-us-m3\ten-us+m3\n") || !strings.Contains(out, "flite_kal\tkal16\n") {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	dir := t.TempDir()
	code, out, errs = runListen(t, "synth", "-phrases", "stop", "-dir", dir, "-n", "6", "-q",
		"-voices", "espeak-ng_en-us-m3,slt,kal", "-exclude-voices", "flite_kal")
	if code != 0 || !strings.Contains(out, "voices: espeak-ng 1, flite 1") {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	wavs, _ := filepath.Glob(filepath.Join(dir, "stop", "*.wav"))
	for _, w := range wavs {
		if b := filepath.Base(w); !strings.HasPrefix(b, "espeak-ng_en-us-m3_") && !strings.HasPrefix(b, "flite_slt_") {
			t.Errorf("clip %s by an unwanted voice", b)
		}
	}
	if len(wavs) != 6 {
		t.Errorf("%d clips", len(wavs))
	}
}

func TestSynthMissingSynthesiser(t *testing.T) {
	flite, err := exec.LookPath("flite")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", t.TempDir())
	code, _, errs := runListen(t, "synth", "-phrases", "stop", "-dir", t.TempDir())
	if code != 1 || !strings.Contains(errs, "sudo apt-get install espeak-ng flite") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}

	// With only flite there, it warns and goes on.
	bin := t.TempDir()
	os.Symlink(flite, filepath.Join(bin, "flite"))
	t.Setenv("PATH", bin)
	code, out, errs := runListen(t, "synth", "-phrases", "stop", "-dir", t.TempDir(), "-n", "2", "-q")
	if code != 0 || !strings.Contains(errs, "warning: espeak-ng is not installed") || !strings.Contains(errs, "apt-get install espeak-ng") {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
}

func TestSynthUsage(t *testing.T) {
	for _, args := range [][]string{
		{"synth"},
		{"synth", "-phrases", "stop"},
		{"synth", "-dir", t.TempDir()},
		{"synth", "-phrases", " ; ", "-dir", t.TempDir()},
		{"synth", "-phrases", "on; On!", "-dir", t.TempDir()},
		{"synth", "-phrases", "stop", "-dir", t.TempDir(), "-n", "0"},
		{"synth", "-phrases", "stop", "-dir", t.TempDir(), "-window", "5s"},
		{"synth", "-phrases", "stop", "-dir", t.TempDir(), "extra"},
		{"synth", "-nosuchflag"},
	} {
		if code, _, errs := runListen(t, args...); code != 2 || errs == "" {
			t.Errorf("%q: exit %d, stderr %q", args, code, errs)
		}
	}
	code, _, errs := runListen(t, "synth", "-phrases", "stop", "-dir", t.TempDir(), "-engines", "festival")
	if code != 1 || !strings.Contains(errs, "unknown synthesiser") {
		t.Errorf("-engines festival: exit %d, stderr %q", code, errs)
	}
}

func TestSynthOthers(t *testing.T) {
	dict := filepath.Join("..", "..", "datasets", "synth", "testdata", "cmudict-excerpt.out")
	dir := t.TempDir()
	args := []string{"synth", "-others", "12", "-dict", dict, "-dir", dir, "-voices", "en-029,awb", "-seed", "3", "-q"}
	code, out, errs := runListen(t, args...)
	if code != 0 || !strings.HasPrefix(out, "wrote 12 clips of 12 phrases to "+dir) {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	if !strings.Contains(errs, `left out as sounding like "no": know nau`) || !strings.Contains(errs, `"right": rite wright write`) {
		t.Errorf("stderr %q", errs)
	}
	list, err := os.ReadFile(filepath.Join(dir, synth.OthersFile))
	if err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(string(list), "\n")[1:13]
	for _, row := range rows {
		label := strings.Split(row, "\t")[1]
		wavs, _ := filepath.Glob(filepath.Join(dir, label, "*_nohash_*.wav"))
		if len(wavs) != 1 {
			t.Errorf("%s: %d clips, want 1", label, len(wavs))
		}
	}
	// The same seed picks the same words.
	again := t.TempDir()
	args[6] = again
	if code, _, errs := runListen(t, args...); code != 0 {
		t.Fatalf("again: exit %d, %s", code, errs)
	}
	if b, _ := os.ReadFile(filepath.Join(again, synth.OthersFile)); !bytes.Equal(b, list) {
		t.Errorf("seed 3 twice:\n%s\n%s", list, b)
	}
	// -n says each word more than once.
	code, out, errs = runListen(t, "synth", "-others", "3", "-n", "2", "-dict", dict, "-dir", t.TempDir(), "-voices", "en-029", "-q")
	if code != 0 || !strings.HasPrefix(out, "wrote 6 clips of 3 phrases") {
		t.Errorf("-n 2: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
}

func TestSynthOthersErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "cmudict-0.4.out")
	code, _, errs := runListen(t, "synth", "-others", "5", "-dict", missing, "-dir", t.TempDir())
	if code != 1 || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, missing) || !strings.Contains(errs, "festlex-cmu") {
		t.Errorf("missing dictionary: exit %d, stderr %q", code, errs)
	}
	bad := filepath.Join(t.TempDir(), "bad.dict")
	os.WriteFile(bad, []byte("SNOW  S N OW1\nFOO  F QQ1\n"), 0o644)
	code, _, errs = runListen(t, "synth", "-others", "5", "-dict", bad, "-dir", t.TempDir())
	if code != 1 || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, bad+": lexicon line 2") {
		t.Errorf("bad dictionary: exit %d, stderr %q", code, errs)
	}
	for _, args := range [][]string{
		{"synth", "-others", "-1", "-dir", t.TempDir()},
		{"synth", "-others", "3", "-phrases", "stop", "-dir", t.TempDir()},
		{"synth", "-others", "3"},
	} {
		if code, _, errs := runListen(t, args...); code != 2 || errs == "" {
			t.Errorf("%q: exit %d, stderr %q", args, code, errs)
		}
	}
}

// -write-noise writes a minute each of white, pink and brown noise and
// hum, at about 0.1 RMS, that listen train can take as -noise; white is
// the roughest and brown the smoothest, the hum is 50 Hz; a seed gives the
// same files.
func TestSynthWriteNoise(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "noise")
	code, stdout, stderr := runCmd("synth", "-write-noise", dir)
	if code != 0 || !strings.Contains(stdout, "use it as -noise "+dir) {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	paths, noise, err := datasets.LoadNoise(dir) // as listen train -noise reads it
	if err != nil || len(paths) != 4 {
		t.Fatalf("LoadNoise: %v, %v", paths, err)
	}
	rough := map[string]float64{} // RMS of the first difference over RMS
	for i, p := range paths {
		kind := strings.TrimSuffix(filepath.Base(p), ".wav")
		x := noise[i]
		if len(x) != 60*audio.Rate {
			t.Errorf("%s: %d samples, want a minute", kind, len(x))
		}
		var e, d float64
		for k, v := range x {
			e += float64(v) * float64(v)
			if k > 0 {
				dv := float64(v - x[k-1])
				d += dv * dv
			}
		}
		rms := math.Sqrt(e / float64(len(x)))
		if rms < 0.07 || rms > 0.14 {
			t.Errorf("%s: RMS %.3f, want about 0.1", kind, rms)
		}
		rough[kind] = math.Sqrt(d / e)
		if kind == "hum" {
			if p50, p1k := goertzel(x, 50), goertzel(x, 1000); p50 < 100*p1k {
				t.Errorf("hum: power at 50 Hz %.3g, at 1 kHz %.3g; want 50 Hz to dominate", p50, p1k)
			}
		}
	}
	if !(rough["white"] > rough["pink"] && rough["pink"] > rough["brown"] && rough["hum"] < rough["pink"]) {
		t.Errorf("roughness %v: want white > pink > brown, hum < pink", rough)
	}

	again := filepath.Join(t.TempDir(), "again")
	if code, _, stderr := runCmd("synth", "-write-noise", again); code != 0 {
		t.Fatalf("second run: exit %d: %s", code, stderr)
	}
	for _, p := range paths {
		a, _ := os.ReadFile(p)
		b, err := os.ReadFile(filepath.Join(again, filepath.Base(p)))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs with the same seed (%v)", filepath.Base(p), err)
		}
	}
	if code, _, stderr := runCmd("synth", "-write-noise", dir, "-phrases", "lights on"); code != 2 || !strings.Contains(stderr, "-write-noise writes noise only") {
		t.Errorf("-write-noise with -phrases: exit %d, stderr %q", code, stderr)
	}
}

// goertzel returns the power of x at freq Hz (16 kHz samples).
func goertzel(x []float32, freq float64) float64 {
	w := 2 * math.Pi * freq / audio.Rate
	c := 2 * math.Cos(w)
	var s1, s2 float64
	for _, v := range x {
		s1, s2 = float64(v)+c*s1-s2, s1
	}
	return (s1*s1 + s2*s2 - c*s1*s2) / float64(len(x)*len(x))
}
