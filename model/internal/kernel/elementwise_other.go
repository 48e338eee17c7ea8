//go:build !amd64 || purego

package kernel

func sigmoid(dst, x []float32)           { sigmoidGo(dst, x) }
func tanh(dst, x []float32)              { tanhGo(dst, x) }
func axpy(alpha float32, x, y []float32) { axpyGo(alpha, x, y) }
func dot(x, y []float32) float32         { return dotGo(x, y) }
