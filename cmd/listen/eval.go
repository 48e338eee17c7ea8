package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"runtime"
	"strings"
	"time"

	"github.com/listen-go/listen/datasets"
	"github.com/listen-go/listen/internal/progress"
	"github.com/listen-go/listen/model/detect"
	"github.com/listen-go/listen/train/evaluate"
)

func init() {
	register(command{name: "eval", summary: "measure a model's accuracy on a folder of labelled clips", run: runEval})
}

// evalFlags are the flags of listen eval.
type evalFlags struct {
	data, model, split, noise string
	stream, truth             string
	json                      bool
	workers                   int
	detect                    *detectOptions
	tolerance                 time.Duration
	// The flags of -negatives alone.
	negatives        []string
	snr, budget      float64
	seed             uint64
	thresholds, plot string
}

func (f *evalFlags) define(fs *flag.FlagSet) {
	fs.StringVar(&f.data, "data", "", "folder of labelled WAV clips (one folder per word, Speech Commands layouts too)")
	fs.StringVar(&f.model, "model", "default", "model: default, home, or a .safetensors file")
	fs.StringVar(&f.stream, "stream", "", "a long recording to run the streaming detector over (with -truth), instead of -data")
	fs.StringVar(&f.truth, "truth", "", `ground truth of -stream: "word,time_ms" lines, as listen mkstream writes them`)
	fs.DurationVar(&f.tolerance, "tolerance", detect.DefaultTolerance, "with -stream: how far from a spoken word a detection may be to match it, more than 0 and at most 10s")
	f.detect = addDetectFlags(fs)
	fs.StringVar(&f.split, "split", "all", "clips to evaluate: all, train, validation or test (the split the model's training used)")
	fs.StringVar(&f.noise, "noise", "", "background-noise WAVs for silence clips (default: training's, else DATA/_background_noise_; - for none); with -negatives, mixed into the negatives and -data clips at -snr")
	fs.BoolVar(&f.json, "json", false, `print one JSON object ("accuracy" is a fraction)`)
	fs.IntVar(&f.workers, "workers", runtime.NumCPU(), "goroutines, at least 1")
	fs.Func("negatives", "audio that holds no command, to count false alarms in: WAV recordings or folders of clips (all .wav below, except folders named like a command); comma-separated or repeated", func(v string) error {
		f.negatives = append(f.negatives, strings.Split(v, ",")...)
		return nil
	})
	fs.Float64Var(&f.snr, "snr", 10, "with -negatives and -noise: the noise's level, in dB below the speech's")
	fs.Uint64Var(&f.seed, "seed", 1, "with -negatives and -noise: random seed of the noise's choice and placement")
	fs.Float64Var(&f.budget, "budget", math.NaN(), "with -negatives: false alarms an hour allowed; prints the swept threshold with the fewest misses within it")
	fs.StringVar(&f.thresholds, "thresholds", "", "with -negatives: comma-separated thresholds to sweep (default 0.5 to 0.95 by 0.05, then 0.96 to 0.99)")
	fs.StringVar(&f.plot, "plot", "", "with -negatives and -data or -stream: write the DET curve (misses against false alarms an hour) to this PNG")
}

// maxTolerance bounds -tolerance: a detection further than this from a
// word is no detection of it.
const maxTolerance = 10 * time.Second

// runEval is listen eval.
func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("eval", stderr)
	var f evalFlags
	f.define(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: listen eval -data DIR [-model M] [-split all|train|validation|test] [-json]\n"+
			"       listen eval -stream LONG.wav -truth LABELS.txt [-model M] [detection flags] [-json]\n"+
			"       listen eval -negatives PATH[,PATH...] [-noise DIR [-snr DB] [-seed N]] [-data DIR [-split S] | -stream LONG.wav -truth LABELS.txt]\n"+
			"                   [-thresholds LIST] [-budget FA_PER_HOUR] [-plot DET.png] [-model M] [detection flags] [-json]")
		fmt.Fprintln(stderr, "\nWith -data, classifies every clip of DIR (or one split of it, divided as listen train\n"+
			"divides it) and prints the accuracy, per-class precision and recall, and the confusion\n"+
			"matrix. DIR may hold some of the model's words only; the others are said to be absent.\n"+
			"Clips that cannot be read are listed, one line each, left out of the figures, and\n"+
			"make the exit status 1.\n"+
			"With -stream, runs the streaming detector over a long recording, as the listener would,\n"+
			"and scores it as TensorFlow's test_streaming_accuracy does: the percentages of spoken\n"+
			"commands matched, correct and wrong, and false alarms per hour.\n"+
			"With -negatives, streams audio that holds no command (WAV recordings, or folders of clips\n"+
			"streamed as one recording, 1 s of silence between clips; the hours counted are the clips'\n"+
			"own audio) and reports false alarms an hour at the model's settings, the labels and files\n"+
			"that fired, and a sweep over thresholds. With -data (the command clips of -split) or\n"+
			"-stream and -truth as well, each threshold also gets the share of commands missed;\n"+
			"-budget picks the threshold with the fewest misses within that many false alarms an hour.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("unexpected argument %q", fs.Arg(0))
	}
	if f.stream != "" && f.truth == "" {
		return usageError("-stream needs -truth LABELS.txt")
	}
	if f.workers < 1 {
		return usageError("-workers %d: must be at least 1", f.workers)
	}
	if f.tolerance <= 0 || f.tolerance > maxTolerance {
		return usageError("-tolerance %v: must be more than 0 and at most %v", f.tolerance, maxTolerance)
	}
	if err := f.detect.check(); err != nil {
		return err
	}
	split, err := datasets.ParseSplit(f.split)
	if err != nil {
		return usageError("-split: %v", err)
	}
	if len(f.negatives) > 0 {
		return evalNegatives(ctx, &f, split, stdout, stderr)
	}
	fs.Visit(func(fl *flag.Flag) {
		if strings.Contains(" snr seed budget thresholds plot ", " "+fl.Name+" ") && err == nil {
			err = usageError("-%s: only with -negatives", fl.Name)
		}
	})
	if err != nil {
		return err
	}
	if f.stream == "" {
		fs.Visit(func(fl *flag.Flag) {
			if (fl.Name == "tolerance" || isDetectFlag(fl.Name)) && err == nil {
				err = usageError("-%s: only with -stream or -negatives (-data classifies whole clips)", fl.Name)
			}
		})
		if err != nil {
			return err
		}
	}
	if f.stream != "" {
		if f.data != "" {
			return usageError("give -data or -stream, not both")
		}
		return evalStream(ctx, f.stream, f.truth, f.model, f.detect, f.tolerance, f.json, stdout, stderr)
	}
	if f.data == "" {
		return usageError("-data DIR (or -stream FILE -truth FILE) is required")
	}
	return evalClips(ctx, &f, split, stdout, stderr)
}

// evalClips evaluates the model on the clips of one split of f.data.
func evalClips(ctx context.Context, f *evalFlags, split datasets.Split, stdout, stderr io.Writer) error {
	m, err := loadModel(f.model)
	if err != nil {
		return err
	}
	prog, finish := progressBar(stderr, "eval", 0, nil)
	res, err := evaluate.Clips(ctx, m, f.data, evaluate.ClipsOptions{Split: split, Noise: f.noise, Workers: f.workers, Name: f.model, Progress: prog})
	finish()
	if err != nil {
		return err
	}
	if f.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res.Summary(f.model, f.data, split, m.Meta.Training)); err != nil {
			return err
		}
	} else {
		for _, w := range res.Warnings {
			fmt.Fprintf(stderr, "warning: %s\n", w)
		}
		if len(res.Absent) > 0 {
			fmt.Fprintf(stderr, "warning: %s has no folder for the model's words %s: evaluated on the others\n", f.data, joinLabels(res.Absent))
		}
		fmt.Fprintf(stdout, "%s on %s (%s split, %d clips", f.model, f.data, split, res.Confusion.Total())
		if len(res.Problems) > 0 {
			fmt.Fprintf(stdout, "; %d unreadable clips left out", len(res.Problems))
		}
		fmt.Fprintln(stdout, ")")
		if err := res.Confusion.Report(stdout); err != nil {
			return err
		}
	}
	// Clips that could not be read fail the run, as in classify: one
	// line each, after the figures of the others.
	for _, p := range res.Problems {
		fmt.Fprintf(stderr, "listen eval: %s\n", oneLine(p.Error()))
	}
	if len(res.Problems) > 0 {
		fmt.Fprintf(stderr, "listen eval: %d clip(s) could not be read and are left out of the figures\n", len(res.Problems))
		return errSilent
	}
	return nil
}

// progressBar returns a Progress that draws a bar with an ETA on stderr
// when the work's total is at least min, and the function that ends it.
// format prints an amount of work (nil: as an integer).
func progressBar(stderr io.Writer, label string, min float64, format func(float64) string) (evaluate.Progress, func()) {
	var bar *progress.Bar
	update := func(done, total float64) {
		if total < min {
			return
		}
		if bar == nil {
			bar = progress.New(stderr, label, total, format)
		}
		bar.Update(done)
	}
	return update, func() {
		if bar != nil {
			bar.Finish()
		}
	}
}
