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
// an iterative radix-2 FFT on split real and imaginary arrays transforms;
// the spectrum of x is then unpacked from Z for the bins wanted only.
// Twiddle factors come from math.Sincos, one table per stage, so there is
// no error from recurrences. No allocation after newRealFFT.
type realFFT struct {
	m          int       // complex points, n/2
	rev        []int32   // bit reversal of 0..m-1
	re, im     []float64 // work, m each
	twRe, twIm []float64 // stage with butterfly span h: exp(-2πi j/2h), j < h, at [h-1, 2h-1)
	upRe, upIm []float64 // unpacking: exp(-2πi k/n), k < nBins
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
	// Then two radix-2 stages at a time: four transforms of size q, in
	// bit-reversed order, become one of size 4q.
	q := 4
	for ; 4*q <= m; q *= 4 {
		w1r, w1i := f.twRe[q-1:2*q-1], f.twIm[q-1:2*q-1]     // exp(-2πi j/2q)
		w2r, w2i := f.twRe[2*q-1:4*q-1], f.twIm[2*q-1:4*q-1] // exp(-2πi j/4q)
		for s := 0; s < m; s += 4 * q {
			r0, i0 := re[s:s+q], im[s:s+q]
			r1, i1 := re[s+q:s+2*q], im[s+q:s+2*q]
			r2, i2 := re[s+2*q:s+3*q], im[s+2*q:s+3*q]
			r3, i3 := re[s+3*q:s+4*q], im[s+3*q:s+4*q]
			w1r, w1i, w2r, w2i := w1r[:len(r0)], w1i[:len(r0)], w2r[:len(r0)], w2i[:len(r0)]
			for j := range r0 {
				ar, ai := w1r[j], w1i[j]
				t1r, t1i := ar*r1[j]-ai*i1[j], ar*i1[j]+ai*r1[j]
				t3r, t3i := ar*r3[j]-ai*i3[j], ar*i3[j]+ai*r3[j]
				a0r, a0i := r0[j]+t1r, i0[j]+t1i
				a1r, a1i := r0[j]-t1r, i0[j]-t1i
				b0r, b0i := r2[j]+t3r, i2[j]+t3i
				b1r, b1i := r2[j]-t3r, i2[j]-t3i
				br, bi := w2r[j], w2i[j]
				u0r, u0i := br*b0r-bi*b0i, br*b0i+bi*b0r
				u1r, u1i := br*b1i+bi*b1r, bi*b1i-br*b1r // w2 b1 times -i
				r0[j], i0[j] = a0r+u0r, a0i+u0i
				r2[j], i2[j] = a0r-u0r, a0i-u0i
				r1[j], i1[j] = a1r+u1r, a1i+u1i
				r3[j], i3[j] = a1r-u1r, a1i-u1i
			}
		}
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
