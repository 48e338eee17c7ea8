package kernel

import "math"

// Sigmoid sets dst[i] = 1/(1+exp(-x[i])). dst and x must have the same
// length; they may be the same slice. The relative error is below 1e-6
// for x >= -88 (measured max 1.5e-7); below -88, where the true value
// is under 6.1e-39, the result is 6.1e-39 rather than smaller. NaN gives
// NaN.
func Sigmoid(dst, x []float32) {
	if len(dst) != len(x) {
		panic("kernel: Sigmoid length mismatch")
	}
	sigmoid(dst, x)
}

// Tanh sets dst[i] = tanh(x[i]). dst and x must have the same length; they
// may be the same slice. The relative error is below 1e-6 everywhere
// (measured max 1.3e-7); NaN gives NaN.
func Tanh(dst, x []float32) {
	if len(dst) != len(x) {
		panic("kernel: Tanh length mismatch")
	}
	tanh(dst, x)
}

// AddBias adds bias to each consecutive run of len(bias) elements of dst:
// for dst holding a row-major matrix with len(bias) columns, it adds bias to
// every row. len(dst) must be a multiple of len(bias).
func AddBias(dst, bias []float32) {
	n := len(bias)
	if n == 0 {
		if len(dst) != 0 {
			panic("kernel: AddBias with empty bias")
		}
		return
	}
	if len(dst)%n != 0 {
		panic("kernel: AddBias length not a multiple of the bias")
	}
	for i := 0; i < len(dst); i += n {
		axpy(1, bias, dst[i:i+n])
	}
}

// Axpy sets y[i] += alpha*x[i]. x and y must have the same length.
func Axpy(alpha float32, x, y []float32) {
	if len(x) != len(y) {
		panic("kernel: Axpy length mismatch")
	}
	axpy(alpha, x, y)
}

// Dot returns the sum of x[i]*y[i] in float32, accumulated in several
// interleaved partial sums (so the rounding differs from a plain loop by a
// few ulps of the sum of |x[i]*y[i]|). x and y must have the same length.
func Dot(x, y []float32) float32 {
	if len(x) != len(y) {
		panic("kernel: Dot length mismatch")
	}
	return dot(x, y)
}

// Portable versions, also used for tails on amd64. They use the same
// approximations as the assembly so the two paths agree closely.

func expGo(x float32) float32 {
	x = min(max(x, -87), 88)
	n := float32(math.RoundToEven(float64(x * 1.44269504088896341)))
	r := x - n*0.693359375
	r -= n * -2.12194440e-4
	p := float32(1.9875691500e-4)
	p = p*r + 1.3981999507e-3
	p = p*r + 8.3334519073e-3
	p = p*r + 4.1665795894e-2
	p = p*r + 1.6666665459e-1
	p = p*r + 5.0000001201e-1
	p = p*r*r + r + 1
	return p * math.Float32frombits(uint32(int32(n)+127)<<23)
}

func sigmoidGo(dst, x []float32) {
	for i, v := range x {
		if v != v {
			dst[i] = v
			continue
		}
		dst[i] = 1 / (1 + expGo(-v))
	}
}

func tanhGo(dst, x []float32) {
	for i, v := range x {
		a := float32(math.Abs(float64(v)))
		switch {
		case v != v:
			dst[i] = v
		case a < 0.625:
			z := v * v
			q := float32(-5.70498872745e-3)
			q = q*z + 2.06390887954e-2
			q = q*z - 5.37397155531e-2
			q = q*z + 1.33314422036e-1
			q = q*z - 3.33332819422e-1
			dst[i] = q*z*v + v
		default:
			t := 1 - 2/(expGo(2*a)+1)
			if v < 0 {
				t = -t
			}
			dst[i] = t
		}
	}
}

func axpyGo(alpha float32, x, y []float32) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] += alpha * v
	}
}

func dotGo(x, y []float32) float32 {
	y = y[:len(x)]
	var s float32
	for i, v := range x {
		s += v * y[i]
	}
	return s
}
