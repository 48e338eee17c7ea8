package detect

import (
	"fmt"
	"slices"
	"time"
)

// Recorder records the Trace of a long stream in pieces that can be
// classified independently, one Recorder per goroutine, and joined with
// JoinTraces. The joined Trace is the one Record would return for the whole
// stream, bit for bit: a window's posteriors depend only on its samples, and
// each piece is given, before its start, the samples that the windows and
// the energy gate of its first results look back on (Lead). Smoothing, the
// only part with state that runs across the stream, is left to Replay.
//
// A Recorder is not safe for concurrent use.
type Recorder struct {
	s    *Streamer
	lead int
}

// NewRecorder returns a Recorder that runs c every cfg.Hop with cfg's gate.
func NewRecorder(c Classifier, cfg Config) (*Recorder, error) {
	s, err := NewStreamer(c, cfg)
	if err != nil {
		return nil, err
	}
	// A result needs the window and the gate's len(hopEnergy) hops before
	// it; the first result of a piece comes a hop after its start.
	return &Recorder{s: s, lead: (len(s.hopEnergy) - 1) * s.hop}, nil
}

// Hop returns the hop in samples: pieces start at multiples of it.
func (r *Recorder) Hop() int { return r.s.hop }

// Lead returns how many samples before a piece's start Record needs.
func (r *Recorder) Lead() int { return r.lead }

// Record returns the results of the stream's hops that end in
// (start, start+n], where samples holds the stream from sample start-Lead()
// (from sample 0 when start is 0) and n samples after start. start must be
// 0 or a multiple of Hop() no smaller than Lead(). When last is set, the
// stream ends with samples and the Trace includes what Flush adds; its
// Duration is then the stream's length, otherwise the end of the piece.
func (r *Recorder) Record(samples []float32, start int64, last bool) (*Trace, error) {
	off := int64(0)
	if start != 0 {
		if start < int64(r.lead) || start%int64(r.s.hop) != 0 {
			return nil, fmt.Errorf("detect: piece start %d is not a multiple of the %d-sample hop from %d on", start, r.s.hop, r.lead)
		}
		if len(samples) < r.lead {
			return nil, fmt.Errorf("detect: piece of %d samples is shorter than its %d-sample lead", len(samples), r.lead)
		}
		off = start - int64(r.lead)
	}
	s := r.s
	s.Reset()
	tr := &Trace{
		Labels:   slices.Clone(s.Labels()),
		Window:   s.win,
		Hop:      s.cfg.Hop,
		Duration: SamplesToDuration(off + int64(len(samples))),
	}
	// Sample counts convert to times exactly (62.5 µs a sample), so the
	// piece's times shifted by its offset are the whole stream's.
	base := SamplesToDuration(off)
	s.onResult = func(t time.Duration, probs []float32) {
		tr.Times = append(tr.Times, base+t)
		tr.Scores = append(tr.Scores, probs...)
	}
	defer func() { s.onResult = nil }()
	if err := s.Write(samples, nil); err != nil {
		return nil, err
	}
	if last {
		if err := s.Flush(nil); err != nil {
			return nil, err
		}
	}
	return tr, nil
}

// JoinTraces returns the Trace of a stream from the Traces of its pieces,
// in order (Recorder.Record). They must share labels, window and hop, and
// their times must increase from one to the next. The joined Duration is
// the last piece's.
func JoinTraces(pieces []*Trace) (*Trace, error) {
	if len(pieces) == 0 {
		return nil, fmt.Errorf("detect: no traces to join")
	}
	first := pieces[0]
	out := &Trace{Labels: slices.Clone(first.Labels), Window: first.Window, Hop: first.Hop}
	n := 0
	for _, p := range pieces {
		n += len(p.Times)
	}
	out.Times = make([]time.Duration, 0, n)
	out.Scores = make([]float32, 0, n*len(first.Labels))
	for i, p := range pieces {
		if !slices.Equal(p.Labels, first.Labels) || p.Window != first.Window || p.Hop != first.Hop {
			return nil, fmt.Errorf("detect: trace %d has other labels, window or hop than the first", i+1)
		}
		if len(p.Scores) != len(p.Times)*len(p.Labels) {
			return nil, fmt.Errorf("detect: trace %d has %d scores for %d times of %d labels", i+1, len(p.Scores), len(p.Times), len(p.Labels))
		}
		if len(p.Times) > 0 && len(out.Times) > 0 && p.Times[0] <= out.Times[len(out.Times)-1] {
			return nil, fmt.Errorf("detect: trace %d starts at %v, not after the previous one's end at %v", i+1, p.Times[0], out.Times[len(out.Times)-1])
		}
		out.Times = append(out.Times, p.Times...)
		out.Scores = append(out.Scores, p.Scores...)
		out.Duration = p.Duration
	}
	return out, nil
}
