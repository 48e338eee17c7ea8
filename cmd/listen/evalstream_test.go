package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// evalStreamJSON runs listen eval -stream wav -truth truth -json.
func evalStreamJSON(t *testing.T, wav, truth string) streamReport {
	t.Helper()
	code, out, errs := runCmd("eval", "-stream", wav, "-truth", truth, "-json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r streamReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("output %q: %v", out, err)
	}
	return r
}

func TestEvalStream(t *testing.T) {
	wav := filepath.Join("..", "..", "testdata", "detect", "commands.wav")
	truth := filepath.Join("..", "..", "testdata", "detect", "commands.txt")
	r := evalStreamJSON(t, wav, truth)
	// The recording holds four commands and an unknown word in 9 s.
	if r.Words != 4 || r.Seconds < 8 || r.Seconds > 10 {
		t.Errorf("words %d, seconds %v; want 4 words in about 9 s", r.Words, r.Seconds)
	}
	if r.CorrectPct+r.WrongPct > 100 || r.MatchedPct < r.CorrectPct || r.CorrectPct < 0 {
		t.Errorf("inconsistent figures: %+v", r)
	}
	// Every detection is a match (correct or wrong) or a false positive.
	if got := r.CorrectPct/25 + r.WrongPct/25 + float64(r.FalsePositives); int(got+0.5) != r.Detections {
		t.Errorf("%d detections but correct+wrong+false positives = %v", r.Detections, got)
	}

	code, out, _ := runCmd("eval", "-stream", wav, "-truth", truth)
	if code != 0 || !strings.Contains(out, "4 commands spoken") || !strings.Contains(out, "per hour") {
		t.Errorf("text output (exit %d):\n%s", code, out)
	}
}

// A truth file as TensorFlow's generate_streaming_test_wav writes it
// ("label, ms" with a fraction, unknown words listed as _unknown_) gives the
// same figures for the commands; its unknown word is counted apart.
func TestEvalStreamTensorFlowTruth(t *testing.T) {
	wav := filepath.Join("..", "..", "testdata", "detect", "commands.wav")
	plain, err := os.ReadFile(filepath.Join("..", "..", "testdata", "detect", "commands.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var tf strings.Builder
	tf.WriteString("_unknown_, 900.000000\n") // bird, before "stop"
	for _, line := range strings.Fields(string(plain)) {
		label, ms, _ := strings.Cut(line, ",")
		fmt.Fprintf(&tf, "%s, %s.000000\n", label, ms)
	}
	truth := filepath.Join(t.TempDir(), "streaming_test_labels.txt")
	if err := os.WriteFile(truth, []byte(tf.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	report := func(truth string) streamReport {
		r := evalStreamJSON(t, wav, truth)
		r.Truth = ""
		return r
	}
	want := report(filepath.Join("..", "..", "testdata", "detect", "commands.txt"))
	got := report(truth)
	if got.OtherWords != 1 || got.OnOtherWords != 0 {
		t.Errorf("other words %d (false positives on them %d), want 1 (0)", got.OtherWords, got.OnOtherWords)
	}
	got.OtherWords = 0
	if got != want {
		t.Errorf("TensorFlow truth: %+v\nplain truth: %+v", got, want)
	}
	code, out, _ := runCmd("eval", "-stream", wav, "-truth", truth)
	if code != 0 || !strings.Contains(out, "4 commands spoken") || !strings.Contains(out, "truth's 1 other words") {
		t.Errorf("text output (exit %d):\n%s", code, out)
	}
}

func TestEvalStreamBadInput(t *testing.T) {
	dir := t.TempDir()
	wav := filepath.Join("..", "..", "testdata", "detect", "commands.wav")
	bad := filepath.Join(dir, "bad.txt")
	os.WriteFile(bad, []byte("yes,100\nthis is not a label line\n"), 0o644)
	notWav := filepath.Join(dir, "x.wav")
	os.WriteFile(notWav, []byte("not a wav file"), 0o644)
	truth := filepath.Join("..", "..", "testdata", "detect", "commands.txt")
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"eval", "-stream", wav}, 2, "-truth"},
		{[]string{"eval", "-stream", wav, "-truth", filepath.Join(dir, "missing.txt")}, 1, "missing.txt"},
		{[]string{"eval", "-stream", wav, "-truth", bad}, 1, "bad.txt"},
		{[]string{"eval", "-stream", notWav, "-truth", truth}, 1, "x.wav"},
		{[]string{"eval", "-stream", wav, "-truth", truth, "-data", dir}, 2, "not both"},
	} {
		code, _, errs := runCmd(c.args...)
		if code != c.code || !strings.Contains(errs, c.want) || strings.Count(strings.TrimSpace(errs), "\n") > 0 {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and one line naming %q", c.args, code, errs, c.code, c.want)
		}
	}
}

// A truth that is not one (a WAV given by mistake), names a command the
// model lacks, or lists no word, is refused in one short line naming the
// file and, for a bad line, its number.
func TestEvalStreamBadTruth(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	maybe := write("maybe.txt", "yes,100\n# a comment\nmaybe,2000\n")
	empty := write("empty.txt", "")
	comments := write("comments.txt", "# nothing said\n")
	for _, tc := range []struct {
		model, truth, want string
	}{
		{"default", commandsWAV, commandsWAV + `:1: not text (a truth file holds "label,time_ms" lines): "RIFF`},
		{"default", maybe, maybe + `:3: label "maybe" is not one of the model's commands (yes, no, up, down, left, right, on, off, stop, go)`},
		{"home", commandsTxt, commandsTxt + `:1: label "stop" is not one of the model's commands`},
		{"default", empty, empty + ": the truth lists no words, so there is nothing to score; for audio that holds no command, count its false alarms with -negatives"},
		{"default", comments, comments + ": the truth lists no words"},
	} {
		code, stdout, stderr := runCmd("eval", "-model", tc.model, "-stream", commandsWAV, "-truth", tc.truth)
		if code != 1 || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, tc.want) || len(stderr) > 300 {
			t.Errorf("-model %s -truth %s: exit %d, stderr (%d bytes) %.400q; want one short line containing %q", tc.model, tc.truth, code, len(stderr), stderr, tc.want)
		}
	}
}
