//go:build !amd64 || purego

package kernel

// gemm is the portable path: the reference loops.
func gemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemmRef(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// kc, kcLong and mc are the blocking of the assembly path; the tests set
// them, the portable path ignores them.
var kc, kcLong, mc = 256, 512, 96
