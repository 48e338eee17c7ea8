package kernel

import (
	"math"
	"math/rand"
	"testing"
)

// activatedGates returns rows x 4*hidden gate activations: sigmoid range for
// i, f, o and tanh range for g.
func activatedGates(rng *rand.Rand, rows, hidden int) []float32 {
	g := make([]float32, rows*4*hidden)
	for r := 0; r < rows; r++ {
		for k := 0; k < 4*hidden; k++ {
			v := rng.Float32()
			if k/hidden == 2 {
				v = 2*v - 1
			}
			g[r*4*hidden+k] = v
		}
	}
	return g
}

func near(got float32, want, scale float64) bool {
	return math.Abs(float64(got)-want) <= 2e-6*scale+1e-7
}

func TestLSTMCell(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	for _, hidden := range []int{1, 7, 8, 13, 16, 33, 128} {
		for _, rows := range []int{1, 3} {
			for _, first := range []bool{false, true} {
				n := rows * hidden
				gates := activatedGates(rng, rows, hidden)
				var cp []float32
				if !first {
					cp = randSlice(rng, n)
				}
				c, tc, h := make([]float32, n), make([]float32, n), make([]float32, n)
				LSTMCellForward(hidden, c, tc, h, gates, cp)

				dh := randSlice(rng, n)
				dcIn := randSlice(rng, n)
				dc := append([]float32(nil), dcIn...)
				dgates := make([]float32, 4*n)
				LSTMCellBackward(hidden, dgates, dc, gates, cp, tc, dh)

				for r := 0; r < rows; r++ {
					for j := 0; j < hidden; j++ {
						u := r*hidden + j
						gi := float64(gates[r*4*hidden+j])
						gf := float64(gates[r*4*hidden+hidden+j])
						gg := float64(gates[r*4*hidden+2*hidden+j])
						og := float64(gates[r*4*hidden+3*hidden+j])
						cpv := 0.0
						if cp != nil {
							cpv = float64(cp[u])
						}
						wc := gf*cpv + gi*gg
						wt := math.Tanh(wc)
						if !near(c[u], wc, 2) || !near(tc[u], wt, 1) || !near(h[u], og*wt, 1) {
							t.Fatalf("hidden %d rows %d first %v unit %d: c, tc, h = %g %g %g, want %g %g %g",
								hidden, rows, first, u, c[u], tc[u], h[u], wc, wt, og*wt)
						}
						tv := float64(tc[u])
						d := float64(dh[u])
						dC := float64(dcIn[u]) + d*og*(1-tv*tv)
						want := [4]float64{dC * gg * gi * (1 - gi), dC * cpv * gf * (1 - gf), dC * gi * (1 - gg*gg), d * tv * og * (1 - og)}
						for k, w := range want {
							if got := dgates[r*4*hidden+k*hidden+j]; !near(got, w, 4) {
								t.Fatalf("hidden %d rows %d first %v unit %d: dgates[%d] = %g, want %g", hidden, rows, first, u, k, got, w)
							}
						}
						if !near(dc[u], dC*gf, 4) {
							t.Fatalf("hidden %d rows %d first %v unit %d: dc = %g, want %g", hidden, rows, first, u, dc[u], dC*gf)
						}
					}
				}
			}
		}
	}
}

func TestLSTMCellAllocs(t *testing.T) {
	const rows, hidden = 4, 20
	rng := rand.New(rand.NewSource(1))
	gates := activatedGates(rng, rows, hidden)
	cp, dh, dc := randSlice(rng, rows*hidden), randSlice(rng, rows*hidden), randSlice(rng, rows*hidden)
	c, tc, h, dg := make([]float32, rows*hidden), make([]float32, rows*hidden), make([]float32, rows*hidden), make([]float32, 4*rows*hidden)
	allocs := testing.AllocsPerRun(10, func() {
		LSTMCellForward(hidden, c, tc, h, gates, cp)
		LSTMCellBackward(hidden, dg, dc, gates, cp, tc, dh)
		LSTMCellBackward(hidden, dg, dc, gates, nil, tc, dh)
	})
	if allocs != 0 {
		t.Errorf("%v allocations per run", allocs)
	}
}

func benchCell(b *testing.B, forward, portable bool) {
	const rows, hidden = 64, 128
	rng := rand.New(rand.NewSource(1))
	gates := activatedGates(rng, rows, hidden)
	cp, dh, dc := randSlice(rng, rows*hidden), randSlice(rng, rows*hidden), randSlice(rng, rows*hidden)
	c, tc, h, dg := make([]float32, rows*hidden), make([]float32, rows*hidden), make([]float32, rows*hidden), make([]float32, 4*rows*hidden)
	cpu := cpuSeconds()
	for range b.N {
		for r := 0; r < rows; r++ {
			u, g := r*hidden, r*4*hidden
			switch {
			case forward && portable:
				cellForwardGo(hidden, 0, c[u:u+hidden], tc[u:u+hidden], h[u:u+hidden], gates[g:g+4*hidden], cp[u:u+hidden])
			case forward:
				cellForward(hidden, c[u:u+hidden], tc[u:u+hidden], h[u:u+hidden], gates[g:g+4*hidden], cp[u:u+hidden])
			case portable:
				cellBackwardGo(hidden, 0, dg[g:g+4*hidden], dc[u:u+hidden], gates[g:g+4*hidden], cp[u:u+hidden], tc[u:u+hidden], dh[u:u+hidden])
			default:
				cellBackward(hidden, dg[g:g+4*hidden], dc[u:u+hidden], gates[g:g+4*hidden], cp[u:u+hidden], tc[u:u+hidden], dh[u:u+hidden])
			}
		}
	}
	b.ReportMetric(float64(rows*hidden)*float64(b.N)/(cpuSeconds()-cpu)/1e9, "Gunit/cpu-s")
}

// The cell kernels for one frame of batch 64, hidden 128, against the same
// loops in plain Go.
func BenchmarkLSTMCellForward(b *testing.B)    { benchCell(b, true, false) }
func BenchmarkLSTMCellForwardGo(b *testing.B)  { benchCell(b, true, true) }
func BenchmarkLSTMCellBackward(b *testing.B)   { benchCell(b, false, false) }
func BenchmarkLSTMCellBackwardGo(b *testing.B) { benchCell(b, false, true) }
