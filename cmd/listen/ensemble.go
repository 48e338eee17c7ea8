package main

import (
	"context"
	"fmt"
	"io"

	"github.com/listen-go/listen/internal/atomicfile"
	"github.com/listen-go/listen/model"
	"github.com/listen-go/listen/train/recipe"
)

func init() {
	register(command{name: "ensemble", summary: "combine models trained alike into one that averages them", run: runEnsemble})
}

// runEnsemble writes one model file that averages the class probabilities
// of several trained models (recipe.Ensemble).
func runEnsemble(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("ensemble", stderr)
	out := fs.String("out", "", "the model file to write (required)")
	detectFlag := fs.String("detect", "", "streaming detection settings stored in the ensemble, as listen train -detect takes them (default: the first model's)")
	half := fs.Bool("half", false, "store the weights in half precision (F16): half the file size; Decode reads them back as float32")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: listen ensemble -out OUT.safetensors [-detect SETTINGS] [-half] MODEL MODEL ...")
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
	settings, err := recipe.ParseDetect(*detectFlag)
	if err != nil {
		return optionErr(err)
	}
	if err := atomicfile.CheckWritable(*out); err != nil {
		return err
	}
	var models []*model.Model
	for _, name := range fs.Args() {
		if err := ctx.Err(); err != nil {
			return err
		}
		m, err := loadModel(name)
		if err != nil {
			return err
		}
		if len(models) > 0 {
			if err := recipe.SameTask(models[0], m); err != nil {
				return fmt.Errorf("%s and %s: %w", fs.Arg(0), name, err)
			}
		}
		models = append(models, m)
	}
	e, err := recipe.Ensemble(models...)
	if err != nil {
		return err
	}
	if settings != nil {
		e.Meta.Detection = settings
	}
	encode := e.Encode
	if *half {
		encode = e.EncodeHalf
	}
	if err := atomicfile.Write(*out, encode); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: %d networks averaged, labels %s\n", *out, len(e.Members()), joinLabels(e.Meta.Labels))
	return nil
}
