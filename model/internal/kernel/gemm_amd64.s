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
