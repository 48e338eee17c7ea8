package kernel

import (
	"math"
	"math/rand"
	"testing"
)

// unaryInputs returns a dense sweep of [-20, 20], values near 0 and the
// saturation ends, and special values.
func unaryInputs() []float32 {
	var xs []float32
	for i := -200000; i <= 200000; i++ {
		xs = append(xs, float32(i)*1e-4)
	}
	for e := -40; e <= 2; e++ {
		v := float32(math.Pow(10, float64(e)/2))
		xs = append(xs, v, -v, v*1.37, -v*0.71)
	}
	for _, v := range []float32{0.6249, 0.625, 0.6251, 9, 20, 50, 86.9, 87, 88, 89, 100, 1e30} {
		xs = append(xs, v, -v)
	}
	return append(xs, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)))
}

func checkUnary(t *testing.T, name string, f func(dst, x []float32), ref func(float64) float64, tinyBelow float64) {
	xs := unaryInputs()
	// Every length from 0 to 40 exercises the tails; then the full sweep.
	for n := 0; n <= 40; n++ {
		checkUnaryOn(t, name, f, ref, tinyBelow, xs[len(xs)/2-n/2:len(xs)/2-n/2+n])
	}
	worst := checkUnaryOn(t, name, f, ref, tinyBelow, xs)
	t.Logf("%s: max relative error %.3g", name, worst)

	// In place, NaN.
	y := []float32{float32(math.NaN()), 0.5, -3, float32(math.NaN()), 1, 2, 3, 4, float32(math.NaN())}
	f(y, y)
	if !math.IsNaN(float64(y[0])) || !math.IsNaN(float64(y[3])) || !math.IsNaN(float64(y[8])) {
		t.Errorf("%s: NaN not propagated: %v", name, y)
	}
	if want := ref(0.5); math.Abs(float64(y[1])-want) > 1e-6*want {
		t.Errorf("%s(0.5) in place = %g, want %g", name, y[1], want)
	}
}

func checkUnaryOn(t *testing.T, name string, f func(dst, x []float32), ref func(float64) float64, tinyBelow float64, xs []float32) float64 {
	t.Helper()
	got := make([]float32, len(xs))
	f(got, xs)
	worst := 0.0
	for i, x := range xs {
		want := ref(float64(x))
		g := float64(got[i])
		if math.Abs(want) < tinyBelow {
			if math.Abs(g) > 6.1e-39 {
				t.Fatalf("%s(%g) = %g, want about %g", name, x, g, want)
			}
			continue
		}
		rel := math.Abs(g-want) / math.Max(math.Abs(want), 1e-38)
		if !(rel <= 1e-6) {
			t.Fatalf("%s(%g) = %g, want %g (relative error %g)", name, x, g, want, rel)
		}
		worst = math.Max(worst, rel)
	}
	return worst
}

func sigmoid64(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

func TestSigmoid(t *testing.T) {
	checkUnary(t, "Sigmoid", Sigmoid, sigmoid64, 6.06e-39)
	checkUnary(t, "sigmoidGo", sigmoidGo, sigmoid64, 6.06e-39)
}

func TestTanh(t *testing.T) {
	checkUnary(t, "Tanh", Tanh, math.Tanh, 0)
	checkUnary(t, "tanhGo", tanhGo, math.Tanh, 0)
}

func TestAxpyDotAddBias(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	for _, n := range []int{0, 1, 7, 8, 31, 32, 33, 64, 100, 512, 1001} {
		x, y := randSlice(rng, n), randSlice(rng, n)
		var want, bound float64
		for i := range x {
			want += float64(x[i]) * float64(y[i])
			bound += math.Abs(float64(x[i]) * float64(y[i]))
		}
		if got := Dot(x, y); math.Abs(float64(got)-want) > 1e-6*bound+1e-30 {
			t.Errorf("Dot n=%d = %g, want %g", n, got, want)
		}
		z := append([]float32(nil), y...)
		Axpy(-1.5, x, z)
		for i := range z {
			if w := y[i] - 1.5*x[i]; math.Abs(float64(z[i]-w)) > 1e-6*(math.Abs(float64(y[i]))+math.Abs(float64(1.5*x[i]))) {
				t.Fatalf("Axpy n=%d: [%d] = %g, want %g", n, i, z[i], w)
			}
		}
		if n == 0 {
			continue
		}
		rows := 3
		m := randSlice(rng, rows*n)
		got := append([]float32(nil), m...)
		AddBias(got, x)
		for i := range got {
			if w := m[i] + x[i%n]; got[i] != w {
				t.Fatalf("AddBias n=%d: [%d] = %g, want %g", n, i, got[i], w)
			}
		}
	}
}

func TestElementwiseAllocs(t *testing.T) {
	x := randSlice(rand.New(rand.NewSource(1)), 1027)
	y := make([]float32, len(x))
	allocs := testing.AllocsPerRun(10, func() {
		Sigmoid(y, x)
		Tanh(y, x)
		Axpy(0.5, x, y)
		_ = Dot(x, y)
		AddBias(y[:1026], x[:9])
	})
	if allocs != 0 {
		t.Errorf("%v allocations per run", allocs)
	}
}

func BenchmarkSigmoid(b *testing.B) {
	x := randSlice(rand.New(rand.NewSource(1)), 64*512)
	y := make([]float32, len(x))
	b.SetBytes(int64(4 * len(x)))
	cpu := cpuSeconds()
	for range b.N {
		Sigmoid(y, x)
	}
	b.ReportMetric(float64(len(x))*float64(b.N)/(cpuSeconds()-cpu)/1e9, "Gelem/cpu-s")
}

func BenchmarkTanh(b *testing.B) {
	x := randSlice(rand.New(rand.NewSource(1)), 64*512)
	y := make([]float32, len(x))
	b.SetBytes(int64(4 * len(x)))
	cpu := cpuSeconds()
	for range b.N {
		Tanh(y, x)
	}
	b.ReportMetric(float64(len(x))*float64(b.N)/(cpuSeconds()-cpu)/1e9, "Gelem/cpu-s")
}

func BenchmarkSigmoidGo(b *testing.B) {
	x := randSlice(rand.New(rand.NewSource(1)), 64*512)
	y := make([]float32, len(x))
	b.SetBytes(int64(4 * len(x)))
	cpu := cpuSeconds()
	for range b.N {
		sigmoidGo(y, x)
	}
	b.ReportMetric(float64(len(x))*float64(b.N)/(cpuSeconds()-cpu)/1e9, "Gelem/cpu-s")
}
