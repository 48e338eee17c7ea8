package train_test

import (
	"context"
	"iter"
	"math"
	"math/rand/v2"

	"github.com/listen-go/listen/train"
)

// softmaxNet is a linear softmax classifier on the mean of a clip's frames,
// with dropout on that mean: a small stand-in for the LSTM with the same
// contract.
type softmaxNet struct {
	f, k    int
	w       []float32 // k*f weights then k biases
	dropout float32
}

func newSoftmaxNet(f, k int) *softmaxNet {
	return &softmaxNet{f: f, k: k, w: make([]float32, k*f+k), dropout: 0.2}
}

func (m *softmaxNet) Params() []float32 { return m.w }

func (m *softmaxNet) logits(b *train.Batch, i int, keep []float32, out []float64) {
	mean := make([]float64, m.f)
	for t := range b.T {
		for j := range m.f {
			mean[j] += float64(b.X[(i*b.T+t)*m.f+j]) / float64(b.T)
		}
	}
	if keep != nil {
		for j := range mean {
			mean[j] *= float64(keep[j])
		}
	}
	for c := range m.k {
		z := float64(m.w[m.k*m.f+c])
		for j := range m.f {
			z += float64(m.w[c*m.f+j]) * mean[j]
		}
		out[c] = z
	}
	softmax(out)
}

func softmax(z []float64) {
	hi := z[0]
	for _, v := range z {
		hi = math.Max(hi, v)
	}
	s := 0.0
	for i, v := range z {
		z[i] = math.Exp(v - hi)
		s += z[i]
	}
	for i := range z {
		z[i] /= s
	}
}

func (m *softmaxNet) Gradient(grad []float32, b *train.Batch, seed uint64) (float64, int) {
	clear(grad)
	rng := rand.New(rand.NewPCG(seed, 7))
	p := make([]float64, m.k)
	keep := make([]float32, m.f)
	loss, correct := 0.0, 0
	for i := range b.N {
		for j := range keep {
			keep[j] = 0
			if rng.Float32() >= m.dropout {
				keep[j] = 1 / (1 - m.dropout)
			}
		}
		m.logits(b, i, keep, p)
		y := b.Labels[i]
		loss -= math.Log(math.Max(p[y], 1e-30))
		best := 0
		for c := range p {
			if p[c] > p[best] {
				best = c
			}
		}
		if best == y {
			correct++
		}
		for c := range m.k {
			d := p[c]
			if c == y {
				d--
			}
			d /= float64(b.N)
			grad[m.k*m.f+c] += float32(d)
			for t := range b.T {
				for j := range m.f {
					grad[c*m.f+j] += float32(d * float64(b.X[(i*b.T+t)*m.f+j]) * float64(keep[j]) / float64(b.T))
				}
			}
		}
	}
	return loss / float64(b.N), correct
}

func (m *softmaxNet) Predict(dst []float32, b *train.Batch) []float32 {
	if cap(dst) < b.N*m.k {
		dst = make([]float32, b.N*m.k)
	}
	dst = dst[:b.N*m.k]
	p := make([]float64, m.k)
	for i := range b.N {
		m.logits(b, i, nil, p)
		for c := range p {
			dst[i*m.k+c] = float32(p[c])
		}
	}
	return dst
}

// blobs is a synthetic data set: class c's clips are noisy frames around a
// class centre. Epoch order and noise depend only on (seed, epoch).
type blobs struct {
	n, batch, t, f, k int
	seed              uint64
	noise             float64
	base              uint64 // different clips for validation sets
	cancelAt          [2]int // cancel after yielding this (epoch, batch), if cancel != nil
	cancel            func()
}

func (d *blobs) NumBatches() int { return (d.n + d.batch - 1) / d.batch }

func (d *blobs) clip(idx int, x []float32, rng *rand.Rand) int {
	c := idx % d.k
	for t := range d.t {
		for j := range d.f {
			centre := 0.0
			if j%d.k == c {
				centre = 1
			}
			x[t*d.f+j] = float32(centre + d.noise*rng.NormFloat64())
		}
	}
	return c
}

func (d *blobs) Epoch(ctx context.Context, epoch, start int) iter.Seq2[*train.Batch, error] {
	return func(yield func(*train.Batch, error) bool) {
		order := rand.New(rand.NewPCG(d.seed, uint64(epoch))).Perm(d.n)
		for bi := start; bi < d.NumBatches(); bi++ {
			lo, hi := bi*d.batch, min((bi+1)*d.batch, d.n)
			b := &train.Batch{X: make([]float32, (hi-lo)*d.t*d.f), Labels: make([]int, hi-lo), N: hi - lo, T: d.t}
			for i, idx := range order[lo:hi] {
				rng := rand.New(rand.NewPCG(d.seed^d.base, uint64(epoch)<<32|uint64(idx)))
				b.Labels[i] = d.clip(idx, b.X[i*d.t*d.f:(i+1)*d.t*d.f], rng)
			}
			if !yield(b, nil) {
				return
			}
			if d.cancel != nil && epoch == d.cancelAt[0] && bi == d.cancelAt[1] {
				d.cancel()
			}
		}
	}
}

func (d *blobs) Batches(ctx context.Context) iter.Seq2[*train.Batch, error] {
	return d.Epoch(ctx, 0, 0)
}

func newBlobs(n int, seed uint64) *blobs {
	return &blobs{n: n, batch: 8, t: 5, f: 6, k: 3, seed: seed, noise: 1.5}
}
