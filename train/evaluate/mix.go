package evaluate

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/datasets/synth"
)

// mixer adds background noise at a signal-to-noise ratio, with random
// numbers of its own, so that a stream's noise depends only on the seed
// and the stream's place in the run.
type mixer struct {
	noise [][]float32
	rms   []float64 // of each recording
	snr   float64
	rng   *rand.Rand
	k     int // the bed's recording, -1 before the first
	off   int // and where in it the bed is
	seg   []float32
}

func newMixer(noise [][]float32, snr float64, seed, stream uint64) *mixer {
	m := &mixer{noise: noise, snr: snr, rng: rand.New(rand.NewPCG(seed, stream)), k: -1}
	for _, n := range noise {
		m.rms = append(m.rms, synth.RMS(n))
	}
	return m
}

// clip adds to x a stretch of a random noise recording from a random place
// (wrapping round at its end), scaled so that x's active level is snr dB
// above the stretch's RMS (synth.Mix).
func (m *mixer) clip(x []float32) {
	m.seg = synth.MixStretch(x, m.noise, m.snr, m.rng, m.seg)
}

// bed adds the next stretch of a continuous noise bed to x: recordings
// drawn at random, each played from a random place to its end, scaled so
// that speech of the given active level is snr dB above the recording's
// RMS.
func (m *mixer) bed(x []float32, level float64) {
	for len(x) > 0 {
		if m.k < 0 || m.off == len(m.noise[m.k]) {
			m.k = m.rng.IntN(len(m.noise))
			m.off = m.rng.IntN(len(m.noise[m.k]))
		}
		nz := m.noise[m.k][m.off:]
		n := min(len(x), len(nz))
		g := 0.0
		if m.rms[m.k] > 0 {
			g = level / m.rms[m.k] / math.Pow(10, m.snr/20)
		}
		for i := range n {
			x[i] += float32(g * float64(nz[i]))
		}
		x = x[n:]
		m.off += n
	}
}

// recordingLevel reads the WAV recording f through and returns its active
// speech level (synth.ActiveMeter).
func recordingLevel(f *os.File, path string) (float64, error) {
	r, err := audio.NewReader(bufio.NewReaderSize(f, 1<<16))
	if err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	var m synth.ActiveMeter
	buf := make([]float32, 1<<15)
	for {
		n, err := r.Read(buf)
		m.Write(buf[:n])
		if errors.Is(err, io.EOF) {
			return m.Level(), nil
		}
		if err != nil {
			return 0, fmt.Errorf("%s: %w", path, err)
		}
	}
}
