package mfccview

import (
	"bytes"
	"encoding/json"
	"image/png"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/listen-go/listen/mfcc"
)

// chirp returns n samples of a tone sweeping from 200 Hz to 3 kHz, so that
// every band and coefficient changes over the clip.
func chirp(n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		t := float64(i) / 16000
		x[i] = float32(0.3 * math.Sin(2*math.Pi*(200*t+1400*t*t)))
	}
	return x
}

func compute(t *testing.T, logMel bool, n int) Frames {
	t.Helper()
	cfg := mfcc.DefaultConfig()
	cfg.LogMel = logMel
	f, err := Compute(cfg, chirp(n))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestCompute(t *testing.T) {
	f := compute(t, false, 16000)
	if f.Len() != 97 || f.Coeffs != 40 || len(f.Row(96)) != 40 || f.What() != "MFCCs" {
		t.Errorf("%d frames x %d %s; want 97 x 40 MFCCs", f.Len(), f.Coeffs, f.What())
	}
	if f := compute(t, true, 511); f.Len() != 0 || f.What() != "log mel energies" {
		t.Errorf("511 samples: %d frames of %s; want none of log mel energies", f.Len(), f.What())
	}
	if _, err := Compute(mfcc.Config{SampleRate: -1}, chirp(10)); err == nil {
		t.Error("a bad config gave no error")
	}
	if (Frames{}).Len() != 0 {
		t.Error("zero Frames has frames")
	}
}

func TestWriteCSVReadsBack(t *testing.T) {
	f := compute(t, false, 8000)
	var b bytes.Buffer
	if err := f.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != f.Len() {
		t.Fatalf("%d lines, want %d", len(lines), f.Len())
	}
	for i, line := range lines {
		for k, s := range strings.Split(line, ",") {
			v, err := strconv.ParseFloat(s, 32)
			if err != nil || float32(v) != f.Row(i)[k] {
				t.Fatalf("frame %d value %d: %q reads as %v, %v; want %v", i, k, s, v, err, f.Row(i)[k])
			}
		}
	}
}

func TestWriteJSON(t *testing.T) {
	for _, n := range []int{511, 8000} {
		f := compute(t, true, n)
		var b bytes.Buffer
		if err := f.WriteJSON(&b); err != nil {
			t.Fatal(err)
		}
		var got struct {
			Frames, Coeffs int
			Data           [][]float32
		}
		if err := json.Unmarshal(b.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		if got.Frames != f.Len() || got.Coeffs != 40 || len(got.Data) != f.Len() {
			t.Fatalf("%d samples: %d frames x %d, %d rows; want %d x 40", n, got.Frames, got.Coeffs, len(got.Data), f.Len())
		}
		for i, row := range got.Data {
			for k, v := range row {
				if v != f.Row(i)[k] {
					t.Fatalf("frame %d value %d: %v, want %v", i, k, v, f.Row(i)[k])
				}
			}
		}
	}
}

func TestWriteTable(t *testing.T) {
	f := compute(t, false, 16000)
	var b bytes.Buffer
	if err := f.WriteTable(&b, "clip.wav"); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	want := "# clip.wav: 97 frames x 40 MFCCs, one frame every 10 ms; first column: frame start (s)"
	if len(lines) != 98 || lines[0] != want {
		t.Fatalf("%d lines, first %q; want 98, first %q", len(lines), lines[0], want)
	}
	if fields := strings.Fields(lines[3]); len(fields) != 41 || fields[0] != "0.020" {
		t.Errorf("third frame %q: want its time, 0.020, then 40 values", lines[3])
	}
}

func TestZScores(t *testing.T) {
	// Two columns: constant, and 0, 0, 0, 10 (mean 2.5, sd 4.33: the last
	// is 1.73, the others -0.577). A third, 0 x 99 and 100, clamps to 3.
	data := []float32{5, 0, 0, 5, 0, 0, 5, 0, 0, 5, 10, 0}
	dst := make([]float64, len(data))
	zScores(dst, data, 3)
	want := []float64{0, -1 / math.Sqrt(3), 0, 0, -1 / math.Sqrt(3), 0, 0, -1 / math.Sqrt(3), 0, 0, math.Sqrt(3), 0}
	for i := range want {
		if math.Abs(dst[i]-want[i]) > 1e-12 {
			t.Errorf("z[%d] = %v, want %v", i, dst[i], want[i])
		}
	}
	long := make([]float32, 100)
	long[99] = 100
	z := make([]float64, 100)
	zScores(z, long, 1)
	if z[99] != 3 || z[0] >= 0 {
		t.Errorf("outlier z = %v, others %v; want 3 and negative", z[99], z[0])
	}
}

func TestWritePNG(t *testing.T) {
	for _, logMel := range []bool{false, true} {
		f := compute(t, logMel, 16000)
		var b bytes.Buffer
		if err := f.WritePNG(&b, "chirp"); err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(&b)
		if err != nil {
			t.Fatal(err)
		}
		// A picture, not a blank: many distinct colours.
		r := img.Bounds()
		colours := map[[4]uint32]bool{}
		for y := r.Min.Y; y < r.Max.Y; y += 3 {
			for x := r.Min.X; x < r.Max.X; x += 3 {
				cr, cg, cb, ca := img.At(x, y).RGBA()
				colours[[4]uint32{cr, cg, cb, ca}] = true
			}
		}
		if r.Dx() < 400 || r.Dy() < 300 || len(colours) < 100 {
			t.Errorf("logmel %v: %dx%d image with %d colours", logMel, r.Dx(), r.Dy(), len(colours))
		}
	}
	var b bytes.Buffer
	if err := compute(t, false, 512).WritePNG(&b, "one frame"); err == nil || b.Len() != 0 {
		t.Errorf("one frame: err %v, %d bytes written; want an error and nothing", err, b.Len())
	}
}
