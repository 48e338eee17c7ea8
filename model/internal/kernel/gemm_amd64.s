//go:build amd64 && !purego

#include "textflag.h"

// One step of the 6x16 micro-kernel: load a 16-wide row of B, broadcast one
// element of each of the six rows of A, and accumulate into Y4..Y15.
#define STEP6x16 \
	VMOVUPS      (BX), Y0          \
	VMOVUPS      32(BX), Y1        \
	ADDQ         DX, BX            \
	VBROADCASTSS (R8), Y2          \
	VFMADD231PS  Y0, Y2, Y4        \
	VFMADD231PS  Y1, Y2, Y5        \
	VBROADCASTSS (R8)(R9*1), Y3    \
	VFMADD231PS  Y0, Y3, Y6        \
	VFMADD231PS  Y1, Y3, Y7        \
	VBROADCASTSS (R8)(R9*2), Y2    \
	VFMADD231PS  Y0, Y2, Y8        \
	VFMADD231PS  Y1, Y2, Y9        \
	VBROADCASTSS (R10), Y3         \
	VFMADD231PS  Y0, Y3, Y10       \
	VFMADD231PS  Y1, Y3, Y11       \
	VBROADCASTSS (R10)(R9*1), Y2   \
	VFMADD231PS  Y0, Y2, Y12       \
	VFMADD231PS  Y1, Y2, Y13       \
	VBROADCASTSS (R10)(R9*2), Y3   \
	VFMADD231PS  Y0, Y3, Y14       \
	VFMADD231PS  Y1, Y3, Y15       \
	ADDQ         R11, R8           \
	ADDQ         R11, R10

// C row = beta*C row + alpha*acc, for a row held in two registers.
#define ROWBETA(lo, hi) \
	VMULPS      Y0, lo, lo       \
	VMULPS      Y0, hi, hi       \
	VFMADD231PS (DI), Y1, lo     \
	VFMADD231PS 32(DI), Y1, hi   \
	VMOVUPS     lo, (DI)         \
	VMOVUPS     hi, 32(DI)       \
	ADDQ        SI, DI

// C row = alpha*acc (beta == 0: C is not read, so NaNs in C do not survive).
#define ROWSTORE(lo, hi) \
	VMULPS  Y0, lo, lo   \
	VMULPS  Y0, hi, hi   \
	VMOVUPS lo, (DI)     \
	VMOVUPS hi, 32(DI)   \
	ADDQ    SI, DI

// func gemm6x16(k int, a *float32, ars, aks int, b *float32, bks int, c *float32, ldc int, alpha, beta float32)
//
// C[i][j] = beta*C[i][j] + alpha * sum_p A(i,p) B(p,j) for i < 6, j < 16,
// where A(i,p) is at a + i*ars + p*aks, B(p,j) at b + p*bks + 4*j and
// C[i][j] at c + i*ldc + 4*j. Strides are in bytes.
TEXT ·gemm6x16(SB), NOSPLIT, $0-72
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), R8
	MOVQ ars+16(FP), R9
	MOVQ aks+24(FP), R11
	MOVQ b+32(FP), BX
	MOVQ bks+40(FP), DX
	LEAQ (R9)(R9*2), R10
	ADDQ R8, R10

	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11
	VXORPS Y12, Y12, Y12
	VXORPS Y13, Y13, Y13
	VXORPS Y14, Y14, Y14
	VXORPS Y15, Y15, Y15

	CMPQ CX, $4
	JLT  tail

loop4:
	STEP6x16
	STEP6x16
	STEP6x16
	STEP6x16
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  loop4

tail:
	TESTQ CX, CX
	JZ    epilogue

loop1:
	STEP6x16
	DECQ CX
	JNZ  loop1

epilogue:
	MOVQ         c+48(FP), DI
	MOVQ         ldc+56(FP), SI
	VBROADCASTSS alpha+64(FP), Y0
	VBROADCASTSS beta+68(FP), Y1
	MOVL         beta+68(FP), AX
	ANDL         $0x7fffffff, AX
	JZ           store

	ROWBETA(Y4, Y5)
	ROWBETA(Y6, Y7)
	ROWBETA(Y8, Y9)
	ROWBETA(Y10, Y11)
	ROWBETA(Y12, Y13)
	ROWBETA(Y14, Y15)
	VZEROUPPER
	RET

store:
	ROWSTORE(Y4, Y5)
	ROWSTORE(Y6, Y7)
	ROWSTORE(Y8, Y9)
	ROWSTORE(Y10, Y11)
	ROWSTORE(Y12, Y13)
	ROWSTORE(Y14, Y15)
	VZEROUPPER
	RET

#define STEP6x8 \
	VMOVUPS      (BX), Y0          \
	ADDQ         DX, BX            \
	VBROADCASTSS (R8), Y2          \
	VFMADD231PS  Y0, Y2, Y4        \
	VBROADCASTSS (R8)(R9*1), Y3    \
	VFMADD231PS  Y0, Y3, Y5        \
	VBROADCASTSS (R8)(R9*2), Y2    \
	VFMADD231PS  Y0, Y2, Y6        \
	VBROADCASTSS (R10), Y3         \
	VFMADD231PS  Y0, Y3, Y7        \
	VBROADCASTSS (R10)(R9*1), Y2   \
	VFMADD231PS  Y0, Y2, Y8        \
	VBROADCASTSS (R10)(R9*2), Y3   \
	VFMADD231PS  Y0, Y3, Y9        \
	ADDQ         R11, R8           \
	ADDQ         R11, R10

#define ROWBETA8(r) \
	VMULPS      Y0, r, r         \
	VFMADD231PS (DI), Y1, r      \
	VMOVUPS     r, (DI)          \
	ADDQ        SI, DI

#define ROWSTORE8(r) \
	VMULPS  Y0, r, r     \
	VMOVUPS r, (DI)      \
	ADDQ    SI, DI

// func gemm6x8(k int, a *float32, ars, aks int, b *float32, bks int, c *float32, ldc int, alpha, beta float32)
//
// As gemm6x16 for an 8-column tile.
TEXT ·gemm6x8(SB), NOSPLIT, $0-72
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), R8
	MOVQ ars+16(FP), R9
	MOVQ aks+24(FP), R11
	MOVQ b+32(FP), BX
	MOVQ bks+40(FP), DX
	LEAQ (R9)(R9*2), R10
	ADDQ R8, R10

	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9

	CMPQ CX, $4
	JLT  tail8

loop8x4:
	STEP6x8
	STEP6x8
	STEP6x8
	STEP6x8
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  loop8x4

tail8:
	TESTQ CX, CX
	JZ    epilogue8

loop8x1:
	STEP6x8
	DECQ CX
	JNZ  loop8x1

epilogue8:
	MOVQ         c+48(FP), DI
	MOVQ         ldc+56(FP), SI
	VBROADCASTSS alpha+64(FP), Y0
	VBROADCASTSS beta+68(FP), Y1
	MOVL         beta+68(FP), AX
	ANDL         $0x7fffffff, AX
	JZ           store8

	ROWBETA8(Y4)
	ROWBETA8(Y5)
	ROWBETA8(Y6)
	ROWBETA8(Y7)
	ROWBETA8(Y8)
	ROWBETA8(Y9)
	VZEROUPPER
	RET

store8:
	ROWSTORE8(Y4)
	ROWSTORE8(Y5)
	ROWSTORE8(Y6)
	ROWSTORE8(Y7)
	ROWSTORE8(Y8)
	ROWSTORE8(Y9)
	VZEROUPPER
	RET

// func gemv1x32(k int, a *float32, aks int, b *float32, bks int, c *float32, alpha, beta float32)
//
// c[j] = beta*c[j] + alpha * sum_p a[p*aks] * B(p,j) for j < 32, B(p,j) at
// b + p*bks + 4*j. Two sets of accumulators alternate over p. k >= 0.
TEXT ·gemv1x32(SB), NOSPLIT, $0-56
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), R8
	MOVQ aks+16(FP), R11
	MOVQ b+24(FP), BX
	MOVQ bks+32(FP), DX
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11
	CMPQ   CX, $2
	JLT    gv_tail

gv_loop2:
	VBROADCASTSS (R8), Y0
	ADDQ         R11, R8
	VBROADCASTSS (R8), Y1
	ADDQ         R11, R8
	VFMADD231PS  (BX), Y0, Y4
	VFMADD231PS  32(BX), Y0, Y5
	VFMADD231PS  64(BX), Y0, Y6
	VFMADD231PS  96(BX), Y0, Y7
	ADDQ         DX, BX
	VFMADD231PS  (BX), Y1, Y8
	VFMADD231PS  32(BX), Y1, Y9
	VFMADD231PS  64(BX), Y1, Y10
	VFMADD231PS  96(BX), Y1, Y11
	ADDQ         DX, BX
	SUBQ         $2, CX
	CMPQ         CX, $2
	JGE          gv_loop2

gv_tail:
	TESTQ        CX, CX
	JZ           gv_epi
	VBROADCASTSS (R8), Y0
	VFMADD231PS  (BX), Y0, Y4
	VFMADD231PS  32(BX), Y0, Y5
	VFMADD231PS  64(BX), Y0, Y6
	VFMADD231PS  96(BX), Y0, Y7

gv_epi:
	VADDPS       Y8, Y4, Y4
	VADDPS       Y9, Y5, Y5
	VADDPS       Y10, Y6, Y6
	VADDPS       Y11, Y7, Y7
	MOVQ         c+40(FP), DI
	VBROADCASTSS alpha+48(FP), Y0
	VBROADCASTSS beta+52(FP), Y1
	VMULPS       Y0, Y4, Y4
	VMULPS       Y0, Y5, Y5
	VMULPS       Y0, Y6, Y6
	VMULPS       Y0, Y7, Y7
	MOVL         beta+52(FP), AX
	ANDL         $0x7fffffff, AX
	JZ           gv_store
	VFMADD231PS  (DI), Y1, Y4
	VFMADD231PS  32(DI), Y1, Y5
	VFMADD231PS  64(DI), Y1, Y6
	VFMADD231PS  96(DI), Y1, Y7

gv_store:
	VMOVUPS Y4, (DI)
	VMOVUPS Y5, 32(DI)
	VMOVUPS Y6, 64(DI)
	VMOVUPS Y7, 96(DI)
	VZEROUPPER
	RET

// func transpose8(nblk int, src *float32, lds int, dst *float32, ldd int)
//
// For each of nblk blocks of eight columns of the 8-row matrix at src (row
// stride lds bytes), writes its transpose as eight rows of eight floats at
// dst (row stride ldd bytes): dst row 8*blk+q holds column 8*blk+q.
TEXT ·transpose8(SB), NOSPLIT, $0-40
	MOVQ  nblk+0(FP), CX
	MOVQ  src+8(FP), R8
	MOVQ  lds+16(FP), R9
	MOVQ  dst+24(FP), DI
	MOVQ  ldd+32(FP), DX
	LEAQ  (R9)(R9*2), R10
	LEAQ  (R8)(R9*4), R11
	LEAQ  (DX)(DX*2), R12
	LEAQ  (DI)(DX*4), R13
	TESTQ CX, CX
	JZ    tr_done

tr_loop:
	VMOVUPS    (R8), Y0
	VMOVUPS    (R8)(R9*1), Y1
	VMOVUPS    (R8)(R9*2), Y2
	VMOVUPS    (R8)(R10*1), Y3
	VMOVUPS    (R11), Y4
	VMOVUPS    (R11)(R9*1), Y5
	VMOVUPS    (R11)(R9*2), Y6
	VMOVUPS    (R11)(R10*1), Y7
	VUNPCKLPS  Y1, Y0, Y8
	VUNPCKHPS  Y1, Y0, Y9
	VUNPCKLPS  Y3, Y2, Y10
	VUNPCKHPS  Y3, Y2, Y11
	VUNPCKLPS  Y5, Y4, Y12
	VUNPCKHPS  Y5, Y4, Y13
	VUNPCKLPS  Y7, Y6, Y14
	VUNPCKHPS  Y7, Y6, Y15
	VSHUFPS    $0x44, Y10, Y8, Y0
	VSHUFPS    $0xEE, Y10, Y8, Y1
	VSHUFPS    $0x44, Y11, Y9, Y2
	VSHUFPS    $0xEE, Y11, Y9, Y3
	VSHUFPS    $0x44, Y14, Y12, Y4
	VSHUFPS    $0xEE, Y14, Y12, Y5
	VSHUFPS    $0x44, Y15, Y13, Y6
	VSHUFPS    $0xEE, Y15, Y13, Y7
	VPERM2F128 $0x20, Y4, Y0, Y8
	VPERM2F128 $0x20, Y5, Y1, Y9
	VPERM2F128 $0x20, Y6, Y2, Y10
	VPERM2F128 $0x20, Y7, Y3, Y11
	VPERM2F128 $0x31, Y4, Y0, Y12
	VPERM2F128 $0x31, Y5, Y1, Y13
	VPERM2F128 $0x31, Y6, Y2, Y14
	VPERM2F128 $0x31, Y7, Y3, Y15
	VMOVUPS    Y8, (DI)
	VMOVUPS    Y9, (DI)(DX*1)
	VMOVUPS    Y10, (DI)(DX*2)
	VMOVUPS    Y11, (DI)(R12*1)
	VMOVUPS    Y12, (R13)
	VMOVUPS    Y13, (R13)(DX*1)
	VMOVUPS    Y14, (R13)(DX*2)
	VMOVUPS    Y15, (R13)(R12*1)
	ADDQ       $32, R8
	ADDQ       $32, R11
	LEAQ       (DI)(DX*8), DI
	LEAQ       (R13)(DX*8), R13
	DECQ       CX
	JNZ        tr_loop

tr_done:
	VZEROUPPER
	RET

// func gemvT8(ngroups, k int, x *float32, b *float32, ldb int, c *float32, alpha, beta float32)
//
// For j < 8*ngroups: c[j] = beta*c[j] + alpha * sum_{p<k} x[p]*B(j,p), with
// B(j,p) at b + j*ldb + 4*p (ldb in bytes) and k a multiple of 8. Eight rows
// at a time, one accumulator each, summed horizontally with VHADDPS.
TEXT ·gemvT8(SB), NOSPLIT, $0-56
	MOVQ         ngroups+0(FP), BX
	MOVQ         b+24(FP), R12
	MOVQ         ldb+32(FP), R9
	MOVQ         c+40(FP), DI
	LEAQ         (R9)(R9*2), R10
	VBROADCASTSS alpha+48(FP), Y6
	VBROADCASTSS beta+52(FP), Y7
	MOVL         beta+52(FP), DX
	ANDL         $0x7fffffff, DX
	TESTQ        BX, BX
	JZ           gt_done

gt_group:
	MOVQ   k+8(FP), CX
	SHRQ   $3, CX
	MOVQ   x+16(FP), SI
	MOVQ   R12, R8
	LEAQ   (R12)(R9*4), R11
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11
	VXORPS Y12, Y12, Y12
	VXORPS Y13, Y13, Y13
	VXORPS Y14, Y14, Y14
	VXORPS Y15, Y15, Y15
	TESTQ  CX, CX
	JZ     gt_sum

gt_loop:
	VMOVUPS     (SI), Y0
	VFMADD231PS (R8), Y0, Y8
	VFMADD231PS (R8)(R9*1), Y0, Y9
	VFMADD231PS (R8)(R9*2), Y0, Y10
	VFMADD231PS (R8)(R10*1), Y0, Y11
	VFMADD231PS (R11), Y0, Y12
	VFMADD231PS (R11)(R9*1), Y0, Y13
	VFMADD231PS (R11)(R9*2), Y0, Y14
	VFMADD231PS (R11)(R10*1), Y0, Y15
	ADDQ        $32, SI
	ADDQ        $32, R8
	ADDQ        $32, R11
	DECQ        CX
	JNZ         gt_loop

gt_sum:
	VHADDPS    Y9, Y8, Y8
	VHADDPS    Y11, Y10, Y10
	VHADDPS    Y13, Y12, Y12
	VHADDPS    Y15, Y14, Y14
	VHADDPS    Y10, Y8, Y8
	VHADDPS    Y14, Y12, Y12
	VPERM2F128 $0x20, Y12, Y8, Y0
	VPERM2F128 $0x31, Y12, Y8, Y1
	VADDPS     Y1, Y0, Y0
	VMULPS     Y6, Y0, Y0
	TESTL      DX, DX
	JZ         gt_store
	VFMADD231PS (DI), Y7, Y0

gt_store:
	VMOVUPS Y0, (DI)
	ADDQ    $32, DI
	LEAQ    (R12)(R9*8), R12
	DECQ    BX
	JNZ     gt_group

gt_done:
	VZEROUPPER
	RET

// func gemv1x64(k int, a *float32, aks int, b *float32, bks int, c *float32, alpha, beta float32)
//
// As gemv1x32 for 64 columns: eight accumulators, one row of B (256 bytes)
// per k step.
TEXT ·gemv1x64(SB), NOSPLIT, $0-56
	MOVQ   k+0(FP), CX
	MOVQ   a+8(FP), R8
	MOVQ   aks+16(FP), R11
	MOVQ   b+24(FP), BX
	MOVQ   bks+32(FP), DX
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11
	TESTQ  CX, CX
	JZ     g64_epi

g64_loop:
	VBROADCASTSS (R8), Y0
	ADDQ         R11, R8
	VFMADD231PS  (BX), Y0, Y4
	VFMADD231PS  32(BX), Y0, Y5
	VFMADD231PS  64(BX), Y0, Y6
	VFMADD231PS  96(BX), Y0, Y7
	VFMADD231PS  128(BX), Y0, Y8
	VFMADD231PS  160(BX), Y0, Y9
	VFMADD231PS  192(BX), Y0, Y10
	VFMADD231PS  224(BX), Y0, Y11
	ADDQ         DX, BX
	DECQ         CX
	JNZ          g64_loop

g64_epi:
	MOVQ         c+40(FP), DI
	VBROADCASTSS alpha+48(FP), Y0
	VBROADCASTSS beta+52(FP), Y1
	VMULPS       Y0, Y4, Y4
	VMULPS       Y0, Y5, Y5
	VMULPS       Y0, Y6, Y6
	VMULPS       Y0, Y7, Y7
	VMULPS       Y0, Y8, Y8
	VMULPS       Y0, Y9, Y9
	VMULPS       Y0, Y10, Y10
	VMULPS       Y0, Y11, Y11
	MOVL         beta+52(FP), AX
	ANDL         $0x7fffffff, AX
	JZ           g64_store
	VFMADD231PS  (DI), Y1, Y4
	VFMADD231PS  32(DI), Y1, Y5
	VFMADD231PS  64(DI), Y1, Y6
	VFMADD231PS  96(DI), Y1, Y7
	VFMADD231PS  128(DI), Y1, Y8
	VFMADD231PS  160(DI), Y1, Y9
	VFMADD231PS  192(DI), Y1, Y10
	VFMADD231PS  224(DI), Y1, Y11

g64_store:
	VMOVUPS Y4, (DI)
	VMOVUPS Y5, 32(DI)
	VMOVUPS Y6, 64(DI)
	VMOVUPS Y7, 96(DI)
	VMOVUPS Y8, 128(DI)
	VMOVUPS Y9, 160(DI)
	VMOVUPS Y10, 192(DI)
	VMOVUPS Y11, 224(DI)
	VZEROUPPER
	RET

#define STEP4x16 \
	VMOVUPS      (BX), Y0          \
	VMOVUPS      32(BX), Y1        \
	ADDQ         DX, BX            \
	VBROADCASTSS (R8), Y2          \
	VFMADD231PS  Y0, Y2, Y4        \
	VFMADD231PS  Y1, Y2, Y5        \
	VBROADCASTSS (R8)(R9*1), Y3    \
	VFMADD231PS  Y0, Y3, Y6        \
	VFMADD231PS  Y1, Y3, Y7        \
	VBROADCASTSS (R8)(R9*2), Y2    \
	VFMADD231PS  Y0, Y2, Y8        \
	VFMADD231PS  Y1, Y2, Y9        \
	VBROADCASTSS (R10), Y3         \
	VFMADD231PS  Y0, Y3, Y10       \
	VFMADD231PS  Y1, Y3, Y11       \
	ADDQ         R11, R8           \
	ADDQ         R11, R10

// func gemm4x16(k int, a *float32, ars, aks int, b *float32, bks int, c *float32, ldc int, alpha, beta float32)
//
// As gemm6x16 for a 4-row tile.
TEXT ·gemm4x16(SB), NOSPLIT, $0-72
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), R8
	MOVQ ars+16(FP), R9
	MOVQ aks+24(FP), R11
	MOVQ b+32(FP), BX
	MOVQ bks+40(FP), DX
	LEAQ (R9)(R9*2), R10
	ADDQ R8, R10

	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11

	CMPQ CX, $4
	JLT  tail4

loop4x4:
	STEP4x16
	STEP4x16
	STEP4x16
	STEP4x16
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  loop4x4

tail4:
	TESTQ CX, CX
	JZ    epilogue4

loop4x1:
	STEP4x16
	DECQ CX
	JNZ  loop4x1

epilogue4:
	MOVQ         c+48(FP), DI
	MOVQ         ldc+56(FP), SI
	VBROADCASTSS alpha+64(FP), Y0
	VBROADCASTSS beta+68(FP), Y1
	MOVL         beta+68(FP), AX
	ANDL         $0x7fffffff, AX
	JZ           store4

	ROWBETA(Y4, Y5)
	ROWBETA(Y6, Y7)
	ROWBETA(Y8, Y9)
	ROWBETA(Y10, Y11)
	VZEROUPPER
	RET

store4:
	ROWSTORE(Y4, Y5)
	ROWSTORE(Y6, Y7)
	ROWSTORE(Y8, Y9)
	ROWSTORE(Y10, Y11)
	VZEROUPPER
	RET
