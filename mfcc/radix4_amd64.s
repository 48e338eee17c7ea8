//go:build amd64 && !purego

#include "textflag.h"

// func cpuid(eax, ecx uint32) (a, b, c, d uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL eax+0(FP), AX
	MOVL ecx+4(FP), CX
	CPUID
	MOVL AX, a+8(FP)
	MOVL BX, b+12(FP)
	MOVL CX, c+16(FP)
	MOVL DX, d+20(FP)
	RET

// func xgetbv() (eax, edx uint32)
TEXT ·xgetbv(SB), NOSPLIT, $0-8
	MOVL $0, CX
	XGETBV
	MOVL AX, eax+0(FP)
	MOVL DX, edx+4(FP)
	RET

// func radix4AVX(re, im *float64, blocks, q int, tw *float64)
//
// radix4Go four j at a time over blocks blocks of 4q values; q is a
// multiple of 4. tw holds six
// runs of q: w1r, w1i, w2r, w2i, w3r, w3i. For each block of 4q starting at
// s, with r_k = re[s+kq:], i_k = im[s+kq:]:
//	t1 = w1*(r2,i2)  t2 = w2*(r1,i1)  t3 = w3*(r3,i3)
//	a = (r0,i0)+t2   b = (r0,i0)-t2   c = t1+t3   d = t1-t3
//	(r0,i0) = a+c    (r2,i2) = a-c    (r1,i1) = b-i d    (r3,i3) = b+i d
//
// Registers: SI r0, DI i0, R10 r3, R11 i3, DX w1r, R12 w1i (w2, w3 at
// 2q, 4q further), R8 q*8, R13 3q*8, R9 blocks left, CX j groups left,
// BX tw.
TEXT ·radix4AVX(SB), NOSPLIT, $0-40
	MOVQ re+0(FP), SI
	MOVQ im+8(FP), DI
	MOVQ blocks+16(FP), R9
	MOVQ q+24(FP), R8
	MOVQ tw+32(FP), BX
	SHLQ $3, R8            // q*8 bytes
	LEAQ (R8)(R8*2), R13   // 3q*8 bytes

block:
	LEAQ (SI)(R13*1), R10
	LEAQ (DI)(R13*1), R11
	MOVQ BX, DX
	LEAQ (BX)(R8*1), R12
	MOVQ R8, CX
	SHRQ $5, CX            // q/4 groups of four

group:
	// t1 = w1 * (r2, i2)
	VMOVUPD (SI)(R8*2), Y0
	VMOVUPD (DI)(R8*2), Y1
	VMOVUPD (DX), Y2
	VMOVUPD (R12), Y3
	VMULPD  Y0, Y2, Y4     // w1r*r2
	VMULPD  Y1, Y3, Y5     // w1i*i2
	VSUBPD  Y5, Y4, Y4     // t1r
	VMULPD  Y1, Y2, Y5     // w1r*i2
	VMULPD  Y0, Y3, Y6     // w1i*r2
	VADDPD  Y6, Y5, Y5     // t1i

	// t2 = w2 * (r1, i1)
	VMOVUPD (SI)(R8*1), Y0
	VMOVUPD (DI)(R8*1), Y1
	VMOVUPD (DX)(R8*2), Y2
	VMOVUPD (R12)(R8*2), Y3
	VMULPD  Y0, Y2, Y6
	VMULPD  Y1, Y3, Y7
	VSUBPD  Y7, Y6, Y6     // t2r
	VMULPD  Y1, Y2, Y7
	VMULPD  Y0, Y3, Y8
	VADDPD  Y8, Y7, Y7     // t2i

	// t3 = w3 * (r3, i3)
	VMOVUPD (R10), Y0
	VMOVUPD (R11), Y1
	VMOVUPD (DX)(R8*4), Y2
	VMOVUPD (R12)(R8*4), Y3
	VMULPD  Y0, Y2, Y8
	VMULPD  Y1, Y3, Y9
	VSUBPD  Y9, Y8, Y8     // t3r
	VMULPD  Y1, Y2, Y9
	VMULPD  Y0, Y3, Y10
	VADDPD  Y10, Y9, Y9    // t3i

	VMOVUPD (SI), Y0
	VMOVUPD (DI), Y1
	VADDPD  Y6, Y0, Y10    // ar
	VADDPD  Y7, Y1, Y11    // ai
	VSUBPD  Y6, Y0, Y0     // br
	VSUBPD  Y7, Y1, Y1     // bi
	VADDPD  Y8, Y4, Y12    // cr
	VADDPD  Y9, Y5, Y13    // ci
	VSUBPD  Y8, Y4, Y4     // dr
	VSUBPD  Y9, Y5, Y5     // di

	VADDPD  Y12, Y10, Y6
	VMOVUPD Y6, (SI)       // r0 = ar+cr
	VADDPD  Y13, Y11, Y7
	VMOVUPD Y7, (DI)       // i0 = ai+ci
	VSUBPD  Y12, Y10, Y6
	VMOVUPD Y6, (SI)(R8*2) // r2 = ar-cr
	VSUBPD  Y13, Y11, Y7
	VMOVUPD Y7, (DI)(R8*2) // i2 = ai-ci
	VADDPD  Y5, Y0, Y6
	VMOVUPD Y6, (SI)(R8*1) // r1 = br+di
	VSUBPD  Y4, Y1, Y7
	VMOVUPD Y7, (DI)(R8*1) // i1 = bi-dr
	VSUBPD  Y5, Y0, Y6
	VMOVUPD Y6, (R10)      // r3 = br-di
	VADDPD  Y4, Y1, Y7
	VMOVUPD Y7, (R11)      // i3 = bi+dr

	ADDQ $32, SI
	ADDQ $32, DI
	ADDQ $32, R10
	ADDQ $32, R11
	ADDQ $32, DX
	ADDQ $32, R12
	DECQ CX
	JNZ  group

	ADDQ R13, SI           // past blocks 1-3 to the next block
	ADDQ R13, DI
	DECQ R9
	JNZ  block

	VZEROUPPER
	RET
