package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"runtime"
	"time"

	"github.com/listen-go/listen/datasets"
	"github.com/listen-go/listen/internal/progress"
	"github.com/listen-go/listen/model/detect"
	"github.com/listen-go/listen/train"
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
	prog, finish := progressBar(stderr, "eval", 0, nil)
	res, err := evaluate.Clips(ctx, m, f.data, evaluate.ClipsOptions{Split: split, Noise: f.noise, Workers: f.workers, Name: f.model, Progress: prog})
	finish()
	if err != nil {
		return err
	}
	conf := res.Confusion
	if f.json {
		r := evalReport{Model: f.model, Data: f.data, Split: split.String(), Clips: conf.Total(), Correct: conf.Correct(),
			Accuracy: conf.Accuracy(), Skipped: len(res.Problems), Matrix: conf, Warnings: res.Warnings, Training: m.Meta.Training}
		for k, l := range conf.Labels {
			r.Classes = append(r.Classes, classReport{Label: l, Precision: conf.Precision(k), Recall: conf.Recall(k), Clips: conf.Support(k)})
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(stderr, "warning: %s\n", w)
	}
	for _, p := range res.Problems {
		fmt.Fprintf(stderr, "warning: skipped %s\n", oneLine(p.Error()))
	}
	fmt.Fprintf(stdout, "%s on %s (%s split, %d clips", f.model, f.data, split, conf.Total())
	if len(res.Problems) > 0 {
		fmt.Fprintf(stdout, "; %d unreadable clips skipped", len(res.Problems))
	}
	fmt.Fprintln(stdout, ")")
	return conf.Report(stdout)
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
