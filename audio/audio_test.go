package audio_test

import (
	"bytes"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/listen-go/listen/audio"
)

func TestRoundTrip16kExact(t *testing.T) {
	in := make([]float32, 1601)
	for i := range in {
		in[i] = float32(int16(i*37-30000)) / 32768
	}
	in[0], in[1] = -1, float32(32767)/32768
	path := filepath.Join(t.TempDir(), "x.wav")
	if err := audio.WriteFile(path, in, audio.Rate); err != nil {
		t.Fatal(err)
	}
	out, err := audio.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != len(in) {
		t.Fatalf("got %d samples, want %d", len(out), len(in))
	}
	for i := range in {
		if out[i] != in[i] {
			t.Fatalf("sample %d: got %v, want %v", i, out[i], in[i])
		}
	}
}

func TestEncodeClamps(t *testing.T) {
	var buf bytes.Buffer
	in := []float32{2, -2, float32(math.NaN()), float32(math.Inf(1)), 0.5}
	if err := audio.Encode(&buf, in, 8000); err != nil {
		t.Fatal(err)
	}
	f, err := audio.DecodeConfig(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if f.SampleRate != 8000 || f.Channels != 1 || f.BitsPerSample != 16 || f.Frames != 5 {
		t.Fatalf("format %+v", f)
	}
	r, err := audio.NewReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	_ = r
	if err := audio.Encode(io.Discard, in, 0); err == nil {
		t.Fatal("rate 0 accepted")
	}
}

func TestReadFileNamesFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.wav")
	if err := os.WriteFile(path, []byte("not a wav file at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := audio.ReadFile(path)
	var fe *audio.FormatError
	if !errors.As(err, &fe) {
		t.Fatalf("got %v, want a FormatError", err)
	}
	if !bytes.Contains([]byte(err.Error()), []byte(path)) {
		t.Fatalf("error %q does not name the file", err)
	}
}

func TestReadFileMax(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, n, rate int) string {
		p := filepath.Join(dir, name)
		x := make([]float32, n)
		for i := range x {
			x[i] = float32(math.Sin(float64(i) / 9))
		}
		if err := audio.WriteFile(p, x, rate); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct {
		name    string
		n, rate int
		long    bool
		want    int
	}{
		{"short.wav", 8000, audio.Rate, false, 8000},
		{"window.wav", 16000, audio.Rate, false, 16000},
		{"longer.wav", 16001, audio.Rate, true, 0},
		{"44k.wav", 44100, 44100, false, 16000}, // one second, resampled: cut to the window
		{"44k-long.wav", 44101, 44100, true, 0},
	} {
		got, long, err := audio.ReadFileMax(write(tc.name, tc.n, tc.rate), 16000)
		if err != nil || long != tc.long || len(got) != tc.want {
			t.Errorf("%s: %d samples, long %v, %v; want %d, %v", tc.name, len(got), long, err, tc.want, tc.long)
		}
	}
	bad := filepath.Join(dir, "bad.wav")
	if err := os.WriteFile(bad, []byte("not a wav file at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	var fe *audio.FormatError
	if _, _, err := audio.ReadFileMax(bad, 16000); !errors.As(err, &fe) || !bytes.Contains([]byte(err.Error()), []byte(bad)) {
		t.Errorf("bad header: %v, want a FormatError naming the file", err)
	}
	if _, _, err := audio.ReadFileMax(filepath.Join(dir, "missing.wav"), 16000); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
}
