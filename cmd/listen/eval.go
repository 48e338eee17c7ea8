package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"iter"
	"os"
	"runtime"
	"slices"
	"strconv"
	"time"

	"github.com/listen-go/listen/datasets"
	"github.com/listen-go/listen/internal/progress"
	"github.com/listen-go/listen/model"
	"github.com/listen-go/listen/model/detect"
	"github.com/listen-go/listen/train"
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
}

func (f *evalFlags) define(fs *flag.FlagSet) {
	fs.StringVar(&f.data, "data", "", "folder of labelled WAV clips (one folder per word, Speech Commands layouts too)")
	fs.StringVar(&f.model, "model", "default", "model: default, home, or a .safetensors file")
	fs.StringVar(&f.stream, "stream", "", "a long recording to run the streaming detector over (with -truth), instead of -data")
	fs.StringVar(&f.truth, "truth", "", `ground truth of -stream: "word,time_ms" lines, as listen mkstream writes them`)
	fs.DurationVar(&f.tolerance, "tolerance", detect.DefaultTolerance, "with -stream: how far from a spoken word a detection may be to match it")
	f.detect = addDetectFlags(fs)
	fs.StringVar(&f.split, "split", "all", "clips to evaluate: all, train, validation or test (the split the model's training used)")
	fs.StringVar(&f.noise, "noise", "", "background-noise WAVs for silence clips (default: training's, else DATA/_background_noise_; - for none)")
	fs.BoolVar(&f.json, "json", false, `print one JSON object ("accuracy" is a fraction)`)
	fs.IntVar(&f.workers, "workers", runtime.NumCPU(), "goroutines")
}

// runEval is listen eval.
func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("eval", stderr)
	var f evalFlags
	f.define(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: listen eval -data DIR [-model M] [-split all|train|validation|test] [-json]\n"+
			"       listen eval -stream LONG.wav -truth LABELS.txt [-model M] [detection flags] [-json]")
		fmt.Fprintln(stderr, "\nWith -data, classifies every clip of DIR (or one split of it, divided as listen train\n"+
			"divides it) and prints the accuracy, per-class precision and recall, and the confusion\n"+
			"matrix. Clips that cannot be read are skipped with a warning and counted.\n"+
			"With -stream, runs the streaming detector over a long recording, as the listener would,\n"+
			"and scores it as TensorFlow's test_streaming_accuracy does: the percentages of spoken\n"+
			"commands matched, correct and wrong, and false alarms per hour.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("unexpected argument %q", fs.Arg(0))
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
	split, err := datasets.ParseSplit(f.split)
	if err != nil {
		return usageError("-split: %v", err)
	}
	return evalClips(ctx, &f, split, stdout, stderr)
}

// evalReport is the -json output of listen eval.
type evalReport struct {
	Model    string            `json:"model"`
	Data     string            `json:"data"`
	Split    string            `json:"split"`
	Clips    int               `json:"clips"`
	Correct  int               `json:"correct"`
	Accuracy float64           `json:"accuracy"`
	Skipped  int               `json:"skipped"`
	Classes  []classReport     `json:"classes"`
	Matrix   *train.Confusion  `json:"confusion"`
	Warnings []string          `json:"warnings,omitempty"`
	Training map[string]string `json:"training,omitempty"`
}

type classReport struct {
	Label     string  `json:"label"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	Clips     int     `json:"clips"`
}

// evalClips evaluates the model on the clips of one split of f.data.
func evalClips(ctx context.Context, f *evalFlags, split datasets.Split, stdout, stderr io.Writer) error {
	m, err := loadModel(f.model)
	if err != nil {
		return err
	}
	labels := m.Meta.Labels
	if len(labels) != m.Config().Classes {
		return fmt.Errorf("%s: the model names %d labels for its %d classes", f.model, len(labels), m.Config().Classes)
	}

	// Scan the folder for the model's words, split as listen train did.
	opt, err := modelScanOptions(m, f.model)
	if err != nil {
		return err
	}
	opt.AllUnknown = split == datasets.All
	if f.noise != "" {
		opt.NoiseDir = f.noise
	}
	d, err := datasets.Scan(f.data, opt)
	if err != nil {
		return err
	}
	var warnings []string
	if split != datasets.All {
		// The split warnings say how the clips were divided: worth knowing.
		warnings = append(warnings, d.Warnings...)
	}
	if !f.json {
		for _, w := range warnings {
			fmt.Fprintf(stderr, "warning: %s\n", w)
		}
	}
	// Dataset label -> model class.
	toModel := make([]int, len(d.Labels))
	for i, l := range d.Labels {
		toModel[i] = slices.Index(labels, l)
		if toModel[i] < 0 {
			return fmt.Errorf("%s has clips of %q, which the model %s does not know (it knows %v)", f.data, l, f.model, labels)
		}
	}
	if d.Count(split) == 0 {
		return fmt.Errorf("%s: no clips in the %s split", f.data, split)
	}
	ld, err := d.NewLoader(datasets.LoaderConfig{Split: split, BatchSize: 256, Workers: max(f.workers, 1),
		Window: m.Meta.WindowSamples, Features: m.Meta.Features})
	if err != nil {
		return err
	}
	net := train.NewModelNet(m, max(f.workers, 1), 256, ld.Frames())
	bar := progress.New(stderr, "eval", float64(d.Count(split)), nil)
	conf, err := train.Evaluate(ctx, net, mappedSet{ld, toModel, bar}, len(labels))
	bar.Finish()
	if err != nil {
		return err
	}
	conf.Labels = slices.Clone(labels)
	problems := d.Problems()
	if !f.json {
		for _, p := range problems {
			fmt.Fprintf(stderr, "warning: skipped %s\n", oneLine(p.Error()))
		}
	}
	if f.json {
		r := evalReport{Model: f.model, Data: f.data, Split: split.String(), Clips: conf.Total(), Correct: conf.Correct(),
			Accuracy: conf.Accuracy(), Skipped: len(problems), Matrix: conf, Warnings: warnings, Training: m.Meta.Training}
		for k, l := range conf.Labels {
			r.Classes = append(r.Classes, classReport{Label: l, Precision: conf.Precision(k), Recall: conf.Recall(k), Clips: conf.Support(k)})
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	fmt.Fprintf(stdout, "%s on %s (%s split, %d clips", f.model, f.data, split, conf.Total())
	if len(problems) > 0 {
		fmt.Fprintf(stdout, "; %d unreadable clips skipped", len(problems))
	}
	fmt.Fprintln(stdout, ")")
	return conf.Report(stdout)
}

// modelScanOptions returns the scan options that divide a folder as
// listen train divided it for the model m (named name): m's words and the
// split settings its training recorded.
func modelScanOptions(m *model.Model, name string) (datasets.Options, error) {
	var opt datasets.Options
	for _, l := range m.Meta.Labels {
		if l != datasets.SilenceLabel && l != datasets.UnknownLabel {
			opt.Words = append(opt.Words, l)
		}
	}
	if err := trainingOptions(&opt, m.Meta.Training); err != nil {
		return opt, fmt.Errorf("%s: %w", name, err)
	}
	return opt, nil
}

// trainingOptions sets the split options listen train recorded in the
// model, so that -split names the same clips as during training.
func trainingOptions(opt *datasets.Options, training map[string]string) error {
	s, ok := training["flags"]
	if !ok {
		return nil
	}
	var flags map[string]string
	if err := json.Unmarshal([]byte(s), &flags); err != nil {
		return fmt.Errorf("training flags: %w", err)
	}
	num := func(name string, dst *float64) error {
		v, ok := flags[name]
		if !ok {
			return nil
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return fmt.Errorf("training flag -%s: %w", name, err)
		}
		*dst = pctOpt(x)
		return nil
	}
	if err := num("val-pct", &opt.ValidationPct); err != nil {
		return err
	}
	if err := num("test-pct", &opt.TestPct); err != nil {
		return err
	}
	// The silence clips of the training's splits were cut from its noise.
	if v := flags["noise"]; v == "-" {
		opt.NoiseDir = v
	} else if st, err := os.Stat(v); v != "" && err == nil && st.IsDir() {
		opt.NoiseDir = v
	}
	if v, ok := flags["seed"]; ok {
		seed, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return fmt.Errorf("training flag -seed: %w", err)
		}
		opt.Seed = seed
	}
	return nil
}

// mappedSet is a loader's batches with labels renumbered as the model's.
// bar, when set, shows how many clips are done.
type mappedSet struct {
	l       *datasets.Loader
	toModel []int
	bar     *progress.Bar
}

func (s mappedSet) Batches(ctx context.Context) iter.Seq2[*train.Batch, error] {
	return func(yield func(*train.Batch, error) bool) {
		var labels []int
		done := 0
		for b, err := range batches(s.l.Epoch(ctx, 0, 0)) {
			if err != nil {
				yield(nil, err)
				return
			}
			labels = labels[:0]
			for _, y := range b.Labels {
				labels = append(labels, s.toModel[y])
			}
			b.Labels = labels
			if !yield(b, nil) {
				return
			}
			if s.bar != nil {
				done += len(labels)
				s.bar.Update(float64(done))
			}
		}
	}
}
