package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/listen-go/listen/audio"
)

const featuresClip = "../../testdata/mfcc/yes_03401e93_nohash_0.wav"

// readGoldenCSV reads torchaudio's frames for featuresClip (see testdata/mfcc).
func readGoldenCSV(t *testing.T, kind string) [][]float64 {
	t.Helper()
	b, err := os.ReadFile(strings.TrimSuffix(featuresClip, ".wav") + "." + kind + ".csv")
	if err != nil {
		t.Fatal(err)
	}
	return parseCSV(t, b)
}

func parseCSV(t *testing.T, b []byte) [][]float64 {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	rows := make([][]float64, len(recs))
	for i, rec := range recs {
		for _, s := range rec {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatal(err)
			}
			rows[i] = append(rows[i], v)
		}
	}
	return rows
}

func runCmd(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// closeTo reports the first value of got more than 1e-3 from want.
func closeTo(t *testing.T, got, want [][]float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d frames, torchaudio %d", len(got), len(want))
	}
	for i := range want {
		if len(got[i]) != len(want[i]) {
			t.Fatalf("frame %d: %d values, torchaudio %d", i, len(got[i]), len(want[i]))
		}
		for k := range want[i] {
			if d := math.Abs(got[i][k] - want[i][k]); !(d <= 1e-3) {
				t.Fatalf("frame %d value %d: %g, torchaudio %g", i, k, got[i][k], want[i][k])
			}
		}
	}
}

func TestFeaturesJSON(t *testing.T) {
	code, out, errs := runCmd("features", "-json", featuresClip)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var v struct {
		Frames, Coeffs int
		Data           [][]float64
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	if v.Frames != 97 || v.Coeffs != 40 {
		t.Fatalf("frames %d coeffs %d, want 97 and 40", v.Frames, v.Coeffs)
	}
	closeTo(t, v.Data, readGoldenCSV(t, "mfcc"))
}

func TestFeaturesCSV(t *testing.T) {
	for _, tc := range []struct {
		args []string
		kind string
	}{
		{[]string{"features", "-csv", featuresClip}, "mfcc"},
		{[]string{"features", "-csv", "-logmel", featuresClip}, "logmel"},
	} {
		t.Run(tc.kind, func(t *testing.T) {
			code, out, errs := runCmd(tc.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			closeTo(t, parseCSV(t, []byte(out)), readGoldenCSV(t, tc.kind))
		})
	}
}

func TestFeaturesTable(t *testing.T) {
	code, out, errs := runCmd("features", featuresClip)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 1+97 || !strings.HasPrefix(lines[0], "#") {
		t.Fatalf("%d lines, first %q; want a comment and 97 frames", len(lines), lines[0])
	}
	if f := strings.Fields(lines[2]); len(f) != 41 || f[0] != "0.010" {
		t.Errorf("second frame line %q: want its time, 0.010, then 40 values", lines[2])
	}
}

func TestFeaturesPNG(t *testing.T) {
	for _, logmel := range []bool{false, true} {
		path := filepath.Join(t.TempDir(), "f.png")
		args := []string{"features", "-png", path, featuresClip}
		if logmel {
			args = append(args[:1], append([]string{"-logmel"}, args[1:]...)...)
		}
		code, out, errs := runCmd(args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		if !strings.Contains(out, "97 frames x 40") {
			t.Errorf("%v: stdout %q", args, out)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		// A picture, not a blank: many distinct colours.
		b := img.Bounds()
		colours := map[[4]uint32]bool{}
		for y := b.Min.Y; y < b.Max.Y; y += 3 {
			for x := b.Min.X; x < b.Max.X; x += 3 {
				r, g, bl, a := img.At(x, y).RGBA()
				colours[[4]uint32{r, g, bl, a}] = true
			}
		}
		if b.Dx() < 400 || b.Dy() < 300 || len(colours) < 100 {
			t.Errorf("%v: %dx%d image with %d colours", args, b.Dx(), b.Dy(), len(colours))
		}
	}
}

func TestFeaturesShortClip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "short.wav")
	if err := audio.WriteFile(path, make([]float32, 511), audio.Rate); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCmd("features", "-json", path)
	if code != 0 || strings.TrimSpace(out) != `{"frames":0,"coeffs":40,"data":[]}` {
		t.Errorf("exit %d, stdout %q, stderr %q; want no frames", code, out, errs)
	}
	code, _, errs = runCmd("features", "-png", filepath.Join(t.TempDir(), "x.png"), path)
	if code != 1 || !strings.Contains(errs, "too few to draw") {
		t.Errorf("-png: exit %d, stderr %q", code, errs)
	}
}

func TestFeaturesErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"features"}, 2, "want one WAV file"},
		{[]string{"features", "a.wav", "b.wav"}, 2, "want one WAV file"},
		{[]string{"features", "-json", "-csv", featuresClip}, 2, "choose one of"},
		{[]string{"features", "-nope", featuresClip}, 2, "flag provided but not defined"},
		{[]string{"features", "-json", "testdata/does-not-exist.wav"}, 1, "listen features: "},
	} {
		code, out, errs := runCmd(tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.msg) || out != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit %d and %q", tc.args, code, out, errs, tc.code, tc.msg)
		}
	}
}
