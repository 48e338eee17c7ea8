package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/listen-go/listen"
	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/audio/mic"
	"github.com/listen-go/listen/model/detect"
)

func init() {
	register(command{name: "listen", summary: "listen on a microphone and print each command spoken (the default)", run: runListener})
}

// noMicHint is the advice given when live capture cannot start.
const noMicHint = `to recognise commands in recordings instead, run "listen classify FILE.wav"`

func runListener(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("listen", stderr)
	device := fs.String("device", "", "input device: an index or part of a name from \"listen devices\" (default: the system's default)")
	modelName := fs.String("model", "default", "model: default, home, or a .safetensors file")
	jsonOut := fs.Bool("json", false, "print detections as JSON lines")
	listLabels := fs.Bool("list-labels", false, "print the model's labels and exit")
	quiet := fs.Bool("quiet", false, "print only detections, no status on stderr")
	// A WAV file in place of the microphone, for tests and measurements
	// (filesource.go).
	input := fs.String("input", "", "listen to this WAV file instead of a microphone, then stop")
	realtime := fs.Bool("realtime", false, "with -input: play the file at real-time pace, as a microphone would")
	det := addDetectFlags(fs)
	fs.Usage = func() {
		printHelp(stderr)
		fmt.Fprintln(stderr, "\nFlags:")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("unexpected argument %q (to classify files use \"listen classify\")", fs.Arg(0))
	}
	if *realtime && *input == "" {
		return usageError("-realtime needs -input FILE.wav")
	}
	if *input != "" && flagGiven(fs, "device") {
		return usageError("-device and -input cannot be used together: -input listens to a file, not a microphone")
	}
	m, cfg, err := det.load(*modelName)
	if err != nil {
		return err
	}
	if *listLabels {
		for _, l := range detect.Commands(m.Meta.Labels) {
			fmt.Fprintln(stdout, l)
		}
		return nil
	}
	rec, err := listen.NewRecognizer(m, &cfg)
	if err != nil {
		return fmt.Errorf("model %s: %w", *modelName, err)
	}

	var (
		src  audio.Source
		name string // what is listened to, for the status line
	)
	if *input != "" {
		var fsrc *audio.FileSource
		fsrc, err = audio.OpenFileSource(ctx, *input, *realtime)
		if err == nil {
			src, name = fsrc, fsrc.Name()
		}
	} else {
		var msrc *mic.Stream
		msrc, err = mic.Open(ctx, mic.Config{Device: *device})
		if err == nil {
			src, name = msrc, msrc.Device().Name
		}
	}
	switch {
	case err != nil && *input != "":
		return fmt.Errorf("input: %w", err)
	case errors.Is(err, mic.ErrNoCapture):
		return fmt.Errorf("live capture is not available in this build (it needs cgo and PortAudio: apt-get install portaudio19-dev pkg-config, then rebuild); %s", noMicHint)
	case errors.Is(err, mic.ErrNoDevice) && *device == "":
		return fmt.Errorf("no microphone found (this machine has no audio input device); %s", noMicHint)
	case err != nil:
		return fmt.Errorf("open microphone: %w; %s", err, noMicHint)
	}
	defer src.Close()
	if !*quiet {
		fmt.Fprintf(stderr, "listening on %q for: %s (threshold %g, average %v, hop %v; Ctrl-C stops)\n",
			name, joinLabels(detect.Commands(m.Meta.Labels)), cfg.Threshold, cfg.AverageWindow, cfg.Hop)
	}

	if err := listen.Run(ctx, rec, src, func(d detect.Detection) error {
		return printDetection(stdout, "", d, *jsonOut)
	}); err != nil {
		return err
	}
	if !*quiet {
		// The audio heard: the file's length, or what the microphone
		// captured; not the silence that finishes the last window.
		msg := fmt.Sprintf("stopped after %s", rec.Elapsed().Round(100*time.Millisecond))
		if o, ok := src.(interface{ Overflows() int64 }); ok && o.Overflows() > 0 {
			msg += fmt.Sprintf("; %d input overflows (audio was lost: the machine was too busy)", o.Overflows())
		}
		fmt.Fprintln(stderr, msg)
	}
	return nil
}

// flagGiven reports whether the flag called name was set on the command
// line, even to its default value.
func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}
