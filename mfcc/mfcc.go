package mfcc

import (
	"errors"
	"fmt"
	"math"

	"github.com/mjibson/go-dsp/window"
)

// logOffset is added to every mel energy before the log, as torchaudio does,
// so that silence gives log(1e-6) rather than -Inf.
const logOffset = 1e-6

// ErrNotFinite is wrapped by the error Compute and Stream.Write return for a
// NaN or infinite sample.
var ErrNotFinite = errors.New("mfcc: sample not finite")

// Extractor computes features for one Config. New precomputes everything a
// frame needs; computing frames allocates nothing. An Extractor is not safe
// for concurrent use: give each goroutine its own (New is cheap: well under
// a millisecond and 44 KB for the default Config).
type Extractor struct {
	cfg    Config
	tables *tables
	w      *worker
}

// tables holds what New precomputes; it is read-only and shared by an
// Extractor and its Streams.
type tables struct {
	cfg         Config
	out         int       // values per frame: NumCoeffs, or NumMels in LogMel mode
	winOff      int       // the window covers frame samples [winOff, winOff+WindowLength)
	window      []float64 // periodic Hann, WindowLength
	frameWindow []float64 // the same placed in a frame of FFTSize zeros
	nBins       int       // power spectrum bins the filters read: 0..nBins-1
	filters     []filter  // NumMels triangular filters
	dct         []float64 // orthonormal DCT-II, NumCoeffs x dctHalf, row-major: the first half of each row
	dctHalf     int       // (NumMels+1)/2
}

// filter is one triangular mel filter, stored as its non-zero band of bins.
type filter struct {
	first   int       // first power bin with non-zero weight
	weights []float64 // weights for bins first, first+1, ...
}

// New validates cfg, fills in its zero fields (see Config) and precomputes
// the window, the FFT plan, the mel filterbank and the DCT matrix.
func New(cfg Config) (*Extractor, error) {
	return NewWarped(cfg, 1)
}

// NewWarped is New with every mel filter's edges moved to warp times their
// frequency (kept below the Nyquist frequency): the filter that reads f Hz
// in cfg reads warp*f Hz instead, so a voice comes out as a voice with a
// vocal tract 1/warp times as long would. Training draws a warp near 1 for
// each clip (vocal tract length perturbation, Jaitly and Hinton 2013) so a
// model sees more speakers than the data holds; models always listen with
// warp 1, which is New. warp must be in [0.5, 2].
func NewWarped(cfg Config, warp float64) (*Extractor, error) {
	c, err := cfg.resolve()
	if err != nil {
		return nil, err
	}
	if !(warp >= 0.5 && warp <= 2) {
		return nil, fmt.Errorf("%w: warp %g, want 0.5 to 2", ErrConfig, warp)
	}
	t := newTables(c, warp)
	return &Extractor{cfg: c, tables: t, w: newWorker(t)}, nil
}

func newTables(c Config, warp float64) *tables {
	t := &tables{cfg: c, out: c.NumCoeffs, winOff: (c.FFTSize - c.WindowLength) / 2}
	if c.LogMel {
		t.out = c.NumMels
	}
	// The periodic Hann window of length L is the first L points of the
	// symmetric one of length L+1, which is what go-dsp's window.Hann gives;
	// a window of one sample is 1, as torch.hann_window(1) is.
	t.window = window.Hann(c.WindowLength + 1)[:c.WindowLength]
	if c.WindowLength == 1 {
		t.window[0] = 1
	}
	t.frameWindow = make([]float64, c.FFTSize)
	copy(t.frameWindow[t.winOff:], t.window)

	// Mel filterbank exactly as torchaudio.functional.melscale_fbanks with
	// mel_scale="htk", norm=None: bin k is at k*(SampleRate/2)/(nFreqs-1) Hz
	// (integer division, as torchaudio does), the filter edges are equally
	// spaced in mel from MinFreq to MaxFreq.
	nFreqs := c.FFTSize/2 + 1
	binHz := func(k int) float64 {
		if nFreqs == 1 {
			return 0
		}
		return float64(k) * float64(c.SampleRate/2) / float64(nFreqs-1)
	}
	mMin, mMax := hzToMel(c.MinFreq), hzToMel(c.MaxFreq)
	edges := make([]float64, c.NumMels+2)
	for i := range edges {
		edges[i] = melToHz(mMin + (mMax-mMin)*float64(i)/float64(c.NumMels+1))
		if warp != 1 {
			edges[i] = min(edges[i]*warp, float64(c.SampleRate)/2)
		}
	}
	t.filters = make([]filter, c.NumMels)
	for m := range t.filters {
		lo, mid, hi := edges[m], edges[m+1], edges[m+2]
		weight := func(k int) float64 {
			hz := binHz(k)
			return math.Max(0, math.Min((hz-lo)/(mid-lo), (hi-hz)/(hi-mid)))
		}
		// Only bins between lo and hi can have weight: look one further
		// each side for rounding, not through the whole spectrum.
		kLo, kHi := 0, nFreqs-1
		if step := float64(c.SampleRate/2) / float64(nFreqs-1); nFreqs > 1 && step > 0 {
			kLo = max(kLo, int(lo/step)-1)
			kHi = min(kHi, int(hi/step)+1)
		}
		first, last := nFreqs, -1 // the band of bins with non-zero weight
		for k := kLo; k <= kHi; k++ {
			if weight(k) > 0 {
				first, last = min(first, k), k
			}
		}
		f := filter{first: 0} // a filter with no bins (too many filters for the FFT size) gives log(1e-6)
		if last >= 0 {
			f.first = first
			for k := first; k <= last; k++ {
				f.weights = append(f.weights, weight(k))
			}
		}
		t.nBins = max(t.nBins, f.first+len(f.weights))
		t.filters[m] = f
	}

	// Orthonormal DCT-II as torchaudio.functional.create_dct(norm="ortho"),
	// first half of each row only (see worker.compute).
	if !c.LogMel {
		n := c.NumMels
		t.dctHalf = (n + 1) / 2
		t.dct = make([]float64, c.NumCoeffs*t.dctHalf)
		for k := 0; k < c.NumCoeffs; k++ {
			scale := math.Sqrt(2 / float64(n))
			if k == 0 {
				scale = math.Sqrt(1 / float64(n))
			}
			for i := 0; i < t.dctHalf; i++ {
				t.dct[k*t.dctHalf+i] = scale * math.Cos(math.Pi/float64(n)*(float64(i)+0.5)*float64(k))
			}
		}
	}
	return t
}

func hzToMel(f float64) float64 { return 2595 * math.Log10(1+f/700) }
func melToHz(m float64) float64 { return 700 * (math.Pow(10, m/2595) - 1) }

// worker owns the scratch space for computing one frame. The Extractor has
// one and every Stream has its own.
type worker struct {
	t     *tables
	fft   spectrum
	frame []float64 // FFTSize windowed samples; outside the window stays zero
	power []float64 // nBins
	mel   []float64 // NumMels
	sum   []float64 // dctHalf: mel[i] + mel[NumMels-1-i]
	diff  []float64 // dctHalf: mel[i] - mel[NumMels-1-i]
}

func newWorker(t *tables) *worker {
	return &worker{
		t:     t,
		fft:   newSpectrum(t.cfg.FFTSize, t.nBins),
		frame: make([]float64, t.cfg.FFTSize),
		power: make([]float64, t.nBins),
		mel:   make([]float64, t.cfg.NumMels),
		sum:   make([]float64, t.dctHalf),
		diff:  make([]float64, t.dctHalf),
	}
}

// compute writes the features of the frame starting at x[0] (FFTSize
// samples, all finite) to dst (t.out values).
func (w *worker) compute(dst, x []float32) {
	t := w.t
	if rf, ok := w.fft.(*realFFT); ok {
		rf.powerWindowed(w.power, x, t.frameWindow)
	} else {
		x := x[t.winOff : t.winOff+len(t.window)]
		frame := w.frame[t.winOff : t.winOff+len(t.window)]
		for i, v := range t.window {
			frame[i] = float64(x[i]) * v
		}
		w.fft.power(w.power, w.frame)
	}
	for m, f := range t.filters {
		p := w.power[f.first : f.first+len(f.weights)]
		var s float64
		for i, v := range f.weights {
			s += v * p[i]
		}
		w.mel[m] = s
	}
	logPlusOffset(w.mel)
	if t.cfg.LogMel {
		for m, v := range w.mel {
			dst[m] = float32(v)
		}
		return
	}
	// DCT-II rows are symmetric (even k) or antisymmetric (odd k) about
	// the middle band, so each row needs only the sums or the differences
	// of mirrored bands: half the multiplies of the full matrix.
	mel, n, h := w.mel, len(w.mel), t.dctHalf
	sum, diff := w.sum[:h], w.diff[:h]
	for i := range n / 2 {
		a, b := mel[i], mel[n-1-i]
		sum[i], diff[i] = a+b, a-b
	}
	if n%2 == 1 {
		sum[h-1], diff[h-1] = mel[h-1], 0
	}
	for k := range dst[:t.out] {
		v := sum
		if k%2 == 1 {
			v = diff
		}
		row := t.dct[k*h : k*h+h]
		row = row[:len(v)]
		// Four partial sums, so that the adds do not wait on each other.
		var s0, s1, s2, s3 float64
		i := 0
		for ; i+4 <= len(v); i += 4 {
			s0 += row[i] * v[i]
			s1 += row[i+1] * v[i+1]
			s2 += row[i+2] * v[i+2]
			s3 += row[i+3] * v[i+3]
		}
		for ; i < len(v); i++ {
			s0 += row[i] * v[i]
		}
		dst[k] = float32((s0 + s1) + (s2 + s3))
	}
}

// Config returns the configuration in use, with New's defaults filled in.
func (e *Extractor) Config() Config { return e.cfg }

// NumCoeffs returns the number of values in each frame: NumCoeffs, or
// NumMels in LogMel mode.
func (e *Extractor) NumCoeffs() int { return e.tables.out }

// NumFrames returns the number of frames Compute gives for nSamples samples:
// 1 + (nSamples-FFTSize)/HopLength, or 0 when nSamples < FFTSize. As with
// torch.stft(center=False), the clip is not padded, so a clip shorter than
// one frame gives no frames and the tail after the last whole frame is not
// used. The default config gives 97 frames for 16000 samples.
func (e *Extractor) NumFrames(nSamples int) int {
	if nSamples < e.cfg.FFTSize {
		return 0
	}
	return 1 + (nSamples-e.cfg.FFTSize)/e.cfg.HopLength
}

// Compute computes the features of samples (at cfg.SampleRate, nominally in
// [-1, 1)) and returns them as NumFrames(len(samples)) rows of NumCoeffs()
// values, row-major, frame by frame in time order. The result is written to
// dst[:n] if dst has the capacity, otherwise to a new slice; a nil dst always
// allocates. A NaN or infinite sample returns an error wrapping ErrNotFinite
// and no frames.
func (e *Extractor) Compute(dst, samples []float32) ([]float32, error) {
	if err := checkFinite(samples, 0); err != nil {
		return dst[:0], err
	}
	frames, out := e.NumFrames(len(samples)), e.tables.out
	n := frames * out
	if cap(dst) < n || dst == nil {
		dst = make([]float32, n)
	}
	dst = dst[:n]
	hop, size := e.cfg.HopLength, e.cfg.FFTSize
	for f := 0; f < frames; f++ {
		e.w.compute(dst[f*out:(f+1)*out], samples[f*hop:f*hop+size])
	}
	return dst, nil
}

// checkFinite returns an error naming the first NaN or infinite sample;
// base is the index of samples[0] in the whole input.
func checkFinite(samples []float32, base int64) error {
	for i, v := range samples {
		if v-v != 0 { // NaN or ±Inf
			return fmt.Errorf("%w: sample %d is %v", ErrNotFinite, base+int64(i), v)
		}
	}
	return nil
}
