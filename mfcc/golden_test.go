package mfcc_test

import (
	"encoding/csv"
	"encoding/json"
	"flag"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/mfcc"
)

var update = flag.Bool("update", false, "regenerate the golden files in ../testdata/mfcc with torchaudio (needs /usr/bin/python3 with python3-torchaudio)")

const goldenDir = "../testdata/mfcc"

// tolerance is the largest difference from torchaudio allowed in any value.
const tolerance = 1e-3

type goldenCase struct {
	WAV    string      `json:"wav"`
	Golden string      `json:"golden"`
	Config mfcc.Config `json:"config"`
	Frames int         `json:"frames"`
	Coeffs int         `json:"coeffs"`
}

type goldenIndex struct {
	Torch      string       `json:"torch"`
	Torchaudio string       `json:"torchaudio"`
	Cases      []goldenCase `json:"cases"`
}

func readGoldenIndex(t testing.TB) goldenIndex {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(goldenDir, "golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	var idx goldenIndex
	if err := json.Unmarshal(b, &idx); err != nil {
		t.Fatalf("golden.json: %v", err)
	}
	if len(idx.Cases) == 0 {
		t.Fatal("golden.json has no cases")
	}
	return idx
}

func readCSV(t testing.TB, path string) [][]float64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	rows := make([][]float64, len(recs))
	for i, rec := range recs {
		for _, s := range rec {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatalf("%s line %d: %v", path, i+1, err)
			}
			rows[i] = append(rows[i], v)
		}
	}
	return rows
}

// readClip reads a clip from testdata/mfcc as audio.ReadFile does: 16 kHz
// mono, 16-bit PCM divided by 32768, as torchaudio.load and gen.py do.
func readClip(t testing.TB, name string) []float32 {
	t.Helper()
	x, err := audio.ReadFile(filepath.Join(goldenDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func TestGolden(t *testing.T) {
	if *update {
		cmd := exec.Command("/usr/bin/python3", filepath.Join(goldenDir, "gen.py"))
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("regenerating goldens: %v", err)
		}
	}
	idx := readGoldenIndex(t)
	var worst float64
	for _, c := range idx.Cases {
		t.Run(c.Golden, func(t *testing.T) {
			want := readCSV(t, filepath.Join(goldenDir, c.Golden))
			x := readClip(t, c.WAV)
			e, err := mfcc.New(c.Config)
			if err != nil {
				t.Fatal(err)
			}
			got, err := e.Compute(nil, x)
			if err != nil {
				t.Fatal(err)
			}
			frames, coeffs := e.NumFrames(len(x)), e.NumCoeffs()
			if frames != c.Frames || coeffs != c.Coeffs || len(want) != frames {
				t.Fatalf("shape %d x %d, golden %d x %d (%d rows)", frames, coeffs, c.Frames, c.Coeffs, len(want))
			}
			var maxDiff float64
			maxAt := [2]int{}
			for f, row := range want {
				if len(row) != coeffs {
					t.Fatalf("golden row %d has %d values, want %d", f, len(row), coeffs)
				}
				for k, w := range row {
					d := math.Abs(float64(got[f*coeffs+k]) - w)
					if !(d <= maxDiff) {
						maxDiff, maxAt = d, [2]int{f, k}
					}
				}
			}
			worst = max(worst, maxDiff)
			t.Logf("largest difference from torchaudio %s: %.3g at frame %d coefficient %d", idx.Torchaudio, maxDiff, maxAt[0], maxAt[1])
			if !(maxDiff <= tolerance) {
				f, k := maxAt[0], maxAt[1]
				t.Errorf("frame %d coefficient %d: got %g, torchaudio %g (tolerance %g)", f, k, got[f*coeffs+k], want[f][k], tolerance)
			}
		})
	}
	t.Logf("largest difference over all cases: %.3g", worst)
}
