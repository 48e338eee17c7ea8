package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/listen-go/listen/train/evaluate"
)

// A folder with some of the model's words and some unreadable clips: the
// words present are evaluated, the absent ones named, each unreadable clip
// reported on a line of its own and left out of the figures, and the exit
// status is 1, as classify's is for an unreadable file.
func TestEvalDataPartialAndUnreadable(t *testing.T) {
	data := t.TempDir()
	for _, c := range []struct{ word, from string }{{"yes", yesWAV}, {"go", filepath.Join("..", "..", "testdata", "listen", "go.wav")}} {
		if err := os.Mkdir(filepath.Join(data, c.word), 0o755); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(c.from)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(data, c.word, "a_nohash_0.wav"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"bad1_nohash_0.wav", "bad2_nohash_0.wav"} {
		if err := os.WriteFile(filepath.Join(data, "yes", name), []byte("not a wav"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	absent := "no, up, down, left, right, on, off, stop"

	code, stdout, stderr := runCmd("eval", "-data", data)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if !strings.Contains(stdout, "(all split, 2 clips; 2 unreadable clips left out)") || !strings.Contains(stdout, "accuracy 100.00% (2 of 2)") {
		t.Errorf("stdout:\n%s", stdout)
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSuffix(stderr, "\n"), "\n") {
		if !strings.HasPrefix(l, "eval [") { // the progress bar
			lines = append(lines, l)
		}
	}
	want := []string{
		"warning: " + data + " has no folder for the model's words " + absent + ": evaluated on the others",
		"listen eval: ", "listen eval: ",
		"listen eval: 2 clip(s) could not be read and are left out of the figures",
	}
	if len(lines) != len(want) {
		t.Fatalf("stderr has %d lines, want %d:\n%s", len(lines), len(want), stderr)
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("stderr line %d: %q, want %q...", i+1, lines[i], w)
		}
	}
	for _, bad := range []string{"bad1_nohash_0.wav", "bad2_nohash_0.wav"} {
		if strings.Count(stderr, bad) != 1 {
			t.Errorf("%s is not named once in\n%s", bad, stderr)
		}
	}

	code, stdout, stderr = runCmd("eval", "-data", data, "-json")
	var s evaluate.ClipsSummary
	if err := json.Unmarshal([]byte(stdout), &s); err != nil {
		t.Fatalf("-json: %v\n%s", err, stdout)
	}
	if code != 1 || s.Clips != 2 || s.Correct != 2 || s.Skipped != 2 || len(s.Unreadable) != 2 || strings.Join(s.Absent, ", ") != absent {
		t.Errorf("-json: exit %d, %d of %d correct, %d skipped %q, absent %q; stderr:\n%s", code, s.Correct, s.Clips, s.Skipped, s.Unreadable, s.Absent, stderr)
	}

	// A folder with none of the model's words is refused.
	code, _, stderr = runCmd("eval", "-data", data, "-model", "home")
	if code != 1 || !strings.Contains(stderr, "has no folder for any of the model home's words") {
		t.Errorf("home on command words: exit %d, stderr %q", code, stderr)
	}
}
