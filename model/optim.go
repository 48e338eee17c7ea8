package model

import (
	"fmt"
	"math"
)

// ClipGlobalNorm scales grad in place so that its Euclidean norm is at most
// maxNorm, and returns the norm before clipping (accumulated in float64).
// This is the remedy for exploding gradients: one bad batch cannot throw
// the weights far, yet the update keeps its direction. maxNorm <= 0 or a
// non-finite norm leaves grad unchanged; the returned norm then tells the
// caller (a NaN or Inf norm means the step should be skipped).
// It matches torch.nn.utils.clip_grad_norm_ (scale maxNorm/(norm+1e-6)).
func ClipGlobalNorm(grad []float32, maxNorm float32) (norm float32) {
	var s float64
	for _, v := range grad {
		s += float64(v) * float64(v)
	}
	n := math.Sqrt(s)
	if maxNorm > 0 && n > float64(maxNorm) && !math.IsInf(n, 0) && !math.IsNaN(n) {
		scale := float32(float64(maxNorm) / (n + 1e-6))
		for i := range grad {
			grad[i] *= scale
		}
	}
	return float32(n)
}

// Adam is the Adam optimizer (Kingma and Ba 2015) as torch.optim.Adam
// computes it, with optional decoupled weight decay (AdamW, Loshchilov and
// Hutter 2019): each Step first shrinks every parameter by LR*WeightDecay,
// then applies the Adam update.
//
// Its state (M, V, Steps) is exported so that a checkpoint can save and
// restore it; the hyperparameters may be changed between steps (a learning
// rate schedule sets LR). Not safe for concurrent use.
type Adam struct {
	LR          float32 // learning rate, e.g. 1e-3
	Beta1       float32 // first-moment decay, 0.9
	Beta2       float32 // second-moment decay, 0.999
	Eps         float32 // added to the denominator, 1e-8
	WeightDecay float32 // decoupled (AdamW); 0 = plain Adam

	M, V  []float32 // first and second moment estimates, len = number of parameters
	Steps int       // steps taken, for bias correction
}

// NewAdam returns an Adam optimizer for n parameters with PyTorch's
// defaults (betas 0.9, 0.999, eps 1e-8, no weight decay).
func NewAdam(n int, lr float32) *Adam {
	return &Adam{LR: lr, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8,
		M: make([]float32, n), V: make([]float32, n)}
}

// Step updates params from grads. Both must have the optimizer's length;
// it panics otherwise.
func (a *Adam) Step(params, grads []float32) {
	if len(params) != len(a.M) || len(grads) != len(a.M) || len(a.V) != len(a.M) {
		panic(fmt.Sprintf("model: adam over %d parameters given %d params, %d grads (V %d)", len(a.M), len(params), len(grads), len(a.V)))
	}
	a.Steps++
	b1, b2 := a.Beta1, a.Beta2
	bc1 := 1 - math.Pow(float64(b1), float64(a.Steps))
	bc2 := 1 - math.Pow(float64(b2), float64(a.Steps))
	stepSize := float32(float64(a.LR) / bc1)
	invSqrtBC2 := float32(1 / math.Sqrt(bc2))
	decay := 1 - a.LR*a.WeightDecay
	m, v := a.M, a.V
	for i, g := range grads {
		mi := b1*m[i] + (1-b1)*g
		vi := b2*v[i] + (1-b2)*g*g
		m[i], v[i] = mi, vi
		p := params[i]
		if a.WeightDecay != 0 {
			p *= decay
		}
		params[i] = p - stepSize*mi/(float32(math.Sqrt(float64(vi)))*invSqrtBC2+a.Eps)
	}
}

// SGD is stochastic gradient descent with momentum (torch.optim.SGD's
// form: v = Momentum*v + g + WeightDecay*p; p -= LR*v). Velocity is
// exported for checkpoints. Not safe for concurrent use.
type SGD struct {
	LR          float32
	Momentum    float32 // 0 = plain SGD
	WeightDecay float32 // L2 penalty added to the gradient

	Velocity []float32
}

// NewSGD returns an SGD optimizer for n parameters.
func NewSGD(n int, lr, momentum float32) *SGD {
	return &SGD{LR: lr, Momentum: momentum, Velocity: make([]float32, n)}
}

// Step updates params from grads; it panics if the lengths differ from
// the optimizer's.
func (s *SGD) Step(params, grads []float32) {
	if len(params) != len(s.Velocity) || len(grads) != len(s.Velocity) {
		panic(fmt.Sprintf("model: sgd over %d parameters given %d params, %d grads", len(s.Velocity), len(params), len(grads)))
	}
	v := s.Velocity
	for i, g := range grads {
		g += s.WeightDecay * params[i]
		vi := s.Momentum*v[i] + g
		v[i] = vi
		params[i] -= s.LR * vi
	}
}
