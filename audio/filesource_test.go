package audio_test

import (
	"context"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/listen-go/listen/audio"
)

func fileSourceWAV(t *testing.T, n int) (string, []float32) {
	t.Helper()
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(0.3 * math.Sin(float64(i)*0.05))
	}
	path := filepath.Join(t.TempDir(), "tone.wav")
	if err := audio.WriteFile(path, x, audio.Rate); err != nil {
		t.Fatal(err)
	}
	want, err := audio.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, want
}

// The file source reads the whole file, then io.EOF; after Close, ErrClosed.
func TestFileSource(t *testing.T) {
	path, want := fileSourceWAV(t, 12345)
	src, err := audio.OpenFileSource(context.Background(), path, false)
	if err != nil {
		t.Fatal(err)
	}
	if name := src.Name(); name != path {
		t.Errorf("Name() = %q, want %q", name, path)
	}
	var got []float32
	buf := make([]float32, 1000)
	for {
		n, err := src.Read(buf)
		got = append(got, buf[:n]...)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("read %d samples, differing from audio.ReadFile's %d", len(got), len(want))
	}
	if err := src.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := src.Read(buf); !errors.Is(err, audio.ErrClosed) {
		t.Errorf("Read after Close: %v, want ErrClosed", err)
	}
	if err := src.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// A cancelled context stops Read, paced or not, with the context's error.
func TestFileSourceCancel(t *testing.T) {
	path, _ := fileSourceWAV(t, 3*audio.Rate)
	for _, realtime := range []bool{false, true} {
		ctx, cancel := context.WithCancel(context.Background())
		src, err := audio.OpenFileSource(ctx, path, realtime)
		if err != nil {
			t.Fatal(err)
		}
		buf := make([]float32, 160)
		if _, err := src.Read(buf); err != nil {
			t.Fatal(err)
		}
		cancel()
		if _, err := src.Read(buf); !errors.Is(err, context.Canceled) {
			t.Errorf("realtime %v: Read after cancel: %v", realtime, err)
		}
		src.Close()
	}
}

// Missing and broken files give errors naming them.
func TestFileSourceErrors(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.wav")
	if err := os.WriteFile(broken, []byte("RIFF junk"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A data chunk cut short fails at open, before any sample is read.
	cut := filepath.Join("..", "testdata", "audio", "broken", "data-past-end.wav")
	for _, path := range []string{filepath.Join(dir, "missing.wav"), broken, cut} {
		if _, err := audio.OpenFileSource(context.Background(), path, false); err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: %v", path, err)
		}
	}
}

// Once reading, the file source allocates nothing per buffer, paced or not,
// like the microphone's.
func TestFileSourceSteadyStateAllocs(t *testing.T) {
	path, _ := fileSourceWAV(t, audio.Rate)
	for _, realtime := range []bool{false, true} {
		src, err := audio.OpenFileSource(context.Background(), path, realtime)
		if err != nil {
			t.Fatal(err)
		}
		buf := make([]float32, 16) // 1 ms: the paced reads wait little
		for range 10 {
			if _, err := src.Read(buf); err != nil {
				t.Fatal(err)
			}
		}
		if a := testing.AllocsPerRun(50, func() {
			if _, err := src.Read(buf); err != nil {
				t.Fatal(err)
			}
		}); a != 0 {
			t.Errorf("realtime %v: %v allocations per Read, want 0", realtime, a)
		}
		src.Close()
	}
}
