//go:build !amd64 || purego

package kernel

func sigmoid(dst, x []float32)           { sigmoidGo(dst, x) }
func tanh(dst, x []float32)              { tanhGo(dst, x) }
func axpy(alpha float32, x, y []float32) { axpyGo(alpha, x, y) }
func dot(x, y []float32) float32         { return dotGo(x, y) }

func cellForward(hidden int, c, tc, h, gates, cp []float32) {
	cellForwardGo(hidden, 0, c, tc, h, gates, cp)
}

func cellBackward(hidden int, dgates, dc, gates, cp, tc, dh []float32) {
	cellBackwardGo(hidden, 0, dgates, dc, gates, cp, tc, dh)
}
