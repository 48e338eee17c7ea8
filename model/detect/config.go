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
