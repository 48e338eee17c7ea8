//go:build amd64 && !purego

package kernel

//go:noescape
func sigmoid8(n int, dst, x *float32)

//go:noescape
func tanh8(n int, dst, x *float32)

//go:noescape
func axpy32(n int, alpha float32, x, y *float32)

//go:noescape
func dot32(n int, x, y *float32) float32

// unary8 applies an eight-wide assembly kernel (sigmoid8 or, if isTanh,
// tanh8) to x, running the last len(x)%8 elements through a padded buffer.
// A bool rather than a func value keeps buf on the stack.
func unary8(isTanh bool, dst, x []float32) {
	f := sigmoid8
	if isTanh {
		f = tanh8
	}
	n := len(x) / 8
	if n > 0 {
		f(n, &dst[0], &x[0])
	}
	if rest := len(x) - 8*n; rest > 0 {
		var buf [8]float32
		copy(buf[:], x[8*n:])
		if isTanh {
			tanh8(1, &buf[0], &buf[0])
		} else {
			sigmoid8(1, &buf[0], &buf[0])
		}
		copy(dst[8*n:], buf[:rest])
	}
}

func sigmoid(dst, x []float32) {
	if !hasAVX2FMA {
		sigmoidGo(dst, x)
		return
	}
	unary8(false, dst, x)
}

func tanh(dst, x []float32) {
	if !hasAVX2FMA {
		tanhGo(dst, x)
		return
	}
	unary8(true, dst, x)
}

func axpy(alpha float32, x, y []float32) {
	n := 0
	if hasAVX2FMA {
		n = len(x) / 32
		if n > 0 {
			axpy32(n, alpha, &x[0], &y[0])
		}
	}
	axpyGo(alpha, x[32*n:], y[32*n:len(x)])
}

func dot(x, y []float32) float32 {
	n := 0
	var s float32
	if hasAVX2FMA {
		n = len(x) / 32
		if n > 0 {
			s = dot32(n, &x[0], &y[0])
		}
	}
	return s + dotGo(x[32*n:], y[32*n:len(x)])
}

//go:noescape
func cellForward8(n int, c, tc, h, gates, cp *float32, hb int, hasCp bool)

//go:noescape
func cellBackward8(n int, dgates, dc, gates, cp, tc, dh *float32, hb int, hasCp bool)

func cellForward(hidden int, c, tc, h, gates, cp []float32) {
	n := 0
	if hasAVX2FMA {
		n = hidden / 8
	}
	if n > 0 {
		cpp := &c[0] // never read when cp is nil
		if cp != nil {
			cpp = &cp[0]
		}
		cellForward8(n, &c[0], &tc[0], &h[0], &gates[0], cpp, hidden*4, cp != nil)
	}
	if 8*n < hidden {
		cellForwardGo(hidden, 8*n, c, tc, h, gates, cp)
	}
}

func cellBackward(hidden int, dgates, dc, gates, cp, tc, dh []float32) {
	n := 0
	if hasAVX2FMA {
		n = hidden / 8
	}
	if n > 0 {
		cpp := &dc[0] // never read when cp is nil
		if cp != nil {
			cpp = &cp[0]
		}
		cellBackward8(n, &dgates[0], &dc[0], &gates[0], cpp, &tc[0], &dh[0], hidden*4, cp != nil)
	}
	if 8*n < hidden {
		cellBackwardGo(hidden, 8*n, dgates, dc, gates, cp, tc, dh)
	}
}
