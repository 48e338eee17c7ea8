package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"

	"github.com/listen-go/listen/internal/atomicfile"
	"github.com/listen-go/listen/model"
)

func init() {
	register(command{name: "ensemble", summary: "combine models trained alike into one that averages them", run: runEnsemble})
}

// runEnsemble writes one model file that averages the class probabilities
// of several trained models (model.NewEnsemble).
func runEnsemble(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("ensemble", stderr)
	out := fs.String("out", "", "the model file to write (required)")
	detectFlag := fs.String("detect", "", "streaming detection settings stored in the ensemble, as listen train -detect takes them (default: the first model's)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: listen ensemble -out OUT.safetensors [-detect SETTINGS] MODEL MODEL ...")
		fmt.Fprintln(stderr, "\nCombines models trained alike (the same labels, features and window; usually\n"+
			"the same listen train command with other -seed values) into one model file that\n"+
			"averages their class probabilities. Each network costs as much as a model of its\n"+
			"own to run. The first model's metadata and detection settings are kept, unless\n"+
			"-detect is given: an average is less sure of itself than one network, so an\n"+
			"ensemble usually wants a lower threshold.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usageError("-out is required")
	}
	if fs.NArg() < 2 {
		return usageError("want at least two models to combine, got %d", fs.NArg())
	}
	settings, err := parseDetect(*detectFlag)
	if err != nil {
		return err
	}
	if err := atomicfile.CheckWritable(*out); err != nil {
		return err
	}
	var nets []*model.Model
	var first *model.Model
	notes := map[string]string{}
	for i, name := range fs.Args() {
		if err := ctx.Err(); err != nil {
			return err
		}
		m, err := loadModel(name)
		if err != nil {
			return err
		}
		if first == nil {
			first = m
		} else if err := sameTask(first, m); err != nil {
			return fmt.Errorf("%s and %s: %w", fs.Arg(0), name, err)
		}
		nets = append(nets, m.Members()...)
		// Each member is recorded by what it learned from and how well it
		// did, not by its file's name (often a temporary file).
		k := "ensemble." + strconv.Itoa(i+1)
		for _, note := range memberNotes {
			if v, ok := m.Meta.Training[note]; ok {
				notes[k+"."+note] = v
			}
		}
		if seed, ok := recordedFlag(m, "seed"); ok {
			notes[k+".seed"] = seed
		}
	}
	e, err := model.NewEnsemble(nets...)
	if err != nil {
		return err
	}
	// The first model's training notes describe the recipe; its test
	// accuracy is its own, so it moves next to its name, as the others'.
	e.Meta.Training = maps.Clone(first.Meta.Training)
	if e.Meta.Training == nil {
		e.Meta.Training = map[string]string{}
	}
	delete(e.Meta.Training, "test_accuracy")
	portableNotes(e.Meta.Training)
	maps.Copy(e.Meta.Training, notes)
	if settings != nil {
		e.Meta.Detection = settings
	}
	if err := atomicfile.Write(*out, e.Encode); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: %d networks averaged, labels %s\n", *out, len(nets), joinLabels(e.Meta.Labels))
	return nil
}

// memberNotes are the training notes kept for each member of an ensemble.
var memberNotes = []string{"test_accuracy", "val_accuracy", "clips_sha256"}

// recordedFlag returns the value of listen train's flag name recorded in
// m's training notes.
func recordedFlag(m *model.Model, name string) (string, bool) {
	var flags map[string]string
	if json.Unmarshal([]byte(m.Meta.Training["flags"]), &flags) != nil {
		return "", false
	}
	v, ok := flags[name]
	return v, ok
}

// sameTask checks that m reads the same features over the same window and
// names the same classes in the same order as first (model.NewEnsemble
// checks the networks' input and output sizes).
func sameTask(first, m *model.Model) error {
	switch {
	case !slices.Equal(first.Meta.Labels, m.Meta.Labels):
		return fmt.Errorf("labels differ (%s; %s)", joinLabels(first.Meta.Labels), joinLabels(m.Meta.Labels))
	case first.Meta.Features != m.Meta.Features:
		return fmt.Errorf("features differ (%+v; %+v)", first.Meta.Features, m.Meta.Features)
	case first.Meta.WindowSamples != m.Meta.WindowSamples:
		return fmt.Errorf("windows differ (%d and %d samples)", first.Meta.WindowSamples, m.Meta.WindowSamples)
	}
	return nil
}
