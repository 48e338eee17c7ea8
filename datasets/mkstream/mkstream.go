package mkstream

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/datasets"
	"github.com/listen-go/listen/internal/atomicfile"
	"github.com/listen-go/listen/model/detect"
)

// NoNoise as Options.Noise lays the clips on digital silence.
const NoNoise = "-"

// Options says what Make builds. Start from DefaultOptions, which holds
// `listen mkstream`'s defaults; Make does not change the caller's Options.
type Options struct {
	Data  string // dataset folder: one folder of WAV clips per word (required)
	Noise string // folder of noise WAVs; "": Data/_background_noise_ if it exists; NoNoise: none

	Words      []string      // the wanted words, listed in the truth; empty: datasets.DefaultWords
	Duration   time.Duration // of the recording, more than 0 and at most a day
	Seed       uint64
	UnknownPct float64       // share of placed clips that are other words, 0 to 100
	GapMin     time.Duration // shortest gap between the end of a clip and the start of the next
	GapMax     time.Duration // longest gap, at least GapMin
	NoiseGain  float64       // the noise bed's gain is drawn from [0, NoiseGain] per segment, 0 to 10
	WordGainDB float64       // each clip's gain is drawn from [-WordGainDB, 0] dB, 0 to 60

	// Filters on the clips, by path relative to Data with slashes
	// ("yes/0a7c2a8d_nohash_0.wav"); each nil one keeps every clip.
	Speakers []string              // keep the clips of these speakers (datasets.Speaker)
	Clips    []string              // keep only these clips
	Keep     func(rel string) bool // keep the clips it returns true for

	// Out and Truth are the files to write, the recording and its truth;
	// an empty name leaves that file unwritten (the Stream has both).
	Out, Truth string

	// Warn, if not nil, receives each problem Make works around: an
	// unreadable clip ("skipping ..."), a noise recording it could not use,
	// a folder with no unknown words.
	Warn func(err error)
	// Progress, if not nil, is called after each placed clip with the
	// number placed so far and the recording's time reached.
	Progress func(placed int, at, total time.Duration)
}

// DefaultOptions returns the defaults of `listen mkstream`: ten minutes of
// the ten DefaultWords, 20 % unknown words, gaps of 1 to 3 s, noise at gains
// up to 0.1 and words down to -6 dB, seed 1.
func DefaultOptions() Options {
	return Options{
		Words:      slices.Clone(datasets.DefaultWords),
		Duration:   10 * time.Minute,
		Seed:       1,
		UnknownPct: 20,
		GapMin:     time.Second,
		GapMax:     3 * time.Second,
		NoiseGain:  0.1,
		WordGainDB: 6,
	}
}

// Stream is a built recording: 16 kHz samples and the truth, each clip's
// word (other words as datasets.UnknownLabel) at its start.
type Stream struct {
	Samples []float32
	Truth   []detect.Event
}

// Duration is the length of the recording.
func (s *Stream) Duration() time.Duration { return detect.SamplesToDuration(int64(len(s.Samples))) }

// check validates opt, returning the wanted words.
func (opt *Options) check() ([]string, error) {
	words := opt.Words
	if len(words) == 0 {
		words = datasets.DefaultWords
	}
	switch {
	case opt.Data == "":
		return nil, errors.New("mkstream: no data folder")
	case !(opt.Duration > 0 && opt.Duration <= 24*time.Hour):
		return nil, fmt.Errorf("mkstream: duration %v: want more than 0 and at most a day", opt.Duration)
	case !(opt.UnknownPct >= 0 && opt.UnknownPct <= 100):
		return nil, fmt.Errorf("mkstream: unknown share %v%%: want 0 to 100", opt.UnknownPct)
	case opt.GapMin < 0 || opt.GapMax < opt.GapMin:
		return nil, fmt.Errorf("mkstream: gaps %v to %v: want 0 <= min <= max", opt.GapMin, opt.GapMax)
	case !(opt.NoiseGain >= 0 && opt.NoiseGain <= 10):
		return nil, fmt.Errorf("mkstream: noise gain %v: want 0 to 10", opt.NoiseGain)
	case !(opt.WordGainDB >= 0 && opt.WordGainDB <= 60):
		return nil, fmt.Errorf("mkstream: word gain %v dB: want 0 to 60", opt.WordGainDB)
	}
	return words, nil
}

// keep combines the filters of opt; nil keeps everything.
func (opt *Options) keep() func(rel string) bool {
	if opt.Speakers == nil && opt.Clips == nil && opt.Keep == nil {
		return nil
	}
	speakers, clips := set(opt.Speakers), map[string]bool{}
	for _, c := range opt.Clips {
		clips[filepath.ToSlash(filepath.Clean(c))] = true
	}
	return func(rel string) bool {
		return (opt.Speakers == nil || speakers[datasets.Speaker(rel)]) &&
			(opt.Clips == nil || clips[rel]) && (opt.Keep == nil || opt.Keep(rel))
	}
}

func set(s []string) map[string]bool {
	m := make(map[string]bool, len(s))
	for _, v := range s {
		m[v] = true
	}
	return m
}

// Make builds the recording opt describes and writes it and its truth to
// opt.Out and opt.Truth. Both are checked to be writable before the clips
// are read; on any error neither is written. Cancelling ctx stops it with
// the context's error.
func Make(ctx context.Context, opt Options) (*Stream, error) {
	words, err := opt.check()
	if err != nil {
		return nil, err
	}
	warn := opt.Warn
	if warn == nil {
		warn = func(error) {}
	}
	wanted, unknown, err := scan(opt.Data, words, opt.keep())
	if err != nil {
		return nil, err
	}
	if opt.UnknownPct > 0 && unknown == nil {
		warn(fmt.Errorf("no unknown-word clips in %s; placing wanted words only", opt.Data))
	}
	noise, err := loadNoise(opt, warn)
	if err != nil {
		return nil, err
	}
	for _, p := range []string{opt.Out, opt.Truth} {
		if p == "" {
			continue
		}
		if err := atomicfile.CheckWritable(p); err != nil {
			return nil, err
		}
	}
	s, err := build(ctx, opt, wanted, unknown, noise, warn)
	if err != nil {
		return nil, err
	}
	if opt.Out != "" {
		if err := audio.WriteFile(opt.Out, s.Samples, audio.Rate); err != nil {
			return nil, err
		}
	}
	if opt.Truth != "" {
		if err := atomicfile.Write(opt.Truth, func(w io.Writer) error { return detect.WriteTruth(w, s.Truth) }); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// loadNoise returns the noise recordings opt asks for, nil for none.
func loadNoise(opt Options, warn func(error)) ([][]float32, error) {
	dir := opt.Noise
	if dir == NoNoise || opt.NoiseGain == 0 {
		return nil, nil
	}
	if dir == "" {
		dir = filepath.Join(opt.Data, datasets.NoiseFolder)
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return nil, nil
		}
	}
	_, noise, err := datasets.LoadNoise(dir)
	if noise == nil {
		return nil, err
	}
	if err != nil {
		warn(err)
	}
	return noise, nil
}

// SplitSpeakers returns the speakers of dir's clips in split when dir is
// divided with opt (the scan options a trained model records): the held-out
// speakers of a model, for Options.Speakers. Silence clips have no speaker.
func SplitSpeakers(dir string, opt datasets.Options, split datasets.Split) ([]string, error) {
	opt.NoiseDir = NoNoise
	d, err := datasets.Scan(dir, opt)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var ids []string
	for _, c := range d.Clips {
		if c.Split == split && c.Word != datasets.SilenceLabel && !seen[c.Speaker] {
			seen[c.Speaker] = true
			ids = append(ids, c.Speaker)
		}
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("%s: no clips in the %s split", dir, split)
	}
	slices.Sort(ids)
	return ids, nil
}

// KeepSpeakers returns, for Options.Keep, a filter that keeps the clips of
// the speakers ids (SplitSpeakers' held-out speakers, say) whatever
// Options.Speakers and Options.Clips keep as well.
func KeepSpeakers(ids []string) func(rel string) bool {
	in := set(ids)
	return func(rel string) bool { return in[datasets.Speaker(rel)] }
}

// ReadList returns the non-blank lines of a file of speaker ids or clip
// paths, trimmed, without # comments.
func ReadList(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return out, nil
}
