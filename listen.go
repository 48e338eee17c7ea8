package listen

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"sort"
	"time"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/model"
	"github.com/listen-go/listen/model/detect"
	"github.com/listen-go/listen/model/embedded"
)

// SampleRate is the rate, in Hz, of the samples every function here takes.
const SampleRate = detect.SampleRate

// Model is a trained command recognizer (an alias of model.Model). What a
// program needs of it is in its Meta field (model.Metadata):
//
//   - Meta.Labels []string: the labels, in the model's output order. Those
//     starting with an underscore ("_silence_", "_unknown_") are scored
//     but never reported as commands.
//   - Meta.WindowSamples int: the length of the window the model
//     classifies, in samples at 16 kHz: 16000 (one second) for the default
//     model, 41600 (2.6 s) for home. Classify takes clips no longer than
//     it; a Recognizer slides it along a stream.
//   - Meta.Detection map[string]string: the detection settings the
//     model's maker chose, by the names of listen's flags ("threshold":
//     "0.85"); ModelConfig reads them as a Config, and NewRecognizer uses
//     them when given none. Nil means detect's defaults.
//   - Meta.Features mfcc.Config: the MFCC settings it was trained with,
//     which it is always fed.
//   - Meta.Training map[string]string: free-form notes on how it was
//     trained.
//
// DefaultModel, HomeModel, LoadModel and ReadModel give one. A *Model is
// read-only once loaded and may be shared by any number of goroutines.
// Training, ensembles and the weights are package model's.
type Model = model.Model

// Detection is one command found in a stream (an alias of
// detect.Detection):
//
//   - Label string: the command, one of the model's labels (never one
//     starting with an underscore).
//   - P float32: its score, the model's probability for Label averaged
//     over the Config's AverageWindow, in (0, 1]; it passed Threshold.
//   - Start, End time.Duration: the model's window (one second for the
//     default model) that held the word best, as times since the stream's
//     first sample (since NewRecognizer or Reset).
//   - At time.Duration: when the command was reported, the end of the
//     latest window classified; At-End is the delay the averaging added.
//
// Its Event method gives the label and Start as a detect.Event, the form
// detect's accuracy measures take (a word's time is where its clip
// starts).
type Detection = detect.Detection

// Config holds the settings of streaming detection (an alias of
// detect.Config). The model classifies its window every Hop; a command is
// reported when the top label's score, averaged over the last
// AverageWindow of results, passes Threshold and the same label was not
// on top within Suppression. Every field's zero value means detect's
// default, given here; NewRecognizer never changes the caller's Config.
//
//   - Hop time.Duration: how often the window is classified, rounded to
//     whole samples; at most 100 ms is recommended, so that a word is seen
//     at several offsets. Zero: 100ms.
//   - AverageWindow time.Duration: how far back results are averaged.
//     Zero: 300ms.
//   - Threshold float32: the averaged score the top label must pass, in
//     (0, 1); higher gives fewer false alarms and more misses. Zero: 0.7.
//   - Suppression time.Duration: how long after a label was on top it
//     cannot be reported again. Zero: 1.5s, or the model's window when
//     that is longer (a phrase is reported once); negative: none.
//   - MinCount int: the fewest results an average needs. Zero: 2.
//   - Gate float64: the energy gate, in dBFS (the RMS of a hop relative to
//     full scale): the model is skipped, and the window counted as
//     silence, while every hop in the window is below it. Zero: -60;
//     detect.NoGate (minus infinity) turns the gate off.
//
// A model usually carries its own settings (Model's Meta.Detection):
// ModelConfig returns them, and NewRecognizer(m, nil) uses them.
// Recognizer.Config gives the settings in effect, defaults filled in.
type Config = detect.Config

// ErrClosed is returned by a Recognizer's methods after Close.
var ErrClosed = errors.New("listen: recognizer closed")

// ErrFlushed is returned by Write after Flush, until Reset.
var ErrFlushed = detect.ErrFlushed

// DefaultModel returns the embedded default model (yes, no, up, down, left,
// right, on, off, stop, go), without touching the file system.
func DefaultModel() (*Model, error) { return embedded.Default() }

// HomeModel returns the embedded home model (short phrases).
func HomeModel() (*Model, error) { return embedded.Home() }

// LoadModel returns the model called name: an embedded model ("default",
// "" for it, or "home"; see embedded.Names) or a safetensors file. Errors
// name the file.
func LoadModel(name string) (*Model, error) {
	if name == "" {
		name = "default"
	}
	if slices.Contains(embedded.Names(), name) {
		return embedded.Load(name)
	}
	f, err := os.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("load model: no model file %q; %s", name, embedded.Suggest(name))
	} else if err != nil {
		return nil, fmt.Errorf("load model: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("load model: %w", err)
	}
	if st.IsDir() {
		return nil, fmt.Errorf("load model %s: a directory, not a model file", name)
	}
	return ReadModel(&sizedReader{bufio.NewReader(f), st.Size()}, name)
}

// sizedReader reads a file whose size is known and says how much of it is
// left (Len), so that model.Decode takes the tensors in one allocation.
type sizedReader struct {
	r    io.Reader
	left int64
}

func (s *sizedReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	s.left -= int64(n)
	return n, err
}

// Len returns the bytes not yet read, by the file's size when opened.
func (s *sizedReader) Len() int { return int(max(s.left, 0)) }

// ReadModel decodes a safetensors model from r; name is used in errors.
func ReadModel(r io.Reader, name string) (*Model, error) {
	if r == nil {
		return nil, fmt.Errorf("load model %s: nil reader", name)
	}
	m, err := model.Decode(r)
	if err != nil {
		return nil, fmt.Errorf("load model %s: %w", name, err)
	}
	if err := detect.CheckModel(m); err != nil {
		return nil, fmt.Errorf("load model %s: %w", name, err)
	}
	return m, nil
}

// ModelConfig returns the detection settings m carries (Meta.Detection);
// the fields it does not name are zero, which NewRecognizer reads as
// detect's defaults (Config.WithDefaults fills them in).
func ModelConfig(m *Model) (Config, error) {
	if m == nil {
		return Config{}, errors.New("listen: nil model")
	}
	return detect.ModelConfig(m)
}

// A Recognizer finds commands in a stream of 16 kHz samples written to it
// in chunks of any size. It is not safe for concurrent use; give each
// goroutine (each stream) its own.
type Recognizer struct {
	s       *detect.Streamer
	out     []Detection
	written int64 // samples the caller has written since the stream started
	closed  bool
}

// NewRecognizer returns a Recognizer that runs m. A nil cfg uses the
// detection settings stored in m (ModelConfig); otherwise *cfg is used as
// given, its zero fields meaning detect's defaults.
func NewRecognizer(m *Model, cfg *Config) (*Recognizer, error) {
	if m == nil {
		return nil, errors.New("listen: nil model")
	}
	var c Config
	if cfg == nil {
		mc, err := detect.ModelConfig(m)
		if err != nil {
			return nil, fmt.Errorf("listen: %w", err)
		}
		c = mc
	} else {
		c = *cfg
	}
	s, err := detect.New(m, c)
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	return &Recognizer{s: s}, nil
}

func (r *Recognizer) check() error {
	switch {
	case r == nil || r.s == nil:
		return errors.New("listen: nil Recognizer (use NewRecognizer)")
	case r.closed:
		return ErrClosed
	}
	return nil
}

// Write feeds samples (any number; NaN and Inf count as 0) and appends
// the commands they complete to dst, in time order, returning it. Once a
// whole window has been written the model runs every hop, so a command is
// reported somewhat after it ends (Detection.At).
func (r *Recognizer) Write(dst []Detection, samples []float32) ([]Detection, error) {
	if err := r.check(); err != nil {
		return dst, err
	}
	err := r.s.Write(samples, func(d Detection) { dst = append(dst, d) })
	if !errors.Is(err, ErrFlushed) {
		r.written += int64(len(samples))
	}
	return dst, err
}

// Flush ends the stream: it reports, appended to dst, the commands in its
// last window, which more samples would otherwise have completed. After
// Flush, Write returns ErrFlushed until Reset; a second Flush does nothing.
func (r *Recognizer) Flush(dst []Detection) ([]Detection, error) {
	if err := r.check(); err != nil {
		return dst, err
	}
	err := r.s.Flush(func(d Detection) { dst = append(dst, d) })
	return dst, err
}

// Reset starts a new stream, times from zero again.
func (r *Recognizer) Reset() error {
	if err := r.check(); err != nil {
		return err
	}
	r.s.Reset()
	r.written = 0
	return nil
}

// Close releases the Recognizer without flushing: detections still in its
// window are dropped. Every method returns ErrClosed afterwards; Close
// itself returns nil again.
func (r *Recognizer) Close() error {
	if r == nil || r.s == nil {
		return errors.New("listen: nil Recognizer (use NewRecognizer)")
	}
	r.closed = true
	return nil
}

// Labels returns the model's labels.
func (r *Recognizer) Labels() []string {
	if r.check() != nil {
		return nil
	}
	return slices.Clone(r.s.Labels())
}

// Config returns the detection settings in effect, defaults filled in.
func (r *Recognizer) Config() Config {
	if r.check() != nil {
		return Config{}
	}
	return r.s.Config()
}

// Elapsed returns the duration of the samples written since the stream
// started (NewRecognizer or Reset): the audio heard, not counting the
// window of silence Flush adds to finish the stream. For a file written
// whole it is the file's duration.
func (r *Recognizer) Elapsed() time.Duration {
	if r.check() != nil {
		return 0
	}
	return detect.SamplesToDuration(r.written)
}

// Streamer returns the detect.Streamer underneath, for its counters and
// posteriors.
func (r *Recognizer) Streamer() *detect.Streamer {
	if r.check() != nil {
		return nil
	}
	return r.s
}

// Score is one label's probability.
type Score struct {
	Label string
	P     float32
}

// Classify returns the k most likely labels of one clip of 16 kHz
// samples, best first. The clip must be no longer than the model's window
// (one second for the default model; use a Recognizer for longer audio)
// and is padded to it as PadClip does. k must be between 1 and the
// number of labels.
func Classify(m *Model, clip []float32, k int) ([]Score, error) {
	if m == nil {
		return nil, errors.New("listen: nil model")
	}
	c, err := detect.ForModel(m)
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	labels := c.Labels()
	switch {
	case k < 1 || k > len(labels):
		return nil, fmt.Errorf("listen: top %d of %d labels: want 1 to %d", k, len(labels), len(labels))
	case len(clip) == 0:
		return nil, errors.New("listen: empty clip")
	case len(clip) > c.Window():
		return nil, fmt.Errorf("listen: clip of %d samples is longer than the model's %d-sample window; use a Recognizer", len(clip), c.Window())
	}
	window := make([]float32, c.Window())
	PadClip(window, clip)
	probs, err := c.Classify(nil, window)
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	order := make([]int, len(probs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return probs[order[a]] > probs[order[b]] })
	top := make([]Score, k)
	for i := range top {
		top[i] = Score{Label: labels[order[i]], P: probs[order[i]]}
	}
	return top, nil
}

// zeroPadMax is the most padding PadClip fills with zeros: the 100 ms a
// model's window may exceed its training clips by (datasets.ChooseWindow
// rounds the window up to 100 ms), which training padded with zeros.
const zeroPadMax = SampleRate / 10

// PadClip copies clip into the window dst and pads it as the model saw
// its training clips: with zeros at the end when it is at most 100 ms
// short; otherwise with its own background, so that a closely cut
// recording looks like the longer ones the model trained on, after the
// clip (audio.Pad) for a one-second window and before it (audio.PadBefore)
// for a phrase model's longer window, which holds the phrase just ended
// (docs/experiments.md, "Windows, padding and placement").
func PadClip(dst, clip []float32) {
	switch {
	case len(dst)-len(clip) <= zeroPadMax:
		n := copy(dst, clip)
		clear(dst[n:])
	case len(dst) > SampleRate:
		audio.PadBefore(dst, clip)
	default:
		audio.Pad(dst, clip)
	}
}

// Run reads src a hop at a time, feeds r and calls emit (nil for none)
// for each command found; an error from emit stops it. src may be a file
// played as a microphone (audio.OpenFileSource) or a microphone (package
// audio/mic, whose Listen opens one and calls Run). At the end of src
// (io.EOF) it flushes r; when ctx is done it stops without flushing, as a
// listener stopped mid-word would, and returns nil.
func Run(ctx context.Context, r *Recognizer, src audio.Source, emit func(Detection) error) error {
	if err := r.check(); err != nil {
		return err
	}
	if src == nil {
		return errors.New("listen: nil source")
	}
	buf := make([]float32, detect.HopSamples(r.s.Config().Hop))
	var found []Detection
	report := func() error {
		for _, d := range found {
			if emit == nil {
				break
			}
			if err := emit(d); err != nil {
				return err
			}
		}
		return nil
	}
	for {
		n, rerr := src.Read(buf)
		var err error
		if found, err = r.Write(found[:0], buf[:n]); err != nil {
			return err
		}
		if err := report(); err != nil {
			return err
		}
		switch {
		case rerr == nil:
		case ctx.Err() != nil:
			return nil
		case errors.Is(rerr, io.EOF):
			if found, err = r.Flush(found[:0]); err != nil {
				return err
			}
			return report()
		default:
			return fmt.Errorf("capture: %w", rerr)
		}
	}
}
