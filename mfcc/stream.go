package mfcc

// Stream computes features of audio that arrives in pieces, such as from a
// microphone. Fed the same samples in pieces of any sizes, it emits exactly
// the frames, bit for bit, that Compute gives for the whole. NewStream
// allocates all it needs; Write allocates nothing.
//
// A Stream has its own scratch space, so it may run in a different goroutine
// from its Extractor and from other Streams; a single Stream is not safe for
// concurrent use.
type Stream struct {
	w          *worker
	buf        []float32 // samples not yet wholly used are buf[start:end]
	start, end int
	skip       int // incoming samples to drop before buffering (HopLength > FFTSize)
	seen       int64
	out        []float32
}

// NewStream returns a Stream that starts at sample 0 with e's Config.
func (e *Extractor) NewStream() *Stream {
	return &Stream{
		w:   newWorker(e.tables),
		buf: make([]float32, 2*e.cfg.FFTSize),
		out: make([]float32, e.tables.out),
	}
}

// Write adds samples to the stream and calls emit once for each frame that
// is now complete, in time order. The frame slice (NumCoeffs values) is
// reused: it is valid only during the call to emit, which must copy what it
// keeps and must not call Write. If samples holds a NaN or infinite value,
// Write returns an error wrapping ErrNotFinite and ignores the whole piece.
func (s *Stream) Write(samples []float32, emit func(frame []float32)) error {
	if err := checkFinite(samples, s.seen); err != nil {
		return err
	}
	s.seen += int64(len(samples))
	size, hop := s.w.t.cfg.FFTSize, s.w.t.cfg.HopLength
	for len(samples) > 0 {
		if s.skip > 0 {
			n := min(s.skip, len(samples))
			samples, s.skip = samples[n:], s.skip-n
			continue
		}
		if s.end == len(s.buf) { // fewer than size samples are buffered: move them down
			s.end = copy(s.buf, s.buf[s.start:s.end])
			s.start = 0
		}
		n := copy(s.buf[s.end:], samples)
		samples, s.end = samples[n:], s.end+n
		for s.end-s.start >= size {
			s.w.compute(s.out, s.buf[s.start:s.start+size])
			emit(s.out)
			s.start += hop
		}
		if s.start >= s.end {
			s.skip += s.start - s.end
			s.start, s.end = 0, 0
		}
	}
	return nil
}

// Reset discards buffered samples so that the stream starts again at sample 0.
func (s *Stream) Reset() {
	s.start, s.end, s.skip, s.seen = 0, 0, 0, 0
}
