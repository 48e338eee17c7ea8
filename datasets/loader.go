package datasets

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/mfcc"
)

// LoaderConfig configures a Loader. A zero field means the default noted.
type LoaderConfig struct {
	Split     Split       // which clips (Training is the zero value; All for every clip)
	BatchSize int         // clips per batch; 0: 64
	Window    int         // samples per clip, zero-padded at the end or cut; 0: audio.Rate (1 s)
	Features  mfcc.Config // 0 (the zero Config): mfcc.DefaultConfig()

	// Augment and FeatureAugment are applied when set (zero: none).
	// Set them for the Training split only: validation and test clips
	// are used as recorded.
	Augment        Augment
	FeatureAugment FeatureAugment
	// Join is the probability, from 0 to 1, that a clip of any label but
	// _silence_ becomes an _unknown_ example made of the end of its word
	// joined to the start of another clip's word (a uniform draw from the
	// split, _silence_ left out), as a sliding window sees two words go by;
	// the Augment is applied after. It needs an _unknown_ label. Like the
	// Augment, for the Training split only; 0, none.
	Join float64

	Shuffle  bool  // a new order each epoch, from (Seed, epoch)
	DropLast bool  // leave out the last, partial batch of an epoch
	Seed     int64 // order and augmentation
	Workers  int   // decoding and feature goroutines; 0: runtime.GOMAXPROCS(0)
}

// Batch is one batch of features: X holds Size clips of Frames x Coeffs
// float32 values, row-major (clip, frame, coefficient); len(X) is exactly
// Size*Frames*Coeffs.
type Batch struct {
	X      []float32
	Labels []int // len Size: indices into Dataset.Labels
	Clips  []int // len Size: indices into Dataset.Clips
	Size   int   // may be less than BatchSize: the last batch, or clips that failed to decode
	Frames int
	Coeffs int
	Index  int // the batch's number within its epoch
}

// Loader yields batches of features of one split of a Dataset, decoding,
// augmenting and computing features in parallel workers. Its batches come in
// an order that depends only on (Seed, epoch), and each clip's augmentation
// only on (Seed, epoch, clip), so results do not depend on the number of
// workers and an epoch can be resumed at any batch. A Loader may run one
// epoch at a time; it is not safe for concurrent Epoch calls.
type Loader struct {
	d      *Dataset
	cfg    LoaderConfig
	idx    []int
	frames int
	coeffs int
	free   chan *Batch
	// feats caches the features of clips when nothing is random (no
	// augmentation), within the Dataset's cache budget: validation and
	// test epochs then cost a copy per clip.
	feats []atomic.Pointer[[]float32]
	// With Join: the split's clips that are not _silence_, and the labels
	// of _unknown_ and _silence_ (-1 if none).
	joinable         []int
	unknown, silence int
}

// NewLoader returns a Loader of d for cfg.
func (d *Dataset) NewLoader(cfg LoaderConfig) (*Loader, error) {
	if cfg.BatchSize == 0 {
		cfg.BatchSize = 64
	}
	if cfg.Window == 0 {
		cfg.Window = audio.Rate
	}
	if cfg.Features == (mfcc.Config{}) {
		cfg.Features = mfcc.DefaultConfig()
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	if cfg.BatchSize < 0 || cfg.Window < 0 || cfg.Split < Training || cfg.Split > All {
		return nil, fmt.Errorf("datasets: bad loader config: batch %d, window %d, split %v", cfg.BatchSize, cfg.Window, cfg.Split)
	}
	if cfg.Augment.MaxShift < 0 || cfg.Augment.NoiseProb < 0 || cfg.Augment.NoiseMax < 0 ||
		cfg.FeatureAugment.TimeMask < 0 || cfg.FeatureAugment.FreqMask < 0 {
		return nil, fmt.Errorf("datasets: negative augmentation %+v %+v", cfg.Augment, cfg.FeatureAugment)
	}
	if !(cfg.Join >= 0 && cfg.Join <= 1) {
		return nil, fmt.Errorf("datasets: join probability %v, want 0 to 1", cfg.Join)
	}
	if w := cfg.Augment.Warp; !(w >= 0 && w <= 0.4) {
		return nil, fmt.Errorf("datasets: warp augmentation %v, want 0 to 0.4", w)
	}
	if cfg.Augment.NoiseProb > 0 && len(d.Noise) == 0 {
		return nil, fmt.Errorf("datasets: noise augmentation without noise recordings (give a noise folder)")
	}
	if cfg.Features.SampleRate != audio.Rate {
		return nil, fmt.Errorf("datasets: features at %d Hz: clips are decoded at %d Hz", cfg.Features.SampleRate, audio.Rate)
	}
	ex, err := mfcc.New(cfg.Features)
	if err != nil {
		return nil, fmt.Errorf("datasets: %w", err)
	}
	frames := ex.NumFrames(cfg.Window)
	if frames == 0 {
		return nil, fmt.Errorf("datasets: window of %d samples gives no feature frames", cfg.Window)
	}
	for _, n := range d.Noise {
		if len(n) < cfg.Window {
			return nil, fmt.Errorf("datasets: noise recordings shorter than the %d-sample window", cfg.Window)
		}
	}
	d.initState()
	l := &Loader{
		d: d, cfg: cfg, idx: d.Indices(cfg.Split),
		frames: frames, coeffs: ex.NumCoeffs(),
		free: make(chan *Batch, 4*cfg.Workers+4),
	}
	if cfg.Join > 0 {
		l.unknown = slices.Index(d.Labels, UnknownLabel)
		silence := slices.Index(d.Labels, SilenceLabel)
		for _, ci := range l.idx {
			if d.Clips[ci].Label != silence {
				l.joinable = append(l.joinable, ci)
			}
		}
		if l.unknown < 0 || len(l.joinable) == 0 {
			return nil, fmt.Errorf("datasets: joining clips needs an %s label and clips of words (labels %q)", UnknownLabel, d.Labels)
		}
		l.silence = silence
	}
	if !cfg.Augment.on() && !cfg.FeatureAugment.on() && cfg.Join == 0 && d.cacheBudget() > 0 {
		l.feats = make([]atomic.Pointer[[]float32], len(d.Clips))
	}
	return l, nil
}

// Len is the number of clips in the loader's split.
func (l *Loader) Len() int { return len(l.idx) }

// Batches is the number of batches in an epoch.
func (l *Loader) Batches() int {
	n, b := len(l.idx), l.cfg.BatchSize
	if l.cfg.DropLast {
		return n / b
	}
	return (n + b - 1) / b
}

// Frames and Coeffs give the shape of each clip's features.
func (l *Loader) Frames() int { return l.frames }
func (l *Loader) Coeffs() int { return l.coeffs }

// Config returns the loader's configuration with defaults filled in.
func (l *Loader) Config() LoaderConfig { return l.cfg }

// Order returns the clips (indices into Dataset.Clips) of an epoch in the
// order its batches hold them.
func (l *Loader) Order(epoch int) []int {
	order := append([]int(nil), l.idx...)
	if l.cfg.Shuffle {
		rng := rand.New(rand.NewPCG(mix(uint64(l.cfg.Seed), 0x0bde), uint64(epoch)))
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	}
	return order
}

// Epoch yields the batches of epoch number epoch, starting at batch start
// (0 for a whole epoch; the number of batches already done to resume one).
// Every batch of the epoch is yielded, in order, even one whose clips all
// failed (Size 0), so that counting batches counts Index. A batch is valid
// until the loop asks for the next one. The error is
// non-nil only when ctx ends before the epoch's last batch is yielded, and
// then it is the last thing yielded: after the last batch the epoch is
// whole, and a cancellation then is left for the caller to notice.
// Breaking out of the loop stops the workers.
//
//	for b, err := range l.Epoch(ctx, epoch, 0) {
//		if err != nil { return err }
//		train(b.X, b.Labels, b.Size, b.Frames)
//	}
func (l *Loader) Epoch(ctx context.Context, epoch, start int) iter.Seq2[*Batch, error] {
	if start < 0 {
		panic("datasets: negative start batch")
	}
	return func(yield func(*Batch, error) bool) {
		ctx, cancel := context.WithCancel(ctx)
		order := l.Order(epoch)
		nb := l.Batches()
		type job struct {
			k   int
			out chan *Batch
		}
		jobs := make(chan job)
		pending := make(chan chan *Batch, 2*l.cfg.Workers)
		var wg sync.WaitGroup
		defer func() {
			cancel()
			wg.Wait()
		}()
		for range l.cfg.Workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				w := l.newWorker()
				for j := range jobs {
					if ctx.Err() != nil {
						continue
					}
					lo := j.k * l.cfg.BatchSize
					hi := min(lo+l.cfg.BatchSize, len(order))
					b := l.batch()
					w.fill(b, order[lo:hi], epoch)
					b.Index = j.k
					j.out <- b
				}
			}()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(jobs)
			defer close(pending)
			for k := start; k < nb; k++ {
				out := make(chan *Batch, 1)
				select {
				case pending <- out:
				case <-ctx.Done():
					return
				}
				select {
				case jobs <- job{k, out}:
				case <-ctx.Done():
					return
				}
			}
		}()
		yielded := 0
		for out := range pending {
			// Once ctx is done no further batch is handed out, even one
			// already filled: the select below would pick either case.
			if ctx.Err() != nil {
				break
			}
			var b *Batch
			select {
			case b = <-out:
			case <-ctx.Done():
			}
			if b == nil {
				break
			}
			yielded++
			if !yield(b, nil) {
				return
			}
			select {
			case l.free <- b:
			default:
			}
		}
		// A cancellation that cost no batch is not reported: a caller
		// that stops on the error would take an epoch of which it has
		// every batch for an unfinished one.
		if err := ctx.Err(); err != nil && yielded < nb-start {
			yield(nil, err)
		}
	}
}

func (l *Loader) batch() *Batch {
	select {
	case b := <-l.free:
		return b
	default:
	}
	n := l.cfg.BatchSize
	return &Batch{
		X:      make([]float32, n*l.frames*l.coeffs),
		Labels: make([]int, n),
		Clips:  make([]int, n),
		Frames: l.frames, Coeffs: l.coeffs,
	}
}

// worker owns the buffers of one goroutine.
type worker struct {
	l      *Loader
	ex     *mfcc.Extractor
	warped map[int]*mfcc.Extractor // by warp in hundredths (Augment.Warp)
	buf    []float32
	pcg    *rand.PCG
	rng    *rand.Rand
	// With Join: the other clip, the joined one, and their draws.
	other, joined []float32
	jpcg          *rand.PCG
	jrng          *rand.Rand
	room          roomScratch // Augment.Room's convolution buffers
}

func (l *Loader) newWorker() *worker {
	ex, err := mfcc.New(l.cfg.Features)
	if err != nil {
		panic("datasets: " + err.Error()) // checked by NewLoader
	}
	pcg := rand.NewPCG(0, 0)
	w := &worker{l: l, ex: ex, buf: make([]float32, l.cfg.Window), pcg: pcg, rng: rand.New(pcg)}
	if l.cfg.Join > 0 {
		w.other, w.joined = make([]float32, l.cfg.Window), make([]float32, l.cfg.Window)
		w.jpcg = rand.NewPCG(0, 0)
		w.jrng = rand.New(w.jpcg)
	}
	return w
}

// fill computes the features of clips into b, leaving out clips that fail.
func (w *worker) fill(b *Batch, clips []int, epoch int) {
	l := w.l
	per := l.frames * l.coeffs
	b.X, b.Labels, b.Clips = b.X[:cap(b.X)], b.Labels[:cap(b.Labels)], b.Clips[:cap(b.Clips)]
	n := 0
	for _, ci := range clips {
		label, ok := w.clip(ci, epoch, b.X[n*per:(n+1)*per])
		if !ok {
			continue
		}
		b.Labels[n] = label
		b.Clips[n] = ci
		n++
	}
	b.Size = n
	b.X, b.Labels, b.Clips = b.X[:n*per], b.Labels[:n], b.Clips[:n]
}

// clip writes the features of clip ci to dst and returns their label (ci's,
// or _unknown_ when joined) and whether it could.
func (w *worker) clip(ci, epoch int, dst []float32) (int, bool) {
	l, d := w.l, w.l.d
	label := d.Clips[ci].Label
	if d.bad[ci].Load() {
		return label, false
	}
	if l.feats != nil {
		if f := l.feats[ci].Load(); f != nil {
			copy(dst, *f)
			return label, true
		}
	}
	x := w.buf
	if err := d.samples(ci, x, l.feats == nil); err != nil {
		d.fail(ci, err)
		return label, false
	}
	if l.cfg.Join > 0 && label != l.silence && w.join(ci, epoch) {
		x, label = w.joined, l.unknown
	}
	w.pcg.Seed(mix(uint64(l.cfg.Seed), uint64(epoch)), uint64(ci))
	if l.cfg.Augment.on() {
		l.cfg.Augment.apply(x, d.Noise, w.rng, &w.room)
	}
	ex := w.ex
	if a := l.cfg.Augment; a.Warp > 0 {
		ex = w.warpedExtractor(1 + a.Warp*(2*w.rng.Float64()-1))
	}
	if _, err := ex.Compute(dst[:0], x); err != nil {
		d.fail(ci, fmt.Errorf("features of %s: %w", d.name(ci), err))
		return label, false
	}
	if l.cfg.FeatureAugment.on() {
		l.cfg.FeatureAugment.Apply(dst, l.frames, l.coeffs, w.rng)
	}
	if l.feats != nil && l.feats[ci].Load() == nil {
		if f := d.arena.float32s(len(dst)); f != nil {
			copy(f, dst)
			l.feats[ci].Store(&f)
		}
	}
	return label, true
}

// join decides, from (Seed, epoch, ci), whether clip ci (in w.buf) is
// joined with another clip this epoch, and if so writes the joined clip to
// w.joined and reports true. A partner that fails to decode, or a silent
// clip, leaves ci as it is.
func (w *worker) join(ci, epoch int) bool {
	l, d := w.l, w.l.d
	w.jpcg.Seed(mix(mix(uint64(l.cfg.Seed), uint64(epoch)), joinSalt), uint64(ci))
	use := w.jrng.Float64() < l.cfg.Join
	other := l.joinable[w.jrng.IntN(len(l.joinable))]
	if !use || d.bad[other].Load() {
		return false
	}
	if err := d.samples(other, w.other, true); err != nil {
		d.fail(other, err)
		return false
	}
	return join(w.joined, w.buf, w.other, w.jrng)
}

// warpedExtractor returns the worker's extractor for warp rounded to
// hundredths, made on first use.
func (w *worker) warpedExtractor(warp float64) *mfcc.Extractor {
	k := int(math.Round(warp * 100))
	if k == 100 {
		return w.ex
	}
	ex := w.warped[k]
	if ex == nil {
		var err error
		ex, err = mfcc.NewWarped(w.l.cfg.Features, float64(k)/100)
		if err != nil {
			panic("datasets: " + err.Error()) // Augment.Warp is checked by NewLoader
		}
		if w.warped == nil {
			w.warped = make(map[int]*mfcc.Extractor)
		}
		w.warped[k] = ex
	}
	return ex
}

// mix combines two 64-bit values into a seed (SplitMix64's finaliser).
func mix(a, b uint64) uint64 {
	z := a ^ (b+0x9e3779b97f4a7c15)*0xbf58476d1ce4e5b9
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// DefaultCacheBytes is the decoded-audio cache budget of a Dataset when
// Options.CacheBytes is 0.
const DefaultCacheBytes = 1 << 30

// maxCachedSamples bounds the clips the cache keeps (10 s).
const maxCachedSamples = 10 * audio.Rate

// state is what a Dataset's loaders share: the clip cache and the clips
// that failed.
type state struct {
	once     sync.Once
	arena    *arena // the caches' memory
	pcm      []atomic.Pointer[[]int16]
	bad      []atomic.Bool
	mu       sync.Mutex
	problems []error
}

func (d *Dataset) initState() {
	d.once.Do(func() {
		d.pcm = make([]atomic.Pointer[[]int16], len(d.Clips))
		d.bad = make([]atomic.Bool, len(d.Clips))
		d.arena = &arena{budget: d.cacheBudget()}
		runtime.AddCleanup(d, (*arena).release, d.arena)
	})
}

func (d *Dataset) name(ci int) string {
	if p := d.Clips[ci].Path; p != "" {
		return p
	}
	return fmt.Sprintf("silence clip %d", ci)
}

// fail records that clip ci is unusable; loaders skip it from then on.
func (d *Dataset) fail(ci int, err error) {
	if d.bad[ci].Swap(true) {
		return
	}
	d.mu.Lock()
	d.problems = append(d.problems, err)
	d.mu.Unlock()
}

// Problems returns the errors of the clips the loaders skipped (a corrupt
// WAV, a NaN sample), one per clip, in the order they were found. The
// caller should report them; training goes on without those clips.
func (d *Dataset) Problems() []error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]error(nil), d.problems...)
}

// CachedBytes is the memory the caches of decoded clips and of
// unaugmented features hold, within Options.CacheBytes.
func (d *Dataset) CachedBytes() int64 {
	d.initState()
	return d.arena.bytesUsed()
}

// samples writes clip ci, zero-padded or cut to len(dst), into dst, and
// keeps the decoded clip in the cache if keep and the budget allows.
func (d *Dataset) samples(ci int, dst []float32, keep bool) error {
	c := &d.Clips[ci]
	if c.Path == "" {
		d.cutNoise(dst, c)
		return nil
	}
	if p := d.pcm[ci].Load(); p != nil {
		pcm := *p
		k := min(len(pcm), len(dst))
		for i, v := range pcm[:k] {
			dst[i] = float32(v) * (1.0 / 32768)
		}
		clear(dst[k:])
		return nil
	}
	s, err := audio.ReadFile(c.Path)
	if err != nil {
		return err
	}
	if len(s) == 0 {
		return fmt.Errorf("read %s: %w", c.Path, errEmpty)
	}
	k := copy(dst, s)
	clear(dst[k:])
	if keep && len(s) <= maxCachedSamples && d.pcm[ci].Load() == nil {
		if pcm := d.arena.int16s(len(s)); pcm != nil {
			for i, v := range s {
				pcm[i] = int16(max(-32768, min(32767, math.Round(float64(v)*32768))))
			}
			d.pcm[ci].Store(&pcm)
		}
	}
	return nil
}

var errEmpty = errors.New("empty clip")

func (d *Dataset) cacheBudget() int64 {
	switch b := d.Options.CacheBytes; {
	case b == 0:
		return DefaultCacheBytes
	case b < 0:
		return 0
	default:
		return b
	}
}
