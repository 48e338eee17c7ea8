package main

import (
	"context"
	"fmt"
	"io"
	"math"

	"github.com/listen-go/listen/datasets"
	"github.com/listen-go/listen/internal/atomicfile"
	"github.com/listen-go/listen/train/evaluate"
)

// evalNegatives is listen eval -negatives.
func evalNegatives(ctx context.Context, f *evalFlags, split datasets.Split, stdout, stderr io.Writer) error {
	if !math.IsNaN(f.budget) && !(f.budget >= 0) {
		return usageError("-budget %v: want false alarms an hour, 0 or more", f.budget)
	}
	var err error
	opt := evaluate.NegativesOptions{Data: f.data, Split: split, Stream: f.stream, Tolerance: f.tolerance,
		SNR: f.snr, Seed: f.seed, Workers: f.workers, Name: f.model}
	if f.thresholds != "" {
		if opt.Thresholds, err = evaluate.ParseThresholds(f.thresholds); err != nil {
			return usageError("-thresholds: %v", err)
		}
	}
	if f.plot != "" {
		if f.data == "" && f.stream == "" {
			return usageError("-plot draws misses against false alarms: it needs -data or -stream as well")
		}
	}
	m, cfg, err := f.detect.load(f.model)
	if err != nil {
		return err
	}
	if f.stream != "" {
		if opt.Truth, err = readTruth(f.truth, m.Meta.Labels); err != nil {
			return err
		}
	}
	opt.Config = cfg
	if f.noise != "-" {
		opt.Noise = f.noise
	}
	if !f.json {
		opt.Warn = func(w string) { fmt.Fprintf(stderr, "warning: %s\n", w) }
	}
	var finish func()
	opt.Progress, finish = progressBar(stderr, "eval", 60, clockSeconds)
	res, err := evaluate.Negatives(ctx, m, f.negatives, opt)
	finish()
	if err != nil {
		return err
	}
	if !math.IsNaN(f.budget) {
		res.Pick(f.budget)
	}
	// The figures first: a plot that cannot be written costs no run.
	if f.json {
		err = writeJSONLine(stdout, res)
	} else {
		err = res.Report(stdout)
	}
	if err == nil && f.plot != "" {
		err = atomicfile.Write(f.plot, res.PlotDET)
	}
	return err
}
