package train

import (
	"fmt"
	"math"
)

// optimizer updates the weights from a gradient. Its state vectors are
// saved in checkpoints by name and restored in place.
type optimizer interface {
	step(params, grads []float32, lr float32)
	state() map[string][]float32
	steps() int64
	setSteps(n int64)
}

func newOptimizer(name string, n int, momentum float32) optimizer {
	switch name {
	case "sgd":
		return &sgd{momentum: momentum, buf: make([]float32, n)}
	default:
		return &adam{beta1: 0.9, beta2: 0.999, eps: 1e-8, m: make([]float32, n), v: make([]float32, n)}
	}
}

// adam is Adam (Kingma and Ba 2015) with PyTorch's bias correction and
// epsilon placement. Decoupled weight decay, which makes it AdamW, is
// applied by the loop before step.
type adam struct {
	beta1, beta2, eps float32
	m, v              []float32
	t                 int64
}

func (a *adam) step(params, grads []float32, lr float32) {
	a.t++
	bc1 := 1 - math.Pow(float64(a.beta1), float64(a.t))
	bc2 := 1 - math.Pow(float64(a.beta2), float64(a.t))
	stepSize := lr / float32(bc1)
	sq := float32(math.Sqrt(bc2))
	b1, b2, eps := a.beta1, a.beta2, a.eps
	m, v := a.m[:len(params)], a.v[:len(params)]
	grads = grads[:len(params)]
	for i, g := range grads {
		mi := b1*m[i] + (1-b1)*g
		vi := b2*v[i] + (1-b2)*g*g
		m[i], v[i] = mi, vi
		params[i] -= stepSize * mi / (float32(math.Sqrt(float64(vi)))/sq + eps)
	}
}

func (a *adam) state() map[string][]float32 { return map[string][]float32{"m": a.m, "v": a.v} }
func (a *adam) steps() int64                { return a.t }
func (a *adam) setSteps(n int64)            { a.t = n }

// sgd is stochastic gradient descent with PyTorch's momentum:
// buf = momentum*buf + g; w -= lr*buf.
type sgd struct {
	momentum float32
	buf      []float32
	t        int64
}

func (s *sgd) step(params, grads []float32, lr float32) {
	s.t++
	if s.momentum == 0 {
		for i, g := range grads[:len(params)] {
			params[i] -= lr * g
		}
		return
	}
	buf := s.buf[:len(params)]
	for i, g := range grads[:len(params)] {
		b := s.momentum*buf[i] + g
		if s.t == 1 {
			b = g
		}
		buf[i] = b
		params[i] -= lr * b
	}
}

func (s *sgd) state() map[string][]float32 { return map[string][]float32{"momentum": s.buf} }
func (s *sgd) steps() int64                { return s.t }
func (s *sgd) setSteps(n int64)            { s.t = n }

// restoreState copies saved vectors into o's state, checking names and
// lengths.
func restoreState(o optimizer, saved map[string][]float32) error {
	cur := o.state()
	if len(saved) != len(cur) {
		return fmt.Errorf("optimizer state has %d vectors, want %d", len(saved), len(cur))
	}
	for name, dst := range cur {
		src, ok := saved[name]
		if !ok {
			return fmt.Errorf("optimizer state lacks %q", name)
		}
		if len(src) != len(dst) {
			return fmt.Errorf("optimizer state %q has %d values, want %d", name, len(src), len(dst))
		}
		copy(dst, src)
	}
	return nil
}

// clipGlobalNorm scales grad so that its L2 norm is at most maxNorm, as
// torch.nn.utils.clip_grad_norm_ does, and returns the norm before.
func clipGlobalNorm(grad []float32, maxNorm float32) float32 {
	var ss float64
	for _, g := range grad {
		ss += float64(g) * float64(g)
	}
	norm := float32(math.Sqrt(ss))
	if norm > maxNorm {
		scale(grad, maxNorm/(norm+1e-6))
	}
	return norm
}

func scale(x []float32, a float32) {
	for i := range x {
		x[i] *= a
	}
}
