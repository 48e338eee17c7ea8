package detect

import (
	"errors"
	"fmt"

	"github.com/listen-go/listen/mfcc"
	"github.com/listen-go/listen/model"
)

// ModelClassifier is a Classifier that runs a model on a window: the
// features its metadata names, then Workspace.Predict with a batch of one.
// Its buffers are allocated once, so Classify allocates nothing. It is not
// safe for concurrent use; several may share a Model.
type ModelClassifier struct {
	m      *model.Model
	ext    *mfcc.Extractor
	ws     *model.Workspace
	labels []string
	window int
	frames int
	feats  []float32
	valid  bool // feats hold the frames of the previous ClassifyShifted window
}

// ForModel returns a Classifier for m. The model's metadata must name its
// labels (one per class); a zero Features config means mfcc.DefaultConfig
// and a zero WindowSamples one second, the defaults of models trained here.
func ForModel(m *model.Model) (*ModelClassifier, error) {
	ext, window, frames, err := checkModel(m)
	if err != nil {
		return nil, err
	}
	return &ModelClassifier{
		m:      m,
		ext:    ext,
		ws:     m.NewWorkspace(1, frames),
		labels: m.Meta.Labels,
		window: window,
		frames: frames,
		feats:  make([]float32, frames*ext.NumCoeffs()),
	}, nil
}

// CheckModel reports the error ForModel would give for m, without making
// the classifier's workspace.
func CheckModel(m *model.Model) error {
	_, _, _, err := checkModel(m)
	return err
}

// checkModel checks m's metadata as ForModel needs it and returns its
// feature extractor, window in samples and frames in a window.
func checkModel(m *model.Model) (*mfcc.Extractor, int, int, error) {
	cfg := m.Config()
	if len(m.Meta.Labels) != cfg.Classes {
		return nil, 0, 0, fmt.Errorf("detect: model has %d labels for %d classes", len(m.Meta.Labels), cfg.Classes)
	}
	fc := m.Meta.Features
	if fc == (mfcc.Config{}) {
		fc = mfcc.DefaultConfig()
	}
	if fc.SampleRate != SampleRate {
		return nil, 0, 0, fmt.Errorf("detect: model features at %d Hz, want %d", fc.SampleRate, SampleRate)
	}
	ext, err := mfcc.New(fc)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("detect: model features: %w", err)
	}
	if ext.NumCoeffs() != cfg.Inputs {
		return nil, 0, 0, fmt.Errorf("detect: features have %d values per frame, model takes %d", ext.NumCoeffs(), cfg.Inputs)
	}
	window := m.Meta.WindowSamples
	if window == 0 {
		window = SampleRate
	}
	frames := ext.NumFrames(window)
	if window < 0 || frames < 1 {
		return nil, 0, 0, fmt.Errorf("detect: model window of %d samples holds no feature frame", window)
	}
	return ext, window, frames, nil
}

// Labels returns the model's labels.
func (c *ModelClassifier) Labels() []string { return c.labels }

// Window returns the model's window in samples.
func (c *ModelClassifier) Window() int { return c.window }

// Frames returns the number of feature frames in a window.
func (c *ModelClassifier) Frames() int { return c.frames }

// Classify returns the model's class probabilities for window.
func (c *ModelClassifier) Classify(dst, window []float32) ([]float32, error) {
	return c.ClassifyShifted(dst, window, -1)
}

// ClassifyShifted is Classify, reusing the feature frames that window
// shares with the window of the previous call when shift (how far the window
// moved) is a whole number of feature hops: with a 100 ms hop, only 10 of
// the 97 frames of a one-second window are new. The scores are the same as
// Classify's, bit for bit.
func (c *ModelClassifier) ClassifyShifted(dst, window []float32, shift int) ([]float32, error) {
	if len(window) != c.window {
		c.valid = false
		return nil, fmt.Errorf("detect: window of %d samples, model takes %d", len(window), c.window)
	}
	if dst != nil && len(dst) < len(c.labels) {
		return nil, fmt.Errorf("detect: destination for %d scores, want %d", len(dst), len(c.labels))
	}
	fc := c.ext.Config()
	hop, size, width := fc.HopLength, fc.FFTSize, c.ext.NumCoeffs()
	first := 0 // first frame to compute
	if c.valid && shift >= 0 && shift%hop == 0 && shift/hop < c.frames {
		k := shift / hop
		copy(c.feats, c.feats[k*width:])
		first = c.frames - k
	}
	c.valid = false
	if first < c.frames {
		seg := window[first*hop : (c.frames-1)*hop+size]
		tail := c.feats[first*width:]
		got, err := c.ext.Compute(tail, seg)
		if err != nil {
			return nil, err
		}
		if len(got) != len(tail) || &got[0] != &tail[0] {
			return nil, errors.New("detect: feature extractor returned the wrong number of values")
		}
	}
	c.valid = true
	return c.ws.Predict(dst, c.feats, 1, c.frames), nil
}

// New returns a Streamer that runs m with cfg: ForModel then NewStreamer.
func New(m *model.Model, cfg Config) (*Streamer, error) {
	c, err := ForModel(m)
	if err != nil {
		return nil, err
	}
	return NewStreamer(c, cfg)
}

// ModelConfig returns the detection settings stored in m's metadata
// (model.Metadata.Detection) as a Config whose other fields are zero.
func ModelConfig(m *model.Model) (Config, error) {
	c, err := ParseSettings(m.Meta.Detection)
	if err != nil {
		return Config{}, fmt.Errorf("model's detection settings: %w", err)
	}
	return c, nil
}
