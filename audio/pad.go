package audio

import "math"

// PadSegment is the length of the stretch Pad repeats: 100 ms at Rate.
const PadSegment = Rate / 10

// padFloorDB: a clip whose quietest stretch is within this many decibels
// of its loudest has no background to continue (it is cut too closely, or
// it is all sound); Pad then fills with zeros.
const padFloorDB = 15

// Pad copies clip into dst and fills the rest of dst, when clip is
// shorter, with clip's own background: its quietest PadSegment samples
// (searched in steps of a quarter segment), repeated forwards, backwards,
// forwards... so that the joins have no jumps. A short recording thus
// continues as if it had gone on longer, which is what a model trained on
// longer recordings (and the streaming detector) sees around a word; digital
// silence would give feature frames at the log floor that no microphone
// produces, and shift a clip's mean (CMN) by an amount that depends on the
// clip's length. A clip that is silent, shorter than a segment, or has no
// stretch at least padFloorDB below its loudest is padded with zeros.
// listen classify pads clips more than 100 ms short of a one-second window
// this way, and uses PadBefore for the longer windows of phrase models
// (training pads with zeros: see the datasets package documentation, and
// docs/experiments.md for the measurements).
func Pad(dst, clip []float32) {
	k := copy(dst, clip)
	if k == len(dst) {
		return
	}
	seg := quietest(clip[:k])
	if seg == nil {
		clear(dst[k:])
		return
	}
	fill(dst[k:], seg)
}

// fill fills dst with seg repeated forwards, backwards, forwards..., so that
// the joins have no jumps.
func fill(dst, seg []float32) {
	fwd := true
	for i := 0; i < len(dst); {
		if fwd {
			i += copy(dst[i:], seg)
		} else {
			for j := len(seg) - 1; j >= 0 && i < len(dst); j-- {
				dst[i] = seg[j]
				i++
			}
		}
		fwd = !fwd
	}
}

// PadBefore copies clip to the end of dst and fills the start, when clip is
// shorter, with clip's background as Pad does, so the sound ends where the
// window ends: a phrase as the streaming detector's window holds it when
// the phrase has just been said. Unlike Pad it repeats the quietest stretch
// however loud it is (a noisy recording's quietest 100 ms is still mostly
// its noise); only a silent clip, or one shorter than a segment, is padded
// with zeros.
func PadBefore(dst, clip []float32) {
	if len(clip) >= len(dst) {
		copy(dst, clip)
		return
	}
	k := len(dst) - len(clip)
	copy(dst[k:], clip)
	seg := quietestAbove(clip, 0)
	if seg == nil {
		clear(dst[:k])
		return
	}
	fill(dst[:k], seg)
}

// quietest returns the quietest PadSegment of x, or nil when there is no
// background to repeat.
func quietest(x []float32) []float32 {
	return quietestAbove(x, padFloorDB)
}

// quietestAbove returns the quietest PadSegment of x, or nil when x is
// shorter than a segment, silent, or has no segment at least floorDB below
// its loudest (0 accepts any).
func quietestAbove(x []float32, floorDB float64) []float32 {
	n := PadSegment
	if len(x) < n {
		return nil
	}
	// Prefix sums of the energy, in float64 so long clips stay exact enough.
	cum := make([]float64, len(x)+1)
	for i, v := range x {
		cum[i+1] = cum[i] + float64(v)*float64(v)
	}
	lo, hi, at := -1.0, 0.0, 0
	step := n / 4
	for a := 0; a+n <= len(x); a += step {
		e := cum[a+n] - cum[a]
		if lo < 0 || e < lo {
			lo, at = e, a
		}
		hi = max(hi, e)
	}
	if hi == 0 || lo > hi*math.Pow(10, -floorDB/10.0) {
		return nil
	}
	return x[at : at+n]
}
