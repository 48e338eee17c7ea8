package kernel

import (
	"math/rand"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// benchShapes are the matrix products of the LSTM train step (batch 64, 97
// frames, 40 features, 2 x 128 LSTM) and of batch-1 inference. "T" in a
// name marks the transposed operand as stored.
var benchShapes = []struct {
	name           string
	transA, transB bool
	m, n, k        int
}{
	{"inproj1_xWT", false, true, 6208, 512, 40},
	{"inproj1_xW", false, false, 6208, 512, 40},
	{"inproj2_xWT", false, true, 6208, 512, 128},
	{"inproj2_xW", false, false, 6208, 512, 128},
	{"recur_hWT", false, true, 64, 512, 128},
	{"recur_hW", false, false, 64, 512, 128},
	{"bwd_dGW_step", false, false, 64, 128, 512},
	{"bwd_dGW_all", false, false, 6208, 128, 512},
	{"bwd_dGW_all40", false, false, 6208, 40, 512},
	{"bwd_dW_step", true, false, 512, 128, 64},
	{"bwd_dW_all", true, false, 512, 128, 6208},
	{"bwd_dW_all40", true, false, 512, 40, 6208},
	{"fc_hWT", false, true, 64, 12, 128},
	{"gemv_hWT", false, true, 1, 512, 128},
	{"gemv_hW", false, false, 1, 512, 128},
}

type gemmFunc func(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)

func gonumGemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	tA, tB := blas.NoTrans, blas.NoTrans
	if transA {
		tA = blas.Trans
	}
	if transB {
		tB = blas.Trans
	}
	gonum.Implementation{}.Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

func benchGemm(b *testing.B, f gemmFunc) {
	for _, s := range benchShapes {
		b.Run(s.name, func(b *testing.B) {
			rng := rand.New(rand.NewSource(1))
			lda, ldb := s.k, s.n
			if s.transA {
				lda = s.m
			}
			if s.transB {
				ldb = s.k
			}
			x := randSlice(rng, s.m*s.k)
			y := randSlice(rng, s.k*s.n)
			z := make([]float32, s.m*s.n)
			b.ReportAllocs()
			b.ResetTimer()
			cpu := cpuSeconds()
			for range b.N {
				f(s.transA, s.transB, s.m, s.n, s.k, 1, x, lda, y, ldb, 1, z, s.n)
			}
			flop := 2 * float64(s.m) * float64(s.n) * float64(s.k) * float64(b.N)
			b.ReportMetric(flop/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			b.ReportMetric(flop/(cpuSeconds()-cpu)/1e9, "GFLOP/cpu-s")
		})
	}
}

// Run with -cpu 1: gonum's Sgemm otherwise splits large products across
// goroutines.
func BenchmarkGemmRef(b *testing.B)   { benchGemm(b, gemmRef) }
func BenchmarkGemmGonum(b *testing.B) { benchGemm(b, gonumGemm) }
func BenchmarkGemm(b *testing.B)      { benchGemm(b, Gemm) }

// benchStepGemms runs the matrix products of one LSTM train step (batch 64,
// 97 frames, 40 inputs, 2 x 128 LSTM; the input projections and weight
// gradients over all frames at once, the recurrence per frame) with weights
// stored as PyTorch does, 4H x I, and reports the implied examples/s of the
// products alone.
func benchStepGemms(b *testing.B, f gemmFunc) {
	const (
		batch, frames, in, hid = 64, 97, 40, 128
		g                      = 4 * hid
		rows                   = batch * frames
	)
	rng := rand.New(rand.NewSource(1))
	x := randSlice(rng, rows*in)
	h := randSlice(rng, rows*hid) // hidden states of a layer, all frames
	gs := randSlice(rng, rows*g)  // gate pre-activations / their gradients
	dx := make([]float32, rows*hid)
	wih := [2][]float32{randSlice(rng, g*in), randSlice(rng, g*hid)}
	whh := [2][]float32{randSlice(rng, g*hid), randSlice(rng, g*hid)}
	dwih := [2][]float32{make([]float32, g*in), make([]float32, g*hid)}
	dwhh := [2][]float32{make([]float32, g*hid), make([]float32, g*hid)}
	dh := make([]float32, batch*hid)
	ins := [2]int{in, hid}
	inputs := [2][]float32{x, h}
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuSeconds()
	for range b.N {
		for l := range 2 {
			// Forward: input projection for all frames, then the recurrence.
			f(false, true, rows, g, ins[l], 1, inputs[l], ins[l], wih[l], ins[l], 0, gs, g)
			for t := range frames {
				f(false, true, batch, g, hid, 1, h[t*batch*hid:], hid, whh[l], hid, 1, gs[t*batch*g:], g)
			}
		}
		for l := 1; l >= 0; l-- {
			// Backward: dh of the previous frame and dW_hh per frame...
			for t := frames - 1; t >= 0; t-- {
				f(false, false, batch, hid, g, 1, gs[t*batch*g:], g, whh[l], hid, 0, dh, hid)
				f(true, false, g, hid, batch, 1, gs[t*batch*g:], g, h[t*batch*hid:], hid, 1, dwhh[l], hid)
			}
			// ...then dW_ih over all frames, and the input gradient of layer 2.
			f(true, false, g, ins[l], rows, 1, gs, g, inputs[l], ins[l], 1, dwih[l], ins[l])
			if l == 1 {
				f(false, false, rows, hid, g, 1, gs, g, wih[l], hid, 0, dx, hid)
			}
		}
	}
	b.ReportMetric(float64(batch*b.N)/b.Elapsed().Seconds(), "ex/s")
	b.ReportMetric(float64(batch*b.N)/(cpuSeconds()-cpu), "ex/cpu-s")
}

func BenchmarkStepGemmsGonum(b *testing.B) { benchStepGemms(b, gonumGemm) }
func BenchmarkStepGemms(b *testing.B)      { benchStepGemms(b, Gemm) }

// BenchmarkInferKernels runs the kernels of one batch-1 inference of a
// 1-second clip (97 frames x 40, 2 x 128 LSTM, 12 classes): per layer the
// input projection of all frames in one product, then per frame the
// recurrent product, bias and gate non-linearities. It reports ms per clip.
func BenchmarkInferKernels(b *testing.B) {
	const frames, in, hid = 97, 40, 128
	const g = 4 * hid
	rng := rand.New(rand.NewSource(1))
	x := randSlice(rng, frames*in)
	ins := [2]int{in, hid}
	wih := [2][]float32{randSlice(rng, g*in), randSlice(rng, g*hid)}
	whh := [2][]float32{randSlice(rng, g*hid), randSlice(rng, g*hid)}
	bias := randSlice(rng, g)
	gates := make([]float32, frames*g)
	hs := make([]float32, frames*hid)
	cell := make([]float32, hid)
	wfc := randSlice(rng, 12*hid)
	out := make([]float32, 12)
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuSeconds()
	for range b.N {
		input := x
		for l := range 2 {
			Gemm(false, true, frames, g, ins[l], 1, input, ins[l], wih[l], ins[l], 0, gates, g)
			AddBias(gates, bias)
			clear(cell)
			for t := range frames {
				gt := gates[t*g : (t+1)*g]
				if t > 0 {
					Gemm(false, true, 1, g, hid, 1, hs[(t-1)*hid:], hid, whh[l], hid, 1, gt, g)
				}
				Sigmoid(gt[:2*hid], gt[:2*hid])
				Tanh(gt[2*hid:3*hid], gt[2*hid:3*hid])
				Sigmoid(gt[3*hid:], gt[3*hid:])
				h := hs[t*hid : (t+1)*hid]
				for j := range cell {
					cell[j] = gt[hid+j]*cell[j] + gt[j]*gt[2*hid+j]
				}
				Tanh(h, cell)
				for j := range h {
					h[j] *= gt[3*hid+j]
				}
			}
			input = hs
		}
		Gemm(false, true, 1, 12, hid, 1, hs[(frames-1)*hid:], hid, wfc, hid, 0, out, 12)
	}
	b.ReportMetric(b.Elapsed().Seconds()*1e3/float64(b.N), "ms/clip")
	b.ReportMetric((cpuSeconds()-cpu)*1e3/float64(b.N), "cpu-ms/clip")
}
