package audio

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestWAVFiles(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"b.wav", "a/z.WAV", "a/notes.txt", "c/d/e.wav", "empty/x.flac"} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := WAVFiles(dir)
	want := []string{filepath.Join(dir, "a", "z.WAV"), filepath.Join(dir, "b.wav"), filepath.Join(dir, "c", "d", "e.wav")}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("folder: %q, %v; want %q", got, err, want)
	}
	// A file is itself, whatever its name.
	notes := filepath.Join(dir, "a", "notes.txt")
	if got, err := WAVFiles(notes); err != nil || !slices.Equal(got, []string{notes}) {
		t.Errorf("file: %q, %v", got, err)
	}
	if _, err := WAVFiles(filepath.Join(dir, "empty")); err == nil || !strings.Contains(err.Error(), "no .wav files") {
		t.Errorf("folder without WAV files: %v", err)
	}
	if _, err := WAVFiles(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing: %v, want fs.ErrNotExist", err)
	}
}
