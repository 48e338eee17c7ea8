package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/datasets"
	"github.com/listen-go/listen/datasets/synth"
)

func init() {
	register(command{name: "record", summary: "record clips of a command for training, in the dataset layout", run: runRecord})
}

func runRecord(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("record", stderr)
	label := fs.String("label", "", "the command being recorded, a word or a phrase (\"turn on the lights\"): the clips go in DIR/LABEL/, a phrase's in DIR/turn_on_the_lights/ with the phrase in DIR/labels.txt (required)")
	n := fs.Int("n", 10, "how many clips to record")
	dir := fs.String("dir", ".", "dataset folder")
	device := fs.String("device", "", "input device: an index or part of a name from \"listen devices\"")
	modelName := fs.String("model", "", "take the clip length from this model's window (default: -window)")
	window := fs.Duration("window", time.Second, "clip length, when -model is not given (at most 3s)")
	speaker := fs.String("speaker", "", "speaker name in the file names, which keeps a speaker's clips in one split (default: your user name)")
	countdown := fs.Int("countdown", 2, "seconds of countdown before each clip")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: listen record -label WORD|PHRASE [-n N] [-dir DIR] [flags]\n\nRecords N clips with a countdown, trims the silence around each to the\nmodel's window and saves them as DIR/WORD/SPEAKER_nohash_K.wav.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *label == "" {
		return usageError("-label is required")
	}
	folder, phrase, err := recordLabel(*label)
	if err != nil {
		return err
	}
	if *n < 1 {
		return usageError("-n %d: must be at least 1", *n)
	}
	win := int(window.Seconds() * audio.Rate)
	if *modelName != "" {
		m, err := loadModel(*modelName)
		if err != nil {
			return err
		}
		if m.Meta.WindowSamples > 0 {
			win = m.Meta.WindowSamples
		}
	}
	if win < audio.Rate/10 || win > 3*audio.Rate {
		return usageError("window of %d samples: must be between 0.1 and 3 seconds", win)
	}
	spk := *speaker
	if spk == "" {
		spk = "me"
		if u, err := user.Current(); err == nil && u.Username != "" {
			spk = u.Username
		}
	}
	spk = sanitizeName(spk)
	out := filepath.Join(*dir, folder)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("record: %w", err)
	}
	if phrase != "" {
		if err := datasets.MergeLabels(*dir, map[string]string{folder: phrase}); err != nil {
			return fmt.Errorf("record: %w", err)
		}
	}

	src, err := audio.OpenCapture(ctx, audio.CaptureConfig{Device: *device})
	switch {
	case errors.Is(err, audio.ErrNoCapture):
		return fmt.Errorf("recording needs live capture, which this build lacks (it needs cgo and PortAudio: apt-get install portaudio19-dev pkg-config, then rebuild)")
	case errors.Is(err, audio.ErrNoDevice) && *device == "":
		return fmt.Errorf("no microphone found (this machine has no audio input device)")
	case err != nil:
		return fmt.Errorf("open microphone: %w", err)
	}
	defer src.Close()

	// Each take is the window plus half a second, so that a word started a
	// little early or late is still whole; trimming then keeps the window
	// around the speech.
	take := make([]float32, win+audio.Rate/2)
	second := make([]float32, audio.Rate)
	for i := 1; i <= *n; {
		fmt.Fprintf(stderr, "clip %d of %d, say %q in", i, *n, *label)
		for c := *countdown; c > 0; c-- {
			fmt.Fprintf(stderr, " %d", c)
			if err := readFull(src, second); err != nil {
				return stopped(ctx, err)
			}
		}
		fmt.Fprintln(stderr, " ... now")
		if err := readFull(src, take); err != nil {
			return stopped(ctx, err)
		}
		clip, ok := trimToWindow(take, win)
		if !ok {
			fmt.Fprintln(stderr, "  heard only silence; again")
			continue
		}
		path, err := nextClipPath(out, spk)
		if err != nil {
			return err
		}
		if err := audio.WriteFile(path, clip, audio.Rate); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s\n", path)
		i++
	}
	return nil
}

// recordLabel returns the folder for -label: the label itself when it is a
// plain folder name (letters, digits, "_" and "-": "yes", "_unknown_",
// "lights_on"), or for a phrase its synth.Label ("turn on the lights" gives
// turn_on_the_lights), with the phrase to record in the labels file, as
// listen synth does, so recordings and synthesised clips of one command
// share a folder.
func recordLabel(label string) (folder, phrase string, err error) {
	label = strings.TrimSpace(label)
	plain := label != "" && !strings.HasPrefix(label, ".") && strings.IndexFunc(label, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-')
	}) < 0
	if plain {
		return label, "", nil
	}
	folder = synth.Label(label)
	if folder == "" {
		return "", "", usageError("-label %q: has no letter or digit", label)
	}
	return folder, strings.Join(strings.Fields(label), " "), nil
}

// stopped turns a capture error into nil when the user pressed Ctrl-C.
func stopped(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return nil
	}
	return fmt.Errorf("capture: %w", err)
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

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9-]+`)

// sanitizeName keeps a name usable in a file name: letters, digits and
// dashes (underscores would break the SPEAKER_nohash_K convention).
func sanitizeName(s string) string {
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

// trimRangeDB is how far below the loudest 10 ms a frame still counts as
// speech when record trims silence: a microphone's room noise is rarely
// more than 30 dB below the voice.
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

// trimToWindow returns the window-long part of x that holds its speech
// (found by synth.Trim): the speech centred when it is shorter than the
// window, its beginning when it is longer. ok is false when x holds no
// speech at all.
func trimToWindow(x []float32, window int) (clip []float32, ok bool) {
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
