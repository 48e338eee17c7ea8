package datasets

import (
	"slices"
	"testing"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/mfcc"
)

// TestLoaderWarp checks that Augment.Warp computes each clip's features
// with one of the warps in hundredths within the range, not always the
// same one, and the same ones for any number of workers.
func TestLoaderWarp(t *testing.T) {
	d := smallDataset(t, Options{})
	var warps []float64
	var extractors []*mfcc.Extractor
	for k := 90; k <= 110; k++ {
		ex, err := mfcc.NewWarped(mfcc.DefaultConfig(), float64(k)/100)
		if err != nil {
			t.Fatal(err)
		}
		warps, extractors = append(warps, float64(k)/100), append(extractors, ex)
	}
	var runs []epochResult
	for _, workers := range []int{1, 3} {
		l, err := d.NewLoader(LoaderConfig{Split: Validation, BatchSize: 4, Seed: 3, Workers: workers, Augment: Augment{Warp: 0.1}})
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, runEpoch(t, l, 1, 0))
	}
	if !slices.Equal(runs[0].x, runs[1].x) {
		t.Error("1 and 3 workers give different features")
	}
	per := 97 * 40
	used := map[float64]bool{}
	for i, ci := range runs[0].clips {
		s, err := d.Samples(ci, audio.Rate)
		if err != nil {
			t.Fatal(err)
		}
		win := make([]float32, audio.Rate) // the clips are 0.5 s, padded with zeros
		copy(win, s)
		got := runs[0].x[i*per : (i+1)*per]
		found := false
		for j, ex := range extractors {
			want, err := ex.Compute(nil, win)
			if err != nil {
				t.Fatal(err)
			}
			if slices.Equal(got, want) {
				used[warps[j]], found = true, true
				break
			}
		}
		if !found {
			t.Fatalf("clip %d: features match no warp in [0.9, 1.1]", ci)
		}
	}
	if len(used) < 2 {
		t.Errorf("%d clips all used warps %v", len(runs[0].clips), used)
	}
	if _, err := d.NewLoader(LoaderConfig{Augment: Augment{Warp: 0.5}}); err == nil {
		t.Error("warp 0.5 accepted")
	}
}
