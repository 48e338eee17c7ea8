package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/listen-go/listen/internal/progress"
	"github.com/listen-go/listen/train/recipe"
)

func init() {
	register(command{name: "train", summary: "train a model on a folder of labelled WAV clips", run: runTrain})
}

// runTrain is listen train: recipe.Train with the flags of
// recipe.Options.RegisterFlags, whose defaults are recipe.Default (the
// cross-validated recipe; docs/experiments.md has its figures).
func runTrain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("train", stderr)
	opt := recipe.Default()
	opt.Out = "model.safetensors"
	opt.RegisterFlags(fs)
	resume := fs.Bool("resume", false, "continue the run saved in the checkpoint")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: listen train -data DIR [-out model.safetensors] [flags]")
		fmt.Fprintln(stderr, "\nTrains the LSTM classifier on DIR's clips: a speaker-disjoint split into training,\n"+
			"validation (which picks the best epoch) and test (reported at the end, used for\n"+
			"nothing else). Ctrl-C saves a checkpoint; -resume continues it exactly.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("unexpected argument %q", fs.Arg(0))
	}
	if opt.Checkpoint == "" {
		opt.Checkpoint = opt.Out + ".ckpt"
	}
	if opt.Metrics == "" {
		opt.Metrics = strings.TrimSuffix(opt.Out, filepath.Ext(opt.Out)) + ".metrics.jsonl"
	}
	opt.Curves, opt.Confusion = plotPath(opt.Out, "curves"), plotPath(opt.Out, "confusion")
	if *resume {
		saved, err := recipe.ReadCheckpoint(opt.Checkpoint)
		if err != nil {
			return err
		}
		var given []string
		fs.Visit(func(fl *flag.Flag) { given = append(given, fl.Name) })
		if opt, err = saved.Options(opt, given); err != nil {
			return optionErr(err)
		}
	}
	if opt.Workers < 1 {
		return usageError("-workers %d: must be at least 1", opt.Workers)
	}
	opt.Progress, opt.SynthProgress, opt.Live = stdout, stderr, progress.IsTerminal(stdout)
	opt.Report = func(m recipe.Message) {
		if m.Warning {
			fmt.Fprintf(stderr, "warning: %s\n", oneLine(m.Text))
		} else {
			fmt.Fprintln(stdout, m.Text)
		}
	}
	res, err := recipe.Train(ctx, opt)
	if recipe.Interrupted(err) {
		fmt.Fprintf(stderr, "checkpoint saved to %s; continue with: listen train -resume -out %s", opt.Checkpoint, opt.Out)
		if opt.Checkpoint != opt.Out+".ckpt" {
			fmt.Fprintf(stderr, " -checkpoint %s", opt.Checkpoint)
		}
		fmt.Fprintln(stderr)
		return err
	}
	if err != nil {
		return optionErr(err)
	}
	var seen, secs float64
	for _, e := range res.History {
		seen += e.ExPerSec * e.Seconds
		secs += e.Seconds
	}
	picked := "validation" // what chose the epoch: without validation clips, training accuracy
	if res.Validation == 0 {
		picked = "training"
	}
	fmt.Fprintf(stdout, "best %s accuracy %.2f%% at epoch %d; %.0f training ex/s overall; %s\n",
		picked, 100*res.BestAcc, res.BestEpoch, seen/max(secs, 1e-9), res.Elapsed.Round(time.Second))
	if res.Test != nil {
		fmt.Fprintf(stdout, "\ntest split (%d clips of speakers never trained or validated on):\n", res.Test.Total())
		if err := res.Test.Report(stdout); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(stderr, "warning: no test clips: no held-out accuracy to report")
	}
	fmt.Fprintf(stdout, "\nmodel written to %s\nmetrics in %s\n", opt.Out, opt.Metrics)
	fmt.Fprintf(stdout, "training curves in %s\n", opt.Curves)
	if res.Test != nil {
		fmt.Fprintf(stdout, "test confusion matrix in %s\n", opt.Confusion)
	}
	if res.Skipped > 0 {
		fmt.Fprintf(stderr, "warning: %d clips could not be read and were skipped\n", res.Skipped)
	}
	return nil
}

// optionErr makes an option out of range a usage error (exit status 2).
func optionErr(err error) error {
	if oe := (*recipe.OptionError)(nil); errors.As(err, &oe) {
		return usageError("%s", oe.Msg)
	}
	return err
}

// plotPath is OUT without its extension, plus -what.png.
func plotPath(out, what string) string {
	return strings.TrimSuffix(out, filepath.Ext(out)) + "." + what + ".png"
}
