package kernel

import (
	"fmt"
	"math"
	"math/rand"
	"testing"
)

type gemmCase struct {
	transA, transB bool
	m, n, k        int
	alpha, beta    float32
	padA, padB     int // extra leading-dimension elements
	padC           int
}

func (g gemmCase) String() string {
	return fmt.Sprintf("tA=%v,tB=%v,m=%d,n=%d,k=%d,alpha=%g,beta=%g,pad=%d/%d/%d",
		g.transA, g.transB, g.m, g.n, g.k, g.alpha, g.beta, g.padA, g.padB, g.padC)
}

func randSlice(rng *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(rng.NormFloat64())
	}
	return s
}

func absSlice(s []float32) []float32 {
	t := make([]float32, len(s))
	for i, v := range s {
		t[i] = float32(math.Abs(float64(v)))
	}
	return t
}

// checkGemm runs Gemm and the reference on the same random operands and
// compares them within a bound scaled by |alpha| |op(A)| |op(B)| + |beta C|.
func checkGemm(t *testing.T, rng *rand.Rand, g gemmCase) {
	t.Helper()
	ar, ac := g.m, g.k
	if g.transA {
		ar, ac = g.k, g.m
	}
	br, bc := g.k, g.n
	if g.transB {
		br, bc = g.n, g.k
	}
	lda, ldb, ldc := max(1, ac)+g.padA, max(1, bc)+g.padB, max(1, g.n)+g.padC
	a := randSlice(rng, max(0, ar*lda))
	b := randSlice(rng, max(0, br*ldb))
	c := randSlice(rng, g.m*ldc)
	if g.beta == 0 {
		// C must not be read when beta is zero.
		for i := range c {
			c[i] = float32(math.NaN())
		}
	}
	want := append([]float32(nil), c...)
	got := append([]float32(nil), c...)
	gemmRef(g.transA, g.transB, g.m, g.n, g.k, g.alpha, a, lda, b, ldb, g.beta, want, ldc)
	Gemm(g.transA, g.transB, g.m, g.n, g.k, g.alpha, a, lda, b, ldb, g.beta, got, ldc)

	cabs := absSlice(c)
	if g.beta == 0 {
		clear(cabs)
	}
	bound := append([]float32(nil), cabs...)
	gemmRef(g.transA, g.transB, g.m, g.n, g.k, float32(math.Abs(float64(g.alpha))), absSlice(a), lda, absSlice(b), ldb,
		float32(math.Abs(float64(g.beta))), bound, ldc)
	for i := 0; i < g.m; i++ {
		for j := 0; j < ldc; j++ {
			idx := i*ldc + j
			if j >= g.n {
				// Padding beyond n must be untouched (compare bit patterns: NaN).
				if math.Float32bits(got[idx]) != math.Float32bits(c[idx]) {
					t.Fatalf("%v: C[%d][%d] outside n changed", g, i, j)
				}
				continue
			}
			tol := 4e-6*float64(bound[idx]) + 1e-30
			if d := math.Abs(float64(got[idx] - want[idx])); !(d <= tol) {
				t.Fatalf("%v: C[%d][%d] = %g, want %g (tol %g)", g, i, j, got[idx], want[idx], tol)
			}
		}
	}
}

func TestGemmTable(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	shapes := [][3]int{
		{1, 1, 1}, {1, 512, 128}, {1, 512, 40}, {2, 3, 4}, {5, 15, 7}, {6, 16, 1}, {6, 16, 4}, {7, 17, 5},
		{12, 32, 8}, {13, 33, 9}, {64, 512, 128}, {64, 128, 512}, {512, 128, 64}, {512, 40, 64},
		{64, 12, 128}, {97, 512, 40}, {100, 100, 300}, {31, 47, 600}, {3, 1000, 2}, {1000, 3, 2},
		{0, 5, 5}, {5, 0, 5}, {5, 5, 0}, {3, 2100, 5}, {130, 1100, 20}, {1, 13, 37}, {1, 70, 9}, {1, 8, 8}, {1, 16, 5}, {1, 24, 300},
	}
	ab := [][2]float32{{1, 0}, {1, 1}, {-0.5, 2}, {2, -1}, {0, 0.5}, {0, 0}}
	for _, s := range shapes {
		for _, tA := range []bool{false, true} {
			for _, tB := range []bool{false, true} {
				for i, v := range ab {
					g := gemmCase{transA: tA, transB: tB, m: s[0], n: s[1], k: s[2], alpha: v[0], beta: v[1],
						padA: i % 3, padB: (i + 1) % 3 * 5, padC: i % 2 * 3}
					checkGemm(t, rng, g)
				}
			}
		}
	}
}

// TestGemmRandom draws random shapes, layouts and scalars from a seed.
func TestGemmRandom(t *testing.T) {
	rng := rand.New(rand.NewSource(42))
	n := 400
	if testing.Short() {
		n = 50
	}
	for it := 0; it < n; it++ {
		g := gemmCase{
			transA: rng.Intn(2) == 0, transB: rng.Intn(2) == 0,
			m: rng.Intn(70), n: rng.Intn(70), k: rng.Intn(600),
			alpha: []float32{1, -1, 0.25, 3}[rng.Intn(4)],
			beta:  []float32{0, 1, -0.5, 2}[rng.Intn(4)],
			padA:  rng.Intn(4), padB: rng.Intn(4), padC: rng.Intn(4),
		}
		checkGemm(t, rng, g)
	}
}

// TestGemmKBlocks runs shapes whose k crosses several k blocks, with a small
// block size to exercise the accumulation across blocks.
func TestGemmKBlocks(t *testing.T) {
	defer func(k, kl, m int) { kc, kcLong, mc = k, kl, m }(kc, kcLong, mc)
	rng := rand.New(rand.NewSource(7))
	for _, blk := range [][2]int{{8, 12}, {5, 6}, {256, 96}, {512, 36}} {
		kc, kcLong, mc = blk[0], blk[0]+3, blk[1]
		for _, tA := range []bool{false, true} {
			for _, tB := range []bool{false, true} {
				checkGemm(t, rng, gemmCase{transA: tA, transB: tB, m: 29, n: 37, k: 77, alpha: 1.5, beta: 0})
				checkGemm(t, rng, gemmCase{transA: tA, transB: tB, m: 30, n: 48, k: 33, alpha: 1, beta: 1, padA: 2, padC: 1})
				checkGemm(t, rng, gemmCase{transA: tA, transB: tB, m: 131, n: 21, k: 1100, alpha: -1, beta: 0.5, padB: 3})
			}
		}
	}
}

func TestGemmPanics(t *testing.T) {
	a := make([]float32, 12)
	for _, tc := range []struct {
		name string
		f    func()
	}{
		{"negative", func() { Gemm(false, false, -1, 2, 2, 1, a, 2, a, 2, 0, a, 2) }},
		{"lda", func() { Gemm(false, false, 2, 2, 3, 1, a, 2, a, 2, 0, a, 2) }},
		{"short a", func() { Gemm(false, false, 4, 2, 4, 1, a, 4, a, 2, 0, a, 2) }},
		{"short c", func() { Gemm(false, false, 7, 2, 1, 1, a, 1, a, 2, 0, a, 2) }},
		{"ldb trans", func() { Gemm(false, true, 2, 2, 3, 1, a, 3, a, 2, 0, a, 2) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if r := recover(); r == nil {
					t.Fatal("no panic")
				}
			}()
			tc.f()
		})
	}
}

func TestGemmAllocs(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	a := randSlice(rng, 97*128)
	b := randSlice(rng, 512*128)
	c := make([]float32, 97*512)
	for _, tc := range []struct{ tA, tB bool }{{false, false}, {false, true}, {true, false}, {true, true}} {
		Gemm(tc.tA, tc.tB, 97, 512, 128, 1, a, pick(tc.tA, 97, 128), b, pick(tc.tB, 128, 512), 0, c, 512)
		allocs := testing.AllocsPerRun(20, func() {
			Gemm(tc.tA, tc.tB, 97, 512, 128, 1, a, pick(tc.tA, 97, 128), b, pick(tc.tB, 128, 512), 1, c, 512)
		})
		if allocs != 0 {
			t.Errorf("transA=%v transB=%v: %v allocations per call", tc.tA, tc.tB, allocs)
		}
	}
}

func pick(cond bool, x, y int) int {
	if cond {
		return x
	}
	return y
}

// TestGemmConcurrent runs products on several goroutines at once, as the
// data-parallel trainer does; the packing buffers must not be shared.
func TestGemmConcurrent(t *testing.T) {
	const workers = 4
	rng := rand.New(rand.NewSource(9))
	a := randSlice(rng, 130*70)
	b := randSlice(rng, 90*70)
	want := make([]float32, 130*90)
	gemmRef(false, true, 130, 90, 70, 1, a, 70, b, 70, 0, want, 90)
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		go func() {
			c := make([]float32, 130*90)
			for it := 0; it < 50; it++ {
				Gemm(false, true, 130, 90, 70, 1, a, 70, b, 70, 0, c, 90)
				for i := range c {
					if d := c[i] - want[i]; d > 1e-3 || d < -1e-3 {
						errs <- fmt.Errorf("worker result differs at %d: %g vs %g", i, c[i], want[i])
						return
					}
				}
			}
			errs <- nil
		}()
	}
	for w := 0; w < workers; w++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
