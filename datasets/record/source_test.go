package record_test

import (
	"io"
	"math"
)

// takes is an audio.Source that plays samples in chunks of 1000, then
// fails with err (io.EOF when nil).
type takes struct {
	samples []float32
	err     error
	closed  bool
}

func (s *takes) Read(dst []float32) (int, error) {
	if len(s.samples) == 0 {
		if s.err != nil {
			return 0, s.err
		}
		return 0, io.EOF
	}
	n := copy(dst[:min(len(dst), 1000)], s.samples)
	s.samples = s.samples[n:]
	return n, nil
}

func (s *takes) Close() error { s.closed = true; return nil }

// word returns n samples of quiet with 0.4 s of a 440 Hz tone at 0.3 in
// the middle: a take that holds a word.
func word(n int) []float32 {
	x := make([]float32, n)
	for i := n/2 - 3200; i < n/2+3200; i++ {
		x[i] = float32(0.3 * math.Sin(2*math.Pi*440*float64(i)/16000))
	}
	return x
}
