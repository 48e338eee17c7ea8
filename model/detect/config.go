package detect

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// SampleRate is the rate of the audio a Streamer takes, in Hz (audio.Rate).
const SampleRate = 16000

// Default settings: TensorFlow's streaming test (test_streaming_accuracy:
// threshold 0.7, suppression 1500 ms) with a 100 ms hop, the longest the
// issue allows, since each hop costs one run of the model, and a shorter
// average (300 ms, minimum count 2, instead of 500 ms and 3) so that a
// command is printed within about 300 ms of the end of the word. The
// measurements that chose them are in docs/experiments.md.
const (
	DefaultHop           = 100 * time.Millisecond
	DefaultAverageWindow = 300 * time.Millisecond
	DefaultThreshold     = 0.7
	DefaultSuppression   = 1500 * time.Millisecond
	DefaultMinCount      = 2
	// DefaultGate is the level, in dBFS of a hop's RMS, below which a hop
	// counts as quiet. The model is skipped only when every hop in the
	// window is quiet. -60 dBFS is about 30 in 16-bit samples, far below
	// any spoken word in Speech Commands and below the background noise of
	// most microphones, so on a real microphone the gate rarely closes; it
	// saves work on digital silence and very quiet rooms.
	DefaultGate = -60.0
	// DefaultTolerance is how far, either way, a detection may be from a
	// ground truth word to count as matching it (TensorFlow's
	// time_tolerance_ms).
	DefaultTolerance = 750 * time.Millisecond
)

// NoGate as Config.Gate turns the energy gate off: no hop is quieter.
var NoGate = math.Inf(-1)

// Config holds the settings of detection. A zero field means its default;
// New functions never change the caller's Config.
type Config struct {
	// Hop is how often the window is classified. It is rounded to whole
	// samples; at most 100 ms is recommended, so a word is seen at several
	// offsets. Zero means DefaultHop.
	Hop time.Duration
	// AverageWindow is how far back results are averaged. Zero means
	// DefaultAverageWindow.
	AverageWindow time.Duration
	// Threshold is the averaged score the top label must pass, in (0, 1).
	// Zero means DefaultThreshold.
	Threshold float32
	// Suppression is how long after a label was on top the same label can
	// be reported again. Zero means DefaultSuppression (for a Streamer, the
	// model's window when that is longer: see NewStreamer); a negative
	// value means no suppression.
	Suppression time.Duration
	// MinCount is the fewest results an average needs. Zero means
	// DefaultMinCount.
	MinCount int
	// Gate is the energy gate level in dBFS (RMS of a hop relative to full
	// scale): the model is skipped, and the window counted as silence, when
	// every hop in the window is below it. Zero means DefaultGate; NoGate
	// turns gating off.
	Gate float64
}

// DefaultConfig returns the default settings, every field filled in.
func DefaultConfig() Config {
	return Config{}.WithDefaults()
}

// WithDefaults returns c with every zero field replaced by its default, so a
// caller can print the settings in effect.
func (c Config) WithDefaults() Config {
	if c.Hop == 0 {
		c.Hop = DefaultHop
	}
	if c.AverageWindow == 0 {
		c.AverageWindow = DefaultAverageWindow
	}
	if c.Threshold == 0 {
		c.Threshold = DefaultThreshold
	}
	if c.Suppression == 0 {
		c.Suppression = DefaultSuppression
	}
	if c.MinCount == 0 {
		c.MinCount = DefaultMinCount
	}
	if c.Gate == 0 {
		c.Gate = DefaultGate
	}
	return c
}

// validate checks a config whose defaults are filled in.
func (c Config) validate() error {
	switch {
	case c.Hop < 0:
		return fmt.Errorf("detect: negative hop %v", c.Hop)
	case HopSamples(c.Hop) < 1:
		return fmt.Errorf("detect: hop %v is shorter than a sample", c.Hop)
	case c.AverageWindow < 0:
		return fmt.Errorf("detect: negative average window %v", c.AverageWindow)
	case !(c.Threshold > 0 && c.Threshold < 1):
		return fmt.Errorf("detect: threshold %v is not in (0, 1)", c.Threshold)
	case c.MinCount < 0:
		return fmt.Errorf("detect: negative minimum count %d", c.MinCount)
	case math.IsNaN(c.Gate) || c.Gate > 0:
		return fmt.Errorf("detect: gate %v dBFS is not below 0", c.Gate)
	}
	return nil
}

// Limits of Check, beyond those every Config must keep (New's): a hop of
// 1 ms runs the model a thousand times a second, more than 100 ms sees a
// word at too few offsets (the default is the longest), and an average
// or suppression longer than these is no smoothing of a spoken command.
const (
	MinCheckHop      = time.Millisecond
	MaxCheckHop      = 100 * time.Millisecond
	MaxAverageWindow = 10 * time.Second
	MaxSuppression   = time.Minute
)

// A SettingError is a detection setting out of its range. Name is the
// setting's name as ParseSettings and listen's flags name it ("threshold",
// "min-count", ...), Value its value as text, and Msg the range it must
// be in, or why the value cannot work.
type SettingError struct {
	Name, Value, Msg string
}

func (e *SettingError) Error() string {
	return fmt.Sprintf("detect: %s %s: %s", e.Name, e.Value, e.Msg)
}

// Check reports whether every field of c is in range, as the field
// stands: a zero field is checked as zero, not as its default, so check
// c.WithDefaults() (or what ModelConfig returns) rather than c when c has
// zero fields; only a zero Suppression is allowed (NewStreamer's default).
// Check is stricter than New, which takes any setting it can run: it also
// refuses a hop outside 1ms to 100ms, an average over 10 s, a negative
// suppression or one over a minute, and a MinCount higher than the
// results an average holds (Holds), which could never report a command.
// listen checks its flags with it. Its error is a *SettingError.
func (c Config) Check() error {
	bad := func(name, value, msg string, a ...any) error {
		return &SettingError{Name: name, Value: value, Msg: fmt.Sprintf(msg, a...)}
	}
	switch {
	case c.Hop < MinCheckHop || c.Hop > MaxCheckHop:
		return bad("hop", c.Hop.String(), "must be from %v to %v", MinCheckHop, MaxCheckHop)
	case c.AverageWindow <= 0 || c.AverageWindow > MaxAverageWindow:
		return bad("average", c.AverageWindow.String(), "must be more than 0 and at most %v", MaxAverageWindow)
	case !(c.Threshold > 0 && c.Threshold < 1):
		return bad("threshold", strconv.FormatFloat(float64(c.Threshold), 'g', -1, 32), "must be above 0 and below 1 (0 and 1 excluded)")
	case c.Suppression < 0 || c.Suppression > MaxSuppression:
		return bad("suppress", c.Suppression.String(), "must be from 0 to %s (0: %v, or the model's window when longer)",
			strings.TrimSuffix(MaxSuppression.String(), "0s"), DefaultSuppression)
	case c.MinCount < 1:
		return bad("min-count", strconv.Itoa(c.MinCount), "must be at least 1")
	case c.MinCount > c.Holds():
		return bad("min-count", strconv.Itoa(c.MinCount), "more than the %d results an average of %v at a %v hop holds, so nothing could be reported",
			c.Holds(), c.AverageWindow, c.Hop)
	case math.IsNaN(c.Gate) || c.Gate >= 0:
		return bad("gate", strconv.FormatFloat(c.Gate, 'g', -1, 64), "must be below 0 dBFS (-inf: no gate)")
	}
	return nil
}

// Holds returns how many results an average of c.AverageWindow holds at
// c.Hop (rounded to whole samples, as a Streamer runs it): the most
// MinCount can ask for. Both must be positive.
func (c Config) Holds() int {
	hop := SamplesToDuration(int64(max(HopSamples(c.Hop), 1)))
	return int(c.AverageWindow/hop) + 1
}

// HopSamples returns d as a whole number of samples at SampleRate, rounded
// to the nearest.
func HopSamples(d time.Duration) int {
	return int((int64(d)*SampleRate + int64(time.Second)/2) / int64(time.Second))
}

// SamplesToDuration returns the duration of n samples at SampleRate.
func SamplesToDuration(n int64) time.Duration {
	// Split to avoid overflow for long streams: n*1e9 overflows int64
	// after about 106 days of audio at 16 kHz; this form never does.
	sec := n / SampleRate
	rem := n % SampleRate
	return time.Duration(sec)*time.Second + time.Duration(rem*int64(time.Second)/SampleRate)
}

// Setting names, as listen's flags name them, for ParseSettings and
// model.Metadata.Detection.
var settingNames = []string{"hop", "average", "threshold", "suppress", "min-count", "gate"}

// ParseSettings reads detection settings given by name ("threshold": "0.8",
// "average": "500ms"; the names of listen's flags: hop, average, threshold,
// suppress, min-count, gate) into a Config whose other fields are zero
// (their defaults). Unknown names and bad values are errors.
func ParseSettings(s map[string]string) (Config, error) {
	var c Config
	for _, k := range slices.Sorted(maps.Keys(s)) {
		v := s[k]
		var err error
		switch k {
		case "hop":
			c.Hop, err = time.ParseDuration(v)
		case "average":
			c.AverageWindow, err = time.ParseDuration(v)
		case "suppress":
			c.Suppression, err = time.ParseDuration(v)
		case "threshold":
			var f float64
			f, err = strconv.ParseFloat(v, 32)
			c.Threshold = float32(f)
		case "min-count":
			c.MinCount, err = strconv.Atoi(v)
		case "gate":
			c.Gate, err = strconv.ParseFloat(v, 64)
		default:
			return Config{}, fmt.Errorf("detect: unknown setting %q (want one of %s)", k, strings.Join(settingNames, ", "))
		}
		if err != nil {
			return Config{}, fmt.Errorf("detect: setting %s=%q: %w", k, v, err)
		}
	}
	if err := c.WithDefaults().validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// Settings returns the non-zero fields of c by name, the inverse of
// ParseSettings.
func (c Config) Settings() map[string]string {
	s := map[string]string{}
	if c.Hop != 0 {
		s["hop"] = c.Hop.String()
	}
	if c.AverageWindow != 0 {
		s["average"] = c.AverageWindow.String()
	}
	if c.Suppression != 0 {
		s["suppress"] = c.Suppression.String()
	}
	if c.Threshold != 0 {
		s["threshold"] = strconv.FormatFloat(float64(c.Threshold), 'g', -1, 32)
	}
	if c.MinCount != 0 {
		s["min-count"] = strconv.Itoa(c.MinCount)
	}
	if c.Gate != 0 {
		s["gate"] = strconv.FormatFloat(c.Gate, 'g', -1, 64)
	}
	return s
}
