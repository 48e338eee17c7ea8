package mfcc_test

import (
	"encoding/binary"
	"encoding/csv"
	"encoding/json"
	"flag"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

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

// readClip reads a 16-bit mono PCM WAV from testdata as float32 in [-1, 1),
// dividing by 32768 as torchaudio (and audio.ReadFile) do.
func readClip(t testing.TB, name string) []float32 {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(goldenDir, name))
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		t.Fatalf("%s: not a WAV file", name)
	}
	var pcm []byte
	for p := 12; p+8 <= len(b); {
		id, n := string(b[p:p+4]), int(binary.LittleEndian.Uint32(b[p+4:]))
		body := b[p+8 : min(p+8+n, len(b))]
		switch id {
		case "fmt ":
			if binary.LittleEndian.Uint16(body[0:]) != 1 || binary.LittleEndian.Uint16(body[2:]) != 1 ||
				binary.LittleEndian.Uint16(body[14:]) != 16 {
				t.Fatalf("%s: want 16-bit mono PCM", name)
			}
		case "data":
			pcm = body
		}
		p += 8 + n + n&1
	}
	x := make([]float32, len(pcm)/2)
	for i := range x {
		x[i] = float32(int16(binary.LittleEndian.Uint16(pcm[2*i:]))) / 32768
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
