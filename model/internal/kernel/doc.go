// Package kernel holds the float32 numerical kernels the LSTM spends its
// time in: the matrix product Gemm and the element-wise Sigmoid, Tanh,
// AddBias, Axpy and Dot.
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
// accumulators, B rows loaded, A elements broadcast) with a 6x8 variant for
// 8-column edges. A is read in place in both layouts: the kernel takes the
// byte strides between rows and between k steps, so op(A) = A^T costs
// nothing. B is read in place when it is not transposed and C has fewer than
// 97 rows; otherwise it is packed into 16-column panels (a plain copy, or 8x8
// AVX transposes for B^T), in blocks of 256 k-steps and 1024 columns. Edge
// tiles go through small stack buffers. One-row products (batch-1
// inference) use a 1x32 gemv kernel for op(B) = B and four-row dot products
// for op(B) = B^T. The packing buffers are kept on a free list, so a warm
// Gemm allocates nothing. Without AVX2/FMA, with the purego build tag or on
// other architectures, the portable Go loops run instead (the reference
// product, and the same exp/tanh approximations in scalar Go).
//
// Sigmoid and Tanh are 8-wide AVX2: exp is the Cephes expf scheme (range
// reduction by ln 2 in two parts, degree-6 polynomial, exponent built by
// integer shift), with its argument clamped to [-87, 88]; Sigmoid is
// 1/(1+exp(-x)); Tanh is the Cephes odd polynomial for |x| < 0.625 and
// sign(x)*(1 - 2/(exp(2|x|)+1)) above. Measured against float64 math over a
// dense sweep of [-20, 20], tiny and saturating arguments: maximum relative
// error 1.5e-7 for Sigmoid (for x >= -88; below, where the true value is
// under 6.1e-39, it returns about 6e-39) and 1.3e-7 for Tanh. NaN stays NaN;
// Tanh(±Inf) = ±1, Sigmoid(+Inf) = 1.
//
// # Speed
//
// Single-thread GFLOP/s (2mnk/time) on the 2-core AMD EPYC (Zen 4, AVX-512
// capable; the kernels use AVX2+FMA only, whose peak is 32 flop/cycle) this
// was written on, go test -bench 'Gemm' -cpu 1, best of several runs on a
// machine shared with other work (so ratios within a run are more reliable
// than absolute values). "ref" is the plain Go loop, "gonum" is
// gonum.org/v1/gonum/blas/gonum.Implementation.Sgemm (v0.17.0, pure Go),
// "kernel" is this package. T marks the layout of the weights as stored: xWT
// means C = x * W^T with W stored 4H x I as in PyTorch (transB), xW means W
// stored transposed, I x 4H (no transpose).
//
//	shape                      m x n x k        ref  gonum  kernel
//	input proj. layer 1, xWT   6208x512x40      0.8    8.3   100.7
//	input proj. layer 1, xW    6208x512x40      3.2    8.8   101.4
//	input proj. layer 2, xWT   6208x512x128     1.5   13.8   101.3
//	input proj. layer 2, xW    6208x512x128     2.3   10.7    95.5
//	recurrence h*Whh^T         64x512x128       1.5   12.0    64.4
//	recurrence h*Whh (W^T kept) 64x512x128      3.2   12.9   101.9
//	bwd dGates*W, one frame    64x128x512       3.2   16.3   104.5
//	bwd dGates*W, all frames   6208x128x512     2.8   12.7    89.7
//	bwd dGates*Wih, layer 1    6208x40x512      3.0    9.2    79.9
//	bwd dW += dG^T*h, 1 frame  512x128x64 (tA)  3.1   12.3   102.8
//	bwd dW, all frames         512x128x6208 (tA) 2.9   9.5    97.9
//	bwd dWih, all frames       512x40x6208 (tA) 2.5    8.3    85.4
//	fc layer h*Wfc^T           64x12x128        1.5   19.0    39.4
//	inference, 1 row, h*W^T    1x512x128        1.6   10.2    42.6
//	inference, 1 row, h*W      1x512x128        3.3    9.4    41.2
//
// BenchmarkStepGemms runs every product of one train step (batch 64, 97
// frames x 40, 2 x 128 LSTM; weights as PyTorch stores them, input
// projections and weight gradients over all frames at once, recurrence and
// dh per frame; 7.8 GFLOP): it reaches 193 examples/s with this package
// against 31 with gonum, single-threaded on the loaded machine. Sigmoid and
// Tanh run at about 2.2 and 1.8 GB/s of input (0.5 and 0.6 Gelem/s), 15 times
// the scalar Go loop.
//
// # Advice for callers
//
//   - Make products big: one product for all four gates, and the input
//     projection of all frames of a batch in one call (m = batch*frames).
//     The same for weight gradients: accumulate dW over all frames in one
//     transA product (k = batch*frames) rather than per frame, when the
//     gate gradients of all frames are kept.
//   - The per-frame recurrence with W_hh stored 4H x H (transB) repacks W_hh on
//     every call; keeping a transposed copy (H x 4H) refreshed once per
//     optimizer step and calling Gemm without transposes is about 1.5x faster
//     at batch 64. For large m both layouts run at the same speed.
//   - Fold the bias into the product: copy the bias into C and call Gemm with
//     beta = 1 (or AddBias), and accumulate the recurrent term into the
//     precomputed input projection with beta = 1.
//   - transA is free: dW = dGates^T * h runs at full speed straight from the
//     row-major gate gradients.
//   - Pass row counts that are multiples of 6 when convenient; other counts
//     cost one partial tile per 16 columns.
package kernel
