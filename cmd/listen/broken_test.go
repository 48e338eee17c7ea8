package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// brokenFiles returns the damaged files of one kind kept in testdata.
func brokenFiles(t *testing.T, pattern string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", pattern))
	if err != nil || len(files) == 0 {
		t.Fatalf("no files %s in testdata: %v", pattern, err)
	}
	return files
}

// checkOneLineError checks that a command given a broken file failed with
// exactly one line on stderr, naming the file, and no panic.
func checkOneLineError(t *testing.T, file string, args ...string) {
	t.Helper()
	code, stdout, stderr := runCmd(args...)
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	if code == 0 || len(lines) != 1 || !strings.Contains(stderr, file) {
		t.Errorf("%q: exit %d, want non-zero and one stderr line naming %s; stderr:\n%s", args, code, file, stderr)
	}
	for _, bad := range []string{"panic", "goroutine"} {
		if strings.Contains(stdout+stderr, bad) {
			t.Errorf("%q: %q in the output:\n%s%s", args, bad, stdout, stderr)
		}
	}
}

// Every broken model file, given to the listener, to classify and to eval,
// is refused in one line that names it.
func TestBrokenModelFiles(t *testing.T) {
	wav := filepath.Join("..", "..", "testdata", "listen", "yes.wav")
	data := t.TempDir()
	if err := os.Mkdir(filepath.Join(data, "yes"), 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(wav)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "yes", "a_nohash_0.wav"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, f := range brokenFiles(t, "model/broken/*.safetensors") {
		t.Run(filepath.Base(f), func(t *testing.T) {
			checkOneLineError(t, f, "-model", f, "-input", wav)
			checkOneLineError(t, f, "classify", "-model", f, wav)
			checkOneLineError(t, f, "eval", "-model", f, "-data", data)
		})
	}
}

// Every broken WAV file, given to classify and to the listener's -input,
// is refused in one line that names it. Given several, classify adds a
// line that counts them.
func TestBrokenWAVFiles(t *testing.T) {
	files := brokenFiles(t, "audio/broken/*.wav")
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			checkOneLineError(t, f, "classify", f)
			checkOneLineError(t, f, "-input", f)
		})
	}
	code, _, stderr := runCmd("classify", files[0], files[1])
	if want := "listen classify: 2 file(s) failed\n"; code != 1 || strings.Count(stderr, "\n") != 3 || !strings.HasSuffix(stderr, want) {
		t.Errorf("two broken files: exit %d, stderr %q, want 3 lines ending %q", code, stderr, want)
	}
}
