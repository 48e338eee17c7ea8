package evaluate

import (
	"context"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/listen-go/listen/datasets"
	"github.com/listen-go/listen/model"
	"github.com/listen-go/listen/train"
)

// Progress is called now and then with the work done so far and its
// total: clips for Clips, seconds of audio for Stream and Negatives.
type Progress func(done, total float64)

// ClipsOptions says which clips of a folder Clips classifies.
type ClipsOptions struct {
	// Split is the part of the folder to classify, divided as the model's
	// training divided it (datasets.TrainedOptions); datasets.All takes
	// every clip, each unknown word included.
	Split datasets.Split
	// Noise is the folder of background noise that silence clips are cut
	// from; "" is the training's (else DIR/_background_noise_), "-" none.
	Noise string
	// Workers is the number of goroutines; 0 is runtime.NumCPU().
	Workers int
	// Name names the model in errors.
	Name     string
	Progress Progress
}

// ClipsResult is how the model classified a folder's clips.
type ClipsResult struct {
	Confusion *train.Confusion
	// Warnings say how the folder was divided (when a split was asked
	// for); Problems are the clips that could not be read, left out of
	// Confusion.
	Warnings []string
	Problems []error
	// Absent are the model's words that the folder has no folder for:
	// the other words were evaluated.
	Absent []string
}

// Clips classifies the clips of dir with m, as a whole window each, and
// returns the confusion matrix over m's labels. A folder may hold some of
// the model's words only (ClipsResult.Absent lists the others); clips that
// cannot be read are left out and listed (ClipsResult.Problems).
func Clips(ctx context.Context, m *model.Model, dir string, opt ClipsOptions) (*ClipsResult, error) {
	labels := m.Meta.Labels
	if len(labels) != m.Config().Classes {
		return nil, fmt.Errorf("%s: the model names %d labels for its %d classes", opt.Name, len(labels), m.Config().Classes)
	}
	sopt, err := datasets.TrainedOptions(labels, m.Meta.Training)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", opt.Name, err)
	}
	sopt.AllUnknown = opt.Split == datasets.All
	if opt.Noise != "" {
		sopt.NoiseDir = opt.Noise
	}
	// The model's words that dir has no folder for are left out: the
	// others are evaluated, and the result says which were absent.
	res := &ClipsResult{}
	var present []string
	for _, w := range sopt.Words {
		if st, err := os.Stat(filepath.Join(dir, w)); err == nil && st.IsDir() {
			present = append(present, w)
		} else {
			res.Absent = append(res.Absent, w)
		}
	}
	if len(present) == 0 {
		if _, err := os.Stat(dir); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("%s has no folder for any of the model %s's words (%s)", dir, opt.Name, strings.Join(sopt.Words, ", "))
	}
	sopt.Words = present
	d, err := datasets.Scan(dir, sopt)
	if err != nil {
		return nil, err
	}
	if opt.Split != datasets.All {
		res.Warnings = d.Warnings
	}
	// Dataset label -> model class.
	toModel := make([]int, len(d.Labels))
	for i, l := range d.Labels {
		if toModel[i] = slices.Index(labels, l); toModel[i] < 0 {
			return nil, fmt.Errorf("%s has clips of %q, which the model %s does not know (it knows %v)", dir, l, opt.Name, labels)
		}
	}
	total := d.Count(opt.Split)
	if total == 0 {
		return nil, fmt.Errorf("%s: no clips in the %s split", dir, opt.Split)
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	ld, err := d.NewLoader(datasets.LoaderConfig{Split: opt.Split, BatchSize: 256, Workers: workers,
		Window: m.Meta.WindowSamples, Features: m.Meta.Features})
	if err != nil {
		return nil, err
	}
	net := train.NewModelNet(m, workers, 256, ld.Frames())
	set := mappedSet{ld, toModel, func(done int) {
		if opt.Progress != nil {
			opt.Progress(float64(done), float64(total))
		}
	}}
	if res.Confusion, err = train.Evaluate(ctx, net, set, len(labels)); err != nil {
		return nil, err
	}
	if opt.Progress != nil { // every clip tried, the unreadable ones too
		opt.Progress(float64(total), float64(total))
	}
	res.Confusion.Labels = slices.Clone(labels)
	res.Problems = d.Problems()
	return res, nil
}

// mappedSet is a loader's batches with labels renumbered as the model's;
// done sees how many clips have been yielded.
type mappedSet struct {
	l       *datasets.Loader
	toModel []int
	done    func(clips int)
}

func (s mappedSet) Batches(ctx context.Context) iter.Seq2[*train.Batch, error] {
	return func(yield func(*train.Batch, error) bool) {
		var tb train.Batch
		var labels []int
		done := 0
		for b, err := range s.l.Epoch(ctx, 0, 0) {
			if err != nil {
				yield(nil, err)
				return
			}
			n := b.Size
			labels = labels[:0]
			for _, y := range b.Labels[:n] {
				labels = append(labels, s.toModel[y])
			}
			tb = train.Batch{X: b.X[:n*b.Frames*b.Coeffs], Labels: labels, N: n, T: b.Frames}
			if !yield(&tb, nil) {
				return
			}
			done += n
			s.done(done)
		}
	}
}
