package evaluate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/model"
	"github.com/listen-go/listen/model/detect"
)

// StreamOptions are the settings of Stream.
type StreamOptions struct {
	// Config is the detector's; a zero Config is the model's own
	// (detect.ModelConfig).
	Config detect.Config
	// Tolerance is how far from a spoken word a detection may be to match
	// it; 0 is detect.DefaultTolerance.
	Tolerance time.Duration
	// Name names the model in errors.
	Name     string
	Progress Progress
}

// StreamResult is the streaming detector's run over a recording.
type StreamResult struct {
	Duration time.Duration
	Found    []detect.Detection
	// Stats scores Found against the truth as TensorFlow's
	// test_streaming_accuracy does.
	Stats detect.Stats
}

// Stream runs the streaming detector over the WAV recording at path, as the
// live listener would hear it, and scores its detections against truth
// (ReadTruthFile).
func Stream(ctx context.Context, m *model.Model, path string, truth []detect.Event, opt StreamOptions) (*StreamResult, error) {
	cfg := opt.Config
	if cfg == (detect.Config{}) {
		var err error
		if cfg, err = detect.ModelConfig(m); err != nil {
			return nil, fmt.Errorf("model %s: %w", opt.Name, err)
		}
	}
	s, err := detect.New(m, cfg)
	if err != nil {
		return nil, fmt.Errorf("model %s: %w", opt.Name, err)
	}
	res := &StreamResult{}
	res.Duration, err = DetectFile(ctx, path, s, func(d detect.Detection) { res.Found = append(res.Found, d) }, opt.Progress)
	if err != nil {
		return nil, err
	}
	events := make([]detect.Event, len(res.Found))
	for i, d := range res.Found {
		events[i] = d.Event()
	}
	tol := opt.Tolerance
	if tol == 0 {
		tol = detect.DefaultTolerance
	}
	res.Stats = detect.Evaluate(truth, events, tol, res.Duration)
	return res, nil
}

// ReadTruthFile reads a ground-truth file of "label,time_ms" lines to
// score a model with the given labels against (detect.ReadTruthFor: a
// command the labels lack, and a file without a word, are refused; nil
// labels allow any). A bad
// line's error is a *detect.TruthError naming path and the line.
func ReadTruthFile(path string, labels []string) ([]detect.Event, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read truth: %w", err)
	}
	defer f.Close()
	ev, err := detect.ReadTruthFor(f, labels)
	if te := (*detect.TruthError)(nil); errors.As(err, &te) {
		te.File = path
		return nil, te
	} else if err != nil {
		return nil, fmt.Errorf("read truth %s: %w", path, err)
	}
	return ev, nil
}

// DetectFile feeds the WAV file at path through s (after a Reset) a second
// at a time, in constant memory, calls emit for each detection, Flush's
// included, and returns the audio's duration. progress, when not nil, sees
// the seconds done.
func DetectFile(ctx context.Context, path string, s *detect.Streamer, emit func(detect.Detection), progress Progress) (time.Duration, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	r, err := audio.NewReader(f) // seekable: a file cut short fails here
	if err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	s.Reset()
	total := r.Format().Duration()
	buf := make([]float32, audio.Rate)
	for {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		n, err := r.Read(buf)
		if n > 0 {
			if werr := s.Write(buf[:n], emit); werr != nil {
				return 0, fmt.Errorf("%s: %w", path, werr)
			}
			if progress != nil {
				progress(s.Elapsed().Seconds(), total)
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return 0, fmt.Errorf("%s: %w", path, err)
		}
	}
	dur := s.Elapsed()
	if err := s.Flush(emit); err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	return dur, nil
}
