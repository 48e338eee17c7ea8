package mfcc

import (
	"math"
	"math/bits"

	"gonum.org/v1/gonum/dsp/fourier"
)

// spectrum computes the power spectrum |X[k]|^2, k < len(dst), of a real
// frame. Implementations own scratch space and are not safe for concurrent
// use.
type spectrum interface {
	power(dst, frame []float64)
}

// newSpectrum returns the fastest spectrum for frames of n samples whose
// power is wanted in bins 0..nBins-1.
func newSpectrum(n, nBins int) spectrum {
	if n >= 8 && n&(n-1) == 0 {
		return newRealFFT(n, nBins)
	}
	return newGonumSpectrum(n)
}

// realFFT is the hot-path FFT for power-of-two frame sizes. The n real
// samples are packed as n/2 complex ones, z[j] = x[2j] + i x[2j+1], which
// an iterative decimation-in-time FFT on split real and imaginary arrays
// transforms (a 4-point first pass, radix-4 passes, and one radix-2 pass if
// log2(n/2) is odd); the spectrum of x is then unpacked from Z for the bins
// wanted only.
// Twiddle factors come from math.Sincos, one table per stage, so there is
// no error from recurrences. No allocation after newRealFFT.
type realFFT struct {
	m          int         // complex points, n/2
	rev        []int32     // bit reversal of 0..m-1
	re, im     []float64   // work, m each
	twRe, twIm []float64   // stage with butterfly span h: exp(-2πi j/2h), j < h, at [h-1, 2h-1)
	tw4        [][]float64 // radix-4 pass from size q to 4q: w^j, w^2j, w^3j, w = exp(-2πi/4q), j < q, as 6 runs of q: re, im, re, im, re, im
	upRe, upIm []float64   // unpacking: exp(-2πi k/n), k < nBins
}

func newRealFFT(n, nBins int) *realFFT {
	m := n / 2
	f := &realFFT{
		m:    m,
		rev:  make([]int32, m),
		re:   make([]float64, m),
		im:   make([]float64, m),
		twRe: make([]float64, m),
		twIm: make([]float64, m),
		upRe: make([]float64, nBins),
		upIm: make([]float64, nBins),
	}
	shift := bits.LeadingZeros(uint(m)) + 1
	for j := range f.rev {
		f.rev[j] = int32(bits.Reverse(uint(j)) >> shift)
	}
	for h := 1; h < m; h *= 2 {
		for j := 0; j < h; j++ {
			s, c := math.Sincos(-math.Pi * float64(j) / float64(h))
			f.twRe[h-1+j], f.twIm[h-1+j] = c, s
		}
	}
	for q := 4; 4*q <= m; q *= 4 {
		t := make([]float64, 6*q)
		for j := 0; j < q; j++ {
			for p := 1; p <= 3; p++ {
				s, c := math.Sincos(-2 * math.Pi * float64(p*j) / float64(4*q))
				t[(2*p-2)*q+j], t[(2*p-1)*q+j] = c, s
			}
		}
		f.tw4 = append(f.tw4, t)
	}
	for k := range f.upRe {
		s, c := math.Sincos(-2 * math.Pi * float64(k) / float64(n))
		f.upRe[k], f.upIm[k] = c, s
	}
	return f
}

func (f *realFFT) power(dst, frame []float64) {
	re, im := f.re[:f.m], f.im[:f.m]
	frame = frame[:2*f.m]
	for j, r := range f.rev {
		re[r], im[r] = frame[2*j], frame[2*j+1]
	}
	f.transform(dst)
}

// powerWindowed is power of the frame x[i]*window[i], i < n, without
// writing the windowed frame out first.
func (f *realFFT) powerWindowed(dst []float64, x []float32, window []float64) {
	re, im := f.re[:f.m], f.im[:f.m]
	x, window = x[:2*f.m], window[:2*f.m]
	for j, r := range f.rev {
		re[r], im[r] = float64(x[2*j])*window[2*j], float64(x[2*j+1])*window[2*j+1]
	}
	f.transform(dst)
}

// transform does the FFT of the bit-reversed data in re, im and unpacks the
// power spectrum into dst.
func (f *realFFT) transform(dst []float64) {
	m := f.m
	re, im := f.re[:m], f.im[:m]
	// The first two stages (spans 1 and 2) as one 4-point DFT per group.
	for s := 0; s+4 <= m; s += 4 {
		r, i := re[s:s+4:s+4], im[s:s+4:s+4]
		ar, ai := r[0]+r[1], i[0]+i[1]
		br, bi := r[0]-r[1], i[0]-i[1]
		cr, ci := r[2]+r[3], i[2]+i[3]
		dr, di := r[2]-r[3], i[2]-i[3] // times -i below
		r[0], i[0] = ar+cr, ai+ci
		r[2], i[2] = ar-cr, ai-ci
		r[1], i[1] = br+di, bi-dr
		r[3], i[3] = br-di, bi+dr
	}
	// Radix-4 passes: four transforms of size q, in bit-reversed order (of
	// the samples = 0, 2, 1, 3 mod 4), become one of size 4q.
	q := 4
	for _, tw := range f.tw4 {
		radix4(re, im, q, tw)
		q *= 4
	}
	if q < m { // one radix-2 stage left: two transforms of size q = m/2
		twr, twi := f.twRe[q-1:2*q-1], f.twIm[q-1:2*q-1]
		ar, ai, br, bi := re[:q], im[:q], re[q:2*q], im[q:2*q]
		for j := range ar {
			wr, wi := twr[j], twi[j]
			tr := wr*br[j] - wi*bi[j]
			ti := wr*bi[j] + wi*br[j]
			br[j], bi[j] = ar[j]-tr, ai[j]-ti
			ar[j], ai[j] = ar[j]+tr, ai[j]+ti
		}
	}
	// X[k] = E[k] + exp(-2πi k/n) O[k], where E and O, the spectra of the
	// even and odd samples, are (Z[k] + conj Z[m-k])/2 and (Z[k] - conj Z[m-k])/2i.
	upr, upi := f.upRe[:len(dst)], f.upIm[:len(dst)]
	for k := range dst {
		a, b := k&(m-1), (m-k)&(m-1)
		zar, zai, zbr, zbi := re[a], im[a], re[b], im[b]
		er, ei := 0.5*(zar+zbr), 0.5*(zai-zbi)
		or, oi := 0.5*(zai+zbi), -0.5*(zar-zbr)
		xr := er + upr[k]*or - upi[k]*oi
		xi := ei + upr[k]*oi + upi[k]*or
		dst[k] = xr*xr + xi*xi
	}
}

// radix4Go does one radix-4 pass over re, im: blocks of size 4q made of
// four transforms of size q (see realFFT.transform). radix4 is this, or the
// same arithmetic in AVX assembly, four j at a time.
func radix4Go(re, im []float64, q int, tw []float64) {
	w1r, w1i, w2r, w2i, w3r, w3i := tw[:q], tw[q:2*q], tw[2*q:3*q], tw[3*q:4*q], tw[4*q:5*q], tw[5*q:6*q]
	for s := 0; s+4*q <= len(re); s += 4 * q {
		r0, i0 := re[s:s+q], im[s:s+q]
		r1, i1 := re[s+q:s+2*q], im[s+q:s+2*q]
		r2, i2 := re[s+2*q:s+3*q], im[s+2*q:s+3*q]
		r3, i3 := re[s+3*q:s+4*q], im[s+3*q:s+4*q]
		i0, r1, i1, r2, i2, r3, i3 = i0[:len(r0)], r1[:len(r0)], i1[:len(r0)], r2[:len(r0)], i2[:len(r0)], r3[:len(r0)], i3[:len(r0)]
		w1r, w1i, w2r, w2i, w3r, w3i := w1r[:len(r0)], w1i[:len(r0)], w2r[:len(r0)], w2i[:len(r0)], w3r[:len(r0)], w3i[:len(r0)]
		for j := range r0 {
			// Block 2 holds the samples = 1 mod 4, block 1 those = 2 mod 4.
			// The conversions keep the compiler from fusing multiply and
			// add (it may with GOAMD64=v3), so that the assembly, which
			// does not, gives the same bits.
			t1r, t1i := float64(w1r[j]*r2[j])-float64(w1i[j]*i2[j]), float64(w1r[j]*i2[j])+float64(w1i[j]*r2[j])
			t2r, t2i := float64(w2r[j]*r1[j])-float64(w2i[j]*i1[j]), float64(w2r[j]*i1[j])+float64(w2i[j]*r1[j])
			t3r, t3i := float64(w3r[j]*r3[j])-float64(w3i[j]*i3[j]), float64(w3r[j]*i3[j])+float64(w3i[j]*r3[j])
			ar, ai := r0[j]+t2r, i0[j]+t2i
			br, bi := r0[j]-t2r, i0[j]-t2i
			cr, ci := t1r+t3r, t1i+t3i
			dr, di := t1r-t3r, t1i-t3i
			r0[j], i0[j] = ar+cr, ai+ci
			r2[j], i2[j] = ar-cr, ai-ci
			r1[j], i1[j] = br+di, bi-dr // b - i d
			r3[j], i3[j] = br-di, bi+dr // b + i d
		}
	}
}

// gonumSpectrum uses gonum's real FFT (FFTPACK), one plan per worker, no
// allocation per call. It serves the frame sizes realFFT does not.
type gonumSpectrum struct {
	fft   *fourier.FFT
	coeff []complex128
}

func newGonumSpectrum(n int) *gonumSpectrum {
	return &gonumSpectrum{fft: fourier.NewFFT(n), coeff: make([]complex128, n/2+1)}
}

func (g *gonumSpectrum) power(dst, frame []float64) {
	c := g.fft.Coefficients(g.coeff, frame)
	for k := range dst {
		re, im := real(c[k]), imag(c[k])
		dst[k] = re*re + im*im
	}
}
