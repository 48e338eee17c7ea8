package detect

import (
	"fmt"
	"time"
)

// Trace is what a Streamer's classifier said about a recording: the
// posteriors of every hop, before smoothing. Running the model is nearly
// all the cost of detection, so replaying a Trace with other smoothing
// settings is how the defaults were chosen: a grid of hundreds of settings
// costs about as much as one pass of the model.
type Trace struct {
	Labels []string
	Window int             // classifier window, samples
	Hop    time.Duration   // the Config.Hop it was recorded with
	Times  []time.Duration // the end of each window classified (or gated)
	// Scores holds len(Labels) posteriors per time, row-major.
	Scores []float32
	// Duration is the length of the recording; detections are clamped to
	// it, as Streamer.Flush does.
	Duration time.Duration
}

// Record runs c over samples as a Streamer with cfg would, Flush included,
// and returns the posteriors of every hop. Only cfg's Hop and Gate matter
// here; the rest is Replay's.
func Record(c Classifier, samples []float32, cfg Config) (*Trace, error) {
	s, err := NewStreamer(c, cfg)
	if err != nil {
		return nil, err
	}
	tr := &Trace{
		Labels:   append([]string(nil), s.Labels()...),
		Window:   s.win,
		Hop:      s.cfg.Hop,
		Duration: SamplesToDuration(int64(len(samples))),
	}
	s.onResult = func(t time.Duration, probs []float32) {
		tr.Times = append(tr.Times, t)
		tr.Scores = append(tr.Scores, probs...)
	}
	if err := s.Write(samples, nil); err != nil {
		return nil, err
	}
	if err := s.Flush(nil); err != nil {
		return nil, err
	}
	return tr, nil
}

// Replay returns the detections a Streamer with cfg would have made on the
// recording of the Trace. cfg.Hop must be zero or the Trace's Hop; Gate is
// ignored (the gate acted when recording).
func (tr *Trace) Replay(cfg Config) ([]Detection, error) {
	if cfg.Hop != 0 && cfg.Hop != tr.Hop {
		return nil, fmt.Errorf("detect: replay with hop %v of a trace recorded every %v", cfg.Hop, tr.Hop)
	}
	cfg.Hop = tr.Hop
	r, err := NewRecognizer(tr.Labels, cfg)
	if err != nil {
		return nil, err
	}
	n := len(tr.Labels)
	if len(tr.Scores) != len(tr.Times)*n {
		return nil, fmt.Errorf("detect: trace has %d scores for %d times of %d labels", len(tr.Scores), len(tr.Times), n)
	}
	end := int64(HopSamples(tr.Duration))
	var out []Detection
	for i, t := range tr.Times {
		res := r.Process(t, tr.Scores[i*n:(i+1)*n])
		if res.Report {
			out = append(out, makeDetection(tr.Labels, res, t, tr.Window, end))
		}
	}
	return out, nil
}
