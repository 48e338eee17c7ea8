package datasets

import (
	"math"
	"math/rand/v2"
	"sync"

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
// exponentially at the room's reverberation time, as Schroeder's
// statistical model of a diffuse field has it, with sparse early
// reflections in its first 50 ms, cut 40 dB down. A clip draws one of 64
// rooms spread over the RT60 range and its own direct-to-reverberant
// ratio, which stands for the talker's distance.
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

// bankRooms is how many synthetic rooms a bank holds; each clip draws one,
// and its own direct-to-reverberant ratio.
const bankRooms = 64

// A roomBank is a set of synthetic rooms' diffuse tails (the direct path
// left out), each of unit energy, already in the frequency domain for
// clips of one length. It is built once for a clip length and RT60 range
// and shared read-only by every goroutine: a convolution then costs two
// FFTs, not three.
type roomBank struct {
	size  int           // FFT length: at least the clip plus the longest tail, less one
	tails [][]complex64 // size/2+1 coefficients each
}

type bankKey struct {
	n      int
	lo, hi float64
}

var (
	bankMu sync.Mutex
	banks  = map[bankKey]*roomBank{}
)

// bankFor returns the bank for clips of n samples and RT60 in [lo, hi],
// making it on first use. Room k has RT60 lo+(hi-lo)*(k+0.5)/bankRooms
// and a tail drawn from its own seed, so every bank of a key is the same.
func bankFor(n int, lo, hi float64) *roomBank {
	key := bankKey{n, lo, hi}
	bankMu.Lock()
	defer bankMu.Unlock()
	if b := banks[key]; b != nil {
		return b
	}
	// Tails are cut 40 dB down, where a room's noise covers them.
	taps := func(rt60 float64) int { return min(int(rt60*audio.Rate*40/60), n) }
	b := &roomBank{size: fftSize(n + taps(hi) - 1)}
	fft := fourier.NewFFT(b.size)
	seq := make([]float64, b.size)
	coef := make([]complex128, b.size/2+1)
	var tail []float32
	for k := range bankRooms {
		rt60 := lo + (hi-lo)*(float64(k)+0.5)/bankRooms
		tail = roomTail(tail[:0], taps(rt60), rt60, rand.New(rand.NewPCG(uint64(k), 0x700d)))
		clear(seq)
		for i, v := range tail {
			seq[i] = float64(v)
		}
		fft.Coefficients(coef, seq)
		t := make([]complex64, len(coef))
		for i, c := range coef {
			t[i] = complex64(c)
		}
		b.tails = append(b.tails, t)
	}
	banks[key] = b
	return b
}

// fftSize is the least m >= n whose only prime factors are 2, 3 and 5,
// the lengths gonum's FFT does fastest.
func fftSize(n int) int {
	for m := max(n, 1); ; m++ {
		r := m
		for _, p := range []int{2, 3, 5} {
			for r%p == 0 {
				r /= p
			}
		}
		if r == 1 {
			return m
		}
	}
}

// roomScratch holds one goroutine's FFT plan and buffers, sized on first
// use; a nil *roomScratch allocates anew.
type roomScratch struct {
	fft *fourier.FFT
	sig []float64
	cs  []complex128
}

// reverb convolves x in place with room k of bank b at a
// direct-to-reverberant ratio of drr dB: x plus the tail's echo of it,
// scaled to 10^(-drr/20). The output keeps x's length (the echo past the
// end is cut) and its RMS level, as a microphone's gain control would.
func (s *roomScratch) reverb(x []float32, b *roomBank, k int, drr float64) {
	if len(x) == 0 {
		return
	}
	if s.fft == nil || s.fft.Len() != b.size {
		s.fft = fourier.NewFFT(b.size)
		s.sig, s.cs = make([]float64, b.size), make([]complex128, b.size/2+1)
	}
	clear(s.sig)
	before := 0.0
	for i, v := range x {
		s.sig[i] = float64(v)
		before += float64(v) * float64(v)
	}
	s.fft.Coefficients(s.cs, s.sig)
	for i, t := range b.tails[k] {
		s.cs[i] *= complex128(t)
	}
	s.fft.Sequence(s.sig, s.cs)
	g := math.Pow(10, -drr/20) / float64(b.size) // gonum's inverse is unnormalised
	after := 0.0
	for i, v := range x {
		y := float64(v) + g*s.sig[i]
		s.sig[i] = y
		after += y * y
	}
	scale := 1.0
	if after > 0 {
		scale = math.Sqrt(before / after)
	}
	for i := range x {
		x[i] = float32(s.sig[i] * scale)
	}
}

// roomTail appends to dst the diffuse part of a room impulse response,
// taps samples after a direct path at sample 0 (which it leaves at 0):
// sparse early reflections over the first 50 ms and a tail of Gaussian
// noise decaying by 60 dB in rt60 seconds, building up after 2.5 ms, the
// whole of unit energy.
func roomTail(dst []float32, taps int, rt60 float64, rng *rand.Rand) []float32 {
	start := len(dst)
	dst = append(dst, make([]float32, taps)...)
	h := dst[start:]
	if taps == 0 {
		return dst
	}
	// Amplitude decay per sample: 60 dB (a factor 1000) over rt60.
	decay := math.Pow(1e-3, 1/(rt60*audio.Rate))
	onset := min(taps, audio.Rate*25/10000)
	a := 1.0
	for i := range h {
		if i >= onset {
			h[i] = float32(a * rng.NormFloat64())
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
	}
	energy := 0.0
	for _, v := range h {
		energy += float64(v) * float64(v)
	}
	if energy > 0 {
		g := float32(1 / math.Sqrt(energy))
		for i := range h {
			h[i] *= g
		}
	}
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

// applyReverb draws whether x gets a room, which of the bank's, and its
// direct-to-reverberant ratio, and applies it. The draws are made whether
// or not the room is used, so that what follows does not depend on it.
func (r Room) applyReverb(x []float32, rng *rand.Rand, s *roomScratch) {
	if r.Reverb <= 0 {
		return
	}
	use := rng.Float64() < r.Reverb
	k := rng.IntN(bankRooms)
	drr := -3 + 15*rng.Float64()
	if !use || len(x) == 0 {
		return
	}
	if s == nil {
		s = new(roomScratch)
	}
	lo, hi := r.rt60()
	s.reverb(x, bankFor(len(x), lo, hi), k, drr)
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
