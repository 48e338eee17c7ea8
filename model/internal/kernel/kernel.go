package kernel

// Gemm computes C = alpha * op(A) * op(B) + beta * C, where op(X) is X or its
// transpose as transA and transB say. op(A) is m x k, op(B) is k x n and C is
// m x n. lda, ldb and ldc are the row strides of A, B and C as stored: A is
// stored k x m when transA is set and m x k otherwise, B is stored n x k when
// transB is set and k x n otherwise.
//
// As in BLAS, when beta is zero C is not read, so NaNs and infinities in C
// do not reach the result; when k is zero or alpha is zero, A and B are not
// read. C must not overlap A or B. Gemm panics, with a message starting
// "kernel: ", if a dimension is negative, a leading dimension is too small
// or a slice too short.
//
// Gemm is safe for concurrent use on distinct C. It does not allocate once
// warm: the first calls that pack B (large m or transB) allocate a packing
// buffer of at most 2 MB per concurrent caller, which is kept for reuse.
func Gemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if m < 0 || n < 0 || k < 0 {
		panic("kernel: negative dimension")
	}
	ar, ac := m, k
	if transA {
		ar, ac = k, m
	}
	br, bc := k, n
	if transB {
		br, bc = n, k
	}
	checkMatrix("a", ar, ac, a, lda)
	checkMatrix("b", br, bc, b, ldb)
	checkMatrix("c", m, n, c, ldc)
	if m == 0 || n == 0 {
		return
	}
	if k == 0 || alpha == 0 {
		scaleRows(m, n, beta, c, ldc)
		return
	}
	gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// checkMatrix panics unless s holds an r x c row-major matrix with row stride
// ld.
func checkMatrix(name string, r, c int, s []float32, ld int) {
	if ld < max(1, c) {
		panic("kernel: leading dimension of " + name + " too small")
	}
	if r > 0 && c > 0 && len(s) < (r-1)*ld+c {
		panic("kernel: " + name + " too short")
	}
}

// scaleRows sets C = beta*C for an m x n matrix; beta == 0 clears C without
// reading it.
func scaleRows(m, n int, beta float32, c []float32, ldc int) {
	if beta == 1 {
		return
	}
	for i := 0; i < m; i++ {
		ci := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(ci)
			continue
		}
		for j := range ci {
			ci[j] *= beta
		}
	}
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
