package model

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/listen-go/listen/model/internal/kernel"
)

// Workspace holds everything one worker needs to run a Model forward and
// backward through time: the per-step caches of every layer (gate
// activations, cell states, hidden states, dropout masks) and the gradient
// scratch, all allocated once by NewWorkspace for at most maxBatch clips of
// at most maxT frames. TrainBatch and Predict allocate nothing.
//
// Internally activations are time-major (row t*batch+b), so the rows of
// one time step are contiguous and one step's gate product is a single
// batch x 4H matrix multiply.
//
// A Workspace is not safe for concurrent use; give each goroutine its own.
type Workspace struct {
	m          *Model
	maxB, maxT int

	mean []float32 // maxB x Inputs, per-clip means for CMN
	xn   []float32 // T x B x Inputs, normalised input, time-major
	ls   []layerCache

	hl     []float32 // B x H, top layer's last hidden state after dropout
	fcMask []float32 // B x H
	logits []float32 // B x C, then probabilities

	// backward scratch
	dG     []float32 // T x B x 4H, gate pre-activation gradients of one layer
	dExt   []float32 // T x B x max(In, H), gradient w.r.t. a layer's input
	dh     []float32 // B x H, recurrent gradient into h_{t-1}
	dc     []float32 // B x H, gradient into c_{t-1}
	dlog   []float32 // B x C
	dhLast []float32 // B x H
	bias   []float32 // 4H scratch: summed biases, bias gradients

	more []*Workspace // one per other member of an ensemble model
}

type layerCache struct {
	whhT  []float32 // H x 4H: weight_hh transposed once per batch, so the per-step product reads it in place
	in    []float32 // T x B x In: this layer's input (xn, or h of the layer below after dropout)
	mask  []float32 // T x B x In: dropout mask on the input (layers > 0 with dropout)
	gates []float32 // T x B x 4H: i, f, g, o after their nonlinearities
	c     []float32 // T x B x H: cell state
	tc    []float32 // T x B x H: tanh(c)
	h     []float32 // T x B x H: hidden state
}

// NewWorkspace returns a workspace for batches of up to maxBatch clips of up
// to maxT frames. It panics if either is not positive.
func (m *Model) NewWorkspace(maxBatch, maxT int) *Workspace {
	if maxBatch <= 0 || maxT <= 0 {
		panic(fmt.Sprintf("model: workspace size %d x %d must be positive", maxBatch, maxT))
	}
	cfg := m.cfg
	H, BT := cfg.Hidden, maxBatch*maxT
	w := &Workspace{m: m, maxB: maxBatch, maxT: maxT}
	w.mean = make([]float32, maxBatch*cfg.Inputs)
	w.xn = make([]float32, BT*cfg.Inputs)
	drop := cfg.Dropout > 0
	w.ls = make([]layerCache, cfg.Layers)
	for l := range w.ls {
		lc := &w.ls[l]
		if l == 0 {
			lc.in = w.xn
		} else if drop {
			lc.in = make([]float32, BT*H)
			lc.mask = make([]float32, BT*H)
		}
		// layers > 0 without dropout read the layer below's h directly
		lc.whhT = make([]float32, 4*H*H)
		lc.gates = make([]float32, BT*4*H)
		lc.c = make([]float32, BT*H)
		lc.tc = make([]float32, BT*H)
		lc.h = make([]float32, BT*H)
		if l > 0 && !drop {
			lc.in = w.ls[l-1].h
		}
	}
	w.hl = make([]float32, maxBatch*H)
	if drop {
		w.fcMask = make([]float32, maxBatch*H)
	}
	w.logits = make([]float32, maxBatch*cfg.Classes)
	w.dG = make([]float32, BT*4*H)
	w.dExt = make([]float32, BT*max(cfg.Inputs, H))
	w.dh = make([]float32, maxBatch*H)
	w.dc = make([]float32, maxBatch*H)
	w.dlog = make([]float32, maxBatch*cfg.Classes)
	w.dhLast = make([]float32, maxBatch*H)
	w.bias = make([]float32, 4*H)
	for _, o := range m.members {
		w.more = append(w.more, o.NewWorkspace(maxBatch, maxT))
	}
	return w
}

// Model is the model this workspace runs.
func (w *Workspace) Model() *Model { return w.m }

func (w *Workspace) check(x []float32, batch, T int) {
	if batch <= 0 || T <= 0 || batch > w.maxB || T > w.maxT {
		panic(fmt.Sprintf("model: batch %d x %d frames outside workspace %d x %d", batch, T, w.maxB, w.maxT))
	}
	if len(x) != batch*T*w.m.cfg.Inputs {
		panic(fmt.Sprintf("model: input length %d, want %d x %d x %d", len(x), batch, T, w.m.cfg.Inputs))
	}
}

// TrainBatch runs a training step's forward and backward pass over batch
// clips x (batch x T x Inputs, row-major, batch-first like PyTorch's
// batch_first=True) with their class labels. It ADDS the gradient of the
// mean cross-entropy (against smoothed labels when Config.LabelSmoothing
// is set) over the batch into grad (len m.NumParams(), layout of
// m.Params()); the caller zeroes grad between optimizer steps. It returns
// that mean loss and the number of clips whose most probable class was the
// label.
//
// Dropout draws from rng (math/rand/v2); rng may be nil when the config has
// no dropout, and is not used at all then.
// TrainBatch panics on misuse (sizes beyond the workspace, wrong slice
// lengths, labels out of range).
func (w *Workspace) TrainBatch(grad, x []float32, labels []int, batch, T int, rng *rand.Rand) (loss float64, correct int) {
	return w.trainBatch(grad, nil, x, labels, batch, T, rng, 1/float32(batch))
}

// trainBatch is TrainBatch with the loss scaled by scale (the loss and
// gradients are those of scale * sum of per-clip losses), and, if dx is not
// nil, the gradient w.r.t. x written (not added) to dx. It returns the sum of
// the per-clip losses.
func (w *Workspace) trainBatch(grad, dx, x []float32, labels []int, batch, T int, rng *rand.Rand, scale float32) (loss float64, correct int) {
	w.check(x, batch, T)
	if len(grad) != len(w.m.params) {
		panic(fmt.Sprintf("model: gradient length %d, want %d", len(grad), len(w.m.params)))
	}
	if len(labels) != batch {
		panic(fmt.Sprintf("model: %d labels for a batch of %d", len(labels), batch))
	}
	C := w.m.cfg.Classes
	for _, y := range labels {
		if y < 0 || y >= C {
			panic(fmt.Sprintf("model: label %d out of range [0, %d)", y, C))
		}
	}
	if w.m.cfg.Dropout > 0 && rng == nil {
		panic("model: dropout needs a random source")
	}
	if len(w.more) > 0 {
		panic("model: an ensemble cannot be trained; train its members")
	}
	w.forward(x, batch, T, rng)
	probs := w.logits[:batch*C]
	dlog := w.dlog[:batch*C]
	// The target is q = (1-e) on the label plus e/C on every class; the
	// loss is -sum_k q_k log p_k and its gradient w.r.t. the logits p - q.
	e := w.m.cfg.LabelSmoothing
	spread := e / float32(C)
	var sum float64
	for b, y := range labels {
		p := probs[b*C : (b+1)*C]
		d := dlog[b*C : (b+1)*C]
		for k, v := range p {
			q := spread
			if k == y {
				q += 1 - e
			}
			if q > 0 {
				sum -= float64(q) * math.Log(max(float64(v), 1e-30))
			}
			d[k] = scale*v - scale*q
		}
		if argmax(p) == y {
			correct++
		}
	}
	w.backward(grad, dx, batch, T)
	return sum * float64(scale), correct
}

func argmax(p []float32) int {
	best := 0
	for i, v := range p {
		if v > p[best] {
			best = i
		}
	}
	return best
}

// Predict runs the model in evaluation mode (no dropout) on batch clips x
// (batch x T x Inputs) and writes the softmax probabilities, batch x Classes,
// to dst, which it returns; a nil dst is allocated. For an ensemble they are
// the mean of its members' probabilities.
func (w *Workspace) Predict(dst, x []float32, batch, T int) []float32 {
	w.check(x, batch, T)
	n := batch * w.m.cfg.Classes
	if dst == nil {
		dst = make([]float32, n)
	}
	if len(dst) < n {
		panic(fmt.Sprintf("model: predict destination length %d, want %d", len(dst), n))
	}
	dst = dst[:n]
	w.forward(x, batch, T, nil)
	copy(dst, w.logits[:n])
	if len(w.more) == 0 {
		return dst
	}
	for _, o := range w.more {
		o.forward(x, batch, T, nil)
		for i, p := range o.logits[:n] {
			dst[i] += p
		}
	}
	inv := 1 / float32(1+len(w.more))
	for i := range dst {
		dst[i] *= inv
	}
	return dst
}

// normalize writes the CMN'd and standardised input to w.xn in time-major
// order.
func (w *Workspace) normalize(x []float32, B, T int) {
	cfg := &w.m.cfg
	F := cfg.Inputs
	mean := w.mean[:B*F]
	clear(mean)
	if cfg.CMN {
		for b := 0; b < B; b++ {
			mb := mean[b*F : (b+1)*F]
			for t := 0; t < T; t++ {
				row := x[(b*T+t)*F : (b*T+t+1)*F]
				for f, v := range row {
					mb[f] += v
				}
			}
			inv := 1 / float32(T)
			for f := range mb {
				mb[f] *= inv
			}
		}
	}
	for b := 0; b < B; b++ {
		mb := mean[b*F : (b+1)*F]
		for t := 0; t < T; t++ {
			src := x[(b*T+t)*F : (b*T+t+1)*F]
			dst := w.xn[(t*B+b)*F : (t*B+b+1)*F]
			for f, v := range src {
				v -= mb[f]
				if cfg.InputMean != nil {
					v -= cfg.InputMean[f]
				}
				if cfg.InputStd != nil {
					v /= cfg.InputStd[f]
				}
				dst[f] = v
			}
		}
	}
}

// forward runs all layers and the dense layer; rng != nil means training
// mode (dropout on). It leaves softmax probabilities in w.logits.
func (w *Workspace) forward(x []float32, B, T int, rng *rand.Rand) {
	m := w.m
	cfg := &m.cfg
	H := cfg.Hidden
	train := rng != nil && cfg.Dropout > 0
	w.normalize(x, B, T)
	for l := range w.ls {
		lc := &w.ls[l]
		lp := &m.layers[l]
		in := lc.in
		if l > 0 {
			below := w.ls[l-1].h[:T*B*H]
			if cfg.Dropout > 0 {
				if train {
					dropoutMask(lc.mask[:T*B*H], cfg.Dropout, rng)
					for i, v := range below {
						in[i] = v * lc.mask[i]
					}
				} else {
					copy(in, below)
				}
			}
		}
		w.layerForward(lc, lp, in, B, T)
	}
	top := &w.ls[len(w.ls)-1]
	hl := w.hl[:B*H]
	copy(hl, top.h[(T-1)*B*H:T*B*H])
	if train {
		mask := w.fcMask[:B*H]
		dropoutMask(mask, cfg.Dropout, rng)
		for i := range hl {
			hl[i] *= mask[i]
		}
	}
	C := cfg.Classes
	logits := w.logits[:B*C]
	for b := 0; b < B; b++ {
		copy(logits[b*C:(b+1)*C], m.fcB)
	}
	kernel.Gemm(false, true, B, C, H, 1, hl, H, m.fcW, H, 1, logits, C)
	for b := 0; b < B; b++ {
		softmax(logits[b*C : (b+1)*C])
	}
}

// dropoutMask fills mask with 0 (probability p) or 1/(1-p) (inverted
// dropout, so evaluation needs no scaling).
func dropoutMask(mask []float32, p float32, rng *rand.Rand) {
	keep := 1 / (1 - p)
	for i := range mask {
		if rng.Float32() < p {
			mask[i] = 0
		} else {
			mask[i] = keep
		}
	}
}

func softmax(z []float32) {
	mx := z[0]
	for _, v := range z {
		mx = max(mx, v)
	}
	var s float32
	for i, v := range z {
		e := expf(v - mx)
		z[i] = e
		s += e
	}
	inv := 1 / s
	for i := range z {
		z[i] *= inv
	}
}

// layerForward runs one LSTM layer over T steps. in is T x B x In.
//
//	gates_t = in_t W_ih^T + b_ih + b_hh + h_{t-1} W_hh^T     (B x 4H)
//	i, f, g, o = sig, sig, tanh, sig of the four H-column blocks
//	c_t = f c_{t-1} + i g;  h_t = o tanh(c_t);  h_{-1} = c_{-1} = 0
func (w *Workspace) layerForward(lc *layerCache, lp *layerParams, in []float32, B, T int) {
	H := w.m.cfg.Hidden
	G := 4 * H
	BT := B * T
	gates := lc.gates[:BT*G]
	// For a batch, weight_hh is transposed once so each step's product reads
	// it in place; a single clip's steps are matrix-vector products that
	// read weight_hh's rows directly.
	whh, transW, ldw := lc.whhT, false, G
	if B > 1 {
		transpose(lc.whhT, lp.whh, G, H)
	} else {
		whh, transW, ldw = lp.whh, true, H
	}
	// The input projection of every time step in one product; the biases
	// are added step by step in cellForward, while the rows are in cache.
	bias := w.bias[:G]
	for j := range bias {
		bias[j] = lp.bih[j] + lp.bhh[j]
	}
	kernel.Gemm(false, true, BT, G, lp.in, 1, in, lp.in, lp.wih, lp.in, 0, gates, G)
	for t := 0; t < T; t++ {
		gt := gates[t*B*G : (t+1)*B*G]
		if t > 0 {
			kernel.Gemm(false, transW, B, G, H, 1, lc.h[(t-1)*B*H:t*B*H], H, whh, ldw, 1, gt, G)
		}
		ct := lc.c[t*B*H : (t+1)*B*H]
		tct := lc.tc[t*B*H : (t+1)*B*H]
		ht := lc.h[t*B*H : (t+1)*B*H]
		var cp []float32
		if t > 0 {
			cp = lc.c[(t-1)*B*H : t*B*H]
		}
		cellForward(gt, bias, cp, ct, tct, ht, B, H)
	}
}

// transpose writes the r x c matrix src to dst as c x r, in square blocks
// so that both sides stay in cache.
func transpose(dst, src []float32, r, c int) {
	const bs = 16
	src, dst = src[:r*c], dst[:r*c]
	for i0 := 0; i0 < r; i0 += bs {
		i1 := min(i0+bs, r)
		for j0 := 0; j0 < c; j0 += bs {
			j1 := min(j0+bs, c)
			for i := i0; i < i1; i++ {
				row := src[i*c+j0 : i*c+j1]
				for j, v := range row {
					dst[(j0+j)*r+i] = v
				}
			}
		}
	}
}

// cellForward adds bias (4H) to the gate pre-activations g (B x 4H),
// applies the gate nonlinearities in place and computes c, tanh(c) and h
// (B x H) from the previous cell state cp (nil at t = 0).
func cellForward(g, bias, cp, c, tc, h []float32, B, H int) {
	for b := 0; b < B; b++ {
		gr := g[b*4*H : (b+1)*4*H]
		kernel.Axpy(1, bias, gr)
		kernel.Sigmoid(gr[:2*H], gr[:2*H]) // i, f
		kernel.Tanh(gr[2*H:3*H], gr[2*H:3*H])
		kernel.Sigmoid(gr[3*H:], gr[3*H:])
	}
	kernel.LSTMCellForward(H, c[:B*H], tc[:B*H], h[:B*H], g[:B*4*H], cp)
}

// backward propagates w.dlog (set by trainBatch) back through the dense
// layer and every LSTM layer, adding parameter gradients into grad and, if
// dx is not nil, writing the input gradient there.
func (w *Workspace) backward(grad, dx []float32, B, T int) {
	m := w.m
	cfg := &m.cfg
	H, C := cfg.Hidden, cfg.Classes
	nL := len(m.layers)
	fcOff := m.layers[nL-1].offBhh + 4*H
	dfcW := grad[fcOff : fcOff+C*H]
	dfcB := grad[fcOff+C*H : fcOff+C*H+C]
	dlog := w.dlog[:B*C]
	hl := w.hl[:B*H]
	kernel.Gemm(true, false, C, H, B, 1, dlog, C, hl, H, 1, dfcW, H)
	for b := 0; b < B; b++ {
		for k, v := range dlog[b*C : (b+1)*C] {
			dfcB[k] += v
		}
	}
	dhLast := w.dhLast[:B*H]
	kernel.Gemm(false, false, B, H, C, 1, dlog, C, m.fcW, H, 0, dhLast, H)
	if w.fcMask != nil && cfg.Dropout > 0 {
		// Only in training mode is a mask in use; trainBatch always trains.
		mask := w.fcMask[:B*H]
		for i := range dhLast {
			dhLast[i] *= mask[i]
		}
	}
	for l := nL - 1; l >= 0; l-- {
		lc := &w.ls[l]
		lp := &m.layers[l]
		var ext []float32 // T x B x H gradient from above, or nil for the top layer
		if l < nL-1 {
			ext = w.dExt[:T*B*H]
		}
		w.layerBackward(grad, lc, lp, ext, dhLast, B, T)
		if l == 0 && dx == nil {
			break
		}
		// Gradient w.r.t. this layer's input, for the layer below (or x).
		dIn := w.dExt[:T*B*lp.in]
		kernel.Gemm(false, false, T*B, lp.in, 4*H, 1, w.dG[:T*B*4*H], 4*H, lp.wih, lp.in, 0, dIn, lp.in)
		if l > 0 && lc.mask != nil {
			for i, v := range lc.mask[:T*B*H] {
				dIn[i] *= v
			}
		}
	}
	if dx != nil {
		w.inputGrad(dx, B, T)
	}
}

// inputGrad maps the gradient w.r.t. the normalised input (w.dExt, time
// major) back through standardisation and CMN to x's layout.
func (w *Workspace) inputGrad(dx []float32, B, T int) {
	cfg := &w.m.cfg
	F := cfg.Inputs
	d := w.dExt[:T*B*F]
	for b := 0; b < B; b++ {
		for t := 0; t < T; t++ {
			src := d[(t*B+b)*F : (t*B+b+1)*F]
			dst := dx[(b*T+t)*F : (b*T+t+1)*F]
			for f, v := range src {
				if cfg.InputStd != nil {
					v /= cfg.InputStd[f]
				}
				dst[f] = v
			}
		}
		if cfg.CMN {
			mb := w.mean[b*F : (b+1)*F] // reuse as scratch: the forward means are no longer needed
			clear(mb)
			for t := 0; t < T; t++ {
				for f, v := range dx[(b*T+t)*F : (b*T+t+1)*F] {
					mb[f] += v
				}
			}
			inv := 1 / float32(T)
			for t := 0; t < T; t++ {
				row := dx[(b*T+t)*F : (b*T+t+1)*F]
				for f := range row {
					row[f] -= mb[f] * inv
				}
			}
		}
	}
}

// layerBackward is BPTT through one layer. ext is the gradient w.r.t. the
// layer's h at every step (T x B x H) from the layer above, or nil for the
// top layer, whose only outside gradient is last (B x H) at step T-1. It
// leaves the gate pre-activation gradients in w.dG and adds the layer's
// parameter gradients into grad.
func (w *Workspace) layerBackward(grad []float32, lc *layerCache, lp *layerParams, ext, last []float32, B, T int) {
	H := w.m.cfg.Hidden
	G := 4 * H
	dh := w.dh[:B*H]
	dc := w.dc[:B*H]
	clear(dh)
	clear(dc)
	dG := w.dG[:T*B*G]
	db := w.bias[:G]
	clear(db)
	for t := T - 1; t >= 0; t-- {
		if ext != nil {
			kernel.Axpy(1, ext[t*B*H:(t+1)*B*H], dh)
		} else if t == T-1 {
			kernel.Axpy(1, last, dh)
		}
		var cp []float32
		if t > 0 {
			cp = lc.c[(t-1)*B*H : t*B*H]
		}
		cellBackward(dG[t*B*G:(t+1)*B*G], db, lc.gates[t*B*G:(t+1)*B*G], cp, lc.tc[t*B*H:(t+1)*B*H], dh, dc, B, H)
		if t > 0 {
			// dh_{t-1} = dG_t W_hh
			kernel.Gemm(false, false, B, H, G, 1, dG[t*B*G:(t+1)*B*G], G, lp.whh, H, 0, dh, H)
		}
	}
	dWhh := grad[lp.offWhh : lp.offWhh+G*H]
	dWih := grad[lp.offWih : lp.offWih+G*lp.in]
	if T > 1 {
		// dW_hh += sum_t dG_t^T h_{t-1}: one product over all steps.
		kernel.Gemm(true, false, G, H, (T-1)*B, 1, dG[B*G:], G, lc.h[:(T-1)*B*H], H, 1, dWhh, H)
	}
	kernel.Gemm(true, false, G, lp.in, T*B, 1, dG, G, lc.in[:T*B*lp.in], lp.in, 1, dWih, lp.in)
	// db was summed step by step in cellBackward.
	kernel.Axpy(1, db, grad[lp.offBih:lp.offBih+G])
	kernel.Axpy(1, db, grad[lp.offBhh:lp.offBhh+G])
}

// cellBackward turns dh (gradient w.r.t. h_t, B x H) and dc (gradient
// w.r.t. c_t from step t+1) into the gate pre-activation gradients dg
// (B x 4H), which it also adds into db (4H, the bias gradient) while they
// are in cache; it leaves the gradient w.r.t. c_{t-1} in dc.
func cellBackward(dg, db, g, cp, tc, dh, dc []float32, B, H int) {
	kernel.LSTMCellBackward(H, dg[:B*4*H], dc[:B*H], g[:B*4*H], cp, tc[:B*H], dh[:B*H])
	for b := 0; b < B; b++ {
		kernel.Axpy(1, dg[b*4*H:(b+1)*4*H], db)
	}
}
