package datasets

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// epochHash is the SHA-256 of an epoch's features (their bits) and labels.
func epochHash(r epochResult) string {
	h := sha256.New()
	var b [4]byte
	for _, v := range r.x {
		binary.LittleEndian.PutUint32(b[:], math.Float32bits(v))
		h.Write(b[:])
	}
	for _, v := range r.labels {
		binary.LittleEndian.PutUint32(b[:], uint32(v))
		h.Write(b[:])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// augmentedConfig is the training recipe's kind of loader: every waveform
// and feature augmentation on.
func augmentedConfig() LoaderConfig {
	a := DefaultAugment()
	a.Speed, a.Warp, a.Tight, a.Place = 0.1, 0.1, 0.3, 0.5
	return LoaderConfig{Split: Training, BatchSize: 8, Shuffle: true, Seed: 5, Augment: a, FeatureAugment: SpecAugment()}
}

func joinDataset(t *testing.T) *Dataset {
	return smallDataset(t, Options{UnknownPct: 30, SilencePct: 10, Seed: 2})
}

// Join 0 is the loader as it was before joining existed: these are the
// hashes of two epochs of augmentedConfig from the loader of commit
// cb39ee7, on amd64 (another architecture may fuse multiply-adds in the
// features and get other bits; there the two runs are only compared with
// each other).
func TestJoinZeroUnchanged(t *testing.T) {
	d := joinDataset(t)
	var got []string
	for _, join := range []float64{0, 0} {
		cfg := augmentedConfig()
		cfg.Join = join
		l, err := d.NewLoader(cfg)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, epochHash(runEpoch(t, l, 0, 0))+" "+epochHash(runEpoch(t, l, 3, 0)))
	}
	const want = "fad183499f327c46146800470f299d0c66d5a8952106b7bb9b1a59badcb63979 b3152e1d4e3d50b87a6b77dcfe4e6ecc5e46ad7f52ec016965dd17f56fb1d570"
	if got[0] != got[1] || runtime.GOARCH == "amd64" && got[0] != want {
		t.Errorf("epochs 0 and 3 hash to\n%s\n%s\nwant %s", got[0], got[1], want)
	}
}

func TestJoinShare(t *testing.T) {
	d := joinDataset(t)
	unknown, silence := slices.Index(d.Labels, UnknownLabel), slices.Index(d.Labels, SilenceLabel)
	cfg := augmentedConfig()
	plain, err := d.NewLoader(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Join = 0.3
	joined, err := d.NewLoader(cfg)
	if err != nil {
		t.Fatal(err)
	}
	per := plain.Frames() * plain.Coeffs()
	draws, changed, relabelled := 0, 0, 0
	for epoch := range 8 {
		a, b := runEpoch(t, plain, epoch, 0), runEpoch(t, joined, epoch, 0)
		if !slices.Equal(a.clips, b.clips) {
			t.Fatalf("epoch %d: joining changed the clips' order", epoch)
		}
		for i, ci := range a.clips {
			same := slices.Equal(a.x[i*per:(i+1)*per], b.x[i*per:(i+1)*per])
			own := d.Clips[ci].Label
			switch {
			case own == silence:
				if !same || b.labels[i] != silence {
					t.Fatalf("epoch %d: silence clip %d joined", epoch, ci)
				}
				continue
			case same && b.labels[i] != own:
				t.Fatalf("epoch %d: clip %d relabelled %d, not joined", epoch, ci, b.labels[i])
			case !same && b.labels[i] != unknown:
				t.Fatalf("epoch %d: clip %d joined, label %d, want _unknown_ %d", epoch, ci, b.labels[i], unknown)
			}
			draws++
			if !same {
				changed++
				if own != unknown {
					relabelled++
				}
			}
		}
	}
	// A binomial share of 0.3 over the draws: within three standard
	// deviations.
	share := float64(changed) / float64(draws)
	if sd := math.Sqrt(0.3 * 0.7 / float64(draws)); math.Abs(share-0.3) > 3*sd || relabelled == 0 {
		t.Errorf("%d of %d clips joined (%.3f, want 0.3 +- %.3f), %d of them commands", changed, draws, share, 3*sd, relabelled)
	}
	t.Logf("%d of %d clips joined (%.3f), %d of them commands relabelled", changed, draws, share, relabelled)
}

func TestJoinDeterministic(t *testing.T) {
	d := joinDataset(t)
	cfg := augmentedConfig()
	cfg.Join, cfg.BatchSize = 0.5, 5
	var runs []epochResult
	for _, workers := range []int{1, 3} {
		cfg.Workers = workers
		l, err := d.NewLoader(cfg)
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, runEpoch(t, l, 1, 0))
		rest := runEpoch(t, l, 1, 2) // resumed at batch 2
		skip := runs[0].sizes[0] + runs[0].sizes[1]
		if !slices.Equal(rest.x, runs[len(runs)-1].x[skip*l.Frames()*l.Coeffs():]) || !slices.Equal(rest.labels, runs[len(runs)-1].labels[skip:]) {
			t.Errorf("%d workers: resuming at batch 2 gave other batches", workers)
		}
	}
	if epochHash(runs[0]) != epochHash(runs[1]) {
		t.Error("1 and 3 workers joined differently")
	}
	cfg.Seed++
	l, err := d.NewLoader(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if epochHash(runEpoch(t, l, 1, 0)) == epochHash(runs[0]) {
		t.Error("another seed gave the same epoch")
	}
}

func TestJoinPieces(t *testing.T) {
	const n = 16000
	a, b := make([]float32, n), make([]float32, n)
	for i := 4000; i < 12000; i++ {
		a[i] = 0.5
	}
	for i := 1920; i < 9920; i++ { // whole 160-sample frames
		b[i] = -0.25
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 50 {
		dst := make([]float32, n)
		if !join(dst, a, b, rng) {
			t.Fatal("join failed")
		}
		// Zeros, a run of a's 0.5, zeros (the gap), b's -0.25, zeros;
		// either piece may run past its end of the window.
		a0, a1 := span(dst, 0.5)
		b0, b1 := span(dst, -0.25)
		for i, v := range dst {
			if (i < a0 || i >= a1) && (i < b0 || i >= b1) && v != 0 {
				t.Fatalf("sample %d is %v outside pieces [%d, %d) and [%d, %d)", i, v, a0, a1, b0, b1)
			}
		}
		// Each piece is 35 to 65 % of its 8000-sample word (160-sample
		// frames) unless cut by the window, the gap at most 100 ms, the
		// junction in the middle half.
		if a0 < 0 || b0 < 0 || a1 > b0 || b0-a1 > 1600 || b0 < n/4 || b0 > 3*n/4 ||
			a1-a0 > 5200 || a0 > 0 && a1-a0 < 2800 || b1-b0 > 5200 || b1 < n && b1-b0 < 2800 {
			t.Fatalf("pieces [%d, %d) and [%d, %d)", a0, a1, b0, b1)
		}
	}
	dst := []float32{7}
	if join(dst[:1], make([]float32, 1), make([]float32, 1), rng) || dst[0] != 7 {
		t.Error("silence joined")
	}
}

// span returns the first and one past the last index of v in x, failing
// unless x[lo:hi] is all v (-1, -1 when x holds no v).
func span(x []float32, v float32) (lo, hi int) {
	lo = slices.Index(x, v)
	if lo < 0 {
		return -1, -1
	}
	hi = lo
	for hi < len(x) && x[hi] == v {
		hi++
	}
	if slices.Contains(x[hi:], v) {
		return -1, -1
	}
	return lo, hi
}

func TestJoinConfigErrors(t *testing.T) {
	d := joinDataset(t)
	for _, j := range []float64{-0.1, 1.5, math.NaN()} {
		if _, err := d.NewLoader(LoaderConfig{Join: j}); err == nil || !strings.Contains(err.Error(), "join") {
			t.Errorf("join %v: error %v", j, err)
		}
	}
	// Folders without an _unknown_ label.
	dir := t.TempDir()
	for i, w := range []string{"lights_on", "lights_off"} {
		for k := range 3 {
			writeWAV(t, filepath.Join(dir, w, "s"+string(rune('a'+k))+"_nohash_0.wav"), tone(8000, 3*i+k), 16000)
		}
	}
	f, err := Scan(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.NewLoader(LoaderConfig{Split: All, Join: 0.2}); err == nil || !strings.Contains(err.Error(), UnknownLabel) {
		t.Errorf("no _unknown_ label: error %v (labels %q)", err, f.Labels)
	}
}
