package synth

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/datasets"
)

// Variation sets the ranges from which each clip draws how it is spoken and
// how it is changed afterwards. Every range is [min, max], drawn uniformly;
// min == max fixes the value.
type Variation struct {
	Rate  [2]float64 // speaking rate relative to the engine's default (Prosody.Rate)
	Pitch [2]float64 // pitch factor (Prosody.Pitch)

	SpeedProb float64    // chance that a clip is resampled to another speed
	Speed     [2]float64 // speed factor of that resampling: 1.1 is 10% faster and a little higher

	GainDB [2]float64 // peak level of the speech, dB relative to full scale

	NoiseProb float64    // chance that a clip gets background noise at SNRDB; the others get a faint floor
	SNRDB     [2]float64 // the speech's active level (ActiveLevel) over the noise's RMS, dB
	FloorDB   float64    // the faint floor: dB below the speech's active level (a synthesiser's digital silence is unlike any microphone)

	// Room puts the speech in a synthetic room (its Reverb share, before
	// the noise) and the clip through a microphone's band (its Band
	// share, after the noise), as datasets.Room does for training; its
	// Gain is not used (GainDB sets the level). The zero value does
	// nothing and draws nothing.
	Room datasets.Room
}

// DefaultVariation returns the ranges Generate uses when Options.Variation
// is nil. Rates 0.8..1.2 span espeak-ng's 140..210 words a minute, slow to
// brisk speech; the resampling adds at most 8% either way (about a semitone
// and a vocal tract 8% longer or shorter); peak levels span -30..-3 dBFS,
// as quiet and loud speakers do in Speech Commands' clips; noise on 80% of
// the clips, as Speech Commands' training mixes background noise into 80%,
// at 8..30 dB below the speech's active level (at 8 dB white noise covers
// most consonants above 2 kHz; a trainer's own noise augmentation comes on
// top, so the synthesised clips stay on the clean side of that).
//
// The variation helps a model trained on one synthesiser's voices
// recognise another's, but the number of clips helps more: on the six home
// phrases, a model trained on espeak-ng alone recognised flite's voices
// half as often again with 1200 clips per phrase as with 300, hence
// Options.PerPhrase's default of 1000 (docs/experiments.md, "Synthesised
// speech", has the measurements).
func DefaultVariation() Variation {
	return Variation{
		Rate:      [2]float64{0.8, 1.2},
		Pitch:     [2]float64{0.8, 1.25},
		SpeedProb: 0.5,
		Speed:     [2]float64{0.92, 1.08},
		GainDB:    [2]float64{-30, -3},
		NoiseProb: 0.8,
		SNRDB:     [2]float64{8, 30},
		FloorDB:   50,
	}
}

func (v *Variation) check() error {
	for _, r := range []struct {
		name string
		r    [2]float64
		lo   float64
		hi   float64
	}{
		{"rate", v.Rate, 0.25, 4},
		{"pitch", v.Pitch, 0.25, 4},
		{"speed", v.Speed, 0.5, 2},
		{"gain", v.GainDB, -120, 0},
		{"SNR", v.SNRDB, -20, 120},
	} {
		if !(r.r[0] <= r.r[1]) || r.r[0] < r.lo || r.r[1] > r.hi {
			return fmt.Errorf("synth: %s range %v is not within [%g, %g] with min <= max", r.name, r.r, r.lo, r.hi)
		}
	}
	if !(v.SpeedProb >= 0 && v.SpeedProb <= 1) || !(v.NoiseProb >= 0 && v.NoiseProb <= 1) {
		return fmt.Errorf("synth: probabilities %g, %g are not within [0, 1]", v.SpeedProb, v.NoiseProb)
	}
	if r := v.Room; !(r.Reverb >= 0 && r.Reverb <= 1) || !(r.Band >= 0 && r.Band <= 1) {
		return fmt.Errorf("synth: room shares %g, %g are not within [0, 1]", r.Reverb, r.Band)
	}
	if !(v.FloorDB >= 0) {
		return fmt.Errorf("synth: noise floor %g dB is negative", v.FloorDB)
	}
	return nil
}

func uniform(rng *rand.Rand, r [2]float64) float64 {
	return r[0] + (r[1]-r[0])*rng.Float64()
}

// speedStep is the grid of the rates ChangeSpeed resamples to: a multiple
// of 50 Hz keeps the resampler's polyphase table small (at most 320 phases).
const speedStep = 50

// SpeedFactor returns the speed factor ChangeSpeed actually applies for
// factor: audio.Rate over the nearest multiple of 50 Hz to audio.Rate/factor,
// within 0.3% of factor between 0.5 and 2. With faster set, it rounds the
// other way when needed so the result is at least factor.
func SpeedFactor(factor float64, faster bool) float64 {
	return float64(audio.Rate) / float64(speedRate(factor, faster))
}

func speedRate(factor float64, faster bool) int {
	if !(factor > 0) || math.IsInf(factor, 0) {
		panic(fmt.Sprintf("synth: speed factor %g", factor))
	}
	r := audio.Rate / factor / speedStep
	if faster {
		r = math.Floor(r)
	} else {
		r = math.Round(r)
	}
	return max(int(r), 1) * speedStep
}

// ChangeSpeed resamples x so that it plays SpeedFactor(factor, faster) times
// faster at the same rate (shorter by that factor and higher by it in pitch,
// like a shorter vocal tract), appending to dst[:0].
func ChangeSpeed(dst, x []float32, factor float64, faster bool) []float32 {
	to := speedRate(factor, faster)
	if to == audio.Rate {
		return append(dst[:0], x...)
	}
	return audio.Resample(dst[:0], x, audio.Rate, to)
}

// SetPeak scales x in place so that its largest magnitude is 10^(db/20), and
// returns the factor it used (0 for silence, which it leaves alone).
func SetPeak(x []float32, db float64) float64 {
	peak := 0.0
	for _, v := range x {
		peak = max(peak, math.Abs(float64(v)))
	}
	if peak == 0 {
		return 0
	}
	g := math.Pow(10, db/20) / peak
	for i := range x {
		x[i] = float32(float64(x[i]) * g)
	}
	return g
}

// RMS returns the root mean square of x (0 when x is empty).
func RMS(x []float32) float64 {
	if len(x) == 0 {
		return 0
	}
	s := 0.0
	for _, v := range x {
		s += float64(v) * float64(v)
	}
	return math.Sqrt(s / float64(len(x)))
}

// ActiveLevel returns the RMS of the 10 ms frames of x within 20 dB of its
// loudest frame: the level of the speech while it sounds, not counting the
// pauses between words (a simplified ITU-T P.56 active speech level), so
// that a signal-to-noise ratio means the same for a phrase with long pauses
// as for a single word. It is 0 for silence.
func ActiveLevel(x []float32) float64 {
	var m ActiveMeter
	m.Write(x)
	return m.Level()
}

// ActiveMeter is ActiveLevel over a signal written in pieces of any size,
// for recordings too long to hold in memory: it keeps one value per 10 ms
// frame. The zero value is ready to use. It is not safe for concurrent
// use.
type ActiveMeter struct {
	energy []float64 // mean square of each whole frame
	sum    float64   // sum of squares of the frame being filled
	n      int       // and its samples
}

// Write adds x to the signal.
func (m *ActiveMeter) Write(x []float32) {
	for _, v := range x {
		m.sum += float64(v) * float64(v)
		m.n++
		if m.n == trimFrame {
			m.energy = append(m.energy, m.sum/trimFrame)
			m.sum, m.n = 0, 0
		}
	}
}

// Level returns the active level of what was written (ActiveLevel).
func (m *ActiveMeter) Level() float64 {
	maxE := 0.0
	for _, e := range m.energy {
		maxE = max(maxE, e)
	}
	last := 0.0
	if m.n > 0 {
		last = m.sum / float64(m.n)
		maxE = max(maxE, last)
	}
	sum, n := 0.0, 0
	for _, e := range m.energy {
		if e > 0 && e >= maxE/100 {
			sum += e * trimFrame
			n += trimFrame
		}
	}
	if m.n > 0 && last > 0 && last >= maxE/100 {
		sum += last * float64(m.n)
		n += m.n
	}
	if n == 0 {
		return 0
	}
	return math.Sqrt(sum / float64(n))
}

// Mix adds noise to dst scaled so that ref's active level (ActiveLevel) is
// snrDB above the scaled noise's RMS; ref is the speech alone (which dst may
// contain). It returns the noise's scale, 0 when the noise or ref is silent
// (then dst is left alone). noise must be at least as long as dst.
func Mix(dst, noise, ref []float32, snrDB float64) float64 {
	if len(noise) < len(dst) {
		panic("synth: noise shorter than the clip")
	}
	noise = noise[:len(dst)]
	nr, sr := RMS(noise), ActiveLevel(ref)
	if nr == 0 || sr == 0 {
		return 0
	}
	g := sr / nr / math.Pow(10, snrDB/20)
	for i, v := range noise {
		dst[i] += float32(g * float64(v))
	}
	return g
}

// MixStretch adds to dst a stretch of one of the noise recordings, drawn
// by r, from a random place in it and wrapping round at its end, scaled so
// that dst's own active level is snrDB above it (Mix). seg is scratch space
// for the stretch, returned for reuse. An empty recording adds nothing.
func MixStretch(dst []float32, noise [][]float32, snrDB float64, r *rand.Rand, seg []float32) []float32 {
	nz := noise[r.IntN(len(noise))]
	if len(nz) == 0 {
		return seg
	}
	off := r.IntN(len(nz))
	seg = seg[:0]
	for i := range dst {
		seg = append(seg, nz[(off+i)%len(nz)])
	}
	Mix(dst, seg, dst, snrDB)
	return seg
}

// Limit scales x down in place so that no sample leaves [-1, 1), returning
// the factor (1 when nothing needed scaling).
func Limit(x []float32) float64 {
	lo, hi := 0.0, 0.0
	for _, v := range x {
		lo, hi = min(lo, float64(v)), max(hi, float64(v))
	}
	const top = 1 - 1.0/32768 // the largest 16-bit sample
	if lo >= -1 && hi <= top {
		return 1
	}
	g := min(top/max(hi, 1e-30), 1/-min(lo, -1e-30), 1)
	for i := range x {
		x[i] = float32(float64(x[i]) * g)
	}
	return g
}

// Noise kinds generated when no noise folder is given.
const (
	White = "white"
	Pink  = "pink"
	Brown = "brown"
)

// GenerateNoise fills dst with noise of the given kind (White, Pink or
// Brown) of RMS about 0.1, drawn from rng.
func GenerateNoise(dst []float32, kind string, rng *rand.Rand) {
	switch kind {
	case White:
		for i := range dst {
			dst[i] = float32(0.1 * rng.NormFloat64())
		}
	case Pink:
		// Paul Kellet's economy filter: -3 dB/octave within 0.5 dB above 40 Hz at 16 kHz.
		var b0, b1, b2 float64
		for i := range dst {
			w := rng.NormFloat64()
			b0 = 0.99765*b0 + w*0.0990460
			b1 = 0.96300*b1 + w*0.2965164
			b2 = 0.57000*b2 + w*1.0526913
			dst[i] = float32(0.1 / 3.5 * (b0 + b1 + b2 + w*0.1848))
		}
	case Brown:
		// Leaky integrator: -6 dB/octave above about 25 Hz.
		var y float64
		for i := range dst {
			y = 0.99*y + rng.NormFloat64()
			dst[i] = float32(0.1 / 7.1 * y)
		}
	default:
		panic("synth: unknown noise kind " + kind)
	}
}
