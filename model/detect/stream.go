package detect

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Classifier is what a Streamer runs on each window: a model with its
// feature extractor. ForModel makes one from a *model.Model; tests use fakes.
type Classifier interface {
	// Labels names the classes, in the order of Classify's scores.
	Labels() []string
	// Window is the number of samples Classify looks at (16000 for a
	// one-second model).
	Window() int
	// Classify writes the class probabilities of window (len Window(),
	// oldest sample first) into dst (len(Labels()); nil allocates) and
	// returns it. It may keep no reference to window.
	Classify(dst, window []float32) ([]float32, error)
}

// ShiftClassifier is a Classifier that can reuse work from its previous
// window. ModelClassifier is one: it keeps the feature frames the new window
// shares with the old. A Streamer calls ClassifyShifted instead of Classify
// when its classifier has it.
type ShiftClassifier interface {
	Classifier
	// ClassifyShifted is Classify for a window that starts shift samples
	// after the window of the previous call to ClassifyShifted; shift is -1
	// when there is no such window (the first call, or after a Reset).
	// The result must not depend on shift.
	ClassifyShifted(dst, window []float32, shift int) ([]float32, error)
}

// Detection is one recognized command.
type Detection struct {
	Label string
	// P is the label's score averaged over Config.AverageWindow.
	P float32
	// Start and End bound the window, of the classifier's length, that
	// held the word best: the one where the label's own score peaked among
	// the results averaged. Times are since the first sample written.
	Start, End time.Duration
	// At is when the detection was made: the end of the latest window.
	// At-End is the delay smoothing added.
	At time.Duration
}

// Event returns the detection as an Event for Evaluate, at its Start, which
// is where ground truth from mkstream and TensorFlow's
// generate_streaming_test_wav puts a word: at the start of its clip.
func (d Detection) Event() Event {
	return Event{Label: d.Label, Time: d.Start}
}

// Streamer runs a Classifier on a sliding window over a stream of samples
// and reports the commands it recognizes. It is not safe for concurrent use.
type Streamer struct {
	c       Classifier
	sc      ShiftClassifier // c, if it is one
	lastRun int64           // total at the last classification, -1 for none
	rec     *Recognizer
	cfg     Config
	win     int
	hop     int
	buf     []float32 // the window, oldest sample first
	pending int       // samples of the current hop already in buf's tail
	total   int64     // samples written since the start
	// hopEnergy holds the mean square of the last len(hopEnergy) complete
	// hops, enough to cover a window, as a ring at energyHead.
	hopEnergy  []float64
	energyHead int
	hopSum     float64
	gate       float64 // mean-square level below which a hop is quiet
	probs      []float32
	silent     []float32 // one-hot silence posteriors, nil without a silence class
	runs       int64
	skipped    int64
	flushed    bool
	// onResult, if set, sees every result before the recognizer (Record).
	onResult func(t time.Duration, probs []float32)
}

// NewStreamer returns a Streamer that runs c every cfg.Hop.
//
// A zero cfg.Suppression means DefaultSuppression or c's window, whichever
// is longer: a phrase stays in a long window (2.6 s for the home model) for
// longer than 1.5 s, and would otherwise be reported a second time as it
// slides out (measured: 1.4 detections per phrase spoken).
func NewStreamer(c Classifier, cfg Config) (*Streamer, error) {
	win := c.Window()
	if win < 1 {
		return nil, fmt.Errorf("detect: classifier window of %d samples", win)
	}
	if cfg.Suppression == 0 {
		cfg.Suppression = max(DefaultSuppression, SamplesToDuration(int64(win)))
	}
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	labels := c.Labels()
	rec, err := NewRecognizer(labels, cfg)
	if err != nil {
		return nil, err
	}
	hop := HopSamples(cfg.Hop)
	if hop > win {
		return nil, fmt.Errorf("detect: hop %v is longer than the %v window", cfg.Hop, SamplesToDuration(int64(win)))
	}
	s := &Streamer{
		c:         c,
		rec:       rec,
		cfg:       cfg,
		win:       win,
		hop:       hop,
		buf:       make([]float32, win),
		hopEnergy: make([]float64, (win+hop-1)/hop),
		gate:      math.Pow(10, cfg.Gate/10),
		probs:     make([]float32, len(labels)),
	}
	s.sc, _ = c.(ShiftClassifier)
	s.lastRun = -1
	if rec.silence >= 0 {
		s.silent = make([]float32, len(labels))
		s.silent[rec.silence] = 1
	}
	return s, nil
}

// Config returns the settings in effect, defaults filled in.
func (s *Streamer) Config() Config { return s.cfg }

// Labels returns the classifier's labels.
func (s *Streamer) Labels() []string { return s.rec.Labels() }

// Window returns the classifier's window in samples.
func (s *Streamer) Window() int { return s.win }

// Elapsed returns the time of the samples written so far.
func (s *Streamer) Elapsed() time.Duration { return SamplesToDuration(s.total) }

// Runs returns how many windows were classified and how many were skipped
// by the energy gate.
func (s *Streamer) Runs() (classified, skipped int64) { return s.runs, s.skipped }

// Posteriors returns the scores of the latest window classified (zeros
// before the first, one-hot silence after a gated window). The slice is
// reused by the next Write.
func (s *Streamer) Posteriors() []float32 { return s.probs }

// Reset starts a new stream: it forgets the samples, results and times.
func (s *Streamer) Reset() {
	for i := range s.buf {
		s.buf[i] = 0
	}
	for i := range s.hopEnergy {
		s.hopEnergy[i] = 0
	}
	for i := range s.probs {
		s.probs[i] = 0
	}
	s.pending, s.total, s.energyHead, s.hopSum = 0, 0, 0, 0
	s.runs, s.skipped = 0, 0
	s.flushed = false
	s.lastRun = -1
	s.rec.Reset()
}

// ErrFlushed is returned by Write after Flush, until Reset.
var ErrFlushed = errors.New("detect: write after flush")

// Write feeds samples (any number, 16 kHz mono) and calls emit, if not nil,
// for each command recognized, in time order. NaN and infinite samples are
// treated as 0. Once a whole window has been written, the classifier runs
// every hop; the error is the classifier's, if it fails.
func (s *Streamer) Write(samples []float32, emit func(Detection)) error {
	if s.flushed {
		return ErrFlushed
	}
	return s.write(samples, emit, -1)
}

// Flush ends the stream: it writes a window of silence (zeros) so that a
// word at the very end is seen at every offset, and reports what that
// finds, with times clamped to the samples actually written. Write fails
// after Flush until Reset.
func (s *Streamer) Flush(emit func(Detection)) error {
	if s.flushed {
		return nil
	}
	end := s.total
	var zeros [512]float32
	for left := s.win; left > 0; {
		n := min(left, len(zeros))
		if err := s.write(zeros[:n], emit, end); err != nil {
			return err
		}
		left -= n
	}
	s.flushed = true
	return nil
}

// write is Write; when end >= 0 detection times are clamped to end samples.
func (s *Streamer) write(samples []float32, emit func(Detection), end int64) error {
	for len(samples) > 0 {
		n := min(len(samples), s.hop-s.pending)
		// The window shifts by a whole hop when the hop starts; new samples
		// fill its tail.
		if s.pending == 0 {
			copy(s.buf, s.buf[s.hop:])
		}
		dst := s.buf[s.win-s.hop+s.pending : s.win-s.hop+s.pending+n]
		for i, x := range samples[:n] {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				x = 0
			}
			dst[i] = x
			s.hopSum += float64(x) * float64(x)
		}
		samples = samples[n:]
		s.pending += n
		s.total += int64(n)
		if s.pending < s.hop {
			continue
		}
		s.hopEnergy[s.energyHead] = s.hopSum / float64(s.hop)
		s.energyHead = (s.energyHead + 1) % len(s.hopEnergy)
		s.pending, s.hopSum = 0, 0
		if s.total < int64(s.win) {
			continue
		}
		if err := s.step(emit, end); err != nil {
			return err
		}
	}
	return nil
}

// step classifies the current window, or skips it if it is quiet, and
// passes the result to the recognizer.
func (s *Streamer) step(emit func(Detection), end int64) error {
	t := SamplesToDuration(s.total)
	if s.quiet() {
		s.skipped++
		if s.silent == nil {
			return nil // no silence class to stand for the window
		}
		copy(s.probs, s.silent)
	} else {
		s.runs++
		var p []float32
		var err error
		if s.sc != nil {
			shift := -1
			if s.lastRun >= 0 && s.total-s.lastRun < int64(s.win) {
				shift = int(s.total - s.lastRun)
			}
			s.lastRun = s.total
			p, err = s.sc.ClassifyShifted(s.probs, s.buf, shift)
		} else {
			p, err = s.c.Classify(s.probs, s.buf)
		}
		if err != nil {
			return fmt.Errorf("detect: classify window ending at %v: %w", t, err)
		}
		if len(p) != len(s.probs) {
			return fmt.Errorf("detect: classifier returned %d scores for %d labels", len(p), len(s.probs))
		}
		if &p[0] != &s.probs[0] {
			copy(s.probs, p)
		}
	}
	if s.onResult != nil {
		s.onResult(t, s.probs)
	}
	r := s.rec.Process(t, s.probs)
	if !r.Report || emit == nil {
		return nil
	}
	emit(makeDetection(s.rec.labels, r, t, s.win, end))
	return nil
}

// makeDetection is the Detection for a reported result r at time t, from a
// classifier window of win samples; when end >= 0 the times are clamped to
// end samples (the real end of a flushed stream).
func makeDetection(labels []string, r Result, t time.Duration, win int, end int64) Detection {
	winDur := SamplesToDuration(int64(win))
	d := Detection{
		Label: labels[r.Top],
		P:     r.Score,
		Start: r.Peak - winDur,
		End:   r.Peak,
		At:    t,
	}
	if end >= 0 {
		e := SamplesToDuration(end)
		d.End = min(d.End, e)
		d.At = min(d.At, e)
		d.Start = min(d.Start, e)
	}
	d.Start = max(d.Start, 0)
	return d
}

// quiet reports whether every hop in the window is below the gate.
func (s *Streamer) quiet() bool {
	for _, e := range s.hopEnergy {
		if !(e < s.gate) {
			return false
		}
	}
	return true
}
