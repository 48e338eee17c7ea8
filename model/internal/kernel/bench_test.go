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
			for range b.N {
				f(s.transA, s.transB, s.m, s.n, s.k, 1, x, lda, y, ldb, 1, z, s.n)
			}
			b.ReportMetric(2*float64(s.m)*float64(s.n)*float64(s.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

// Run with -cpu 1: gonum's Sgemm otherwise splits large products across
// goroutines.
func BenchmarkGemmRef(b *testing.B)   { benchGemm(b, gemmRef) }
func BenchmarkGemmGonum(b *testing.B) { benchGemm(b, gonumGemm) }
func BenchmarkGemm(b *testing.B)      { benchGemm(b, Gemm) }
