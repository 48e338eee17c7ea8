// Package kernel holds the float32 numerical kernels the LSTM spends its
// time in: the matrix product Gemm, the element-wise Sigmoid, Tanh,
// AddBias, Axpy and Dot, and the element-wise halves of an LSTM step,
// LSTMCellForward and LSTMCellBackward.
//
// # Conventions
//
// Matrices are row-major []float32 with explicit leading dimensions (row
// strides), as in BLAS: element (i, j) of a matrix stored with leading
// dimension ld is s[i*ld+j]. Gemm follows BLAS sgemm semantics exactly
// (C = alpha*op(A)*op(B) + beta*C; beta == 0 never reads C). Misuse (a
// negative dimension, a too-small leading dimension, a short slice, mismatched
// lengths) panics with a message starting "kernel: ". Kernels are
// single-threaded and safe for concurrent use on distinct outputs;
// parallelism lives in the caller.
//
// # Implementation
//
// On amd64 with AVX2 and FMA (checked with CPUID and XGETBV at start-up) Gemm
// runs Go assembly: a 6x16 register-blocked micro-kernel (12 YMM
// accumulators, B rows loaded, A elements broadcast), with a 4x16 variant
// for four leftover rows (batch 64 = 10*6 + 4) and a 6x8 variant for
// 8-column edges. A is read in place in both layouts: the kernels take the
// byte strides between rows and between k steps, so op(A) = A^T costs
// nothing. B is read in place when it is not transposed and C has fewer
// than 97 rows; otherwise it is packed into 16-column panels (a plain copy,
// or 8x8 AVX transposes for B^T), in blocks of 256 k steps (512 when A is
// not transposed and B is packed) and 1024 columns. Other edge tiles go
// through small stack buffers. One-row products (batch-1 inference) use
// 1x64 and 1x32 gemv kernels for op(B) = B and eight-row dot products for
// op(B) = B^T. The packing buffers are kept on a free list, so a warm Gemm
// allocates nothing. Without AVX2/FMA, with the purego build tag or on
// other architectures, the portable Go loops run instead (the reference
// product, and the same exp/tanh approximations in scalar Go). C must not
// overlap A or B.
//
// Sigmoid and Tanh are 8-wide AVX2: exp is the Cephes expf scheme (range
// reduction by ln 2 in two parts, degree-6 polynomial, exponent built by
// integer shift), with its argument clamped to [-87, 88]; Sigmoid is
// 1/(1+exp(-x)); Tanh is the Cephes odd polynomial for |x| < 0.625 and
// sign(x)*(1 - 2/(exp(2|x|)+1)) above. Measured against float64 math over a
// dense sweep of [-20, 20], tiny and saturating arguments: maximum relative
// error 1.5e-7 for Sigmoid (for x >= -88; below, where the true value is
// under 6.1e-39, it returns about 6e-39) and 1.3e-7 for Tanh. NaN stays NaN;
// Tanh(±Inf) = ±1, Sigmoid(+Inf) = 1. The LSTM cell kernels are AVX2 too,
// with the same tanh; they agree with float64 formulas to 2e-6 relative.
//
// # Speed
//
// On the 2-core AMD EPYC (Zen 4) this was written on, Gemm runs most
// products of an LSTM train step at 75-110 GFLOP per CPU-second of one
// thread, 6 to 12 times gonum's pure-Go Sgemm, against a peak of 115 for an
// FMA-only loop on this CPU (go test -bench Gemm -cpu 1). The benchmarks
// report work per CPU-second from getrusage as well as per wall-clock
// second, because the machine is shared. The tables, by product shape and
// for the element-wise and LSTM cell kernels, are in docs/experiments.md
// ("Speed and memory").
//
// # Advice for callers
//
//   - Make products big: one product for all four gates, and the input
//     projection of all frames of a batch in one call (m = batch*frames).
//     The same for weight gradients: accumulate dW over all frames in one
//     transA product (k = batch*frames) rather than per frame, when the
//     gate gradients of all frames are kept.
//   - The per-frame recurrence with W_hh stored 4H x H (transB) repacks W_hh
//     (8x8 transposes) on every call; a transposed copy (H x 4H) refreshed
//     once per optimizer step, used without transposes, saves that (about 5%
//     at batch 64). For large m, and for batch 1, both layouts run at the
//     same speed, so inference can use the PyTorch layout directly.
//   - Fold the bias into the product: copy the bias into C and call Gemm with
//     beta = 1 (or AddBias), and accumulate the recurrent term into the
//     precomputed input projection with beta = 1.
//   - After Sigmoid/Tanh on the gates, LSTMCellForward computes c, tanh(c)
//     and h in one pass, and LSTMCellBackward all four gate gradients and
//     the cell gradient in one pass, vectorised.
//   - transA is free: dW = dGates^T * h runs at full speed straight from the
//     row-major gate gradients.
//   - Pass row counts that are multiples of 6 when convenient; other counts
//     cost one partial tile per 16 columns.
package kernel
