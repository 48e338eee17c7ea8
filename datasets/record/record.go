package record

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/datasets"
	"github.com/listen-go/listen/datasets/synth"
)

// Options says what to record and where.
type Options struct {
	Dir       string // dataset folder
	Label     string // a folder name ("yes", "_unknown_") or a phrase ("turn on the lights"); see Folder
	N         int    // clips to record, at least 1
	Window    int    // clip length in samples at 16 kHz, 0.1 to 3 s
	Speaker   string // name in the file names, made safe by SpeakerName; "" means the user's name
	Countdown int    // seconds of countdown before each take, none if not positive
}

// Kind is what an Event reports.
type Kind int

const (
	Prompt  Kind = iota // a clip's countdown starts: say Label after it
	Tick                // Count seconds are left before the take
	Now                 // the take starts
	Silence             // the take held only silence; the clip is taken again
	Saved               // the clip was written to Path
)

// Event is Record's progress: Clip (from 1) of N.
type Event struct {
	Kind    Kind
	Clip, N int
	Count   int    // seconds left, for Tick
	Path    string // the clip's file, for Saved
}

// Record records opt.N clips. It makes the folder and, for a phrase,
// merges labels.txt, then calls open for the samples and closes the source
// when done. Each take is the window plus half a second, so that a word
// started a little early or late is still whole. progress, if not nil,
// is called as each step starts. When ctx ends a read, Record returns
// ctx.Err(); the clips saved until then stay.
func Record(ctx context.Context, open func() (audio.Source, error), opt Options, progress func(Event)) error {
	folder, phrase, err := Folder(opt.Label)
	if err != nil {
		return err
	}
	if opt.N < 1 || opt.Window < audio.Rate/10 || opt.Window > 3*audio.Rate {
		return fmt.Errorf("record: %d clips of %d samples: want at least 1 clip of 0.1 to 3 s", opt.N, opt.Window)
	}
	if progress == nil {
		progress = func(Event) {}
	}
	spk := SpeakerName(opt.Speaker)
	out := filepath.Join(opt.Dir, folder)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("record: %w", err)
	}
	if phrase != "" {
		if err := datasets.MergeLabels(opt.Dir, map[string]string{folder: phrase}); err != nil {
			return fmt.Errorf("record: %w", err)
		}
	}
	src, err := open()
	if err != nil {
		return err
	}
	defer src.Close()
	read := func(dst []float32) error {
		if err := readFull(src, dst); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("capture: %w", err)
		}
		return nil
	}

	take := make([]float32, opt.Window+audio.Rate/2)
	second := make([]float32, audio.Rate)
	for i := 1; i <= opt.N; {
		progress(Event{Kind: Prompt, Clip: i, N: opt.N})
		for c := opt.Countdown; c > 0; c-- {
			progress(Event{Kind: Tick, Clip: i, N: opt.N, Count: c})
			if err := read(second); err != nil {
				return err
			}
		}
		progress(Event{Kind: Now, Clip: i, N: opt.N})
		if err := read(take); err != nil {
			return err
		}
		clip, ok := TrimToWindow(take, opt.Window)
		if !ok {
			progress(Event{Kind: Silence, Clip: i, N: opt.N})
			continue
		}
		path, err := nextClipPath(out, spk)
		if err != nil {
			return err
		}
		if err := audio.WriteFile(path, clip, audio.Rate); err != nil {
			return err
		}
		progress(Event{Kind: Saved, Clip: i, N: opt.N, Path: path})
		i++
	}
	return nil
}

// Folder returns the folder for label: the label itself when it is a
// plain folder name (letters, digits, "_" and "-": "yes", "_unknown_",
// "lights_on"), or for a phrase its synth.Label ("turn on the lights" gives
// turn_on_the_lights) with the phrase, its spaces made single, for the
// labels file.
func Folder(label string) (folder, phrase string, err error) {
	label = strings.TrimSpace(label)
	plain := label != "" && !strings.HasPrefix(label, ".") && strings.IndexFunc(label, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-')
	}) < 0
	if plain {
		return label, "", nil
	}
	folder = synth.Label(label)
	if folder == "" {
		return "", "", fmt.Errorf("-label %q: has no letter or digit", label)
	}
	return folder, strings.Join(strings.Fields(label), " "), nil
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9-]+`)

// SpeakerName returns s (or, when s is "", the user's name) usable in a
// file name: letters, digits and dashes, since underscores would break the
// SPEAKER_nohash_K convention; "me" when nothing is left.
func SpeakerName(s string) string {
	if s == "" {
		if u, err := user.Current(); err == nil {
			s = u.Username
		}
	}
	s = strings.Trim(unsafeName.ReplaceAllString(s, "-"), "-")
	if s == "" {
		return "me"
	}
	return s
}

// nextClipPath returns DIR/SPEAKER_nohash_K.wav for the first K not taken.
func nextClipPath(dir, speaker string) (string, error) {
	for k := 0; k < 1_000_000; k++ {
		p := filepath.Join(dir, fmt.Sprintf("%s_nohash_%d.wav", speaker, k))
		if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
			return p, nil
		}
	}
	return "", fmt.Errorf("record: %s: too many clips", dir)
}

// readFull fills dst from src.
func readFull(src audio.Source, dst []float32) error {
	for n := 0; n < len(dst); {
		k, err := src.Read(dst[n:])
		n += k
		if err != nil {
			return err
		}
	}
	return nil
}

// trimRangeDB is how far below the loudest 10 ms a frame still counts as
// speech when trimming: a microphone's room noise is rarely more than 30 dB
// below the voice.
const trimRangeDB = 30

// silentPeak is the peak level (-45 dBFS) below which a take is silence.
const silentPeak = 0.0056

func peak(x []float32) float32 {
	var p float32
	for _, v := range x {
		p = max(p, v, -v)
	}
	return p
}

// TrimToWindow returns the window-long part of x that holds its speech
// (found by synth.Trim): the speech centred when it is shorter than the
// window, its beginning when it is longer. ok is false when x is shorter
// than the window or holds no speech at all. The clip shares x's memory.
func TrimToWindow(x []float32, window int) (clip []float32, ok bool) {
	if len(x) < window || peak(x) < silentPeak {
		return nil, false
	}
	s, e := synth.Trim(x, trimRangeDB)
	if e <= s {
		return nil, false
	}
	start := s
	if e-s < window {
		start = (s+e)/2 - window/2
	}
	start = max(0, min(start, len(x)-window))
	return x[start : start+window], true
}
