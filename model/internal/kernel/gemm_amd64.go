//go:build amd64 && !purego

package kernel

import "sync"

//go:noescape
func gemm6x16(k int, a *float32, ars, aks int, b *float32, bks int, c *float32, ldc int, alpha, beta float32)

//go:noescape
func gemm4x16(k int, a *float32, ars, aks int, b *float32, bks int, c *float32, ldc int, alpha, beta float32)

//go:noescape
func gemm6x8(k int, a *float32, ars, aks int, b *float32, bks int, c *float32, ldc int, alpha, beta float32)

//go:noescape
func gemv1x64(k int, a *float32, aks int, b *float32, bks int, c *float32, alpha, beta float32)

//go:noescape
func gemv1x32(k int, a *float32, aks int, b *float32, bks int, c *float32, alpha, beta float32)

//go:noescape
func transpose8(nblk int, src *float32, lds int, dst *float32, ldd int)

//go:noescape
func gemvT8(ngroups, k int, x *float32, b *float32, ldb int, c *float32, alpha, beta float32)

// Blocking of the AVX2 path: a micro-tile of C is mr x nr; the k dimension
// is cut into blocks of at most kc and the rows of C into blocks of mc.
const (
	mr = 6
	nr = 16
)

var (
	kc     = 256
	kcLong = 512
	mc     = 96
	// packMinM is the number of rows of C from which B is packed even when
	// it is not transposed: packed panels avoid the cache-set conflicts of
	// power-of-two row strides, and the copy is amortized over many rows.
	packMinM = 97
	// gemv64 selects the 64-column one-row kernel over the 32-column one.
	gemv64 = true
)

const maxKC = 512

// nc bounds the columns of op(B) packed at once, so a packing buffer holds
// at most maxKC*nc floats.
const nc = 1024

// packBufs is a free list of the buffers op(B) is packed into. Unlike a
// sync.Pool it is never emptied by the garbage collector, so once there is
// a buffer per concurrent caller Gemm never allocates. It holds at most one
// buffer per goroutine that was ever inside Gemm at the same time, each at
// most maxKC*nc floats (2 MB).
var packBufs struct {
	sync.Mutex
	free []*[]float32
}

func getPackBuf(n int) *[]float32 {
	packBufs.Lock()
	var p *[]float32
	if k := len(packBufs.free); k > 0 {
		p = packBufs.free[k-1]
		packBufs.free = packBufs.free[:k-1]
	}
	packBufs.Unlock()
	if p == nil {
		p = new([]float32)
	}
	if cap(*p) < n {
		*p = make([]float32, n)
	}
	*p = (*p)[:n]
	return p
}

func putPackBuf(p *[]float32) {
	packBufs.Lock()
	packBufs.free = append(packBufs.free, p)
	packBufs.Unlock()
}

// gemm assumes validated arguments with m, n, k > 0 and alpha != 0.
func gemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if !hasAVX2FMA {
		gemmRef(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	if m == 1 && gemvAVX2(transA, transB, n, k, alpha, a, lda, b, ldb, beta, c) {
		return
	}
	gemmAVX2(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// gemvAVX2 computes the one-row product c = alpha*op(a)*op(B) + beta*c and
// reports whether it handled the layout.
func gemvAVX2(transA, transB bool, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32) bool {
	aks := 1
	if transA {
		aks = lda
	}
	if !transB {
		j := 0
		for ; gemv64 && j+64 <= n; j += 64 {
			gemv1x64(k, &a[0], aks*4, &b[j], ldb*4, &c[j], alpha, beta)
		}
		for ; j+32 <= n; j += 32 {
			gemv1x32(k, &a[0], aks*4, &b[j], ldb*4, &c[j], alpha, beta)
		}
		for ; j < n; j++ {
			var s float32
			for p := 0; p < k; p++ {
				s += a[p*aks] * b[p*ldb+j]
			}
			c[j] = axpby(alpha, s, beta, c[j])
		}
		return true
	}
	if transA && lda != 1 {
		return false
	}
	k8 := k &^ 7
	x := a[:k]
	j := n &^ 7
	if j > 0 {
		gemvT8(j/8, k8, &x[0], &b[0], ldb*4, &c[0], alpha, beta)
		if k8 < k {
			for r := 0; r < j; r++ {
				row := b[r*ldb : r*ldb+k]
				var s float32
				for p := k8; p < k; p++ {
					s += x[p] * row[p]
				}
				c[r] += alpha * s
			}
		}
	}
	for ; j < n; j++ {
		row := b[j*ldb : j*ldb+k]
		var s float32
		for p, v := range row {
			s += x[p] * v
		}
		c[j] = axpby(alpha, s, beta, c[j])
	}
	return true
}

// axpby returns alpha*s + beta*c, not reading c when beta is zero.
func axpby(alpha, s, beta, c float32) float32 {
	if beta == 0 {
		return alpha * s
	}
	return alpha*s + beta*c
}

func gemmAVX2(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	// Wide products run as blocks of nc columns, which keeps the packing
	// buffer bounded.
	for jc := 0; jc < n; jc += nc {
		boff := jc
		if transB {
			boff = jc * ldb
		}
		gemmBlock(transA, transB, m, min(nc, n-jc), k, alpha, a, lda, b[boff:], ldb, beta, c[jc:], ldc)
	}
}

// gemmBlock is gemmAVX2 for n <= nc.
func gemmBlock(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	var (
		apack [mr * maxKC]float32 // leftover rows of A, [kb][mr]
		bedge [maxKC * nr]float32 // leftover columns of B, [kb][nr]
		tile  [mr * nr]float32
	)
	packB := transB || m >= packMinM
	kcb := kc
	if packB && !transA {
		// A's rows are contiguous and B's panels packed: long k blocks
		// mean fewer passes over C.
		kcb = kcLong
	}
	kcb = min(kcb, maxKC)
	ars, aks := lda*4, 4
	if transA {
		ars, aks = 4, lda*4
	}
	nFull := n / nr * nr
	mFull := m / mr * mr
	npanels := (n + nr - 1) / nr

	var pp *[]float32
	var bp []float32
	if packB {
		pp = getPackBuf(npanels * nr * min(k, kcb))
		bp = *pp
	}

	for pc := 0; pc < k; pc += kcb {
		kb := min(kcb, k-pc)
		bet := beta
		if pc > 0 {
			bet = 1
		}
		// Where panel jr of op(B) rows pc..pc+kb lives: in place (NoTrans)
		// or packed.
		if transB {
			packBT(bp, b, ldb, pc, kb, n)
		} else if packB {
			packBN(bp, b, ldb, pc, kb, n)
		} else if nFull < n {
			packBEdge(bedge[:kb*nr], b, ldb, pc, kb, nFull, n)
		}
		if edgeRows := m - mFull; edgeRows > 0 && (edgeRows != 4 || nFull < n) {
			packAEdge(apack[:kb*mr], a, lda, transA, pc, kb, mFull, m)
		}
		for ic := 0; ic < m; ic += mc {
			mb := min(mc, m-ic)
			for jr := 0; jr < n; jr += nr {
				nb := min(nr, n-jr)
				var bptr *float32
				bks := nr * 4
				switch {
				case packB:
					bptr = &bp[(jr/nr)*kb*nr]
				case nb < nr:
					bptr = &bedge[0]
				default:
					bptr = &b[pc*ldb+jr]
					bks = ldb * 4
				}
				for ir := ic; ir < ic+mb; ir += mr {
					ib := min(mr, m-ir)
					if ib == 4 && nb == nr {
						// Four leftover rows (m = 64, 6208, ...) have their own
						// kernel and need neither packing nor a tile.
						var aptr *float32
						if transA {
							aptr = &a[pc*lda+ir]
						} else {
							aptr = &a[ir*lda+pc]
						}
						gemm4x16(kb, aptr, ars, aks, bptr, bks, &c[ir*ldc+jr], ldc*4, alpha, bet)
						continue
					}
					var aptr *float32
					as, ak := ars, aks
					if ib < mr {
						aptr, as, ak = &apack[0], 4, mr*4
					} else if transA {
						aptr = &a[pc*lda+ir]
					} else {
						aptr = &a[ir*lda+pc]
					}
					if ib == mr && nb == nr {
						gemm6x16(kb, aptr, as, ak, bptr, bks, &c[ir*ldc+jr], ldc*4, alpha, bet)
						continue
					}
					if nb <= 8 {
						if ib == mr && nb == 8 {
							gemm6x8(kb, aptr, as, ak, bptr, bks, &c[ir*ldc+jr], ldc*4, alpha, bet)
							continue
						}
						gemm6x8(kb, aptr, as, ak, bptr, bks, &tile[0], nr*4, alpha, 0)
					} else {
						gemm6x16(kb, aptr, as, ak, bptr, bks, &tile[0], nr*4, alpha, 0)
					}
					mergeTile(c[ir*ldc+jr:], ldc, tile[:], ib, nb, bet)
				}
			}
		}
	}
	if pp != nil {
		putPackBuf(pp)
	}
}

// packBT packs rows pc..pc+kb of op(B) = B^T (B stored n x k) into panels of
// nr columns, [panel][kb][nr], zero-padding the last panel.
func packBT(dst, b []float32, ldb, pc, kb, n int) {
	for jr := 0; jr < n; jr += nr {
		panel := dst[(jr/nr)*kb*nr : (jr/nr+1)*kb*nr]
		nb := min(nr, n-jr)
		jj := 0
		if kb8 := kb / 8; kb8 > 0 {
			// Whole groups of eight rows of B: 8x8 transposes, then the
			// last kb%8 columns one by one.
			for ; jj+8 <= nb; jj += 8 {
				transpose8(kb8, &b[(jr+jj)*ldb+pc], ldb*4, &panel[jj], nr*4)
				for r := jj; r < jj+8; r++ {
					row := b[(jr+r)*ldb+pc : (jr+r)*ldb+pc+kb]
					for p := 8 * kb8; p < kb; p++ {
						panel[p*nr+r] = row[p]
					}
				}
			}
		}
		for ; jj < nb; jj++ {
			row := b[(jr+jj)*ldb+pc : (jr+jj)*ldb+pc+kb]
			for p, v := range row {
				panel[p*nr+jj] = v
			}
		}
		for jj := nb; jj < nr; jj++ {
			for p := 0; p < kb; p++ {
				panel[p*nr+jj] = 0
			}
		}
	}
}

// packBN packs rows pc..pc+kb of B (stored k x n) into panels of nr
// columns, [panel][kb][nr], zero-padding the last panel.
func packBN(dst, b []float32, ldb, pc, kb, n int) {
	for jr := 0; jr < n; jr += nr {
		panel := dst[(jr/nr)*kb*nr : (jr/nr+1)*kb*nr]
		nb := min(nr, n-jr)
		for p := 0; p < kb; p++ {
			row := b[(pc+p)*ldb+jr : (pc+p)*ldb+jr+nb]
			d := panel[p*nr : p*nr+nr]
			copy(d, row)
			clear(d[nb:])
		}
	}
}

// packBEdge copies columns j0..n of rows pc..pc+kb of B (stored k x n) into
// dst as [kb][nr], zero-padded.
func packBEdge(dst, b []float32, ldb, pc, kb, j0, n int) {
	clear(dst)
	for p := 0; p < kb; p++ {
		copy(dst[p*nr:p*nr+n-j0], b[(pc+p)*ldb+j0:(pc+p)*ldb+n])
	}
}

// packAEdge copies rows i0..m of op(A), columns pc..pc+kb, into dst as
// [kb][mr], zero-padded.
func packAEdge(dst, a []float32, lda int, transA bool, pc, kb, i0, m int) {
	clear(dst)
	for p := 0; p < kb; p++ {
		for i := i0; i < m; i++ {
			if transA {
				dst[p*mr+i-i0] = a[(pc+p)*lda+i]
			} else {
				dst[p*mr+i-i0] = a[i*lda+pc+p]
			}
		}
	}
}

// mergeTile sets the ib x nb corner of C to beta*C + tile (tile already
// scaled by alpha); beta == 0 does not read C.
func mergeTile(c []float32, ldc int, tile []float32, ib, nb int, beta float32) {
	for i := 0; i < ib; i++ {
		ci := c[i*ldc : i*ldc+nb]
		ti := tile[i*nr : i*nr+nb]
		if beta == 0 {
			copy(ci, ti)
			continue
		}
		for j := range ci {
			ci[j] = beta*ci[j] + ti[j]
		}
	}
}
