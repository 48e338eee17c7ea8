package main

import (
	"flag"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/listen-go/listen"
	"github.com/listen-go/listen/model"
	"github.com/listen-go/listen/model/detect"
	"github.com/listen-go/listen/model/embedded"
)

// loadModel returns the model called name (listen.LoadModel: an embedded
// model or a safetensors file).
func loadModel(name string) (*model.Model, error) {
	m, err := listen.LoadModel(name)
	if err != nil && (name == "" || slices.Contains(embedded.Names(), name)) {
		return nil, fmt.Errorf("%w; pass -model FILE", err)
	}
	return m, err
}

// detectOptions are the streaming detection settings shared by the
// listener and by classify on long recordings.
type detectOptions struct {
	cfg       detect.Config
	threshold float64
	fs        *flag.FlagSet
}

// addDetectFlags adds the detection settings to fs, with detect's defaults.
func addDetectFlags(fs *flag.FlagSet) *detectOptions {
	d := detect.DefaultConfig()
	// Round the float32 default so that -h shows 0.7, not 0.699999988.
	o := &detectOptions{cfg: d, threshold: math.Round(float64(d.Threshold)*1e6) / 1e6, fs: fs}
	fs.Float64Var(&o.threshold, "threshold", o.threshold, "averaged score a command must pass, in (0, 1); a model may carry its own default for this and the settings below (listen train -detect)")
	fs.DurationVar(&o.cfg.Hop, "hop", d.Hop, "how often the model runs on the sliding window (at most 100ms)")
	fs.DurationVar(&o.cfg.AverageWindow, "average", d.AverageWindow, "how long posteriors are averaged over")
	fs.DurationVar(&o.cfg.Suppression, "suppress", 0, "how long before the same command can be reported again (0: 1.5s, or the model's window when longer)")
	fs.IntVar(&o.cfg.MinCount, "min-count", d.MinCount, "fewest model runs an average needs")
	fs.Float64Var(&o.cfg.Gate, "gate", d.Gate, "energy gate in dBFS: the model is skipped while the whole window is quieter")
	return o
}

// config checks the settings and returns them as a detect.Config.
func (o *detectOptions) config() (detect.Config, error) {
	c := o.cfg
	if !(o.threshold > 0 && o.threshold < 1) {
		return c, usageError("-threshold %v: must be between 0 and 1", o.threshold)
	}
	if c.Hop <= 0 || c.Hop > 100*time.Millisecond {
		return c, usageError("-hop %v: must be more than 0 and at most 100ms", c.Hop)
	}
	if c.AverageWindow <= 0 {
		return c, usageError("-average %v: must be positive", c.AverageWindow)
	}
	if c.MinCount < 1 {
		return c, usageError("-min-count %d: must be at least 1", c.MinCount)
	}
	c.Threshold = float32(o.threshold)
	return c, nil
}

// load checks the user's settings, then loads the model called name and
// returns it with the settings to detect with (see forModel).
func (o *detectOptions) load(name string) (*model.Model, detect.Config, error) {
	if _, err := o.config(); err != nil { // before the work of loading
		return nil, detect.Config{}, err
	}
	m, err := loadModel(name)
	if err != nil {
		return nil, detect.Config{}, err
	}
	cfg, err := o.forModel(m, name)
	if err != nil {
		return nil, detect.Config{}, err
	}
	return m, cfg, nil
}

// forModel returns the detection settings for m: those stored in it (the
// ones its maker chose, model.Metadata.Detection, named as these flags are)
// take the place of the defaults of the flags the user did not give.
func (o *detectOptions) forModel(m *model.Model, name string) (detect.Config, error) {
	if _, err := detect.ModelConfig(m); err != nil {
		return detect.Config{}, fmt.Errorf("model %s: %w", name, err)
	}
	given := map[string]bool{}
	o.fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	for k, v := range m.Meta.Detection {
		if !given[k] {
			if err := o.fs.Set(k, v); err != nil {
				return detect.Config{}, fmt.Errorf("model %s: detection setting %s=%q: %w", name, k, v, err)
			}
		}
	}
	return o.config()
}

// joinLabels lists labels for messages.
func joinLabels(labels []string) string {
	return strings.Join(labels, ", ")
}
