package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mewkiz/flac"
	"github.com/mewkiz/flac/frame"
	"github.com/mewkiz/flac/meta"

	"github.com/listen-go/listen/audio"
)

// toFLAC writes the 16 kHz 16-bit mono WAV file at src as a FLAC file at
// dst (mewkiz/flac's encoder), sample for sample.
func toFLAC(t *testing.T, src, dst string) {
	t.Helper()
	x, err := audio.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	pcm := make([]int32, len(x))
	for i, v := range x {
		pcm[i] = int32(math.Round(float64(v) * 32768))
	}
	var buf bytes.Buffer
	enc, err := flac.NewEncoder(&buf, &meta.StreamInfo{BlockSizeMin: 16, BlockSizeMax: 4096,
		SampleRate: audio.Rate, NChannels: 1, BitsPerSample: 16, NSamples: uint64(len(pcm))})
	if err != nil {
		t.Fatal(err)
	}
	for off := 0; off < len(pcm); off += 4096 {
		n := min(4096, len(pcm)-off)
		f := &frame.Frame{
			Header:    frame.Header{HasFixedBlockSize: true, BlockSize: uint16(n), SampleRate: audio.Rate, Channels: frame.ChannelsMono, BitsPerSample: 16},
			Subframes: []*frame.Subframe{{SubHeader: frame.SubHeader{Pred: frame.PredVerbatim}, Samples: pcm[off : off+n], NSamples: n}},
		}
		if err := enc.WriteFrame(f); err != nil {
			t.Fatal(err)
		}
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// listenClips copies testdata/listen into a new folder, each clip as FLAC
// when asFLAC is set, and returns the folder.
func listenClips(t *testing.T, asFLAC bool) string {
	t.Helper()
	dir := t.TempDir()
	for _, w := range []string{"go", "left", "stop", "yes"} {
		src := filepath.Join("..", "..", "testdata", "listen", w+".wav")
		if !asFLAC {
			b, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, w+".wav"), b, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		toFLAC(t, src, filepath.Join(dir, w+".flac"))
	}
	return dir
}

// classify classifies a FLAC file as it classifies the WAV file it was
// made from, alone and in a folder walk.
func TestClassifyFLAC(t *testing.T) {
	wavs, flacs := listenClips(t, false), listenClips(t, true)
	code, want, errs := runCmd("classify", "-json", wavs)
	if code != 0 {
		t.Fatalf("WAV: exit %d: %s", code, errs)
	}
	code, got, errs := runCmd("classify", "-json", flacs)
	if code != 0 {
		t.Fatalf("FLAC: exit %d: %s", code, errs)
	}
	if n := strings.Count(got, "\n"); n != 4 {
		t.Errorf("%d lines for the 4 FLAC files:\n%s", n, got)
	}
	got = strings.ReplaceAll(strings.ReplaceAll(got, flacs, wavs), ".flac", ".wav")
	if got != want {
		t.Errorf("FLAC:\n%s\nWAV:\n%s", got, want)
	}
	// The reference encoder's file of the audio package's yes.wav.
	yes := filepath.Join("..", "..", "testdata", "audio", "yes")
	_, w, _ := runCmd("classify", yes+".wav")
	code, g, errs := runCmd("classify", yes+".flac")
	if code != 0 || strings.Replace(g, ".flac", ".wav", 1) != w {
		t.Errorf("classify yes.flac: exit %d, %q (%s); yes.wav gives %q", code, g, errs, w)
	}
}

// Every broken FLAC file, given to classify and to the listener's -input,
// is refused in one line that names it, as the broken WAV files are.
func TestBrokenFLACFiles(t *testing.T) {
	for _, f := range brokenFiles(t, "audio/broken/*.flac") {
		t.Run(filepath.Base(f), func(t *testing.T) {
			checkOneLineError(t, f, "classify", f)
			checkOneLineError(t, f, "-input", f)
		})
	}
}

// eval -negatives counts a folder of FLAC clips, and a FLAC recording, as
// it counts the same audio in WAV.
func TestEvalNegativesFLAC(t *testing.T) {
	long := filepath.Join(t.TempDir(), "commands.flac")
	toFLAC(t, negWAV, long)
	for _, tt := range []struct{ wav, flac string }{
		{listenClips(t, false), listenClips(t, true)},
		{negWAV, long},
	} {
		want := evalNegJSON(t, "-negatives", tt.wav, "-noise", "-")
		got := evalNegJSON(t, "-negatives", tt.flac, "-noise", "-")
		if len(got.Negatives) != 1 || len(want.Negatives) != 1 || got.Negatives[0].Clips != want.Negatives[0].Clips || got.Negatives[0].Skipped != 0 {
			t.Fatalf("%s: negatives %+v, WAV %+v", tt.flac, got.Negatives, want.Negatives)
		}
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		// The same figures, on files named alike.
		gs := strings.ReplaceAll(strings.ReplaceAll(string(g), tt.flac, tt.wav), ".flac", ".wav")
		if gs != string(w) {
			t.Errorf("%s:\n%s\nWAV:\n%s", tt.flac, gs, w)
		}
	}
}

// listen train reads a class whose clips are all FLAC.
func TestTrainFLAC(t *testing.T) {
	data := toneData(t, threeTones, 12)
	wavs, err := filepath.Glob(filepath.Join(data, "low", "*.wav"))
	if err != nil || len(wavs) != 12 {
		t.Fatalf("%d clips, %v", len(wavs), err)
	}
	for _, w := range wavs {
		toFLAC(t, w, strings.TrimSuffix(w, ".wav")+".flac")
		os.Remove(w)
	}
	out := filepath.Join(t.TempDir(), "m.safetensors")
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), tinyArgs(data, out, "-val-pct", "0", "-test-pct", "0"), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout.String(), stderr.String())
	}
	if m := readModel(t, out); len(m.Meta.Labels) == 0 || !strings.Contains(strings.Join(m.Meta.Labels, " "), "low") {
		t.Errorf("labels %q, want the FLAC class low among them", m.Meta.Labels)
	}
	stdout.Reset()
	stderr.Reset()
	if code := run(context.Background(), []string{"eval", "-data", data, "-model", out, "-json"}, &stdout, &stderr); code != 0 {
		t.Fatalf("eval exit %d: %s", code, stderr.String())
	}
	var r struct{ Clips, Skipped int }
	if err := json.Unmarshal(stdout.Bytes(), &r); err != nil || r.Clips != 36 || r.Skipped != 0 {
		t.Errorf("eval: %+v %v, want 36 clips, 12 of them FLAC, none skipped", r, err)
	}
}
