package datasets

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/dsp/fourier"

	"github.com/listen-go/listen/audio"
)

// Room is the augmentation for real rooms and microphones: what a clip
// recorded close to a good microphone lacks when a command is said across
// a room into a phone. Each effect is drawn per clip; the zero value does
// nothing.
//
// The room impulse responses are synthesised (no recorded ones are at
// hand): a direct path, then a tail of Gaussian noise decaying
// exponentially at the drawn reverberation time, as Schroeder's
// statistical model of a diffuse field has it, with sparse early
// reflections in its first 50 ms. The direct-to-reverberant ratio is
// drawn too, which stands for the talker's distance.
type Room struct {
	// Reverb is the probability that a clip is convolved with a synthetic
	// room: reverberation time (RT60) uniform in [RT60Min, RT60Max]
	// seconds, direct-to-reverberant ratio uniform in [-3, 12] dB.
	Reverb float64
	// RT60Min and RT60Max bound the reverberation time; zero means 0.15
	// and 0.9 s (a furnished living room to a bare hall).
	RT60Min, RT60Max float64
	// Band is the probability that a clip, after its noise, goes through
	// a random microphone's band: a high-pass at 80 to 500 Hz and a
	// low-pass at 3 to 7.5 kHz (a phone's narrow band to a laptop's),
	// each a fourth-order Butterworth.
	Band float64
	// Gain is the largest gain change in dB: each clip, after its noise
	// and band, is scaled by a gain uniform in [-Gain, Gain] dB, then
	// clipped to [-1, 1] as a recording that overdrives its converter is.
	// 0 turns it off.
	Gain float64
}

func (r Room) on() bool { return r.Reverb > 0 || r.Band > 0 || r.Gain > 0 }

func (r Room) rt60() (lo, hi float64) {
	lo, hi = r.RT60Min, r.RT60Max
	if lo == 0 {
		lo = 0.15
	}
	if hi == 0 {
		hi = 0.9
	}
	return lo, max(lo, hi)
}

// roomScratch holds the buffers of one goroutine's convolutions, sized on
// first use for the clips it sees; a nil *roomScratch allocates anew.
type roomScratch struct {
	fft      *fourier.FFT
	sig, imp []float64
	cs, ci   []complex128
	rir      []float32
}

// reverb convolves x in place with a synthetic room of reverberation time
// rt60 seconds and direct-to-reverberant ratio drr dB, drawing the tail
// from rng. The output keeps x's length (the tail past the end is cut)
// and its RMS level, as a microphone's gain control would.
func (s *roomScratch) reverb(x []float32, rt60, drr float64, rng *rand.Rand) {
	n := len(x)
	if n == 0 {
		return
	}
	// Truncated 60 dB down, at most the clip's length.
	taps := min(int(rt60*audio.Rate), n)
	s.rir = roomImpulse(s.rir[:0], taps, rt60, drr, rng)
	size := 1
	for size < n+taps-1 {
		size *= 2
	}
	if s.fft == nil || s.fft.Len() != size {
		s.fft = fourier.NewFFT(size)
		s.sig, s.imp = make([]float64, size), make([]float64, size)
		s.cs, s.ci = make([]complex128, size/2+1), make([]complex128, size/2+1)
	}
	clear(s.sig)
	clear(s.imp)
	before := 0.0
	for i, v := range x {
		s.sig[i] = float64(v)
		before += float64(v) * float64(v)
	}
	for i, v := range s.rir {
		s.imp[i] = float64(v)
	}
	s.fft.Coefficients(s.cs, s.sig)
	s.fft.Coefficients(s.ci, s.imp)
	for i := range s.cs {
		s.cs[i] *= s.ci[i]
	}
	s.fft.Sequence(s.sig, s.cs)
	after := 0.0
	for _, v := range s.sig[:n] {
		after += v * v
	}
	scale := 1.0 / float64(size) // gonum's inverse is unnormalised
	if after > 0 && before > 0 {
		scale = math.Sqrt(before / after)
	}
	for i := range x {
		x[i] = float32(s.sig[i] * scale)
	}
}

// roomImpulse appends to dst a room impulse response of taps samples: a
// unit direct path, sparse early reflections over the first 50 ms, and a
// diffuse tail of Gaussian noise decaying by 60 dB in rt60 seconds,
// scaled so that the direct path's energy over the rest's is drr dB.
func roomImpulse(dst []float32, taps int, rt60, drr float64, rng *rand.Rand) []float32 {
	start := len(dst)
	dst = append(dst, make([]float32, taps)...)
	h := dst[start:]
	if taps == 0 {
		return dst
	}
	// Amplitude decay per sample: 60 dB (a factor 1000) over rt60.
	decay := math.Pow(1e-3, 1/(rt60*audio.Rate))
	onset := min(taps, audio.Rate*25/10000) // the tail builds up after 2.5 ms
	energy := 0.0
	a := 1.0
	for i := range h {
		if i >= onset {
			v := a * rng.NormFloat64()
			h[i] = float32(v)
			energy += v * v
		}
		a *= decay
	}
	// Early reflections: a few strong, sparse echoes within 50 ms.
	early := min(taps, audio.Rate/20)
	for range 6 {
		if early <= onset {
			break
		}
		i := onset + rng.IntN(early-onset)
		v := (0.2 + 0.5*rng.Float64()) * math.Pow(decay, float64(i))
		if rng.IntN(2) == 0 {
			v = -v
		}
		h[i] += float32(v)
		energy += v * v
	}
	if energy > 0 {
		// Direct path 1: the rest scaled to 1/10^(drr/10) of its energy.
		g := math.Sqrt(math.Pow(10, -drr/10) / energy)
		for i := range h {
			h[i] *= float32(g)
		}
	}
	h[0] = 1
	return dst
}

// biquad is a second-order IIR section, a Direct Form I filter with its
// state, coefficients normalised so that a0 is 1.
type biquad struct {
	b0, b1, b2, a1, a2 float64
	x1, x2, y1, y2     float64
}

// butterworth returns the two second-order sections of a fourth-order
// Butterworth low-pass (high false) or high-pass filter with cutoff fc Hz
// at audio.Rate, by the bilinear transform with the cutoff prewarped (the
// Audio EQ Cookbook's forms, with the two sections' Q of a fourth-order
// Butterworth).
func butterworth(fc float64, high bool) [2]biquad {
	var out [2]biquad
	w := 2 * math.Pi * fc / audio.Rate
	cosw, sinw := math.Cos(w), math.Sin(w)
	for k, q := range [2]float64{0.5411961001461971, 1.3065629648763766} {
		alpha := sinw / (2 * q)
		a0 := 1 + alpha
		var b0, b1, b2 float64
		if high {
			b0, b1, b2 = (1+cosw)/2, -(1 + cosw), (1+cosw)/2
		} else {
			b0, b1, b2 = (1-cosw)/2, 1-cosw, (1-cosw)/2
		}
		out[k] = biquad{b0: b0 / a0, b1: b1 / a0, b2: b2 / a0, a1: -2 * cosw / a0, a2: (1 - alpha) / a0}
	}
	return out
}

func (f *biquad) filter(x []float32) {
	for i, v := range x {
		in := float64(v)
		y := f.b0*in + f.b1*f.x1 + f.b2*f.x2 - f.a1*f.y1 - f.a2*f.y2
		f.x2, f.x1 = f.x1, in
		f.y2, f.y1 = f.y1, y
		x[i] = float32(y)
	}
}

// bandLimit filters x in place through a high-pass at lo Hz and a
// low-pass at hi Hz, both fourth-order Butterworth.
func bandLimit(x []float32, lo, hi float64) {
	for _, fc := range []struct {
		f    float64
		high bool
	}{{lo, true}, {hi, false}} {
		for _, s := range butterworth(fc.f, fc.high) {
			s.filter(x)
		}
	}
}

// Reverberate draws whether x gets a room (Reverb), and which, and puts
// it there: the first stage, for clean speech. Nothing is drawn when Reverb
// is 0.
func (r Room) Reverberate(x []float32, rng *rand.Rand) { r.applyReverb(x, rng, nil) }

// Microphone draws and applies the band limit (Band) and the gain (Gain):
// the last stage, after any noise. Values are not clipped here. Nothing is
// drawn for what is 0.
func (r Room) Microphone(x []float32, rng *rand.Rand) { r.applyMic(x, rng) }

// applyReverb draws whether x gets a room, and which, and applies it. The
// draws are made whether or not the room is used, so that what follows
// does not depend on it.
func (r Room) applyReverb(x []float32, rng *rand.Rand, s *roomScratch) {
	if r.Reverb <= 0 {
		return
	}
	use := rng.Float64() < r.Reverb
	lo, hi := r.rt60()
	rt60 := lo + (hi-lo)*rng.Float64()
	drr := -3 + 15*rng.Float64()
	seed := rng.Uint64()
	if !use {
		return
	}
	if s == nil {
		s = new(roomScratch)
	}
	s.reverb(x, rt60, drr, rand.New(rand.NewPCG(seed, 0x5eed)))
}

// applyMic draws and applies the band limit and the gain, then clips.
func (r Room) applyMic(x []float32, rng *rand.Rand) {
	if r.Band > 0 {
		use := rng.Float64() < r.Band
		lo := 80 + 420*rng.Float64()
		hi := 3000 + 4500*rng.Float64()
		if use {
			bandLimit(x, lo, hi)
		}
	}
	if r.Gain > 0 {
		g := float32(math.Pow(10, r.Gain*(2*rng.Float64()-1)/20))
		for i := range x {
			x[i] *= g
		}
	}
}
