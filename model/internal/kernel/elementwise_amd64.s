//go:build amd64 && !purego

#include "textflag.h"

// Constant vectors, eight copies each. The exp polynomial is Cephes expf
// (S. Moshier); the tanh polynomial for |x| < 0.625 is Cephes tanhf.
DATA log2e<>+0(SB)/4, $0x3fb8aa3b
DATA log2e<>+4(SB)/4, $0x3fb8aa3b
DATA log2e<>+8(SB)/4, $0x3fb8aa3b
DATA log2e<>+12(SB)/4, $0x3fb8aa3b
DATA log2e<>+16(SB)/4, $0x3fb8aa3b
DATA log2e<>+20(SB)/4, $0x3fb8aa3b
DATA log2e<>+24(SB)/4, $0x3fb8aa3b
DATA log2e<>+28(SB)/4, $0x3fb8aa3b
GLOBL log2e<>(SB), RODATA|NOPTR, $32

DATA expC1<>+0(SB)/4, $0x3f318000
DATA expC1<>+4(SB)/4, $0x3f318000
DATA expC1<>+8(SB)/4, $0x3f318000
DATA expC1<>+12(SB)/4, $0x3f318000
DATA expC1<>+16(SB)/4, $0x3f318000
DATA expC1<>+20(SB)/4, $0x3f318000
DATA expC1<>+24(SB)/4, $0x3f318000
DATA expC1<>+28(SB)/4, $0x3f318000
GLOBL expC1<>(SB), RODATA|NOPTR, $32

DATA expC2<>+0(SB)/4, $0xb95e8083
DATA expC2<>+4(SB)/4, $0xb95e8083
DATA expC2<>+8(SB)/4, $0xb95e8083
DATA expC2<>+12(SB)/4, $0xb95e8083
DATA expC2<>+16(SB)/4, $0xb95e8083
DATA expC2<>+20(SB)/4, $0xb95e8083
DATA expC2<>+24(SB)/4, $0xb95e8083
DATA expC2<>+28(SB)/4, $0xb95e8083
GLOBL expC2<>(SB), RODATA|NOPTR, $32

DATA expP0<>+0(SB)/4, $0x39506967
DATA expP0<>+4(SB)/4, $0x39506967
DATA expP0<>+8(SB)/4, $0x39506967
DATA expP0<>+12(SB)/4, $0x39506967
DATA expP0<>+16(SB)/4, $0x39506967
DATA expP0<>+20(SB)/4, $0x39506967
DATA expP0<>+24(SB)/4, $0x39506967
DATA expP0<>+28(SB)/4, $0x39506967
GLOBL expP0<>(SB), RODATA|NOPTR, $32

DATA expP1<>+0(SB)/4, $0x3ab743ce
DATA expP1<>+4(SB)/4, $0x3ab743ce
DATA expP1<>+8(SB)/4, $0x3ab743ce
DATA expP1<>+12(SB)/4, $0x3ab743ce
DATA expP1<>+16(SB)/4, $0x3ab743ce
DATA expP1<>+20(SB)/4, $0x3ab743ce
DATA expP1<>+24(SB)/4, $0x3ab743ce
DATA expP1<>+28(SB)/4, $0x3ab743ce
GLOBL expP1<>(SB), RODATA|NOPTR, $32

DATA expP2<>+0(SB)/4, $0x3c088908
DATA expP2<>+4(SB)/4, $0x3c088908
DATA expP2<>+8(SB)/4, $0x3c088908
DATA expP2<>+12(SB)/4, $0x3c088908
DATA expP2<>+16(SB)/4, $0x3c088908
DATA expP2<>+20(SB)/4, $0x3c088908
DATA expP2<>+24(SB)/4, $0x3c088908
DATA expP2<>+28(SB)/4, $0x3c088908
GLOBL expP2<>(SB), RODATA|NOPTR, $32

DATA expP3<>+0(SB)/4, $0x3d2aa9c1
DATA expP3<>+4(SB)/4, $0x3d2aa9c1
DATA expP3<>+8(SB)/4, $0x3d2aa9c1
DATA expP3<>+12(SB)/4, $0x3d2aa9c1
DATA expP3<>+16(SB)/4, $0x3d2aa9c1
DATA expP3<>+20(SB)/4, $0x3d2aa9c1
DATA expP3<>+24(SB)/4, $0x3d2aa9c1
DATA expP3<>+28(SB)/4, $0x3d2aa9c1
GLOBL expP3<>(SB), RODATA|NOPTR, $32

DATA expP4<>+0(SB)/4, $0x3e2aaaaa
DATA expP4<>+4(SB)/4, $0x3e2aaaaa
DATA expP4<>+8(SB)/4, $0x3e2aaaaa
DATA expP4<>+12(SB)/4, $0x3e2aaaaa
DATA expP4<>+16(SB)/4, $0x3e2aaaaa
DATA expP4<>+20(SB)/4, $0x3e2aaaaa
DATA expP4<>+24(SB)/4, $0x3e2aaaaa
DATA expP4<>+28(SB)/4, $0x3e2aaaaa
GLOBL expP4<>(SB), RODATA|NOPTR, $32

DATA expP5<>+0(SB)/4, $0x3f000000
DATA expP5<>+4(SB)/4, $0x3f000000
DATA expP5<>+8(SB)/4, $0x3f000000
DATA expP5<>+12(SB)/4, $0x3f000000
DATA expP5<>+16(SB)/4, $0x3f000000
DATA expP5<>+20(SB)/4, $0x3f000000
DATA expP5<>+24(SB)/4, $0x3f000000
DATA expP5<>+28(SB)/4, $0x3f000000
GLOBL expP5<>(SB), RODATA|NOPTR, $32

DATA expHi<>+0(SB)/4, $0x42b00000
DATA expHi<>+4(SB)/4, $0x42b00000
DATA expHi<>+8(SB)/4, $0x42b00000
DATA expHi<>+12(SB)/4, $0x42b00000
DATA expHi<>+16(SB)/4, $0x42b00000
DATA expHi<>+20(SB)/4, $0x42b00000
DATA expHi<>+24(SB)/4, $0x42b00000
DATA expHi<>+28(SB)/4, $0x42b00000
GLOBL expHi<>(SB), RODATA|NOPTR, $32

DATA expLo<>+0(SB)/4, $0xc2ae0000
DATA expLo<>+4(SB)/4, $0xc2ae0000
DATA expLo<>+8(SB)/4, $0xc2ae0000
DATA expLo<>+12(SB)/4, $0xc2ae0000
DATA expLo<>+16(SB)/4, $0xc2ae0000
DATA expLo<>+20(SB)/4, $0xc2ae0000
DATA expLo<>+24(SB)/4, $0xc2ae0000
DATA expLo<>+28(SB)/4, $0xc2ae0000
GLOBL expLo<>(SB), RODATA|NOPTR, $32

DATA one<>+0(SB)/4, $0x3f800000
DATA one<>+4(SB)/4, $0x3f800000
DATA one<>+8(SB)/4, $0x3f800000
DATA one<>+12(SB)/4, $0x3f800000
DATA one<>+16(SB)/4, $0x3f800000
DATA one<>+20(SB)/4, $0x3f800000
DATA one<>+24(SB)/4, $0x3f800000
DATA one<>+28(SB)/4, $0x3f800000
GLOBL one<>(SB), RODATA|NOPTR, $32

DATA two<>+0(SB)/4, $0x40000000
DATA two<>+4(SB)/4, $0x40000000
DATA two<>+8(SB)/4, $0x40000000
DATA two<>+12(SB)/4, $0x40000000
DATA two<>+16(SB)/4, $0x40000000
DATA two<>+20(SB)/4, $0x40000000
DATA two<>+24(SB)/4, $0x40000000
DATA two<>+28(SB)/4, $0x40000000
GLOBL two<>(SB), RODATA|NOPTR, $32

DATA tanhQ0<>+0(SB)/4, $0xbbbaf0ea
DATA tanhQ0<>+4(SB)/4, $0xbbbaf0ea
DATA tanhQ0<>+8(SB)/4, $0xbbbaf0ea
DATA tanhQ0<>+12(SB)/4, $0xbbbaf0ea
DATA tanhQ0<>+16(SB)/4, $0xbbbaf0ea
DATA tanhQ0<>+20(SB)/4, $0xbbbaf0ea
DATA tanhQ0<>+24(SB)/4, $0xbbbaf0ea
DATA tanhQ0<>+28(SB)/4, $0xbbbaf0ea
GLOBL tanhQ0<>(SB), RODATA|NOPTR, $32

DATA tanhQ1<>+0(SB)/4, $0x3ca9134e
DATA tanhQ1<>+4(SB)/4, $0x3ca9134e
DATA tanhQ1<>+8(SB)/4, $0x3ca9134e
DATA tanhQ1<>+12(SB)/4, $0x3ca9134e
DATA tanhQ1<>+16(SB)/4, $0x3ca9134e
DATA tanhQ1<>+20(SB)/4, $0x3ca9134e
DATA tanhQ1<>+24(SB)/4, $0x3ca9134e
DATA tanhQ1<>+28(SB)/4, $0x3ca9134e
GLOBL tanhQ1<>(SB), RODATA|NOPTR, $32

DATA tanhQ2<>+0(SB)/4, $0xbd5c1e2d
DATA tanhQ2<>+4(SB)/4, $0xbd5c1e2d
DATA tanhQ2<>+8(SB)/4, $0xbd5c1e2d
DATA tanhQ2<>+12(SB)/4, $0xbd5c1e2d
DATA tanhQ2<>+16(SB)/4, $0xbd5c1e2d
DATA tanhQ2<>+20(SB)/4, $0xbd5c1e2d
DATA tanhQ2<>+24(SB)/4, $0xbd5c1e2d
DATA tanhQ2<>+28(SB)/4, $0xbd5c1e2d
GLOBL tanhQ2<>(SB), RODATA|NOPTR, $32

DATA tanhQ3<>+0(SB)/4, $0x3e088393
DATA tanhQ3<>+4(SB)/4, $0x3e088393
DATA tanhQ3<>+8(SB)/4, $0x3e088393
DATA tanhQ3<>+12(SB)/4, $0x3e088393
DATA tanhQ3<>+16(SB)/4, $0x3e088393
DATA tanhQ3<>+20(SB)/4, $0x3e088393
DATA tanhQ3<>+24(SB)/4, $0x3e088393
DATA tanhQ3<>+28(SB)/4, $0x3e088393
GLOBL tanhQ3<>(SB), RODATA|NOPTR, $32

DATA tanhQ4<>+0(SB)/4, $0xbeaaaa99
DATA tanhQ4<>+4(SB)/4, $0xbeaaaa99
DATA tanhQ4<>+8(SB)/4, $0xbeaaaa99
DATA tanhQ4<>+12(SB)/4, $0xbeaaaa99
DATA tanhQ4<>+16(SB)/4, $0xbeaaaa99
DATA tanhQ4<>+20(SB)/4, $0xbeaaaa99
DATA tanhQ4<>+24(SB)/4, $0xbeaaaa99
DATA tanhQ4<>+28(SB)/4, $0xbeaaaa99
GLOBL tanhQ4<>(SB), RODATA|NOPTR, $32

DATA tanhSmall<>+0(SB)/4, $0x3f200000
DATA tanhSmall<>+4(SB)/4, $0x3f200000
DATA tanhSmall<>+8(SB)/4, $0x3f200000
DATA tanhSmall<>+12(SB)/4, $0x3f200000
DATA tanhSmall<>+16(SB)/4, $0x3f200000
DATA tanhSmall<>+20(SB)/4, $0x3f200000
DATA tanhSmall<>+24(SB)/4, $0x3f200000
DATA tanhSmall<>+28(SB)/4, $0x3f200000
GLOBL tanhSmall<>(SB), RODATA|NOPTR, $32

DATA bias127<>+0(SB)/4, $0x0000007f
DATA bias127<>+4(SB)/4, $0x0000007f
DATA bias127<>+8(SB)/4, $0x0000007f
DATA bias127<>+12(SB)/4, $0x0000007f
DATA bias127<>+16(SB)/4, $0x0000007f
DATA bias127<>+20(SB)/4, $0x0000007f
DATA bias127<>+24(SB)/4, $0x0000007f
DATA bias127<>+28(SB)/4, $0x0000007f
GLOBL bias127<>(SB), RODATA|NOPTR, $32

DATA signMask<>+0(SB)/4, $0x80000000
DATA signMask<>+4(SB)/4, $0x80000000
DATA signMask<>+8(SB)/4, $0x80000000
DATA signMask<>+12(SB)/4, $0x80000000
DATA signMask<>+16(SB)/4, $0x80000000
DATA signMask<>+20(SB)/4, $0x80000000
DATA signMask<>+24(SB)/4, $0x80000000
DATA signMask<>+28(SB)/4, $0x80000000
GLOBL signMask<>(SB), RODATA|NOPTR, $32

DATA absMask<>+0(SB)/4, $0x7fffffff
DATA absMask<>+4(SB)/4, $0x7fffffff
DATA absMask<>+8(SB)/4, $0x7fffffff
DATA absMask<>+12(SB)/4, $0x7fffffff
DATA absMask<>+16(SB)/4, $0x7fffffff
DATA absMask<>+20(SB)/4, $0x7fffffff
DATA absMask<>+24(SB)/4, $0x7fffffff
DATA absMask<>+28(SB)/4, $0x7fffffff
GLOBL absMask<>(SB), RODATA|NOPTR, $32

// EXP replaces Y0 by exp(Y0), clamping the argument to [-87, 88] (a NaN
// stays NaN). Clobbers Y1, Y2, Y3.
#define EXP \
	VMOVUPS      expHi<>(SB), Y1  \
	VMINPS       Y0, Y1, Y0       \
	VMOVUPS      expLo<>(SB), Y1  \
	VMAXPS       Y0, Y1, Y0       \
	VMULPS       log2e<>(SB), Y0, Y1 \
	VROUNDPS     $0, Y1, Y1       \
	VFNMADD231PS expC1<>(SB), Y1, Y0 \
	VFNMADD231PS expC2<>(SB), Y1, Y0 \
	VMOVUPS      expP0<>(SB), Y2  \
	VFMADD213PS  expP1<>(SB), Y0, Y2 \
	VFMADD213PS  expP2<>(SB), Y0, Y2 \
	VFMADD213PS  expP3<>(SB), Y0, Y2 \
	VFMADD213PS  expP4<>(SB), Y0, Y2 \
	VFMADD213PS  expP5<>(SB), Y0, Y2 \
	VMULPS       Y0, Y0, Y3       \
	VFMADD213PS  Y0, Y3, Y2       \
	VADDPS       one<>(SB), Y2, Y2 \
	VCVTPS2DQ    Y1, Y1           \
	VPADDD       bias127<>(SB), Y1, Y1 \
	VPSLLD       $23, Y1, Y1      \
	VMULPS       Y1, Y2, Y0

// func sigmoid8(n int, dst, x *float32)
//
// dst[i] = 1/(1+exp(-x[i])) for i < 8n.
TEXT ·sigmoid8(SB), NOSPLIT, $0-24
	MOVQ  n+0(FP), CX
	MOVQ  dst+8(FP), DI
	MOVQ  x+16(FP), SI
	TESTQ CX, CX
	JZ    sg_done

sg_loop:
	VMOVUPS (SI), Y0
	VXORPS  signMask<>(SB), Y0, Y0
	EXP
	VADDPS  one<>(SB), Y0, Y0
	VMOVUPS one<>(SB), Y1
	VDIVPS  Y0, Y1, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    CX
	JNZ     sg_loop

sg_done:
	VZEROUPPER
	RET

// func tanh8(n int, dst, x *float32)
//
// dst[i] = tanh(x[i]) for i < 8n: an odd polynomial for |x| < 0.625, else
// sign(x) * (1 - 2/(exp(2|x|)+1)).
TEXT ·tanh8(SB), NOSPLIT, $0-24
	MOVQ  n+0(FP), CX
	MOVQ  dst+8(FP), DI
	MOVQ  x+16(FP), SI
	TESTQ CX, CX
	JZ    th_done

th_loop:
	VMOVUPS     (SI), Y7
	VANDPS      absMask<>(SB), Y7, Y6
	VADDPS      Y6, Y6, Y0
	EXP
	VADDPS      one<>(SB), Y0, Y0
	VMOVUPS     two<>(SB), Y1
	VDIVPS      Y0, Y1, Y1
	VMOVUPS     one<>(SB), Y0
	VSUBPS      Y1, Y0, Y0
	VANDPS      signMask<>(SB), Y7, Y1
	VORPS       Y1, Y0, Y0
	VMULPS      Y7, Y7, Y2
	VMOVUPS     tanhQ0<>(SB), Y3
	VFMADD213PS tanhQ1<>(SB), Y2, Y3
	VFMADD213PS tanhQ2<>(SB), Y2, Y3
	VFMADD213PS tanhQ3<>(SB), Y2, Y3
	VFMADD213PS tanhQ4<>(SB), Y2, Y3
	VMULPS      Y2, Y3, Y3
	VFMADD213PS Y7, Y7, Y3
	VCMPPS      $1, tanhSmall<>(SB), Y6, Y1
	VBLENDVPS   Y1, Y3, Y0, Y0
	VMOVUPS     Y0, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	DECQ        CX
	JNZ         th_loop

th_done:
	VZEROUPPER
	RET

// func axpy32(n int, alpha float32, x, y *float32)
//
// y[i] += alpha*x[i] for i < 32n.
TEXT ·axpy32(SB), NOSPLIT, $0-32
	MOVQ         n+0(FP), CX
	VBROADCASTSS alpha+8(FP), Y0
	MOVQ         x+16(FP), SI
	MOVQ         y+24(FP), DI
	TESTQ        CX, CX
	JZ           ax_done

ax_loop:
	VMOVUPS     (DI), Y1
	VMOVUPS     32(DI), Y2
	VMOVUPS     64(DI), Y3
	VMOVUPS     96(DI), Y4
	VFMADD231PS (SI), Y0, Y1
	VFMADD231PS 32(SI), Y0, Y2
	VFMADD231PS 64(SI), Y0, Y3
	VFMADD231PS 96(SI), Y0, Y4
	VMOVUPS     Y1, (DI)
	VMOVUPS     Y2, 32(DI)
	VMOVUPS     Y3, 64(DI)
	VMOVUPS     Y4, 96(DI)
	ADDQ        $128, SI
	ADDQ        $128, DI
	DECQ        CX
	JNZ         ax_loop

ax_done:
	VZEROUPPER
	RET

// func dot32(n int, x, y *float32) float32
//
// Returns sum x[i]*y[i] for i < 32n, in four interleaved partial sums.
TEXT ·dot32(SB), NOSPLIT, $0-28
	MOVQ   n+0(FP), CX
	MOVQ   x+8(FP), SI
	MOVQ   y+16(FP), DI
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	TESTQ  CX, CX
	JZ     dt_sum

dt_loop:
	VMOVUPS     (SI), Y4
	VMOVUPS     32(SI), Y5
	VMOVUPS     64(SI), Y6
	VMOVUPS     96(SI), Y7
	VFMADD231PS (DI), Y4, Y0
	VFMADD231PS 32(DI), Y5, Y1
	VFMADD231PS 64(DI), Y6, Y2
	VFMADD231PS 96(DI), Y7, Y3
	ADDQ        $128, SI
	ADDQ        $128, DI
	DECQ        CX
	JNZ         dt_loop

dt_sum:
	VADDPS       Y1, Y0, Y0
	VADDPS       Y3, Y2, Y2
	VADDPS       Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS       X1, X0, X0
	VMOVHLPS     X0, X1, X1
	VADDPS       X1, X0, X0
	VMOVSHDUP    X0, X1
	VADDSS       X1, X0, X0
	VMOVSS       X0, ret+24(FP)
	VZEROUPPER
	RET

// func cellBackward8(n int, dgates, dc, gates, cp, tc, dh *float32, hb int, hasCp bool)
//
// One batch row of the LSTM cell backward pass, eight units at a time for
// 8n units. gates and dgates hold i, f, g, o blocks hb bytes apart; dc is
// read (gradient from the next frame) and overwritten (gradient to the
// previous cell state). See LSTMCellBackward.
TEXT ·cellBackward8(SB), NOSPLIT, $0-65
	MOVQ    n+0(FP), CX
	MOVQ    dgates+8(FP), DI
	MOVQ    dc+16(FP), R8
	MOVQ    gates+24(FP), SI
	MOVQ    cp+32(FP), R9
	MOVQ    tc+40(FP), R10
	MOVQ    dh+48(FP), R11
	MOVQ    hb+56(FP), DX
	MOVBLZX hasCp+64(FP), BX
	LEAQ    (DX)(DX*2), R12
	VMOVUPS one<>(SB), Y15
	TESTQ   CX, CX
	JZ      cb_done

cb_loop:
	VMOVUPS (SI), Y0             // i
	VMOVUPS (SI)(DX*1), Y1       // f
	VMOVUPS (SI)(DX*2), Y2       // g
	VMOVUPS (SI)(R12*1), Y3      // o
	VMOVUPS (R10), Y4            // tanh(c)
	VMOVUPS (R11), Y5            // dh

	// c = dc + dh*o*(1-tc^2)
	VMOVAPS      Y15, Y6
	VFNMADD231PS Y4, Y4, Y6      // 1 - tc^2
	VMULPS       Y3, Y5, Y7      // dh*o
	VMULPS       Y6, Y7, Y7
	VADDPS       (R8), Y7, Y7    // c

	// do = dh*tc*o*(1-o)
	VSUBPS  Y3, Y15, Y8          // 1-o
	VMULPS  Y4, Y5, Y9           // dh*tc
	VMULPS  Y3, Y9, Y9
	VMULPS  Y8, Y9, Y9
	VMOVUPS Y9, (DI)(R12*1)

	// di = c*g*i*(1-i)
	VSUBPS  Y0, Y15, Y8
	VMULPS  Y2, Y7, Y9
	VMULPS  Y0, Y9, Y9
	VMULPS  Y8, Y9, Y9
	VMOVUPS Y9, (DI)

	// dg = c*i*(1-g^2)
	VMOVAPS      Y15, Y8
	VFNMADD231PS Y2, Y2, Y8
	VMULPS       Y0, Y7, Y9
	VMULPS       Y8, Y9, Y9
	VMOVUPS      Y9, (DI)(DX*2)

	// df = c*cp*f*(1-f), or 0 without a previous state
	VXORPS Y9, Y9, Y9
	TESTQ  BX, BX
	JZ     cb_nocp
	VSUBPS Y1, Y15, Y8
	VMULPS (R9), Y7, Y9
	VMULPS Y1, Y9, Y9
	VMULPS Y8, Y9, Y9
	ADDQ   $32, R9

cb_nocp:
	VMOVUPS Y9, (DI)(DX*1)

	// dc = c*f
	VMULPS  Y1, Y7, Y7
	VMOVUPS Y7, (R8)

	ADDQ $32, SI
	ADDQ $32, DI
	ADDQ $32, R8
	ADDQ $32, R10
	ADDQ $32, R11
	DECQ CX
	JNZ  cb_loop

cb_done:
	VZEROUPPER
	RET

// func cellForward8(n int, c, tc, h, gates, cp *float32, hb int, hasCp bool)
//
// One batch row of the LSTM cell forward pass for 8n units, from activated
// gates: c = f*cp + i*g (i*g without cp), tc = tanh(c), h = o*tc.
TEXT ·cellForward8(SB), NOSPLIT, $0-57
	MOVQ    n+0(FP), CX
	MOVQ    c+8(FP), R8
	MOVQ    tc+16(FP), R10
	MOVQ    h+24(FP), R11
	MOVQ    gates+32(FP), SI
	MOVQ    cp+40(FP), R9
	MOVQ    hb+48(FP), DX
	MOVBLZX hasCp+56(FP), BX
	LEAQ    (DX)(DX*2), R12
	TESTQ   CX, CX
	JZ      cf_done

cf_loop:
	VMOVUPS (SI), Y4             // i
	VMULPS  (SI)(DX*2), Y4, Y4   // i*g
	TESTQ   BX, BX
	JZ      cf_nocp
	VMOVUPS (SI)(DX*1), Y5       // f
	VFMADD231PS (R9), Y5, Y4     // + f*cp
	ADDQ    $32, R9

cf_nocp:
	VMOVUPS Y4, (R8)
	VMOVAPS Y4, Y7

	// tanh(c), as in tanh8, with x in Y7
	VANDPS      absMask<>(SB), Y7, Y6
	VADDPS      Y6, Y6, Y0
	EXP
	VADDPS      one<>(SB), Y0, Y0
	VMOVUPS     two<>(SB), Y1
	VDIVPS      Y0, Y1, Y1
	VMOVUPS     one<>(SB), Y0
	VSUBPS      Y1, Y0, Y0
	VANDPS      signMask<>(SB), Y7, Y1
	VORPS       Y1, Y0, Y0
	VMULPS      Y7, Y7, Y2
	VMOVUPS     tanhQ0<>(SB), Y3
	VFMADD213PS tanhQ1<>(SB), Y2, Y3
	VFMADD213PS tanhQ2<>(SB), Y2, Y3
	VFMADD213PS tanhQ3<>(SB), Y2, Y3
	VFMADD213PS tanhQ4<>(SB), Y2, Y3
	VMULPS      Y2, Y3, Y3
	VFMADD213PS Y7, Y7, Y3
	VCMPPS      $1, tanhSmall<>(SB), Y6, Y1
	VBLENDVPS   Y1, Y3, Y0, Y0
	VMOVUPS     Y0, (R10)
	VMULPS      (SI)(R12*1), Y0, Y0
	VMOVUPS     Y0, (R11)

	ADDQ $32, SI
	ADDQ $32, R8
	ADDQ $32, R10
	ADDQ $32, R11
	DECQ CX
	JNZ  cf_loop

cf_done:
	VZEROUPPER
	RET
