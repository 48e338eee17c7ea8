package kernel

// LSTMCellForward is the element-wise part of an LSTM step for rows of
// hidden units, after the gate pre-activations have gone through the
// non-linearities. For each of the len(c)/hidden rows r and unit j:
//
//	c = f*cp + i*g      (c = i*g when cp is nil: the first frame)
//	tc = tanh(c)
//	h = o*tc
//
// gates holds the activated gates, 4*hidden per row in PyTorch's order i, f,
// g, o; c, tc, h and cp are hidden per row. tanh is Tanh's approximation.
func LSTMCellForward(hidden int, c, tc, h, gates, cp []float32) {
	rows := checkCell("LSTMCellForward", hidden, len(c), len(gates), cp)
	if len(tc) != len(c) || len(h) != len(c) {
		panic("kernel: LSTMCellForward length mismatch")
	}
	for r := 0; r < rows; r++ {
		var cpr []float32
		if cp != nil {
			cpr = cp[r*hidden : (r+1)*hidden]
		}
		cellForward(hidden, c[r*hidden:(r+1)*hidden], tc[r*hidden:(r+1)*hidden], h[r*hidden:(r+1)*hidden],
			gates[r*4*hidden:(r+1)*4*hidden], cpr)
	}
}

// LSTMCellBackward is the element-wise part of an LSTM step's backward pass
// (BPTT). With the activated gates i, f, g, o (gates, as for
// LSTMCellForward), the previous cell state cp (nil at the first frame),
// tc = tanh(c), the gradient dh with respect to this frame's h and, on
// entry, dc the gradient with respect to c from the next frame, it sets for
// each row and unit
//
//	dC = dc + dh*o*(1-tc²)
//	dgates: di = dC*g*i*(1-i), df = dC*cp*f*(1-f) (0 without cp),
//	        dg = dC*i*(1-g²),  do = dh*tc*o*(1-o)
//	dc = dC*f               (the gradient with respect to cp)
//
// dgates are gradients with respect to the gate pre-activations, 4*hidden
// per row in the order i, f, g, o, ready for the weight-gradient products.
func LSTMCellBackward(hidden int, dgates, dc, gates, cp, tc, dh []float32) {
	rows := checkCell("LSTMCellBackward", hidden, len(dh), len(gates), cp)
	if len(dgates) != len(gates) || len(dc) != len(dh) || len(tc) != len(dh) {
		panic("kernel: LSTMCellBackward length mismatch")
	}
	for r := 0; r < rows; r++ {
		var cpr []float32
		if cp != nil {
			cpr = cp[r*hidden : (r+1)*hidden]
		}
		cellBackward(hidden, dgates[r*4*hidden:(r+1)*4*hidden], dc[r*hidden:(r+1)*hidden],
			gates[r*4*hidden:(r+1)*4*hidden], cpr, tc[r*hidden:(r+1)*hidden], dh[r*hidden:(r+1)*hidden])
	}
}

// checkCell validates the shared shapes of the cell kernels and returns the
// number of rows.
func checkCell(name string, hidden, n, ngates int, cp []float32) int {
	if hidden <= 0 || n%hidden != 0 || ngates != 4*n || (cp != nil && len(cp) != n) {
		panic("kernel: " + name + " length mismatch")
	}
	return n / hidden
}

// cellForwardGo and cellBackwardGo are one row of the cell kernels in plain
// Go, from unit j0 on.
func cellForwardGo(hidden, j0 int, c, tc, h, gates, cp []float32) {
	for j := j0; j < hidden; j++ {
		v := gates[j] * gates[2*hidden+j]
		if cp != nil {
			v += gates[hidden+j] * cp[j]
		}
		c[j] = v
	}
	tanhGo(tc[j0:hidden], c[j0:hidden])
	for j := j0; j < hidden; j++ {
		h[j] = gates[3*hidden+j] * tc[j]
	}
}

func cellBackwardGo(hidden, j0 int, dgates, dc, gates, cp, tc, dh []float32) {
	for j := j0; j < hidden; j++ {
		i, f, g, o, t, d := gates[j], gates[hidden+j], gates[2*hidden+j], gates[3*hidden+j], tc[j], dh[j]
		dC := dc[j] + d*o*(1-t*t)
		dgates[3*hidden+j] = d * t * o * (1 - o)
		dgates[j] = dC * g * i * (1 - i)
		dgates[2*hidden+j] = dC * i * (1 - g*g)
		if cp != nil {
			dgates[hidden+j] = dC * cp[j] * f * (1 - f)
		} else {
			dgates[hidden+j] = 0
		}
		dc[j] = dC * f
	}
}
