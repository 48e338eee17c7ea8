package evaluate

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/listen-go/listen/datasets/synth"
)

func noiseRecordings() [][]float32 {
	rng := rand.New(rand.NewPCG(5, 5))
	out := make([][]float32, 2)
	for k := range out {
		out[k] = make([]float32, 5000+k*3000)
		for i := range out[k] {
			out[k][i] = float32(rng.NormFloat64() * 0.05 * float64(k+1))
		}
	}
	return out
}

// A clip's noise sits snr dB below its active level; a bed's below the
// level it is given; the same seed gives the same noise.
func TestMixerSNR(t *testing.T) {
	speech := make([]float32, 16000)
	for i := 2000; i < 10000; i++ {
		speech[i] = float32(0.3 * math.Sin(float64(i)/7))
	}
	level := synth.ActiveLevel(speech)
	for _, snr := range []float64{0, 10, 20} {
		x := append([]float32(nil), speech...)
		newMixer(noiseRecordings(), snr, 1, 0).clip(x)
		added := make([]float32, len(x))
		for i := range x {
			added[i] = x[i] - speech[i]
		}
		if got := 20 * math.Log10(level/synth.RMS(added)); math.Abs(got-snr) > 0.01 {
			t.Errorf("clip at %v dB: noise %v dB below the speech", snr, got)
		}
		bed := make([]float32, 20000)
		m := newMixer(noiseRecordings(), snr, 1, 0)
		m.bed(bed[:7000], 0.2)
		m.bed(bed[7000:], 0.2)
		// The bed plays whole stretches of recordings of other levels, each
		// scaled to its own RMS: the whole is snr dB down to within a dB.
		if got := 20 * math.Log10(0.2/synth.RMS(bed)); math.Abs(got-snr) > 1 {
			t.Errorf("bed at %v dB: %v dB below", snr, got)
		}
		again := make([]float32, 20000)
		newMixer(noiseRecordings(), snr, 1, 0).bed(again, 0.2)
		for i := range bed {
			if bed[i] != again[i] {
				t.Fatalf("bed in two writes differs from one at sample %d", i)
			}
		}
	}
}
