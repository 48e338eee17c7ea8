package main

import (
	"bytes"
	"context"
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
