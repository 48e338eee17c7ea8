package model

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// refLoss is an independent float64 implementation of the model's forward
// pass: one clip at a time, one gate row at a time, straight from the
// torch.nn.LSTM equations. It returns scale * sum of per-clip
// cross-entropies. masks[l] (l > 0) is the dropout mask on layer l's input
// in the workspace's time-major layout (T x B x H), fcMask the one before
// the dense layer (B x H); nil means no dropout.
func refLoss(cfg Config, p []float64, x []float64, labels []int, B, T int, masks [][]float64, fcMask []float64, scale float64) float64 {
	H, F, C := cfg.Hidden, cfg.Inputs, cfg.Classes
	ts := tensorLayout(cfg, nil)
	view := func(i int) []float64 {
		t := ts[i]
		n := 1
		for _, d := range t.Shape {
			n *= d
		}
		return p[t.Offset : t.Offset+n]
	}
	sig := func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }
	var total float64
	for b := 0; b < B; b++ {
		// Normalise the clip.
		seq := make([][]float64, T)
		mean := make([]float64, F)
		if cfg.CMN {
			for t := 0; t < T; t++ {
				for f := 0; f < F; f++ {
					mean[f] += x[(b*T+t)*F+f] / float64(T)
				}
			}
		}
		for t := 0; t < T; t++ {
			seq[t] = make([]float64, F)
			for f := 0; f < F; f++ {
				v := x[(b*T+t)*F+f] - mean[f]
				if cfg.InputMean != nil {
					v -= float64(cfg.InputMean[f])
				}
				if cfg.InputStd != nil {
					v /= float64(cfg.InputStd[f])
				}
				seq[t][f] = v
			}
		}
		for l := 0; l < cfg.Layers; l++ {
			wih, whh, bih, bhh := view(4*l), view(4*l+1), view(4*l+2), view(4*l+3)
			in := len(seq[0])
			if l > 0 && masks != nil {
				for t := 0; t < T; t++ {
					for j := 0; j < in; j++ {
						seq[t][j] *= masks[l][(t*B+b)*H+j]
					}
				}
			}
			h := make([]float64, H)
			c := make([]float64, H)
			out := make([][]float64, T)
			for t := 0; t < T; t++ {
				z := make([]float64, 4*H)
				for r := 0; r < 4*H; r++ {
					s := bih[r] + bhh[r]
					for j := 0; j < in; j++ {
						s += wih[r*in+j] * seq[t][j]
					}
					for j := 0; j < H; j++ {
						s += whh[r*H+j] * h[j]
					}
					z[r] = s
				}
				nh := make([]float64, H)
				for j := 0; j < H; j++ {
					i, f, g, o := sig(z[j]), sig(z[H+j]), math.Tanh(z[2*H+j]), sig(z[3*H+j])
					c[j] = f*c[j] + i*g
					nh[j] = o * math.Tanh(c[j])
				}
				h = nh
				out[t] = nh
			}
			seq = out
		}
		last := append([]float64(nil), seq[T-1]...)
		if fcMask != nil {
			for j := range last {
				last[j] *= fcMask[b*H+j]
			}
		}
		fw, fb := view(4*cfg.Layers), view(4*cfg.Layers+1)
		logits := make([]float64, C)
		mx := math.Inf(-1)
		for k := 0; k < C; k++ {
			s := fb[k]
			for j := 0; j < H; j++ {
				s += fw[k*H+j] * last[j]
			}
			logits[k] = s
			mx = math.Max(mx, s)
		}
		var z float64
		for _, v := range logits {
			z += math.Exp(v - mx)
		}
		// Cross-entropy against (1-e) on the label plus e/C on every class.
		e := float64(cfg.LabelSmoothing)
		for k, v := range logits {
			q := e / float64(C)
			if k == labels[b] {
				q += 1 - e
			}
			total -= q * (v - mx - math.Log(z))
		}
	}
	return scale * total
}

func to64(s []float32) []float64 {
	d := make([]float64, len(s))
	for i, v := range s {
		d[i] = float64(v)
	}
	return d
}

func randInput(rng *rand.Rand, n int, scale float32) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = scale * float32(rng.NormFloat64())
	}
	return x
}

// TestGradientCheck compares the float32 BPTT gradients of every parameter
// tensor and of the input with central finite differences of the float64
// reference forward pass.
func TestGradientCheck(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
		B, T int
	}{
		{"2 layers", Config{Inputs: 3, Hidden: 4, Layers: 2, Classes: 3}, 3, 6},
		{"1 layer cmn std", Config{Inputs: 4, Hidden: 5, Layers: 1, Classes: 2, CMN: true,
			InputMean: []float32{0.5, -1, 0, 2}, InputStd: []float32{2, 0.5, 1, 3}}, 2, 5},
		{"3 layers dropout", Config{Inputs: 3, Hidden: 4, Layers: 3, Classes: 4, Dropout: 0.3, CMN: true}, 4, 4},
		{"one step", Config{Inputs: 2, Hidden: 3, Layers: 2, Classes: 2}, 2, 1},
		{"label smoothing", Config{Inputs: 3, Hidden: 4, Layers: 2, Classes: 5, Dropout: 0.2, CMN: true, LabelSmoothing: 0.2}, 3, 5},
	}
	for ci, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, err := New(tc.cfg, int64(ci+1))
			if err != nil {
				t.Fatal(err)
			}
			// Larger, non-zero biases and weights make every path matter.
			rng := rand.New(rand.NewPCG(uint64(ci), 7))
			for i := range m.params {
				m.params[i] += 0.3 * float32(rng.NormFloat64())
			}
			F, C, H := tc.cfg.Inputs, tc.cfg.Classes, tc.cfg.Hidden
			x := randInput(rng, tc.B*tc.T*F, 1)
			labels := make([]int, tc.B)
			for i := range labels {
				labels[i] = rng.IntN(C)
			}
			ws := m.NewWorkspace(tc.B+1, tc.T+2) // larger than used, on purpose
			grad := make([]float32, m.NumParams())
			dx := make([]float32, len(x))
			scale := 1 / float32(tc.B)
			loss32, _ := ws.trainBatch(grad, dx, x, labels, tc.B, tc.T, rand.New(rand.NewPCG(3, 4)), scale)

			var masks [][]float64
			var fcMask []float64
			if tc.cfg.Dropout > 0 {
				masks = make([][]float64, tc.cfg.Layers)
				for l := 1; l < tc.cfg.Layers; l++ {
					masks[l] = to64(ws.ls[l].mask[:tc.T*tc.B*H])
				}
				fcMask = to64(ws.fcMask[:tc.B*H])
			}
			p64, x64 := to64(m.params), to64(x)
			f := func() float64 {
				return refLoss(tc.cfg, p64, x64, labels, tc.B, tc.T, masks, fcMask, float64(scale))
			}
			if ref := f(); math.Abs(ref-loss32) > 1e-5*math.Max(1, math.Abs(ref)) {
				t.Fatalf("loss %v, float64 reference %v", loss32, ref)
			}
			check := func(name string, v []float64, analytic []float32) {
				t.Helper()
				var amax float64
				for _, a := range analytic {
					amax = math.Max(amax, math.Abs(float64(a)))
				}
				const eps = 1e-6
				worst := 0.0
				for i := range v {
					old := v[i]
					v[i] = old + eps
					up := f()
					v[i] = old - eps
					down := f()
					v[i] = old
					num := (up - down) / (2 * eps)
					a := float64(analytic[i])
					err := math.Abs(a - num)
					if err > 1e-4*math.Abs(num)+2e-6*amax+1e-7 {
						t.Errorf("%s[%d]: analytic %.8g, numeric %.8g", name, i, a, num)
					}
					worst = math.Max(worst, err/(math.Abs(num)+1e-3*amax+1e-12))
				}
				t.Logf("%s: %d values, worst relative error %.2g", name, len(v), worst)
				if amax == 0 && !(tc.T == 1 && strings.Contains(name, "weight_hh")) {
					t.Errorf("%s: gradient all zero", name)
				}
			}
			for _, ten := range m.Tensors() {
				n := len(ten.Data)
				check(ten.Name, p64[ten.Offset:ten.Offset+n], grad[ten.Offset:ten.Offset+n])
			}
			check("input", x64, dx)
		})
	}
}

// TestTrainBatchAccumulates checks that TrainBatch adds into grad, and that
// the mean-loss gradient of a batch equals the average of its halves'.
func TestTrainBatchAccumulates(t *testing.T) {
	cfg := Config{Inputs: 3, Hidden: 4, Layers: 2, Classes: 3}
	m, _ := New(cfg, 1)
	rng := rand.New(rand.NewPCG(1, 2))
	B, T := 4, 5
	x := randInput(rng, B*T*3, 1)
	labels := []int{0, 1, 2, 1}
	ws := m.NewWorkspace(B, T)
	full := make([]float32, m.NumParams())
	ws.TrainBatch(full, x, labels, B, T, nil)
	halves := make([]float32, m.NumParams())
	ws.TrainBatch(halves, x[:2*T*3], labels[:2], 2, T, nil)
	ws.TrainBatch(halves, x[2*T*3:], labels[2:], 2, T, nil)
	for i := range full {
		if d := math.Abs(float64(full[i] - halves[i]/2)); d > 1e-6 {
			t.Fatalf("param %d: full batch %v, halves %v", i, full[i], halves[i]/2)
		}
	}
}

func TestActivations(t *testing.T) {
	for x0 := -100.0; x0 <= 100; x0 += 0.01 {
		x := float64(float32(x0))
		e := float64(expf(float32(x)))
		want := math.Exp(x)
		if want < 1e-37 || want > 1e38 {
			continue
		}
		if math.Abs(e-want) > 3e-7*want {
			t.Fatalf("expf(%v) = %v, want %v", x, e, want)
		}
	}
	if v := expf(float32(math.Inf(-1))); v != 0 {
		t.Errorf("expf(-Inf) = %v", v)
	}
}
