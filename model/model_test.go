package model

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestNewValidates(t *testing.T) {
	ok := DefaultConfig()
	cases := []struct {
		name string
		edit func(c *Config)
		want string
	}{
		{"inputs", func(c *Config) { c.Inputs = 0 }, "inputs"},
		{"hidden", func(c *Config) { c.Hidden = -1 }, "hidden"},
		{"layers", func(c *Config) { c.Layers = 0 }, "layers"},
		{"classes", func(c *Config) { c.Classes = 1 }, "classes"},
		{"dropout 1", func(c *Config) { c.Dropout = 1 }, "dropout"},
		{"dropout NaN", func(c *Config) { c.Dropout = float32(math.NaN()) }, "dropout"},
		{"huge", func(c *Config) { c.Hidden = 1 << 20 }, "limit"},
		{"mean length", func(c *Config) { c.InputMean = []float32{1} }, "input_mean"},
		{"std length", func(c *Config) { c.InputStd = make([]float32, 3) }, "input_std"},
		{"std zero", func(c *Config) { c.InputStd = make([]float32, 40) }, "input_std"},
		{"mean inf", func(c *Config) {
			c.InputMean = make([]float32, 40)
			c.InputMean[3] = float32(math.Inf(1))
		}, "input_mean[3]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := ok
			tc.edit(&c)
			if _, err := New(c, 1); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("New error %v, want one about %s", err, tc.want)
			}
		})
	}
	if _, err := New(ok, 1); err != nil {
		t.Fatal(err)
	}
}

func TestNewDoesNotKeepCallerSlices(t *testing.T) {
	c := Config{Inputs: 2, Hidden: 3, Layers: 1, Classes: 2, InputMean: []float32{1, 2}, InputStd: []float32{1, 1}}
	m, err := New(c, 1)
	if err != nil {
		t.Fatal(err)
	}
	c.InputMean[0] = 99
	if m.Config().InputMean[0] != 1 {
		t.Error("model shares the caller's InputMean")
	}
	m.Config().InputStd[0] = 7
	if m.Config().InputStd[0] != 1 {
		t.Error("Config returns the model's own slice")
	}
}

func TestInit(t *testing.T) {
	cfg := DefaultConfig()
	m, _ := New(cfg, 42)
	m2, _ := New(cfg, 42)
	if !slices.Equal(m.Params(), m2.Params()) {
		t.Error("same seed, different weights")
	}
	m3, _ := New(cfg, 43)
	if slices.Equal(m.Params(), m3.Params()) {
		t.Error("different seeds, same weights")
	}
	H := cfg.Hidden
	k := 1 / math.Sqrt(float64(H))
	for l, lp := range m.layers {
		// Forget-gate bias 1 (bias_ih), everything else of the biases 0.
		for j := 0; j < 4*H; j++ {
			want := float32(0)
			if j >= H && j < 2*H {
				want = 1
			}
			if lp.bih[j] != want || lp.bhh[j] != 0 {
				t.Fatalf("layer %d bias %d: ih %v hh %v", l, j, lp.bih[j], lp.bhh[j])
			}
		}
		for _, v := range lp.wih {
			if math.Abs(float64(v)) > k {
				t.Fatalf("layer %d weight_ih %v outside +-%v", l, v, k)
			}
		}
		// Each gate's H x H block of weight_hh is orthogonal: W W^T = I.
		for g := 0; g < 4; g++ {
			w := lp.whh[g*H*H : (g+1)*H*H]
			for i := 0; i < H; i++ {
				for j := 0; j < H; j++ {
					var s float64
					for p := 0; p < H; p++ {
						s += float64(w[i*H+p]) * float64(w[j*H+p])
					}
					want := 0.0
					if i == j {
						want = 1
					}
					if math.Abs(s-want) > 1e-5 {
						t.Fatalf("layer %d gate %d: (W W^T)[%d,%d] = %v", l, g, i, j, s)
					}
				}
			}
		}
	}
}

func TestTensorsLayout(t *testing.T) {
	m, _ := New(Config{Inputs: 40, Hidden: 8, Layers: 2, Classes: 12}, 1)
	var names []string
	off := 0
	for _, ts := range m.Tensors() {
		names = append(names, ts.Name)
		if ts.Offset != off {
			t.Errorf("%s at %d, want %d", ts.Name, ts.Offset, off)
		}
		off += len(ts.Data)
	}
	if off != m.NumParams() {
		t.Errorf("tensors cover %d of %d parameters", off, m.NumParams())
	}
	want := "lstm.weight_ih_l0 lstm.weight_hh_l0 lstm.bias_ih_l0 lstm.bias_hh_l0 lstm.weight_ih_l1 lstm.weight_hh_l1 lstm.bias_ih_l1 lstm.bias_hh_l1 fc.weight fc.bias"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("names %s", got)
	}
}

// TestTrainBatchNoAllocs checks that a training step and a prediction
// allocate nothing once the workspace exists.
func TestTrainBatchNoAllocs(t *testing.T) {
	cfg := Config{Inputs: 40, Hidden: 16, Layers: 2, Classes: 12, Dropout: 0.2, CMN: true}
	m, _ := New(cfg, 1)
	B, T := 8, 20
	rng := rand.New(rand.NewPCG(1, 1))
	x := randInput(rng, B*T*40, 1)
	labels := make([]int, B)
	ws := m.NewWorkspace(B, T)
	grad := make([]float32, m.NumParams())
	probs := make([]float32, B*12)
	opt := NewAdam(m.NumParams(), 1e-3)
	if n := testing.AllocsPerRun(5, func() {
		ws.TrainBatch(grad, x, labels, B, T, rng)
		ClipGlobalNorm(grad, 5)
		opt.Step(m.Params(), grad)
	}); n != 0 {
		t.Errorf("training step: %v allocations", n)
	}
	if n := testing.AllocsPerRun(5, func() { ws.Predict(probs, x[:T*40], 1, T) }); n != 0 {
		t.Errorf("predict: %v allocations", n)
	}
	// Shorter batches and clips than the workspace's size work too.
	if n := testing.AllocsPerRun(5, func() { ws.TrainBatch(grad, x[:3*7*40], labels[:3], 3, 7, rng) }); n != 0 {
		t.Errorf("small batch: %v allocations", n)
	}
}

// TestPredictMatchesTraining checks that without dropout the probabilities
// Predict returns are the ones the training loss was computed from, and
// that Predict on a batch equals Predict clip by clip.
func TestPredictMatchesTraining(t *testing.T) {
	cfg := Config{Inputs: 5, Hidden: 6, Layers: 2, Classes: 3, CMN: true}
	m, _ := New(cfg, 3)
	rng := rand.New(rand.NewPCG(1, 1))
	B, T := 4, 9
	x := randInput(rng, B*T*5, 1)
	labels := []int{0, 1, 2, 0}
	ws := m.NewWorkspace(B, T)
	probs := ws.Predict(nil, x, B, T)
	var want float64
	for b, y := range labels {
		want -= math.Log(float64(probs[b*3+y]))
		var s float32
		for _, p := range probs[b*3 : b*3+3] {
			s += p
		}
		if math.Abs(float64(s)-1) > 1e-6 {
			t.Errorf("clip %d: probabilities sum to %v", b, s)
		}
	}
	loss, _ := ws.TrainBatch(make([]float32, m.NumParams()), x, labels, B, T, nil)
	if math.Abs(loss-want/float64(B)) > 1e-6 {
		t.Errorf("loss %v, want %v", loss, want/float64(B))
	}
	for b := 0; b < B; b++ {
		one := ws.Predict(nil, x[b*T*5:(b+1)*T*5], 1, T)
		for k := range one {
			if math.Abs(float64(one[k]-probs[b*3+k])) > 1e-6 {
				t.Fatalf("clip %d alone: %v, in batch %v", b, one, probs[b*3:b*3+3])
			}
		}
	}
}

func TestWorkspaceMisusePanics(t *testing.T) {
	m, _ := New(Config{Inputs: 2, Hidden: 3, Layers: 1, Classes: 2, Dropout: 0.5}, 1)
	ws := m.NewWorkspace(2, 4)
	g := make([]float32, m.NumParams())
	rng := rand.New(rand.NewPCG(1, 1))
	cases := map[string]func(){
		"batch too big": func() { ws.Predict(nil, make([]float32, 3*4*2), 3, 4) },
		"T too big":     func() { ws.Predict(nil, make([]float32, 1*5*2), 1, 5) },
		"x length":      func() { ws.Predict(nil, make([]float32, 7), 1, 4) },
		"grad length":   func() { ws.TrainBatch(g[1:], make([]float32, 8), []int{0}, 1, 4, rng) },
		"label":         func() { ws.TrainBatch(g, make([]float32, 8), []int{2}, 1, 4, rng) },
		"labels":        func() { ws.TrainBatch(g, make([]float32, 8), []int{0, 1}, 1, 4, rng) },
		"no rng":        func() { ws.TrainBatch(g, make([]float32, 8), []int{0}, 1, 4, nil) },
		"zero size":     func() { m.NewWorkspace(0, 4) },
	}
	for name, f := range cases {
		t.Run(name, func(t *testing.T) {
			defer func() {
				r := recover()
				if r == nil {
					t.Fatal("no panic")
				}
				if s, ok := r.(string); !ok || !strings.HasPrefix(s, "model: ") {
					t.Errorf("panic %v lacks the package prefix", r)
				}
			}()
			f()
		})
	}
}

// TestTrainerDeterministic checks that the data-parallel gradient equals
// the single-workspace gradient (up to float32 summation order) and is
// bit-for-bit the same on every run.
func TestTrainerDeterministic(t *testing.T) {
	for _, dropout := range []float32{0, 0.3} {
		cfg := Config{Inputs: 6, Hidden: 8, Layers: 2, Classes: 4, Dropout: dropout}
		m, _ := New(cfg, 1)
		rng := rand.New(rand.NewPCG(5, 5))
		B, T := 7, 6
		x := randInput(rng, B*T*6, 1)
		labels := []int{0, 1, 2, 3, 0, 1, 2}
		single := make([]float32, m.NumParams())
		ws := m.NewWorkspace(B, T)
		wantLoss, wantCorrect := ws.TrainBatch(single, x, labels, B, T, rand.New(rand.NewPCG(1, 1)))
		for _, workers := range []int{1, 2, 3, 7, 16} {
			var first []float32
			for run := 0; run < 3; run++ {
				tr := m.NewTrainer(workers, B, T, 9)
				g := make([]float32, m.NumParams())
				for i := range g {
					g[i] = 123 // Gradient overwrites
				}
				loss, correct := tr.Gradient(g, x, labels, B, T)
				if run == 0 {
					first = g
				} else if !slices.Equal(first, g) {
					t.Fatalf("dropout %v, %d workers: run %d differs", dropout, workers, run)
				}
				if dropout > 0 {
					continue // different masks from the single run
				}
				if math.Abs(loss-wantLoss) > 1e-6 || correct != wantCorrect {
					t.Errorf("%d workers: loss %v correct %d, want %v %d", workers, loss, correct, wantLoss, wantCorrect)
				}
				for i := range g {
					if math.Abs(float64(g[i]-single[i])) > 1e-6 {
						t.Fatalf("%d workers: grad[%d] = %v, want %v", workers, i, g[i], single[i])
					}
				}
			}
		}
	}
}

func TestClipGlobalNorm(t *testing.T) {
	g := []float32{3, 4}
	if n := ClipGlobalNorm(g, 10); n != 5 || g[0] != 3 || g[1] != 4 {
		t.Errorf("below the limit: norm %v, grad %v", n, g)
	}
	if n := ClipGlobalNorm(g, 1); n != 5 || math.Abs(float64(g[0])-0.6) > 1e-6 || math.Abs(float64(g[1])-0.8) > 1e-6 {
		t.Errorf("clipped: norm %v, grad %v", n, g)
	}
	nan := []float32{1, float32(math.NaN())}
	if n := ClipGlobalNorm(nan, 1); !math.IsNaN(float64(n)) || nan[0] != 1 {
		t.Errorf("NaN gradient: norm %v, grad %v", n, nan)
	}
	if n := ClipGlobalNorm(nil, 1); n != 0 {
		t.Errorf("empty: %v", n)
	}
}

func TestSGD(t *testing.T) {
	p := []float32{1, -2}
	s := NewSGD(2, 0.1, 0.9)
	s.Step(p, []float32{1, 1})
	s.Step(p, []float32{1, 1})
	// v1 = 1, p = 1-0.1; v2 = 1.9, p = 0.9-0.19
	if math.Abs(float64(p[0])-0.71) > 1e-6 || math.Abs(float64(p[1])+2.29) > 1e-6 {
		t.Errorf("params %v", p)
	}
}

// TestAdamMatchesTorch replays four steps of torch.optim.Adam and AdamW
// (testdata/adam_golden.json, from testdata/torch_golden.py).
func TestAdamMatchesTorch(t *testing.T) {
	var g struct {
		P0    []float32   `json:"p0"`
		Grads [][]float32 `json:"grads"`
		Adam  []float32   `json:"adam"`
		AdamW []float32   `json:"adamw"`
	}
	readJSON(t, "testdata/adam_golden.json", &g)
	for _, tc := range []struct {
		name string
		wd   float32
		want []float32
	}{{"adam", 0, g.Adam}, {"adamw", 0.1, g.AdamW}} {
		p := slices.Clone(g.P0)
		opt := NewAdam(len(p), 1e-2)
		opt.WeightDecay = tc.wd
		for _, gr := range g.Grads {
			opt.Step(p, gr)
		}
		for i := range p {
			if math.Abs(float64(p[i]-tc.want[i])) > 1e-6 {
				t.Errorf("%s: param %d = %v, torch %v", tc.name, i, p[i], tc.want[i])
			}
		}
		if opt.Steps != len(g.Grads) {
			t.Errorf("%s: %d steps", tc.name, opt.Steps)
		}
	}
}

func TestTrainerStepNoAllocs(t *testing.T) {
	m, _ := New(Config{Inputs: 4, Hidden: 8, Layers: 2, Classes: 3, Dropout: 0.1}, 1)
	tr := m.NewTrainer(1, 4, 5, 1)
	rng := rand.New(rand.NewPCG(1, 1))
	x := randInput(rng, 4*5*4, 1)
	grad := make([]float32, m.NumParams())
	opt := NewSGD(m.NumParams(), 0.1, 0.9)
	labels := []int{0, 1, 2, 0}
	if n := testing.AllocsPerRun(5, func() { tr.Step(grad, x, labels, 4, 5, 5, opt) }); n != 0 {
		t.Errorf("one-worker trainer step: %v allocations", n)
	}
}

// TestNonFiniteInputSkipsStep checks that a clip holding NaN gives a NaN
// loss and norm, and that Trainer.Step then leaves the weights alone.
func TestNonFiniteInputSkipsStep(t *testing.T) {
	m, _ := New(Config{Inputs: 3, Hidden: 4, Layers: 2, Classes: 2}, 1)
	before := slices.Clone(m.Params())
	x := make([]float32, 2*5*3)
	x[7] = float32(math.NaN())
	tr := m.NewTrainer(2, 2, 5, 1)
	grad := make([]float32, m.NumParams())
	loss, _, norm := tr.Step(grad, x, []int{0, 1}, 2, 5, 5, NewAdam(m.NumParams(), 1e-3))
	if !math.IsNaN(loss) || !math.IsNaN(float64(norm)) {
		t.Errorf("loss %v, norm %v; want NaN", loss, norm)
	}
	if !slices.Equal(before, m.Params()) {
		t.Error("a NaN step changed the weights")
	}
}

// TestTrainerSeed checks that reseeding repeats a step's dropout masks.
func TestTrainerSeed(t *testing.T) {
	m, _ := New(Config{Inputs: 3, Hidden: 4, Layers: 2, Classes: 2, Dropout: 0.5}, 1)
	rng := rand.New(rand.NewPCG(1, 1))
	x := randInput(rng, 4*5*3, 1)
	labels := []int{0, 1, 1, 0}
	tr := m.NewTrainer(2, 4, 5, 1)
	g1 := make([]float32, m.NumParams())
	g2 := make([]float32, m.NumParams())
	g3 := make([]float32, m.NumParams())
	tr.Seed(77)
	tr.Gradient(g1, x, labels, 4, 5)
	tr.Gradient(g2, x, labels, 4, 5) // sources ran on: other masks
	tr.Seed(77)
	tr.Gradient(g3, x, labels, 4, 5)
	if !slices.Equal(g1, g3) {
		t.Error("same seed, different gradients")
	}
	if slices.Equal(g1, g2) {
		t.Error("sources did not run on between steps")
	}
	if n := testing.AllocsPerRun(5, func() { tr.Seed(5) }); n != 0 {
		t.Errorf("Seed: %v allocations", n)
	}
}
