package train

import (
	"fmt"

	"github.com/listen-go/listen/model"
)

// optimizer is model.Adam or model.SGD seen through what the loop needs:
// a step at a given learning rate, and state vectors that a checkpoint
// saves by name and restores in place.
type optimizer interface {
	step(params, grads []float32, lr float32)
	state() map[string][]float32
	steps() int64
	setSteps(n int64)
}

func newOptimizer(cfg Config, n int) optimizer {
	if cfg.Optimizer == "sgd" {
		s := model.NewSGD(n, float32(cfg.LR), float32(cfg.Momentum))
		s.WeightDecay = float32(cfg.WeightDecay)
		return &sgd{s: s}
	}
	a := model.NewAdam(n, float32(cfg.LR))
	a.WeightDecay = float32(cfg.WeightDecay)
	return &adam{a: a}
}

// adam is model.Adam: AdamW when the weight decay is not zero.
type adam struct{ a *model.Adam }

func (o *adam) step(params, grads []float32, lr float32) {
	o.a.LR = lr
	o.a.Step(params, grads)
}
func (o *adam) state() map[string][]float32 { return map[string][]float32{"m": o.a.M, "v": o.a.V} }
func (o *adam) steps() int64                { return int64(o.a.Steps) }
func (o *adam) setSteps(n int64)            { o.a.Steps = int(n) }

// sgd is model.SGD, with momentum and L2 weight decay as torch.optim.SGD.
type sgd struct {
	s *model.SGD
	t int64
}

func (o *sgd) step(params, grads []float32, lr float32) {
	o.t++
	o.s.LR = lr
	o.s.Step(params, grads)
}
func (o *sgd) state() map[string][]float32 { return map[string][]float32{"momentum": o.s.Velocity} }
func (o *sgd) steps() int64                { return o.t }
func (o *sgd) setSteps(n int64)            { o.t = n }

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
