package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
)

// Trainer computes a batch's gradient with several workers in parallel
// (data parallelism): the batch is split into contiguous shards, one per
// worker, each worker runs its shard through its own Workspace into its own
// gradient buffer, and the buffers are summed in worker order. For a given
// seed, worker count and sequence of batches the result is always the same.
//
// Each worker has its own random source for dropout, seeded from the
// Trainer's seed and the worker's index.
//
// A Trainer is not safe for concurrent use.
type Trainer struct {
	m       *Model
	ws      []*Workspace
	grads   [][]float32
	rngs    []*rand.Rand
	pcgs    []*rand.PCG
	shard   int
	results []shardResult
}

type shardResult struct {
	loss    float64
	correct int
}

// NewTrainer returns a trainer with the given number of workers (at least
// 1; 0 means 1) for batches of up to maxBatch clips of up to maxT frames.
func (m *Model) NewTrainer(workers, maxBatch, maxT int, seed uint64) *Trainer {
	if workers <= 0 {
		workers = 1
	}
	if maxBatch <= 0 || maxT <= 0 {
		panic(fmt.Sprintf("model: trainer size %d x %d must be positive", maxBatch, maxT))
	}
	workers = min(workers, maxBatch)
	shard := (maxBatch + workers - 1) / workers
	t := &Trainer{m: m, shard: shard, results: make([]shardResult, workers)}
	for i := 0; i < workers; i++ {
		t.ws = append(t.ws, m.NewWorkspace(shard, maxT))
		pcg := rand.NewPCG(seed, uint64(i)+1)
		t.pcgs = append(t.pcgs, pcg)
		t.rngs = append(t.rngs, rand.New(pcg))
		if i > 0 {
			t.grads = append(t.grads, make([]float32, len(m.params)))
		}
	}
	return t
}

// Seed restarts every worker's random source: worker i's becomes
// PCG(seed, i+1), as NewTrainer seeds them. Reseeding before each step
// (with, say, a hash of the run seed and the step number) makes a step's
// dropout masks depend only on that seed, so a run resumed from a
// checkpoint repeats an uninterrupted one exactly. Seed allocates nothing.
func (t *Trainer) Seed(seed uint64) {
	for i, p := range t.pcgs {
		p.Seed(seed, uint64(i)+1)
	}
}

// Workers is the number of workers.
func (t *Trainer) Workers() int { return len(t.ws) }

// Gradient overwrites grad with the gradient of the mean cross-entropy over
// the batch (x is batch x T x Inputs) and returns that mean loss and the
// number of correctly classified clips. Worker 0 writes straight into grad;
// the others' buffers are added in order.
func (t *Trainer) Gradient(grad, x []float32, labels []int, batch, T int) (loss float64, correct int) {
	if batch <= 0 || batch > t.shard*len(t.ws) {
		panic(fmt.Sprintf("model: batch %d outside trainer's %d", batch, t.shard*len(t.ws)))
	}
	if len(x) != batch*T*t.m.cfg.Inputs || len(labels) != batch {
		panic(fmt.Sprintf("model: input length %d and %d labels for batch %d x %d x %d", len(x), len(labels), batch, T, t.m.cfg.Inputs))
	}
	// Fixed contiguous shards: as even as possible, later ones larger.
	n := min(len(t.ws), batch)
	clear(grad)
	if n == 1 {
		t.shardGradient(0, 1, grad, x, labels, batch, T)
	} else {
		var wg sync.WaitGroup
		for i := 1; i < n; i++ {
			wg.Go(func() { t.shardGradient(i, n, grad, x, labels, batch, T) })
		}
		t.shardGradient(0, n, grad, x, labels, batch, T)
		wg.Wait()
		for i := 1; i < n; i++ {
			addTo(grad, t.grads[i-1])
		}
	}
	for i := 0; i < n; i++ {
		loss += t.results[i].loss
		correct += t.results[i].correct
	}
	return loss, correct
}

// shardGradient runs worker i's shard of n: worker 0 into grad, the others
// into their own buffers.
func (t *Trainer) shardGradient(i, n int, grad, x []float32, labels []int, batch, T int) {
	lo, hi := i*batch/n, (i+1)*batch/n
	g := grad
	if i > 0 {
		g = t.grads[i-1]
		clear(g)
	}
	F := t.m.cfg.Inputs
	var rng *rand.Rand
	if t.m.cfg.Dropout > 0 {
		rng = t.rngs[i]
	}
	l, c := t.ws[i].trainBatch(g, nil, x[lo*T*F:hi*T*F], labels[lo:hi], hi-lo, T, rng, 1/float32(batch))
	t.results[i] = shardResult{l, c}
}

func addTo(dst, s []float32) {
	s = s[:len(dst)]
	for i, v := range s {
		dst[i] += v
	}
}

// Optimizer updates parameters from gradients in place: Adam and SGD.
type Optimizer interface {
	Step(params, grads []float32)
}

// Step is one whole training step: Gradient into grad, ClipGlobalNorm to
// maxNorm (0: no clipping), and opt.Step on the model's parameters. It
// returns the mean loss, the number of correct clips and the gradient norm
// before clipping. A non-finite norm skips the update (the batch is lost,
// the weights stay sane).
func (t *Trainer) Step(grad, x []float32, labels []int, batch, T int, maxNorm float32, opt Optimizer) (loss float64, correct int, norm float32) {
	loss, correct = t.Gradient(grad, x, labels, batch, T)
	norm = ClipGlobalNorm(grad, maxNorm)
	if math.IsNaN(float64(norm)) || math.IsInf(float64(norm), 0) {
		return loss, correct, norm
	}
	opt.Step(t.m.params, grad)
	return loss, correct, norm
}
