package mfcc

import (
	"errors"
	"fmt"
	"math"
)

// Config describes the features. It is stored with a model (as JSON) so that
// listening computes exactly what training did. A zero field means:
//
//	SampleRate    required
//	WindowLength  FFTSize
//	HopLength     WindowLength/2 (torchaudio's default)
//	FFTSize       WindowLength rounded up to a power of two
//	NumMels       required
//	MinFreq       0 Hz
//	MaxFreq       SampleRate/2
//	NumCoeffs     NumMels; ignored when LogMel is set
//
// New fills these in on its own copy (see Extractor.Config); it never changes
// the caller's Config.
type Config struct {
	SampleRate   int     `json:"sample_rate"`   // samples per second of the input
	WindowLength int     `json:"window_length"` // periodic Hann window, samples, centred in each FFT frame
	HopLength    int     `json:"hop_length"`    // samples between the starts of successive frames
	FFTSize      int     `json:"fft_size"`      // samples per analysis frame, >= WindowLength, <= 65536
	NumMels      int     `json:"num_mels"`      // triangular HTK mel filters, <= 4096
	MinFreq      float64 `json:"min_freq"`      // lower edge of the lowest filter, Hz
	MaxFreq      float64 `json:"max_freq"`      // upper edge of the highest filter, Hz, <= SampleRate/2
	NumCoeffs    int     `json:"num_coeffs"`    // DCT-II coefficients kept per frame, <= NumMels
	LogMel       bool    `json:"log_mel"`       // output log(mel+1e-6) itself, NumMels values, no DCT
}

// DefaultConfig returns the configuration the project's models use: the
// equivalent of torchaudio 0.13's
//
//	transforms.MFCC(sample_rate=16000, n_mfcc=40, log_mels=True,
//	    melkwargs=dict(n_fft=512, win_length=480, hop_length=160, n_mels=40,
//	        f_min=20.0, f_max=4000.0, center=False, mel_scale="htk", power=2.0))
//
// 30 ms windows every 10 ms; a one-second clip gives 97 frames of 40.
func DefaultConfig() Config {
	return Config{
		SampleRate:   16000,
		WindowLength: 480,
		HopLength:    160,
		FFTSize:      512,
		NumMels:      40,
		MinFreq:      20,
		MaxFreq:      4000,
		NumCoeffs:    40,
	}
}

// maxFFTSize and maxMels bound the work New will precompute, so that a
// Config read from a file cannot make it allocate without limit.
const (
	maxFFTSize = 1 << 16
	maxMels    = 1 << 12
)

// ErrConfig is wrapped by every error New returns for an invalid Config.
var ErrConfig = errors.New("mfcc: invalid config")

// resolve fills in the zero fields of c and checks the result.
func (c Config) resolve() (Config, error) {
	bad := func(format string, a ...any) (Config, error) {
		return Config{}, fmt.Errorf("%w: "+format, append([]any{ErrConfig}, a...)...)
	}
	if c.SampleRate <= 0 {
		return bad("sample rate %d, want > 0", c.SampleRate)
	}
	if c.WindowLength < 0 || c.HopLength < 0 || c.FFTSize < 0 || c.NumMels < 0 || c.NumCoeffs < 0 {
		return bad("negative length in %+v", c)
	}
	if c.FFTSize == 0 {
		if c.WindowLength == 0 {
			return bad("window length and FFT size both zero")
		}
		c.FFTSize = 1
		for c.FFTSize < c.WindowLength {
			c.FFTSize *= 2
		}
	}
	if c.FFTSize > maxFFTSize {
		return bad("FFT size %d, want <= %d", c.FFTSize, maxFFTSize)
	}
	if c.WindowLength == 0 {
		c.WindowLength = c.FFTSize
	}
	if c.WindowLength > c.FFTSize {
		return bad("window length %d longer than FFT size %d", c.WindowLength, c.FFTSize)
	}
	if c.HopLength == 0 {
		c.HopLength = max(c.WindowLength/2, 1)
	}
	if c.NumMels == 0 || c.NumMels > maxMels {
		return bad("%d mel filters, want 1 to %d", c.NumMels, maxMels)
	}
	if c.NumCoeffs == 0 {
		c.NumCoeffs = c.NumMels
	}
	if !c.LogMel && c.NumCoeffs > c.NumMels {
		return bad("%d coefficients from %d mel filters, want <= filters", c.NumCoeffs, c.NumMels)
	}
	nyquist := float64(c.SampleRate) / 2
	if c.MaxFreq == 0 {
		c.MaxFreq = nyquist
	}
	if !(c.MinFreq >= 0) || !(c.MaxFreq <= nyquist) || !(c.MinFreq < c.MaxFreq) || math.IsInf(c.MaxFreq, 0) {
		return bad("frequency range %g to %g Hz, want 0 <= min < max <= %g", c.MinFreq, c.MaxFreq, nyquist)
	}
	return c, nil
}
