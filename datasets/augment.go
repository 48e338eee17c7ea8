package datasets

import (
	"math"
	"math/rand/v2"
)

// Augment is the waveform augmentation of TensorFlow's speech_commands
// training (and shared/bench/torch_ref.py's augment). The zero value does
// nothing.
type Augment struct {
	// MaxShift is the largest time shift, in samples: each clip moves by
	// a uniform integer in [-MaxShift, MaxShift], the gap filled with zeros.
	MaxShift int
	// NoiseProb is the probability that a clip gets background noise: a
	// random window of a random noise recording times a volume uniform in
	// [0, NoiseMax). Needs noise recordings in the Dataset.
	NoiseProb, NoiseMax float64
	// Speed is the largest relative change of speaking rate: each clip is
	// played faster or slower by a factor uniform in [1-Speed, 1+Speed],
	// which changes its pitch in step, as a different vocal tract would
	// (speed perturbation, Ko et al. 2015). 0 turns it off.
	Speed float64
	// Warp is the largest relative change of the mel filters' frequencies
	// (vocal tract length perturbation, Jaitly and Hinton 2013): each
	// clip's features are computed by mfcc.NewWarped with a warp uniform in
	// [1-Warp, 1+Warp], in steps of 0.01. Unlike Speed, the timing is kept.
	// 0 turns it off.
	Warp float64
	// Tight is the probability that a clip, after the shift and the
	// noise, is cut to its sound plus a margin and moved to the start of
	// the window, the rest zeros: what a model sees when listen classify
	// pads a closely cut recording shorter than the window at the end. A
	// model of synthesised phrases (full windows) and real unknown words
	// (short clips padded with zeros) otherwise learns that zeros at the
	// end mean _unknown_. See tighten.
	Tight float64
	// Place is the probability that a clip's sound (found as for Tight)
	// is moved, before the noise, to a uniform random place in the window,
	// zeros around it. A streaming detector sees every word at every place
	// in its window as the window slides by; a one-second word padded at
	// the end of a three-second window would otherwise only ever be seen
	// at the start, and the model may take the same word at the end of the
	// window, after noise, for a command. See place.
	Place float64
	// Room is the augmentation for real rooms and microphones:
	// reverberation after the speed change, band limits and gain after
	// the noise. It draws nothing when it is off, so that a recipe
	// without it augments as before, bit for bit.
	Room Room
}

// DefaultAugment returns the literature's training augmentation: shifts up to
// 100 ms, noise on 80% of clips at volume U(0, 0.1).
func DefaultAugment() Augment {
	return Augment{MaxShift: 1600, NoiseProb: 0.8, NoiseMax: 0.1}
}

func (a Augment) on() bool {
	return a.MaxShift > 0 || a.NoiseProb > 0 && a.NoiseMax > 0 || a.Speed > 0 || a.Warp > 0 || a.Tight > 0 || a.Place > 0 || a.Room.on()
}

// Apply augments x in place with randomness from rng: speed, room, shift,
// then noise from noise (when a.NoiseProb > 0 and noise is not empty; each
// recording must hold at least len(x) samples), then the microphone's band
// and gain, then clamps to [-1, 1]. The draws are made in a fixed order
// whether or not each is used, so a clip's augmentation depends only on
// rng's state.
func (a Augment) Apply(x []float32, noise [][]float32, rng *rand.Rand) {
	a.apply(x, noise, rng, nil)
}

// apply is Apply with the room's convolution buffers (nil allocates them).
func (a Augment) apply(x []float32, noise [][]float32, rng *rand.Rand, rs *roomScratch) {
	n := len(x)
	shift := 0
	if a.MaxShift > 0 {
		shift = rng.IntN(2*a.MaxShift+1) - a.MaxShift
	}
	useNoise := rng.Float64() < a.NoiseProb
	vol := float32(rng.Float64() * a.NoiseMax)
	var nz []float32
	if len(noise) > 0 {
		k := rng.IntN(len(noise))
		if off := len(noise[k]) - n; off >= 0 {
			off = rng.IntN(off + 1)
			nz = noise[k][off : off+n]
		}
	}
	if a.Speed > 0 {
		changeSpeed(x, 1+a.Speed*(2*rng.Float64()-1))
	}
	a.Room.applyReverb(x, rng, rs)
	switch {
	case shift >= n || -shift >= n:
		clear(x)
	case shift > 0:
		copy(x[shift:], x[:n-shift])
		clear(x[:shift])
	case shift < 0:
		copy(x, x[-shift:])
		clear(x[n+shift:])
	}
	if a.Place > 0 { // drawn after the others, as Tight
		use, at := rng.Float64() < a.Place, rng.Float64()
		if use {
			place(x, at)
		}
	}
	if useNoise && nz != nil && vol > 0 {
		for i, v := range nz {
			x[i] += vol * v
		}
	}
	a.Room.applyMic(x, rng)
	for i, v := range x {
		if v > 1 {
			x[i] = 1
		} else if v < -1 {
			x[i] = -1
		}
	}
	if a.Tight > 0 { // drawn last, so the other draws are as without it
		use := rng.Float64() < a.Tight
		pre, post := tightMargin+rng.IntN(2*tightMargin+1), tightMargin+rng.IntN(2*tightMargin+1)
		if use {
			tighten(x, pre, post)
		}
	}
}

// Tight cut: 10 ms frames within tightFloorDB of the loudest are sound; the
// margins kept on each side are uniform in [tightMargin, 3*tightMargin].
const (
	tightFrame   = 160
	tightFloorDB = 20
	tightMargin  = 1600
)

// place moves x's sound, with tightMargin on each side, to the fraction at
// of the room left in x, and zeros the rest.
func place(x []float32, at float64) {
	lo, hi, ok := soundBounds(x, tightMargin, tightMargin)
	if !ok {
		return
	}
	n := hi - lo
	to := int(at * float64(len(x)-n))
	copy(x[to:], x[lo:hi]) // copy handles the overlap
	clear(x[:to])
	clear(x[to+n:])
}

// tighten moves x's sound, from pre samples before its first loud frame to
// post samples after its last, to the start of x and zeros the rest.
func tighten(x []float32, pre, post int) {
	lo, hi, ok := soundBounds(x, pre, post)
	if !ok {
		return
	}
	k := copy(x, x[lo:hi])
	clear(x[k:])
}

// soundBounds returns [lo, hi): from pre samples before the first 10 ms
// frame within tightFloorDB of the loudest to post samples after the last,
// within x; ok is false for silence and clips shorter than a frame.
func soundBounds(x []float32, pre, post int) (lo, hi int, ok bool) {
	nf := len(x) / tightFrame
	if nf == 0 {
		return 0, 0, false
	}
	energy := func(f int) float64 {
		s := 0.0
		for _, v := range x[f*tightFrame : (f+1)*tightFrame] {
			s += float64(v) * float64(v)
		}
		return s
	}
	peak := 0.0
	for f := range nf {
		peak = max(peak, energy(f))
	}
	if peak == 0 {
		return 0, 0, false
	}
	floor := peak * math.Pow(10, -tightFloorDB/10.0)
	first, last := -1, -1
	for f := range nf {
		if energy(f) >= floor {
			if first < 0 {
				first = f
			}
			last = f
		}
	}
	lo = max(first*tightFrame-pre, 0)
	hi = min((last+1)*tightFrame+post, len(x))
	return lo, hi, true
}

// changeSpeed plays x at f times its speed, in place, by linear
// interpolation: sample i of the result is x at position i*f. What runs
// past the end of x is silence. Interpolation is enough here: the result
// only has to sound like speech, not to be a faithful resampling.
func changeSpeed(x []float32, f float64) {
	n := len(x)
	at := func(i int) float32 {
		p := float64(i) * f
		j := int(p)
		if j >= n-1 {
			if j == n-1 {
				return x[j]
			}
			return 0
		}
		w := float32(p - float64(j))
		return x[j] + w*(x[j+1]-x[j])
	}
	if f >= 1 {
		// Positions read are at or after the one written: go forward.
		for i := range x {
			x[i] = at(i)
		}
		return
	}
	// Positions read are at or before the one written: go backward.
	for i := n - 1; i >= 0; i-- {
		x[i] = at(i)
	}
}

// FeatureAugment is SpecAugment-style masking of the features of training
// clips, as torch_ref.py's --specaug: one time mask of a uniform 0..TimeMask
// frames starting at a uniform frame in [0, T-TimeMask], and one frequency
// mask of 0..FreqMask coefficients starting in [0, F-FreqMask]. The zero
// value does nothing.
type FeatureAugment struct {
	TimeMask, FreqMask int
	// MeanFill fills the time mask with the clip's per-coefficient mean of
	// the unmasked frames instead of zeros, so that a model subtracting the
	// clip mean (model.Config.CMN) sees zeros there, as torch_ref.py
	// --cmn --specaug does (it masks after its mean normalisation). The
	// frequency mask is zero either way: a constant coefficient is zero
	// after mean normalisation too.
	MeanFill bool
}

// SpecAugment returns torch_ref.py's --specaug masking for a model that does
// its own mean normalisation (CMN): time masks up to 10 frames, frequency
// masks up to 6 coefficients, mean-filled.
func SpecAugment() FeatureAugment {
	return FeatureAugment{TimeMask: 10, FreqMask: 6, MeanFill: true}
}

func (f FeatureAugment) on() bool { return f.TimeMask > 0 || f.FreqMask > 0 }

// Apply masks feats, frames rows of coeffs values, in place.
func (f FeatureAugment) Apply(feats []float32, frames, coeffs int, rng *rand.Rand) {
	if f.TimeMask > 0 && frames > f.TimeMask {
		t0 := rng.IntN(frames - f.TimeMask + 1)
		w := rng.IntN(f.TimeMask + 1)
		if w > 0 {
			var stack [128]float32
			var fill []float32
			if coeffs <= len(stack) {
				fill = stack[:coeffs]
			} else {
				fill = make([]float32, coeffs)
			} // zeros unless MeanFill
			if f.MeanFill && frames > w {
				for c := range fill {
					var sum float64
					for t := 0; t < frames; t++ {
						if t < t0 || t >= t0+w {
							sum += float64(feats[t*coeffs+c])
						}
					}
					fill[c] = float32(sum / float64(frames-w))
				}
			}
			for t := t0; t < t0+w; t++ {
				copy(feats[t*coeffs:(t+1)*coeffs], fill)
			}
		}
	}
	if f.FreqMask > 0 && coeffs > f.FreqMask {
		c0 := rng.IntN(coeffs - f.FreqMask + 1)
		w := rng.IntN(f.FreqMask + 1)
		for t := 0; t < frames; t++ {
			clear(feats[t*coeffs+c0 : t*coeffs+c0+w])
		}
	}
}
