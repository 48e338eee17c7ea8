package datasets

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/mfcc"
)

// smallDataset is a Speech Commands folder of 4 words x 12 speakers of
// 0.5 s clips plus noise.
func smallDataset(t testing.TB, opt Options) *Dataset {
	t.Helper()
	spk := speakers(12, func(s Split) bool { return true })
	dir := makeSpeechCommands(t, append(slices.Clone(DefaultWords[:4]), "bed"), spk, 8000)
	opt.Words = DefaultWords[:4]
	d, err := Scan(dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

type epochResult struct {
	x      []float32
	labels []int
	clips  []int
	sizes  []int
}

func runEpoch(t *testing.T, l *Loader, epoch, start int) epochResult {
	t.Helper()
	var r epochResult
	k := start
	for b, err := range l.Epoch(context.Background(), epoch, start) {
		if err != nil {
			t.Fatal(err)
		}
		if b.Index != k {
			t.Fatalf("batch %d has index %d", k, b.Index)
		}
		k++
		per := b.Frames * b.Coeffs
		r.x = append(r.x, b.X[:b.Size*per]...)
		r.labels = append(r.labels, b.Labels[:b.Size]...)
		r.clips = append(r.clips, b.Clips[:b.Size]...)
		r.sizes = append(r.sizes, b.Size)
	}
	return r
}

func TestLoaderDeterministic(t *testing.T) {
	d := smallDataset(t, Options{})
	cfg := LoaderConfig{
		Split: Training, BatchSize: 7, Shuffle: true, Seed: 9,
		Augment: DefaultAugment(), FeatureAugment: SpecAugment(),
	}
	var runs []epochResult
	for _, workers := range []int{1, 3} {
		cfg.Workers = workers
		l, err := d.NewLoader(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if l.Frames() != 97 || l.Coeffs() != 40 {
			t.Fatalf("shape %dx%d, want 97x40", l.Frames(), l.Coeffs())
		}
		runs = append(runs, runEpoch(t, l, 2, 0))
		if n := len(runs[len(runs)-1].labels); n != l.Len() || n != d.Count(Training) {
			t.Fatalf("epoch gave %d clips, want %d", n, l.Len())
		}
		// Resuming at batch 3 gives the rest of the same epoch.
		rest := runEpoch(t, l, 2, 3)
		full := runs[len(runs)-1]
		if !slices.Equal(rest.clips, full.clips[3*7:]) || !slices.Equal(rest.x, full.x[3*7*97*40:]) {
			t.Errorf("workers %d: resumed epoch differs", workers)
		}
		// Another epoch: another order and other augmentation.
		other := runEpoch(t, l, 3, 0)
		if slices.Equal(other.clips, full.clips) {
			t.Errorf("epochs 2 and 3 have the same order")
		}
	}
	if !slices.Equal(runs[0].x, runs[1].x) || !slices.Equal(runs[0].clips, runs[1].clips) {
		t.Error("1 and 3 workers give different batches")
	}
	for i, ci := range runs[0].clips {
		if runs[0].labels[i] != d.Clips[ci].Label || d.Clips[ci].Split != Training {
			t.Fatalf("clip %d: label %d, clip %+v", i, runs[0].labels[i], d.Clips[ci])
		}
	}
}

// TestLoaderPlain checks a validation batch against mfcc of the clip padded
// to the window by hand, and that the feature cache serves it unchanged.
func TestLoaderPlain(t *testing.T) {
	d := smallDataset(t, Options{})
	l, err := d.NewLoader(LoaderConfig{Split: Validation, BatchSize: 4})
	if err != nil {
		t.Fatal(err)
	}
	ex, _ := mfcc.New(mfcc.DefaultConfig())
	for pass := range 2 {
		r := runEpoch(t, l, pass, 0)
		if !slices.Equal(r.clips, d.Indices(Validation)) {
			t.Fatalf("unshuffled order %v, want %v", r.clips, d.Indices(Validation))
		}
		for i, ci := range r.clips {
			s, err := d.Samples(ci, audio.Rate)
			if err != nil {
				t.Fatal(err)
			}
			win := make([]float32, audio.Rate)
			copy(win, s)
			want, _ := ex.Compute(nil, win)
			if got := r.x[i*len(want) : (i+1)*len(want)]; !slices.Equal(got, want) {
				t.Fatalf("pass %d clip %d: features differ from mfcc of the padded clip", pass, ci)
			}
		}
	}
	if d.CachedBytes() == 0 {
		t.Error("nothing cached")
	}
}

func TestLoaderCacheOff(t *testing.T) {
	on := smallDataset(t, Options{})
	off, err := Scan(on.Dir, Options{Words: on.Options.Words, CacheBytes: -1})
	if err != nil {
		t.Fatal(err)
	}
	small, err := Scan(on.Dir, Options{Words: on.Options.Words, CacheBytes: 100 << 10})
	if err != nil {
		t.Fatal(err)
	}
	cfg := LoaderConfig{Split: Training, Augment: DefaultAugment(), Shuffle: true}
	var rs []epochResult
	for _, d := range []*Dataset{on, on, off, small} { // cold cache, warm cache, no cache, part cached
		l, err := d.NewLoader(cfg)
		if err != nil {
			t.Fatal(err)
		}
		rs = append(rs, runEpoch(t, l, 0, 0))
	}
	for i, r := range rs[1:] {
		if !slices.Equal(rs[0].x, r.x) {
			t.Errorf("run %d: the cache changes the batches", i+1)
		}
	}
	if n := small.CachedBytes(); n == 0 || n > 100<<10 {
		t.Errorf("a 100 kB budget cached %d bytes", n)
	}
	if off.CachedBytes() != 0 {
		t.Errorf("CacheBytes -1 cached %d bytes", off.CachedBytes())
	}
}

// TestLoaderBadClips: a corrupt WAV is skipped and reported once, a clip at
// 8 kHz is resampled, training goes on.
func TestLoaderBadClips(t *testing.T) {
	d0 := smallDataset(t, Options{})
	dir := d0.Dir
	bad := filepath.Join(dir, "yes", "deadbeef_nohash_0.wav")
	if err := os.WriteFile(bad, []byte("RIFF\x10\x00\x00\x00WAVEjunk"), 0o644); err != nil {
		t.Fatal(err)
	}
	slow := filepath.Join(dir, "no", "deadbeef_nohash_0.wav")
	writeWAV(t, slow, tone(4000, 3), 8000)
	d, err := Scan(dir, Options{Words: DefaultWords[:4], SplitBy: SplitSpeaker, ValidationPct: -1, TestPct: -1})
	if err != nil {
		t.Fatal(err)
	}
	l, err := d.NewLoader(LoaderConfig{Split: All, BatchSize: 5})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		r := runEpoch(t, l, 0, 0)
		if len(r.clips) != d.Count(All)-1 {
			t.Errorf("%d clips, want all but the corrupt one (%d)", len(r.clips), d.Count(All)-1)
		}
		for _, ci := range r.clips {
			if d.Clips[ci].Path == bad {
				t.Error("corrupt clip in a batch")
			}
		}
	}
	// With one clip a batch, the corrupt clip's batch comes empty.
	l1, err := d.NewLoader(LoaderConfig{Split: All, BatchSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	r := runEpoch(t, l1, 0, 0)
	if len(r.sizes) != l1.Batches() || slices.Index(r.sizes, 0) < 0 {
		t.Errorf("%d batches (want %d), sizes %v: want every batch, one empty", len(r.sizes), l1.Batches(), r.sizes)
	}
	p := d.Problems()
	if len(p) != 1 || !strings.Contains(p[0].Error(), bad) {
		t.Errorf("problems %v, want one naming %s", p, bad)
	}
	i := slices.IndexFunc(d.Clips, func(c Clip) bool { return c.Path == slow })
	s, err := d.Samples(i, audio.Rate)
	if err != nil || len(s) < 7900 || len(s) > 8100 {
		t.Errorf("8 kHz clip: %d samples, %v; want about 8000 at 16 kHz", len(s), err)
	}
}

func TestLoaderCancel(t *testing.T) {
	d := smallDataset(t, Options{})
	l, err := d.NewLoader(LoaderConfig{BatchSize: 2, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	var last error
	for _, err := range l.Epoch(ctx, 0, 0) {
		if err != nil {
			last = err
			break
		}
		n++
		if n == 2 {
			cancel()
		}
	}
	if !errors.Is(last, context.Canceled) {
		t.Errorf("after cancel: %v, want context.Canceled", last)
	}
	// Breaking out early stops cleanly too, and the loader still works.
	for range l.Epoch(context.Background(), 0, 0) {
		break
	}
	if r := runEpoch(t, l, 1, 0); len(r.clips) != l.Len() {
		t.Errorf("after break: %d clips, want %d", len(r.clips), l.Len())
	}
}

// TestLoaderCancelAtEachBatch cancels while each batch of an epoch is in
// the caller's hands (as a Ctrl-C while it is trained): the epoch ends
// with ctx's error after that batch, unless it was the last, when the
// epoch is whole and ends without an error.
func TestLoaderCancelAtEachBatch(t *testing.T) {
	d := smallDataset(t, Options{})
	l, err := d.NewLoader(LoaderConfig{BatchSize: 2, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	nb := l.Batches()
	if nb < 2 {
		t.Fatalf("%d batches, want several", nb)
	}
	for _, start := range []int{0, nb - 1} {
		for k := start; k < nb; k++ {
			ctx, cancel := context.WithCancel(context.Background())
			var got []int
			var last error
			for b, err := range l.Epoch(ctx, 0, start) {
				if err != nil {
					last = err
					break
				}
				got = append(got, b.Index)
				if b.Index == k {
					cancel()
				}
			}
			cancel()
			switch {
			case k == nb-1 && last != nil:
				t.Errorf("start %d, cancelled at the last batch: %v after batches %v, want no error", start, last, got)
			case k < nb-1 && !errors.Is(last, context.Canceled):
				t.Errorf("start %d, cancelled at batch %d of %d: %v after batches %v, want context.Canceled", start, k, nb, last, got)
			case len(got) == 0 || got[0] != start || slices.Index(got, k) < 0:
				t.Errorf("start %d, cancelled at batch %d: batches %v", start, k, got)
			}
		}
	}
}

func TestLoaderConfigErrors(t *testing.T) {
	d := smallDataset(t, Options{NoiseDir: "-"})
	for _, cfg := range []LoaderConfig{
		{BatchSize: -1},
		{Window: 100},
		{Augment: Augment{NoiseProb: 0.5, NoiseMax: 0.1}}, // no noise
		{Augment: Augment{MaxShift: -1}},
		{Split: Split(7)},
		{Features: mfcc.Config{SampleRate: 8000, NumMels: 20}},
	} {
		if _, err := d.NewLoader(cfg); err == nil {
			t.Errorf("NewLoader(%+v): no error", cfg)
		}
	}
}

func TestAugment(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		x := make([]float32, 100)
		for i := range x {
			x[i] = 0.5
		}
		Augment{MaxShift: 30}.Apply(x, nil, rng)
		// A shift leaves one run of zeros at one end and 0.5 elsewhere.
		z := 0
		for _, v := range x {
			if v == 0 {
				z++
			} else if v != 0.5 {
				t.Fatalf("shifted value %v", v)
			}
		}
		if z > 30 || z > 0 && x[0] != 0 && x[99] != 0 {
			t.Fatalf("shift zeroed %d samples, not at an end: %v", z, x)
		}
	}
	noise := [][]float32{make([]float32, 300)}
	for i := range noise[0] {
		noise[0][i] = 1
	}
	hits := 0
	for range 1000 {
		x := make([]float32, 100)
		x[0] = 0.99
		Augment{NoiseProb: 0.8, NoiseMax: 0.1}.Apply(x, noise, rng)
		if x[1] < 0 || x[1] >= 0.1 || x[0] > 1 {
			t.Fatalf("noise volume %v, clamp %v", x[1], x[0])
		}
		if x[1] > 0 {
			hits++
		}
	}
	if hits < 740 || hits > 860 {
		t.Errorf("noise on %d of 1000 clips, want about 800", hits)
	}
}

func TestFeatureAugment(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const T, F = 97, 40
	sawT, sawF := false, false
	for range 100 {
		x := make([]float32, T*F)
		for i := range x {
			x[i] = float32(1 + i%F)
		}
		SpecAugment().Apply(x, T, F, rng)
		// Rows whose every value equals the column mean (the mean fill)
		// and columns of zeros.
		masked := 0
		for c := 0; c < F; c++ {
			zero := true
			for r := 0; r < T; r++ {
				zero = zero && x[r*F+c] == 0
			}
			if zero {
				masked++
			}
		}
		if masked > 6 {
			t.Fatalf("%d coefficients masked, want at most 6", masked)
		}
		sawF = sawF || masked > 0
		for r := 0; r < T; r++ {
			for c := 0; c < F; c++ {
				if v := x[r*F+c]; v != 0 && v != float32(1+c) {
					t.Fatalf("frame %d coeff %d: %v is neither the value, its mean, nor 0", r, c, v)
				}
			}
		}
	}
	x := make([]float32, T*F)
	for i := range x {
		x[i] = float32(i / F) // a ramp in time: the mean fill differs from the masked frames
	}
	for range 50 {
		y := slices.Clone(x)
		FeatureAugment{TimeMask: 10}.Apply(y, T, F, rng)
		if !slices.Equal(x, y) {
			sawT = true
		}
	}
	if !sawF || !sawT {
		t.Errorf("masks never applied: time %v, freq %v", sawT, sawF)
	}
}

// BenchmarkLoader measures clips per second through a training loader
// (TF augmentation and SpecAugment), with the decoded clips cached and
// without, on one worker; ex/cpu-s is the rate per second of process CPU
// time, steadier than ex/s on a busy machine.
func BenchmarkLoader(b *testing.B) {
	spk := speakers(40, func(Split) bool { return true })
	dir := makeSpeechCommands(b, DefaultWords[:5], spk, audio.Rate)
	for _, bc := range []struct {
		name  string
		cache int64
		aug   bool
	}{
		{"cached/augment", 0, true},
		{"decode/augment", -1, true},
		{"cached/plain", 0, false},
	} {
		b.Run(bc.name, func(b *testing.B) {
			d, err := Scan(dir, Options{Words: DefaultWords[:5], CacheBytes: bc.cache})
			if err != nil {
				b.Fatal(err)
			}
			cfg := LoaderConfig{Split: All, Shuffle: true, Workers: 1}
			if bc.aug {
				cfg.Augment, cfg.FeatureAugment = DefaultAugment(), SpecAugment()
			}
			l, err := d.NewLoader(cfg)
			if err != nil {
				b.Fatal(err)
			}
			for range l.Epoch(context.Background(), 0, 0) { // fill the caches
			}
			b.ReportAllocs()
			b.ResetTimer()
			c0 := cpuSeconds()
			n := 0
			for epoch := 1; n < b.N; epoch++ {
				for bt, err := range l.Epoch(context.Background(), epoch, 0) {
					if err != nil {
						b.Fatal(err)
					}
					n += bt.Size
				}
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "ex/s")
			b.ReportMetric(float64(n)/(cpuSeconds()-c0), "ex/cpu-s")
		})
	}
}
