//go:build amd64 && !purego

#include "textflag.h"

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

// Constants for logPlusOffsetAVX2, each broadcast to the four lanes.
DATA logc<>+0(SB)/8, $0x3eb0c6f7a0b5ed8d   // 1e-6
DATA logc<>+8(SB)/8, $0x000fffffffffffff   // mantissa mask
DATA logc<>+16(SB)/8, $0x3fe0000000000000  // exponent of 0.5
DATA logc<>+24(SB)/8, $0x4330000000000000  // 2**52
DATA logc<>+32(SB)/8, $0x43300000000003fe  // 2**52 + 1022
DATA logc<>+40(SB)/8, $0x3fe6a09e667f3bcd  // sqrt2/2
DATA logc<>+48(SB)/8, $0x3ff0000000000000  // 1
DATA logc<>+56(SB)/8, $0x4000000000000000  // 2
DATA logc<>+64(SB)/8, $0x3fe0000000000000  // 0.5
DATA logc<>+72(SB)/8, $0x3fe5555555555593  // logL1
DATA logc<>+80(SB)/8, $0x3fd999999997fa04  // logL2
DATA logc<>+88(SB)/8, $0x3fd2492494229359  // logL3
DATA logc<>+96(SB)/8, $0x3fcc71c51d8e78af  // logL4
DATA logc<>+104(SB)/8, $0x3fc7466496cb03de // logL5
DATA logc<>+112(SB)/8, $0x3fc39a09d078c69f // logL6
DATA logc<>+120(SB)/8, $0x3fc2f112df3e5244 // logL7
DATA logc<>+128(SB)/8, $0x3fe62e42fee00000 // ln2Hi
DATA logc<>+136(SB)/8, $0x3dea39ef35793c76 // ln2Lo
GLOBL logc<>(SB), RODATA|NOPTR, $144

// func logPlusOffsetAVX2(x *float64, n int)
//
// logPlusOffsetGo four values at a time; n is a multiple of 4. Y0 v, Y1 k,
// Y2 f, Y3 mask, Y5 s, Y6 s2, Y7 s4, Y8 t1 then r, Y9 t2, Y10 hfsq,
// Y13 constants, Y14 1.
TEXT ·logPlusOffsetAVX2(SB), NOSPLIT, $0-16
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	SHRQ $2, CX
	JZ   logdone
	VBROADCASTSD logc<>+48(SB), Y14

logloop:
	VMOVUPD      (SI), Y0
	VBROADCASTSD logc<>+0(SB), Y13
	VADDPD       Y13, Y0, Y0           // v = x + 1e-6
	VPSRLQ       $52, Y0, Y1           // biased exponent e
	VBROADCASTSD logc<>+24(SB), Y13
	VORPD        Y13, Y1, Y1           // 2**52 + e
	VBROADCASTSD logc<>+32(SB), Y13
	VSUBPD       Y13, Y1, Y1           // k = e - 1022
	VBROADCASTSD logc<>+8(SB), Y13
	VANDPD       Y13, Y0, Y2
	VBROADCASTSD logc<>+16(SB), Y13
	VORPD        Y13, Y2, Y2           // f1 in [0.5, 1)
	VBROADCASTSD logc<>+40(SB), Y13
	VCMPPD       $1, Y13, Y2, Y3       // f1 < sqrt2/2
	VANDPD       Y3, Y2, Y4
	VADDPD       Y4, Y2, Y2            // there f1 *= 2
	VANDPD       Y3, Y14, Y4
	VSUBPD       Y4, Y1, Y1            // and k--
	VSUBPD       Y14, Y2, Y2           // f = f1 - 1
	VBROADCASTSD logc<>+56(SB), Y13
	VADDPD       Y13, Y2, Y4           // 2 + f
	VDIVPD       Y4, Y2, Y5            // s = f / (2+f)
	VMULPD       Y5, Y5, Y6            // s2
	VMULPD       Y6, Y6, Y7            // s4

	VBROADCASTSD logc<>+120(SB), Y13
	VMULPD       Y13, Y7, Y8           // s4*L7
	VBROADCASTSD logc<>+104(SB), Y13
	VADDPD       Y13, Y8, Y8           // L5 + ...
	VMULPD       Y8, Y7, Y8
	VBROADCASTSD logc<>+88(SB), Y13
	VADDPD       Y13, Y8, Y8           // L3 + ...
	VMULPD       Y8, Y7, Y8
	VBROADCASTSD logc<>+72(SB), Y13
	VADDPD       Y13, Y8, Y8           // L1 + ...
	VMULPD       Y8, Y6, Y8            // t1 = s2*(...)

	VBROADCASTSD logc<>+112(SB), Y13
	VMULPD       Y13, Y7, Y9           // s4*L6
	VBROADCASTSD logc<>+96(SB), Y13
	VADDPD       Y13, Y9, Y9           // L4 + ...
	VMULPD       Y9, Y7, Y9
	VBROADCASTSD logc<>+80(SB), Y13
	VADDPD       Y13, Y9, Y9           // L2 + ...
	VMULPD       Y9, Y7, Y9            // t2 = s4*(...)
	VADDPD       Y9, Y8, Y8            // r = t1 + t2

	VBROADCASTSD logc<>+64(SB), Y13
	VMULPD       Y13, Y2, Y10
	VMULPD       Y2, Y10, Y10          // hfsq = 0.5*f*f
	VADDPD       Y8, Y10, Y11          // hfsq + r
	VMULPD       Y11, Y5, Y11          // s*(hfsq+r)
	VBROADCASTSD logc<>+136(SB), Y13
	VMULPD       Y13, Y1, Y12          // k*ln2Lo
	VADDPD       Y12, Y11, Y11         // s*(hfsq+r) + k*ln2Lo
	VSUBPD       Y11, Y10, Y11         // hfsq - (...)
	VSUBPD       Y2, Y11, Y11          // (...) - f
	VBROADCASTSD logc<>+128(SB), Y13
	VMULPD       Y13, Y1, Y12          // k*ln2Hi
	VSUBPD       Y11, Y12, Y12         // k*ln2Hi - (...)
	VMOVUPD      Y12, (SI)

	ADDQ $32, SI
	DECQ CX
	JNZ  logloop
	VZEROUPPER

logdone:
	RET
