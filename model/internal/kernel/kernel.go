// Package kernel holds the float32 numerical kernels the LSTM spends its time
// in: matrix products and the element-wise gate functions. Matrices are
// row-major with explicit leading dimensions, as in BLAS.
//
// Kernels are single-threaded; parallelism lives in the caller.
package kernel

// Gemm computes C = alpha * op(A) * op(B) + beta * C, where op(X) is X or its
// transpose as transA and transB say. op(A) is m x k, op(B) is k x n and C is
// m x n. lda, ldb and ldc are the row strides of A, B and C as stored.
func Gemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemmRef(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// gemmRef is the plain reference implementation the fast kernels are tested
// against.
func gemmRef(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	for i := 0; i < m; i++ {
		ci := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(ci)
		} else if beta != 1 {
			for j := range ci {
				ci[j] *= beta
			}
		}
		for p := 0; p < k; p++ {
			var aip float32
			if transA {
				aip = a[p*lda+i]
			} else {
				aip = a[i*lda+p]
			}
			aip *= alpha
			if aip == 0 {
				continue
			}
			if transB {
				for j := range ci {
					ci[j] += aip * b[j*ldb+p]
				}
			} else {
				bp := b[p*ldb : p*ldb+n]
				for j, v := range bp {
					ci[j] += aip * v
				}
			}
		}
	}
}
