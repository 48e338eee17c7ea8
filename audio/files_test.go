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

func TestFiles(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"b.wav", "a/z.WAV", "a/y.Flac", "a/notes.txt", "a/x.flac.txt", "c/d/e.wav", "c/d/f.flac", "empty/x.mp3"} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := Files(dir)
	want := []string{filepath.Join(dir, "a", "y.Flac"), filepath.Join(dir, "a", "z.WAV"), filepath.Join(dir, "b.wav"),
		filepath.Join(dir, "c", "d", "e.wav"), filepath.Join(dir, "c", "d", "f.flac")}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("folder: %q, %v; want %q", got, err, want)
	}
	// A file is itself, whatever its name.
	notes := filepath.Join(dir, "a", "notes.txt")
	if got, err := Files(notes); err != nil || !slices.Equal(got, []string{notes}) {
		t.Errorf("file: %q, %v", got, err)
	}
	if _, err := Files(filepath.Join(dir, "empty")); err == nil || !strings.Contains(err.Error(), "no .wav or .flac files") {
		t.Errorf("folder without audio files: %v", err)
	}
	if _, err := Files(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing: %v, want fs.ErrNotExist", err)
	}
}

func TestDecodable(t *testing.T) {
	for _, tt := range []struct {
		name string
		want bool
	}{
		{"a.wav", true}, {"A.WAV", true}, {"dir/b.flac", true}, {"b.FLAC", true},
		{"a.mp3", false}, {"a.flac.txt", false}, {"wav", false}, {"flac", false}, {".wavx", false}, {"", false},
	} {
		if got := Decodable(tt.name); got != tt.want {
			t.Errorf("Decodable(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}
