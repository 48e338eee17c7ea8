package kernel_test

import (
	"fmt"

	"github.com/listen-go/listen/model/internal/kernel"
)

// The gate pre-activations of an LSTM step for a batch of 2, hidden size 1
// (so 4 gate rows) and 3 inputs: gates = x * W^T with W stored 4H x I as in
// PyTorch, then the bias.
func ExampleGemm() {
	x := []float32{ // 2 x 3
		1, 2, 3,
		4, 5, 6,
	}
	w := []float32{ // 4 x 3
		1, 0, 0,
		0, 1, 0,
		0, 0, 1,
		1, 1, 1,
	}
	gates := make([]float32, 2*4)
	kernel.Gemm(false, true, 2, 4, 3, 1, x, 3, w, 3, 0, gates, 4)
	kernel.AddBias(gates, []float32{0.5, 0.5, 0.5, 0})
	fmt.Println(gates)
	// Output:
	// [1.5 2.5 3.5 6 4.5 5.5 6.5 15]
}

func ExampleSigmoid() {
	x := []float32{-2, 0, 2}
	kernel.Sigmoid(x, x) // in place
	fmt.Printf("%.6f\n", x)
	// Output:
	// [0.119203 0.500000 0.880797]
}

func ExampleTanh() {
	x := []float32{-1, 0, 0.5}
	dst := make([]float32, len(x))
	kernel.Tanh(dst, x)
	fmt.Printf("%.6f\n", dst)
	// Output:
	// [-0.761594 0.000000 0.462117]
}

func ExampleAxpy() {
	y := []float32{1, 1, 1}
	kernel.Axpy(2, []float32{1, 2, 3}, y)
	fmt.Println(y)
	// Output:
	// [3 5 7]
}

func ExampleDot() {
	fmt.Println(kernel.Dot([]float32{1, 2, 3}, []float32{4, 5, 6}))
	// Output:
	// 32
}

// One frame of an LSTM with hidden size 2 and batch 1: activate the gate
// pre-activations (i, f, g, o), then update the cell.
func ExampleLSTMCellForward() {
	gates := []float32{0, 0, 100, 100, 1, -1, 0, 0}
	kernel.Sigmoid(gates[:4], gates[:4]) // i, f
	kernel.Tanh(gates[4:6], gates[4:6])  // g
	kernel.Sigmoid(gates[6:], gates[6:]) // o
	cPrev := []float32{1, 1}
	c, tc, h := make([]float32, 2), make([]float32, 2), make([]float32, 2)
	kernel.LSTMCellForward(2, c, tc, h, gates, cPrev)
	fmt.Printf("c %.4f\nh %.4f\n", c, h)
	// Output:
	// c [1.3808 0.6192]
	// h [0.4406 0.2753]
}

// The backward pass of the same frame with dL/dh = (1, 1) and no gradient
// arriving from the next frame. f is 1, so its gradient vanishes.
func ExampleLSTMCellBackward() {
	gates := []float32{0, 0, 100, 100, 1, -1, 0, 0}
	kernel.Sigmoid(gates[:4], gates[:4])
	kernel.Tanh(gates[4:6], gates[4:6])
	kernel.Sigmoid(gates[6:], gates[6:])
	cPrev := []float32{1, 1}
	c, tc, h := make([]float32, 2), make([]float32, 2), make([]float32, 2)
	kernel.LSTMCellForward(2, c, tc, h, gates, cPrev)

	dgates, dc := make([]float32, 8), make([]float32, 2)
	kernel.LSTMCellBackward(2, dgates, dc, gates, cPrev, tc, []float32{1, 1})
	fmt.Printf("dgates %.4f\ndc %.4f\n", dgates, dc)
	// Output:
	// dgates [0.0213 -0.0663 0.0000 0.0000 0.0235 0.0732 0.2203 0.1376]
	// dc [0.1118 0.3484]
}
