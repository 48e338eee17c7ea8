package synth

import (
	"math"
	"testing"
)

// burst returns n samples of silence with a 440 Hz tone of amplitude amp at
// [from, to).
func burst(n, from, to int, amp float64) []float32 {
	x := make([]float32, n)
	for i := from; i < to; i++ {
		x[i] = float32(amp * math.Sin(2*math.Pi*440*float64(i)/16000))
	}
	return x
}

func TestTrim(t *testing.T) {
	nan := burst(16000, 4000, 8000, 0.5)
	nan[100] = float32(math.NaN())
	quietTail := burst(16000, 4000, 8000, 0.5)
	for i := 8000; i < 12000; i++ { // 50 dB down: below the 40 dB floor
		quietTail[i] = float32(0.5 * 0.00316 * math.Sin(float64(i)))
	}
	softTail := burst(16000, 4000, 8000, 0.5)
	for i := 8000; i < 12000; i++ { // 30 dB down: kept
		softTail[i] = float32(0.5 * 0.0316 * math.Sin(2*math.Pi*440*float64(i)/16000))
	}
	for _, tc := range []struct {
		name       string
		x          []float32
		start, end int
	}{
		{"middle", burst(16000, 4000, 8000, 0.5), 4000 - trimMargin, 8000 + trimMargin},
		{"frame-aligned edges", burst(16000, 4000, 8000, 0.001), 4000 - trimMargin, 8000 + trimMargin},
		{"unaligned", burst(16000, 4050, 8050, 0.5), 4000 - trimMargin, 8160 + trimMargin},
		{"at the edges", burst(16000, 0, 16000, 0.5), 0, 16000},
		{"near the start", burst(16000, 100, 8000, 0.5), 0, 8000 + trimMargin},
		{"silence", make([]float32, 16000), 0, 0},
		{"below -80 dBFS", burst(16000, 4000, 8000, 0.0001), 0, 0},
		{"empty", nil, 0, 0},
		{"one sample", []float32{0.5}, 0, 1},
		{"NaN is silence", nan, 4000 - trimMargin, 8000 + trimMargin},
		{"quiet tail dropped", quietTail, 4000 - trimMargin, 8000 + trimMargin},
		{"soft tail kept", softTail, 4000 - trimMargin, 12000 + trimMargin},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, e := Trim(tc.x, 40)
			if s != tc.start || e != tc.end {
				t.Errorf("Trim = [%d, %d), want [%d, %d)", s, e, tc.start, tc.end)
			}
		})
	}
}
