package audio

import (
	"fmt"
	"math"
	"sync"
	"sync/atomic"
)

// Resampler design. The filter is a Kaiser-windowed sinc low-pass whose
// cutoff sits at rolloff times the lower of the two Nyquist frequencies, with
// zeroCrossings zero crossings of the sinc on each side of its centre and a
// Kaiser window for about 80 dB of stopband attenuation. For 44.1 kHz to
// 16 kHz the cutoff is 7.2 kHz and the transition band ends below 8 kHz, so
// nothing above the output's Nyquist frequency aliases back into speech.
const (
	rolloff       = 0.9
	zeroCrossings = 32
	kaiserBeta    = 8.0 // ≈ 80 dB stopband

	// maxPhases caps the polyphase table for awkward rate pairs (44.1001 kHz
	// has 16000 phases); the output instant is then rounded to 1/maxPhases
	// of an input sample, a timing error below -90 dB for speech.
	maxPhases = 4096
	// maxTable caps the table at 1 MB whatever the rates (fewer phases
	// for long filters: 1/76 of an input sample at 768 kHz). Its rows are
	// computed as outputs first need them (filterTable), so a short input
	// costs a few rows, not the whole table.
	maxTable = 1 << 18
)

// A Resampler converts a stream of mono samples from one rate to another
// with a band-limited (windowed-sinc, polyphase) filter. Feed it with
// Process, any number of samples at a time, and finish with Flush; the
// output is the same however the input was split. The first output sample
// is aligned with the first input sample (the filter's delay is removed).
// Output is not clamped: a full-scale step overshoots ±1 slightly (the
// Gibbs phenomenon); Reader and capture clamp what they return.
//
// A Resampler is not safe for concurrent use.
type Resampler struct {
	from, to int
	l, m     int          // to/from reduced: output n sits at input time n*m/l
	phases   int          // rows of table (l, or fewer when capped)
	taps     int          // columns: input samples per output sample
	half     int          // input samples before the output instant's floor: taps/2-1
	table    *filterTable // phases rows of taps, row p the filter at fractional offset p/phases

	buf   []float32 // pending input; buf[0] is input sample base
	base  int64
	k     int64 // integer input position of the next output
	p     int64 // its fractional position in 1/l of an input sample
	nIn   int64 // input samples seen
	nOut  int64 // output samples produced
	ident bool
}

// NewResampler returns a resampler from fromRate to toRate (Hz). It panics
// if a rate is not positive.
func NewResampler(fromRate, toRate int) *Resampler {
	if fromRate <= 0 || toRate <= 0 {
		panic(fmt.Sprintf("audio: resample from %d Hz to %d Hz", fromRate, toRate))
	}
	g := gcd(fromRate, toRate)
	r := &Resampler{from: fromRate, to: toRate, l: toRate / g, m: fromRate / g}
	if fromRate == toRate {
		r.ident = true
		return r
	}
	// Cutoff in cycles per input sample, and the filter's half-width in
	// input samples.
	fc := 0.5 * rolloff * math.Min(1, float64(toRate)/float64(fromRate))
	width := zeroCrossings / (2 * fc)
	r.half = int(math.Ceil(width))
	r.taps = 2 * r.half
	r.phases = r.l
	if r.phases > maxPhases {
		r.phases = maxPhases
	}
	if r.phases*r.taps > maxTable {
		r.phases = max(1, maxTable/r.taps)
	}
	r.table = design(r.phases, r.taps, fc, width)
	r.Reset()
	return r
}

// designs caches filter tables by their parameters: a dataset of 44.1 kHz
// files computes its table's rows once. Rows are read-only once built.
var designs struct {
	sync.Mutex
	m map[[4]float64]*filterTable
}

const maxDesigns = 16

// A filterTable is the polyphase filter: phases rows of taps coefficients,
// row p the Kaiser-windowed sinc with cutoff fc (cycles per input sample)
// and half-width width (input samples), sampled at fractional delay
// p/phases. Each row is computed the first time it is asked for, so the
// memory grows with the phases a stream uses (at most one per output
// sample), not with the rate pair. It is safe for concurrent use: two
// goroutines may compute the same row, and they compute the same bits.
type filterTable struct {
	phases, taps int
	fc, width    float64
	rows         []atomic.Pointer[[]float32]
}

// design returns the (cached) table for these parameters.
func design(phases, taps int, fc, width float64) *filterTable {
	key := [4]float64{float64(phases), float64(taps), fc, width}
	designs.Lock()
	defer designs.Unlock()
	if t, ok := designs.m[key]; ok {
		return t
	}
	t := &filterTable{phases: phases, taps: taps, fc: fc, width: width, rows: make([]atomic.Pointer[[]float32], phases)}
	if designs.m == nil || len(designs.m) >= maxDesigns {
		designs.m = make(map[[4]float64]*filterTable)
	}
	designs.m[key] = t
	return t
}

// row returns row p, computing it on first use.
func (t *filterTable) row(p int) []float32 {
	if r := t.rows[p].Load(); r != nil {
		return *r
	}
	r := makeRow(make([]float32, t.taps), p, t.phases, t.fc, t.width)
	t.rows[p].Store(&r)
	return r
}

// makeRow fills row with the filter at fractional delay p/phases,
// normalised to unit gain at DC, and returns it.
func makeRow(row []float32, p, phases int, fc, width float64) []float32 {
	half := len(row) / 2
	kaiserOnce.Do(makeKaiser)
	frac := float64(p) / float64(phases)
	var sum float64
	for i := range row {
		// Tap i multiplies input sample k-half+1+i; its distance from the
		// output instant k+frac:
		d := float64(i-half+1) - frac
		x := d / width
		var w float64
		if x > -1 && x < 1 {
			w = kaiser(math.Abs(x))
		}
		h := 2 * fc * sinc(2*fc*d) * w
		row[i] = float32(h)
		sum += h
	}
	// Unit gain at DC for every phase.
	for i := range row {
		row[i] = float32(float64(row[i]) / sum)
	}
	return row
}

// Reset forgets all input, ready for a new stream at the same rates.
func (r *Resampler) Reset() {
	r.buf = r.buf[:0]
	// Zero history before the first sample.
	for i := 0; i < r.half-1; i++ {
		r.buf = append(r.buf, 0)
	}
	r.base = -int64(r.half - 1)
	r.k, r.p, r.nIn, r.nOut = 0, 0, 0, 0
}

// Rates returns the input and output rates.
func (r *Resampler) Rates() (from, to int) { return r.from, r.to }

// OutputLen is how many samples n input samples become: ceil(n*to/from).
func (r *Resampler) OutputLen(n int64) int64 {
	if r.ident {
		return n
	}
	return (n*int64(r.l) + int64(r.m) - 1) / int64(r.m)
}

// Process consumes src and appends the output samples that are now
// complete to dst, returning the extended slice. Once its internal buffer
// has grown to the largest len(src) it has seen, Process allocates only
// when dst lacks capacity.
func (r *Resampler) Process(dst, src []float32) []float32 {
	if r.ident {
		r.nIn += int64(len(src))
		return append(dst, src...)
	}
	r.buf = append(r.buf, src...)
	r.nIn += int64(len(src))
	return r.run(dst, r.OutputLen(r.nIn))
}

// Flush appends the remaining output, treating the input as followed by
// silence, and resets the resampler for a new stream.
func (r *Resampler) Flush(dst []float32) []float32 {
	if r.ident {
		r.Reset()
		return dst
	}
	n := r.nIn
	for i := 0; i < r.half+1; i++ {
		r.buf = append(r.buf, 0)
	}
	dst = r.run(dst, r.OutputLen(n))
	r.Reset()
	return dst
}

// run produces outputs while their input is buffered, up to total outputs.
func (r *Resampler) run(dst []float32, total int64) []float32 {
	end := r.base + int64(len(r.buf)) // one past the last buffered sample
	l := int64(r.l)
	m := int64(r.m)
	for r.nOut < total {
		k, ph := r.k, r.p
		if r.phases != r.l {
			ph = (r.p*int64(r.phases) + l/2) / l
			if ph == int64(r.phases) {
				// Rounded up to the next input sample.
				k, ph = k+1, 0
			}
		}
		if k+int64(r.half) >= end {
			break
		}
		start := k - int64(r.half) + 1 - r.base
		x := r.buf[start : start+int64(r.taps)]
		dst = append(dst, dot(r.table.row(int(ph)), x))
		r.nOut++
		r.p += m
		r.k += r.p / l
		r.p %= l
	}
	// Drop input no later output needs.
	if drop := r.k - int64(r.half) + 1 - r.base; drop > 0 {
		if drop > int64(len(r.buf)) {
			drop = int64(len(r.buf))
		}
		n := copy(r.buf, r.buf[drop:])
		r.buf = r.buf[:n]
		r.base += drop
	}
	return dst
}

// dot is the filter's inner loop; len(x) == len(h).
func dot(h, x []float32) float32 {
	x = x[:len(h)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(h); i += 4 {
		s0 += h[i] * x[i]
		s1 += h[i+1] * x[i+1]
		s2 += h[i+2] * x[i+2]
		s3 += h[i+3] * x[i+3]
	}
	for ; i < len(h); i++ {
		s0 += h[i] * x[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// Resample converts src from fromRate to toRate, appending to dst[:0] (a
// nil dst allocates). It is Process followed by Flush on a new Resampler.
func Resample(dst, src []float32, fromRate, toRate int) []float32 {
	r := NewResampler(fromRate, toRate)
	dst = dst[:0]
	if n := r.OutputLen(int64(len(src))); int64(cap(dst)) < n {
		dst = make([]float32, 0, n)
	}
	dst = r.Process(dst, src)
	return r.Flush(dst)
}

func sinc(x float64) float64 {
	if x == 0 {
		return 1
	}
	return math.Sin(math.Pi*x) / (math.Pi * x)
}

// kaiserTable samples the Kaiser window w(x) = I0(β√(1-x²))/I0(β) on
// [0, 1]; linear interpolation between its points is within 1e-8 of the
// window, and makes designing a filter for an unusual rate pair cheap.
var (
	kaiserOnce  sync.Once
	kaiserTable [kaiserPoints + 2]float64
)

const kaiserPoints = 8192

func makeKaiser() {
	i0b := besselI0(kaiserBeta)
	for j := range kaiserTable {
		x := min(1, float64(j)/kaiserPoints)
		kaiserTable[j] = besselI0(kaiserBeta*math.Sqrt(1-x*x)) / i0b
	}
}

// kaiser is the window at x in [0, 1).
func kaiser(x float64) float64 {
	f := x * kaiserPoints
	j := int(f)
	f -= float64(j)
	return kaiserTable[j]*(1-f) + kaiserTable[j+1]*f
}

// besselI0 is the modified Bessel function of the first kind, order zero,
// by its power series (converges fast for the arguments a Kaiser window uses).
func besselI0(x float64) float64 {
	sum, term := 1.0, 1.0
	q := x * x / 4
	for k := 1; k < 200; k++ {
		term *= q / float64(k*k)
		sum += term
		if term < sum*1e-17 {
			break
		}
	}
	return sum
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
