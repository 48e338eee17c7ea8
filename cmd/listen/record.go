package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/audio/mic"
	"github.com/listen-go/listen/datasets/record"
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
	if _, _, err := record.Folder(*label); err != nil {
		return usageError("%v", err)
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
	open := func() (audio.Source, error) {
		src, err := mic.Open(ctx, mic.Config{Device: *device})
		switch {
		case errors.Is(err, mic.ErrNoCapture):
			return nil, fmt.Errorf("recording needs live capture, which this build lacks (it needs cgo and PortAudio: apt-get install portaudio19-dev pkg-config, then rebuild)")
		case errors.Is(err, mic.ErrNoDevice) && *device == "":
			return nil, fmt.Errorf("no microphone found (this machine has no audio input device)")
		case err != nil:
			return nil, fmt.Errorf("open microphone: %w", err)
		}
		return src, nil
	}
	opt := record.Options{Dir: *dir, Label: *label, N: *n, Window: win, Speaker: *speaker, Countdown: *countdown}
	err := record.Record(ctx, open, opt, func(e record.Event) {
		switch e.Kind {
		case record.Prompt:
			fmt.Fprintf(stderr, "clip %d of %d, say %q in", e.Clip, e.N, *label)
		case record.Tick:
			fmt.Fprintf(stderr, " %d", e.Count)
		case record.Now:
			fmt.Fprintln(stderr, " ... now")
		case record.Silence:
			fmt.Fprintln(stderr, "  heard only silence; again")
		case record.Saved:
			fmt.Fprintf(stdout, "%s\n", e.Path)
		}
	})
	if ctx.Err() != nil && errors.Is(err, ctx.Err()) { // Ctrl-C: the clips saved stay
		return nil
	}
	return err
}
