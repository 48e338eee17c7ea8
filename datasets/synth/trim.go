package synth

import "math"

// Trimming parameters: 10 ms frames at 16 kHz, and 30 ms of the quiet kept on
// each side of the speech so that soft onsets and releases (an "h", a final
// "s") survive.
const (
	trimFrame  = 160
	trimMargin = 480
)

// Trim returns the bounds [start, end) of the part of x that is not leading
// or trailing silence. A 10 ms frame is silence when its mean square is more
// than floorDB below the loudest frame's (40 is a good value for synthesised
// speech) or below -80 dBFS; 30 ms of margin is kept on each side. All
// silence, or an empty x, gives (0, 0). NaN samples count as silence.
func Trim(x []float32, floorDB float64) (start, end int) {
	nf := (len(x) + trimFrame - 1) / trimFrame
	if nf == 0 {
		return 0, 0
	}
	energy := make([]float64, nf)
	maxE := 0.0
	for f := range energy {
		lo, hi := f*trimFrame, min((f+1)*trimFrame, len(x))
		s := 0.0
		for _, v := range x[lo:hi] {
			if v == v && !math.IsInf(float64(v), 0) {
				s += float64(v) * float64(v)
			}
		}
		energy[f] = s / float64(hi-lo)
		maxE = max(maxE, energy[f])
	}
	thr := max(maxE*math.Pow(10, -floorDB/10), 1e-8) // -80 dBFS
	first, last := -1, -1
	for f, e := range energy {
		if e >= thr {
			if first < 0 {
				first = f
			}
			last = f
		}
	}
	if first < 0 {
		return 0, 0
	}
	start = max(first*trimFrame-trimMargin, 0)
	end = min((last+1)*trimFrame+trimMargin, len(x))
	return start, end
}
