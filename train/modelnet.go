package train

import (
	"fmt"
	"math/rand/v2"
	"sync"

	"github.com/listen-go/listen/model"
)

// ModelNet is a [Net] over a model.Model that spreads every batch over
// several workers (data parallelism): the batch is cut into contiguous
// shards, one per worker, each worker runs its shard forward and backward
// through its own model.Workspace into its own gradient buffer, and the
// buffers are summed in worker order. Worker i draws its dropout masks from
// a source seeded by (seed, i), so a step's result depends only on the
// weights, the batch, the seed and the number of workers.
//
// It plays the role of model.Trainer, whose random sources run on from one
// batch to the next: here they are reseeded every step, which is what lets
// a resumed run repeat an uninterrupted one exactly.
//
// A ModelNet is not safe for concurrent use.
type ModelNet struct {
	m     *model.Model
	ws    []*model.Workspace
	grads [][]float32 // workers 1.. (worker 0 writes into the caller's)
	shard int         // clips per workspace
	maxT  int
	loss  []float64
	corr  []int
}

// NewModelNet returns a ModelNet for m with the given number of workers (0
// means 1) for batches of up to maxBatch clips of up to maxT frames; larger
// batches are not accepted for training (Gradient panics), but Predict
// takes any size, in pieces.
func NewModelNet(m *model.Model, workers, maxBatch, maxT int) *ModelNet {
	if workers <= 0 {
		workers = 1
	}
	if maxBatch <= 0 || maxT <= 0 {
		panic(fmt.Sprintf("train: model net size %d x %d must be positive", maxBatch, maxT))
	}
	workers = min(workers, maxBatch)
	shard := (maxBatch + workers - 1) / workers
	n := &ModelNet{m: m, shard: shard, maxT: maxT, loss: make([]float64, workers), corr: make([]int, workers)}
	for i := range workers {
		n.ws = append(n.ws, m.NewWorkspace(shard, maxT))
		if i > 0 {
			n.grads = append(n.grads, make([]float32, m.NumParams()))
		}
	}
	return n
}

// Model returns the model being trained.
func (n *ModelNet) Model() *model.Model { return n.m }

// Workers is the number of workers.
func (n *ModelNet) Workers() int { return len(n.ws) }

// Params returns the model's flat weights.
func (n *ModelNet) Params() []float32 { return n.m.Params() }

// parallel runs f(i, lo, hi) for the k shards of [0, size), shard 0 on the
// calling goroutine.
func parallel(k, size int, f func(i, lo, hi int)) {
	if k == 1 {
		f(0, 0, size)
		return
	}
	var wg sync.WaitGroup
	for i := 1; i < k; i++ {
		wg.Go(func() { f(i, i*size/k, (i+1)*size/k) })
	}
	f(0, 0, size/k)
	wg.Wait()
}

// Gradient implements Net.
func (n *ModelNet) Gradient(grad []float32, b *Batch, seed uint64) (float64, int) {
	if b.N > n.shard*len(n.ws) || b.T > n.maxT {
		panic(fmt.Sprintf("train: batch %d x %d beyond the model net's %d x %d", b.N, b.T, n.shard*len(n.ws), n.maxT))
	}
	k := min(len(n.ws), b.N)
	per := len(b.X) / b.N
	dropout := n.m.Config().Dropout > 0
	parallel(k, b.N, func(i, lo, hi int) {
		g := grad
		if i > 0 {
			g = n.grads[i-1]
		}
		clear(g)
		var rng *rand.Rand
		if dropout {
			rng = rand.New(rand.NewPCG(seed, uint64(i)+1))
		}
		l, c := n.ws[i].TrainBatch(g, b.X[lo*per:hi*per], b.Labels[lo:hi], hi-lo, b.T, rng)
		// TrainBatch gives the shard's mean; weigh it by the shard's share.
		w := float32(hi-lo) / float32(b.N)
		if k > 1 {
			for j := range g {
				g[j] *= w
			}
		}
		n.loss[i], n.corr[i] = l*float64(hi-lo), c
	})
	loss, correct := 0.0, 0
	for i := range k {
		if i > 0 {
			g := n.grads[i-1][:len(grad)]
			for j, v := range g {
				grad[j] += v
			}
		}
		loss += n.loss[i]
		correct += n.corr[i]
	}
	return loss / float64(b.N), correct
}

// Predict implements Predictor, in pieces of at most one shard per worker.
func (n *ModelNet) Predict(dst []float32, b *Batch) []float32 {
	c := n.m.Config().Classes
	if cap(dst) < b.N*c {
		dst = make([]float32, b.N*c)
	}
	dst = dst[:b.N*c]
	if b.N == 0 {
		return dst
	}
	if b.T > n.maxT {
		panic(fmt.Sprintf("train: %d frames beyond the model net's %d", b.T, n.maxT))
	}
	per := len(b.X) / b.N
	step := n.shard * len(n.ws)
	for lo0 := 0; lo0 < b.N; lo0 += step {
		size := min(step, b.N-lo0)
		k := min(len(n.ws), size)
		parallel(k, size, func(i, lo, hi int) {
			lo, hi = lo+lo0, hi+lo0
			n.ws[i].Predict(dst[lo*c:hi*c], b.X[lo*per:hi*per], hi-lo, b.T)
		})
	}
	return dst
}
