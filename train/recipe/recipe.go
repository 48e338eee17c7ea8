package recipe

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/datasets"
	"github.com/listen-go/listen/internal/atomicfile"
	"github.com/listen-go/listen/model"
	"github.com/listen-go/listen/train"
)

// Result is a finished run.
type Result struct {
	Model        *model.Model // the best epoch's weights, with its metadata and training notes
	train.Result              // the epochs' metrics and the best epoch
	// Test is the confusion matrix on the test split (speakers never
	// trained or validated on); nil when there are no test clips.
	Test *train.Confusion
	// Training, Validation and Testing count the clips of each split.
	Training, Validation, Testing int
	Skipped                       int           // clips that could not be read
	Elapsed                       time.Duration // from the first training step to the end of the last epoch
}

// Train runs o: it scans and splits o.Data, trains (resuming o.Resume if
// set), checkpointing to o.Checkpoint at the end of every epoch and when
// ctx is cancelled, tests the best epoch on the test split and writes the
// files o names. Options out of range are an *OptionError, found before any
// work; so are outputs that cannot be written. A cancelled run returns an
// error wrapping train.ErrInterrupted once its checkpoint is saved.
func Train(ctx context.Context, o Options) (*Result, error) {
	if err := o.Check(); err != nil {
		return nil, err
	}
	settings, _ := ParseDetect(o.Detect)
	feats, _ := o.features()
	for _, p := range []string{o.Out, o.Checkpoint, o.Metrics, o.Curves, o.Confusion} {
		if p == "" {
			continue
		}
		if err := atomicfile.CheckWritable(p); err != nil {
			return nil, err
		}
	}
	report := func(warn bool, format string, a ...any) {
		if o.Report != nil {
			o.Report(Message{Warning: warn, Text: fmt.Sprintf(format, a...)})
		}
	}

	opt := datasets.Options{NoiseDir: o.Noise, Seed: o.Seed, ValidationPct: pct(o.ValPct), TestPct: pct(o.TestPct),
		Words: list(o.Words), UnknownPct: pct(o.UnknownPct), SilencePct: pct(o.SilencePct), ExtraDirs: list(o.Extra)}
	if o.Unknown != "-" && o.Unknown != "synth" {
		opt.UnknownDirs = list(o.Unknown)
	}
	d, err := o.scan(ctx, opt, report)
	if err != nil {
		return nil, err
	}
	for _, w := range d.Warnings {
		report(true, "%s", w)
	}
	if len(d.Labels) < 2 { // Scan refuses this already; the model needs it
		return nil, fmt.Errorf("%s: only one class (%s); training needs at least two", o.Data, strings.Join(d.Labels, ", "))
	}
	res := &Result{Training: d.Count(datasets.Training), Validation: d.Count(datasets.Validation), Testing: d.Count(datasets.Testing)}
	report(false, "data %s (%s layout, %s split): %d training, %d validation, %d test clips; classes %s",
		o.Data, d.Layout, d.SplitMethod, res.Training, res.Validation, res.Testing, strings.Join(d.Labels, " "))
	if res.Training == 0 {
		return nil, fmt.Errorf("%s: no training clips", o.Data)
	}
	if res.Validation == 0 {
		report(true, "no validation clips: the training accuracy picks the best epoch")
	}

	window := d.Window()
	if o.Window != 0 {
		window, _ = o.windowSamples()
	} else {
		report(false, "window %.1f s (the commands' clips' %dth percentile length)", float64(window)/audio.Rate, datasets.WindowPercent)
	}
	// A window longer than a second is a phrase model, whose short clips
	// (one-second unknown words, recordings cut close) must be shown at
	// every place in the window and padded at the end as classify pads
	// them. Without them the home model took real words for commands
	// 128-379 times an hour, and closely cut commands for _unknown_.
	tight, place := o.Tight, o.Place
	if phrase := window > audio.Rate; phrase {
		tight, place = defaultTo(tight, 0.3), defaultTo(place, 0.7)
	} else {
		tight, place = defaultTo(tight, 0), defaultTo(place, 0)
	}

	workers := max(o.Workers, 1)
	trCfg := datasets.LoaderConfig{Split: datasets.Training, BatchSize: o.Batch, Shuffle: true, Seed: o.Seed, Workers: workers, Window: window, Features: feats}
	if o.Augment {
		trCfg.Augment = datasets.Augment{MaxShift: int(o.Shift.Seconds() * audio.Rate), NoiseProb: o.NoiseProb, NoiseMax: o.NoiseMax, Speed: o.Speed, Warp: o.Warp,
			Room: datasets.Room{Reverb: o.Reverb, Band: o.Band, Gain: o.Gain}}
		if len(d.Noise) == 0 && o.NoiseProb > 0 {
			trCfg.Augment.NoiseProb = 0
			report(true, "no background-noise recordings: training clips get time shifts but no noise")
		}
	}
	trCfg.Augment.Tight, trCfg.Augment.Place = tight, place
	trCfg.Join = o.Join
	if o.SpecAugment {
		trCfg.FeatureAugment = datasets.SpecAugment()
		trCfg.FeatureAugment.MeanFill = o.CMN
	}
	trLoader, err := d.NewLoader(trCfg)
	if err != nil {
		return nil, err
	}
	evalLoader := func(s datasets.Split) (*datasets.Loader, error) {
		return d.NewLoader(datasets.LoaderConfig{Split: s, BatchSize: 256, Seed: o.Seed, Workers: workers, Window: window, Features: feats})
	}
	valLoader, err := evalLoader(datasets.Validation)
	if err != nil {
		return nil, err
	}

	mcfg := model.Config{Inputs: trLoader.Coeffs(), Hidden: o.Hidden, Layers: o.Layers, Classes: len(d.Labels),
		Dropout: float32(o.Dropout), LabelSmoothing: float32(o.Smooth), CMN: o.CMN}
	m, err := model.New(mcfg, o.Seed)
	if err != nil {
		return nil, err
	}
	m.Meta = model.Metadata{Labels: d.Labels, Features: trLoader.Config().Features, WindowSamples: trLoader.Config().Window}

	record := o.record()
	cfg := train.Config{
		Epochs: o.Epochs, Optimizer: o.Optimizer, LR: o.LR, Momentum: o.Momentum, WeightDecay: o.WeightDecay,
		Schedule: o.Schedule, WarmupEpochs: o.Warmup, ClipNorm: o.Clip, Patience: o.Patience, EMA: o.EMA,
		Seed: uint64(o.Seed), Progress: o.Progress, Live: o.Live,
	}
	if o.Momentum == 0 {
		cfg.Momentum = -1
	}
	if o.Clip == 0 {
		cfg.ClipNorm = -1
	}
	if o.Checkpoint != "" {
		cfg.Checkpoint = func(c *train.Checkpoint) error { return saveCheckpoint(o.Checkpoint, c, record) }
	}
	reported := 0
	reportProblems := func() {
		p := d.Problems()
		for _, e := range p[reported:] {
			report(true, "skipped %s", e)
		}
		reported = len(p)
	}
	cfg.OnEpoch = func(h []train.Epoch) error {
		reportProblems()
		if o.Metrics == "" {
			return nil
		}
		return atomicfile.Write(o.Metrics, func(w io.Writer) error {
			enc := json.NewEncoder(w)
			for _, e := range h {
				if err := enc.Encode(e); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if from := o.Resume; from != nil {
		report(false, "resuming %s at epoch %d, batch %d of %d", o.Checkpoint, from.Epoch+1, from.Batch, from.Batches)
	}
	net := train.NewModelNet(m, workers, o.Batch, trLoader.Frames())
	began := time.Now()
	run, err := train.Run(ctx, net, loaderSource{trLoader}, loaderSet{valLoader}, cfg, o.Resume)
	res.Elapsed = time.Since(began)
	reportProblems()
	if err != nil {
		return nil, err
	}
	if len(run.History) == 0 {
		return nil, fmt.Errorf("checkpoint %s: the run had already ended (nothing to do)", o.Checkpoint)
	}
	res.Result, res.Model = *run, m

	// The test split: used for this report only.
	if res.Testing > 0 {
		teLoader, err := evalLoader(datasets.Testing)
		if err != nil {
			return nil, err
		}
		res.Test, err = train.Evaluate(context.WithoutCancel(ctx), net, loaderSet{teLoader}, len(d.Labels))
		if err != nil {
			return nil, fmt.Errorf("test: %w", err)
		}
		reportProblems()
		res.Test.Labels = d.Labels
	}
	res.Skipped = len(d.Problems())

	m.Meta.Training = map[string]string{
		"flags":        portableFlags(record),
		"data":         filepath.Base(o.Data),
		"split":        string(d.SplitMethod),
		"clips":        fmt.Sprintf("%d training, %d validation, %d test", res.Training, res.Validation, res.Testing),
		"clips_sha256": d.Fingerprint(),
		"epochs":       strconv.Itoa(len(run.History)),
		"best_epoch":   strconv.Itoa(run.BestEpoch),
		"val_accuracy": strconv.FormatFloat(run.BestAcc, 'f', 4, 64),
		"skipped":      strconv.Itoa(res.Skipped),
	}
	if res.Test != nil {
		m.Meta.Training["test_accuracy"] = strconv.FormatFloat(res.Test.Accuracy(), 'f', 4, 64)
	}
	annotate(m, d)
	m.Meta.Detection = settings
	return res, res.write(o)
}

// write writes the model and the plots o names.
func (r *Result) write(o Options) error {
	if o.Out != "" {
		if err := atomicfile.Write(o.Out, r.Model.Encode); err != nil {
			return err
		}
	}
	if o.Curves != "" {
		if err := atomicfile.Write(o.Curves, func(w io.Writer) error { return train.PlotCurves(w, r.History) }); err != nil {
			return err
		}
	}
	if o.Confusion != "" && r.Test != nil {
		if err := atomicfile.Write(o.Confusion, func(w io.Writer) error { return train.PlotConfusion(w, r.Test) }); err != nil {
			return err
		}
	}
	return nil
}

// Interrupted reports whether err is that of a run stopped by its context
// (its checkpoint saved).
func Interrupted(err error) bool { return errors.Is(err, train.ErrInterrupted) }

// pct turns an option's percentage into datasets.Options' convention (0
// there means the default, negative means none).
func pct(p float64) float64 {
	if p == 0 {
		return -1
	}
	return p
}

// defaultTo is v, or def when v is negative (not set).
func defaultTo(v, def float64) float64 {
	if v < 0 {
		return def
	}
	return v
}

// loaderSource adapts a datasets.Loader to train.Source.
type loaderSource struct{ l *datasets.Loader }

func (s loaderSource) NumBatches() int { return s.l.Batches() }

func (s loaderSource) Epoch(ctx context.Context, epoch, start int) iter.Seq2[*train.Batch, error] {
	return batches(s.l.Epoch(ctx, epoch, start))
}

// loaderSet adapts a datasets.Loader (no augmentation) to train.Set.
type loaderSet struct{ l *datasets.Loader }

func (s loaderSet) Batches(ctx context.Context) iter.Seq2[*train.Batch, error] {
	return batches(s.l.Epoch(ctx, 0, 0))
}

// batches turns a datasets.Loader's batches into train's, sharing their
// memory: each train.Batch is valid until the next is yielded.
func batches(seq iter.Seq2[*datasets.Batch, error]) iter.Seq2[*train.Batch, error] {
	return func(yield func(*train.Batch, error) bool) {
		var tb train.Batch
		for b, err := range seq {
			if err != nil {
				yield(nil, err)
				return
			}
			n := b.Size
			tb = train.Batch{X: b.X[:n*b.Frames*b.Coeffs], Labels: b.Labels[:n], N: n, T: b.Frames}
			if !yield(&tb, nil) {
				return
			}
		}
	}
}
