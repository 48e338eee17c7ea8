package train

import (
	"math"
	"testing"
)

// Reference values from PyTorch 1.13 (torch.optim.AdamW lr 0.01 wd 0.1,
// torch.optim.SGD lr 0.1 momentum 0.9, clip_grad_norm_ 2), three steps
// from [1, -2, 3] with these gradients.
var refGrads = [][]float32{{0.5, -1, 0}, {0.1, 0.2, -0.3}, {-2, 1, 4}}

func TestAdamWMatchesTorch(t *testing.T) {
	p := []float32{1, -2, 3}
	o := newOptimizer(Config{Optimizer: "adam", WeightDecay: 0.1}, 3)
	for _, g := range refGrads {
		o.step(p, g, 0.01)
	}
	want := []float64{0.983659029006958, -1.9805766344070435, 2.9925026893615723}
	for i := range p {
		if math.Abs(float64(p[i])-want[i]) > 1e-6 {
			t.Fatalf("AdamW: got %v, want %v (torch)", p, want)
		}
	}
}

func TestSGDMatchesTorch(t *testing.T) {
	p := []float32{1, -2, 3}
	o := newOptimizer(Config{Optimizer: "sgd", Momentum: 0.9}, 3)
	for _, g := range refGrads {
		o.step(p, g, 0.1)
	}
	want := []float64{1.0455000400543213, -1.8669999837875366, 2.6570000648498535}
	for i := range p {
		if math.Abs(float64(p[i])-want[i]) > 1e-6 {
			t.Fatalf("SGD: got %v, want %v (torch)", p, want)
		}
	}
}

func TestSchedule(t *testing.T) {
	cfg, err := Config{Epochs: 10, LR: 1, WarmupEpochs: 1, Schedule: "cosine"}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	s := schedule{cfg: cfg, batches: 10}
	tests := []struct {
		step int64
		want float64
	}{
		{0, 0.1}, {9, 1}, {10, 1}, {55, 0.01 + 0.99*0.5}, {99, 0.01 + 0.99*0.5*(1+math.Cos(math.Pi*89/90))},
	}
	for _, tt := range tests {
		if got := s.at(tt.step); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("cosine step %d: %v, want %v", tt.step, got, tt.want)
		}
	}
	cfg.Schedule, cfg.WarmupEpochs = "step", 0
	s = schedule{cfg: cfg, batches: 10}
	for _, tt := range []struct {
		step int64
		want float64
	}{{0, 1}, {49, 1}, {50, 0.1}, {74, 0.1}, {75, 0.01}, {99, 0.01}} {
		if got := s.at(tt.step); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("step schedule step %d: %v, want %v", tt.step, got, tt.want)
		}
	}
	cfg.Schedule = "constant"
	if got := (schedule{cfg: cfg, batches: 10}).at(77); got != 1 {
		t.Errorf("constant: %v", got)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, c := range []Config{
		{Optimizer: "rmsprop"}, {Schedule: "linear"}, {LR: -1}, {WeightDecay: -1}, {Patience: -2}, {Epochs: -1},
	} {
		if _, err := c.withDefaults(); err == nil {
			t.Errorf("%+v: no error", c)
		}
	}
}
