package datasets

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
)

// TrainedOptions returns the Options that divide a folder as listen train
// divided it for a model with the given labels and training metadata
// (model.Metadata.Labels and Training): the model's words (its labels but
// SilenceLabel and UnknownLabel) and the split settings its training
// recorded (the percentages, the seed and the noise folder when it still
// exists), so that a split names the same clips as during training.
func TrainedOptions(labels []string, training map[string]string) (Options, error) {
	var opt Options
	for _, l := range labels {
		if l != SilenceLabel && l != UnknownLabel {
			opt.Words = append(opt.Words, l)
		}
	}
	s, ok := training["flags"]
	if !ok {
		return opt, nil
	}
	var flags map[string]string
	if err := json.Unmarshal([]byte(s), &flags); err != nil {
		return opt, fmt.Errorf("training flags: %w", err)
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
		// A flag's 0 means none; Options' 0 means the default.
		if x == 0 {
			x = -1
		}
		*dst = x
		return nil
	}
	if err := num("val-pct", &opt.ValidationPct); err != nil {
		return opt, err
	}
	if err := num("test-pct", &opt.TestPct); err != nil {
		return opt, err
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
			return opt, fmt.Errorf("training flag -seed: %w", err)
		}
		opt.Seed = seed
	}
	return opt, nil
}
