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
// GFLOP (2mnk) per CPU-second of one thread, on the 2-core AMD EPYC (Zen 4)
// this was written on: go test -bench 'Gemm' -cpu 1, best of three to six
// runs. The machine was shared (load average 12-20 on 2 cores), so the
// benchmarks report work per CPU-second from getrusage as well as per
// wall-clock second; the CPU figures are still somewhat pessimistic (other
// processes evict the caches). "ref" is the plain Go loop, "gonum" is
// gonum.org/v1/gonum/blas/gonum.Implementation.Sgemm (v0.17.0, pure Go),
// "kernel" is this package. In the names, xWT means C = x * W^T with W
// stored 4H x I as PyTorch does (transB), xW means W stored transposed,
// I x 4H; tA marks transA.
//
//	shape                        m x n x k        ref  gonum  kernel
//	input proj. layer 1, xWT     6208x512x40      1.5    7.7    89.8
//	input proj. layer 1, xW      6208x512x40      3.0    9.6    92.4
//	input proj. layer 2, xWT     6208x512x128     1.4   13.4    97.2
//	input proj. layer 2, xW      6208x512x128     3.0   11.2    96.5
//	recurrence h*Whh^T           64x512x128       1.3   14.1    94.4
//	recurrence h*WhhT            64x512x128       3.1   12.6   102.1
//	bwd dh = dGates*Whh          64x128x512       3.1   18.7   109.3
//	bwd dX = dGates*Wih, all t   6208x128x512     3.0   12.2    96.2
//	bwd dX, 40 inputs            6208x40x512      2.9    9.6    75.0
//	bwd dW += dG^T*h, one t, tA  512x128x64       2.4   12.8   101.6
//	bwd dW, all t, tA            512x128x6208     2.9    9.7    93.4
//	bwd dWih layer 1, all t, tA  512x40x6208      2.4    7.7    78.4
//	fc layer h*Wfc^T             64x12x128        1.5   19.0    42.7
//	batch 1, h*Whh^T             1x512x128        1.6   10.1    55.5
//	batch 1, h*WhhT              1x512x128        3.2    7.7    55.0
//
// An FMA-only loop peaks at 115 GFLOP/s on this CPU, with YMM and ZMM
// registers alike (Zen 4 splits 512-bit FMAs in two), so AVX-512 would not
// raise the ceiling; the 6x16 micro-kernel alone, data in L1, runs at 107-111.
// With the machine quiet, wall-clock figures matched the CPU-second ones
// (95-105 at the large shapes). Products with 40 columns lose a fifth to the
// 8-column edge kernel; the batch-1 products are bound by reading W from
// L2. gonum allocates on most of these calls (it starts goroutines); kernel
// never does once warm.
//
// BenchmarkStepGemms runs every product of one train step (batch 64, 97
// frames x 40, 2 x 128 LSTM; weights stored as PyTorch does; input
// projections and weight gradients over all frames at once, recurrence and
// dh per frame; 7.8 GFLOP): 768 examples per CPU-second with this package
// against 99 with gonum. BenchmarkInferKernels (the kernels of a batch-1
// forward pass over a 1-second clip) takes 0.75 CPU-ms. Sigmoid and Tanh
// run at 2.4 and 1.4 Gelem per CPU-second, 20 and 12 times the scalar Go
// loop. For one frame at batch 64, hidden 128, LSTMCellForward runs at 1.0
// and LSTMCellBackward at 2.1 Gunits per CPU-second, 11 and 8 times the same
// loops in Go.
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
