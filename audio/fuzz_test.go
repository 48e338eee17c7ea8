package audio_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/listen-go/listen/audio"
)

// FuzzDecode feeds arbitrary bytes to the decoder, seeded with every WAV
// file in testdata/audio and testdata/audio/broken. Nothing may panic;
// every error is a *FormatError, an UnsupportedError or a read error; a
// clip that decodes has the length and range the package promises,
// streams to the same samples, and survives Encode and Decode again.
func FuzzDecode(f *testing.F) {
	addSeeds(f, "*.wav", "broken/*.wav")
	f.Fuzz(checkDecode)
}

// FuzzDecodeFLAC is FuzzDecode seeded with the FLAC files, so that the
// mutations explore FLAC frames (github.com/mewkiz/flac's decoder) rather
// than WAV headers.
func FuzzDecodeFLAC(f *testing.F) {
	addSeeds(f, "*.flac", "broken/*.flac")
	f.Fuzz(checkDecode)
}

// addSeeds adds the files of testdata/audio that match the patterns.
func addSeeds(f *testing.F, patterns ...string) {
	for _, pattern := range patterns {
		files, err := filepath.Glob(filepath.Join("..", "testdata", "audio", pattern))
		if err != nil {
			f.Fatal(err)
		}
		for _, name := range files {
			b, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(shorten(b))
		}
	}
}

// checkDecode is the fuzzers' check of one input.
func checkDecode(t *testing.T, b []byte) {
	if len(b) > 1<<16 {
		// Headers are what can go wrong; big inputs only slow the
		// search (a 4 kHz clip is decoded three times at 16 kHz).
		return
	}
	got, err := audio.Decode(bytes.NewReader(b))
	if err != nil {
		var fe *audio.FormatError
		var ue audio.UnsupportedError
		if !errors.As(err, &fe) && !errors.As(err, &ue) {
			t.Fatalf("error of type %T: %v", err, err)
		}
		return
	}
	format, err := audio.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("Decode succeeded but DecodeConfig: %v", err)
	}
	want := (format.Frames*audio.Rate + int64(format.SampleRate) - 1) / int64(format.SampleRate)
	// A FLAC stream need not state its length (Frames 0).
	if int64(len(got)) != want && format.Frames > 0 {
		t.Fatalf("%d samples from %d frames at %d Hz, want %d", len(got), format.Frames, format.SampleRate, want)
	}
	for i, v := range got {
		if !(v >= -1 && v < 1) {
			t.Fatalf("sample %d = %v, outside [-1, 1)", i, v)
		}
	}
	// Streaming, in odd-sized reads, gives the same samples.
	r, err := audio.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("Decode succeeded but NewReader: %v", err)
	}
	var streamed []float32
	buf := make([]float32, 333)
	for {
		n, err := r.Read(buf)
		streamed = append(streamed, buf[:n]...)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("Decode succeeded but Read: %v", err)
		}
	}
	if !equal(streamed, got) {
		t.Fatalf("streaming gives %d samples that differ from Decode's %d", len(streamed), len(got))
	}
	// Round trip through the encoder: 16-bit at 16 kHz changes each
	// sample by at most half a step (a whole step just below 1, where
	// 32768 is clamped to 32767).
	var enc bytes.Buffer
	if err := audio.Encode(&enc, got, audio.Rate); err != nil {
		t.Fatal(err)
	}
	again, err := audio.Decode(&enc)
	if err != nil {
		t.Fatalf("decode what Encode wrote: %v", err)
	}
	if len(again) != len(got) {
		t.Fatalf("round trip: %d samples, want %d", len(again), len(got))
	}
	for i := range got {
		if d := again[i] - got[i]; d > 1.0/32768 || d < -1.0/32768 {
			t.Fatalf("round trip: sample %d %v became %v", i, got[i], again[i])
		}
	}
}

// shorten keeps a long seed file valid but small: it cuts the data chunk
// (when it is last) to 2400 bytes, a whole number of frames for every
// layout in testdata.
func shorten(b []byte) []byte {
	const keep = 2400
	i := bytes.Index(b, []byte("data"))
	if len(b) <= 4096 || !bytes.HasPrefix(b, []byte("RIFF")) || i < 0 || len(b) < i+8+keep {
		return b
	}
	out := append([]byte(nil), b[:i+8+keep]...)
	binary.LittleEndian.PutUint32(out[i+4:], keep)
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	return out
}
