package main

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"slices"
	"strconv"
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
// listener, classify on long recordings and eval. Every flag's zero value
// means the model's own setting (model.Metadata.Detection, else detect's
// default), so fs.Visit tells what the user chose.
type detectOptions struct {
	hop, average, suppress time.Duration
	threshold, gate        float64
	minCount               int
	fs                     *flag.FlagSet
}

// addDetectFlags adds the detection settings to fs. Their help gives the
// embedded models' own settings, read from the models (their headers
// only) so that it stays true when they change.
func addDetectFlags(fs *flag.FlagSet) *detectOptions {
	o := &detectOptions{fs: fs}
	own := modelSettingsHelp()
	fs.Float64Var(&o.threshold, "threshold", 0, "averaged score a command must pass, above 0 and below 1"+own["threshold"])
	fs.DurationVar(&o.hop, "hop", 0, fmt.Sprintf("how often the model runs on the sliding window, %v to %v", detect.MinCheckHop, detect.MaxCheckHop)+own["hop"])
	fs.DurationVar(&o.average, "average", 0, fmt.Sprintf("how long the model's results are averaged over, more than 0 and at most %v", detect.MaxAverageWindow)+own["average"])
	fs.DurationVar(&o.suppress, "suppress", 0, fmt.Sprintf("how long before the same command can be reported again, 0 to %s (0: %v, or the model's window when longer)", shortDuration(detect.MaxSuppression), detect.DefaultSuppression)+own["suppress"])
	fs.IntVar(&o.minCount, "min-count", 0, "fewest results an average needs, at least 1 and at most the results it holds (the average over the hop, plus one)"+own["min-count"])
	fs.Float64Var(&o.gate, "gate", 0, "energy gate in dBFS, below 0 (-inf: none): the model is skipped while the whole window is quieter"+own["gate"])
	return o
}

// modelSettingsHelp returns, for each detection setting, the end of its
// flag's help: the embedded models' values and the fallback of a model
// file that stores none (listen train -detect stores them).
func modelSettingsHelp() map[string]string {
	def := detect.DefaultConfig()
	def.Suppression = 0
	values := map[string][]string{} // "0.85 for -model default", ...
	same := map[string]bool{}       // every embedded model has the fallback's value
	fallback := settingValues(def, 0, 0)
	for k := range fallback {
		same[k] = true
	}
	for _, name := range embedded.Names() {
		_, meta, err := embedded.DecodeConfig(name)
		if err != nil {
			panic(fmt.Sprintf("listen: embedded model %s: %v", name, err)) // tested: cannot happen in a build that passed
		}
		c, err := detect.ParseSettings(meta.Detection)
		if err != nil {
			panic(fmt.Sprintf("listen: embedded model %s: %v", name, err))
		}
		win := detect.SamplesToDuration(int64(meta.WindowSamples))
		for k, v := range settingValues(c.WithDefaults(), c.Suppression, win) {
			values[k] = append(values[k], fmt.Sprintf("%s for -model %s", v, name))
			same[k] = same[k] && v == fallback[k] && (k != "suppress" || win <= detect.DefaultSuppression)
		}
	}
	help := map[string]string{}
	for k, v := range fallback {
		if k == "suppress" {
			v = fmt.Sprintf("%v or the model's window", detect.DefaultSuppression)
		}
		if same[k] {
			help[k] = fmt.Sprintf(" (default: the model's own; %s for the embedded models and for a model file that sets none)", v)
		} else {
			help[k] = fmt.Sprintf(" (default: the model's own: %s, and %s for a model file that sets none)", strings.Join(values[k], ", "), v)
		}
	}
	return help
}

// settingValues formats the detection settings of c, every field filled
// in, as the flags take them; suppress is the stored suppression, 0
// standing for the longer of 1.5s and the model's window win.
func settingValues(c detect.Config, suppress, win time.Duration) map[string]string {
	if suppress == 0 {
		suppress = max(detect.DefaultSuppression, win)
	}
	return map[string]string{
		"threshold": strconv.FormatFloat(float64(c.Threshold), 'g', -1, 32),
		"hop":       c.Hop.String(),
		"average":   c.AverageWindow.String(),
		"suppress":  suppress.String(),
		"min-count": strconv.Itoa(c.MinCount),
		"gate":      strconv.FormatFloat(c.Gate, 'g', -1, 64),
	}
}

// shortDuration formats d as time.Duration does, without a trailing "0s"
// after minutes or hours ("1m", not "1m0s").
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// detectFlagNames are the flags addDetectFlags defines.
var detectFlagNames = []string{"threshold", "hop", "average", "suppress", "min-count", "gate"}

// isDetectFlag reports whether name is one of addDetectFlags's flags.
func isDetectFlag(name string) bool { return slices.Contains(detectFlagNames, name) }

// given returns the detection flags the user set.
func (o *detectOptions) given() map[string]bool {
	given := map[string]bool{}
	o.fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	return given
}

// apply returns c with the settings the user gave in place of its own.
func (o *detectOptions) apply(c detect.Config, given map[string]bool) detect.Config {
	if given["threshold"] {
		c.Threshold = float32(o.threshold)
		if o.threshold != 0 && c.Threshold == 0 { // below float32's smallest
			c.Threshold = math.SmallestNonzeroFloat32
		}
	}
	if given["hop"] {
		c.Hop = o.hop
	}
	if given["average"] {
		c.AverageWindow = o.average
	}
	if given["suppress"] {
		c.Suppression = o.suppress
	}
	if given["min-count"] {
		c.MinCount = o.minCount
	}
	if given["gate"] {
		c.Gate = o.gate
	}
	return c
}

// check checks the settings the user gave, each against its range
// (detect.Config.Check), as usage errors: before any model or audio is
// loaded. The settings not given take the most lenient values, so that
// min-count is only refused here when no model could hold it.
func (o *detectOptions) check() error {
	given := o.given()
	c := detect.Config{Hop: detect.MinCheckHop, AverageWindow: detect.MaxAverageWindow, MinCount: 1}.WithDefaults()
	c.Suppression = 0
	if err := o.apply(c, given).Check(); err != nil {
		if se := (*detect.SettingError)(nil); errors.As(err, &se) {
			return usageError("-%s %s: %s", se.Name, se.Value, se.Msg)
		}
		return err
	}
	return nil
}

// load checks the user's settings, then loads the model called name and
// returns it with the settings to detect with (see forModel).
func (o *detectOptions) load(name string) (*model.Model, detect.Config, error) {
	if err := o.check(); err != nil { // before the work of loading
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
// and detect's defaults for those it does not store, each replaced by the
// flag when the user gave it. The flags given must have passed check. A
// zero Suppression is left for detect.NewStreamer to stretch to the
// model's window.
func (o *detectOptions) forModel(m *model.Model, name string) (detect.Config, error) {
	stored, err := detect.ModelConfig(m)
	if err != nil {
		return detect.Config{}, fmt.Errorf("model %s: %w", name, err)
	}
	c := stored.WithDefaults()
	c.Suppression = stored.Suppression
	given := o.given()
	c = o.apply(c, given)
	if c.MinCount > c.Holds() && (given["min-count"] || given["average"] || given["hop"]) {
		// The user's flag, or the model's setting that it does not fit.
		what := fmt.Sprintf("-min-count %d:", c.MinCount)
		if !given["min-count"] {
			what = fmt.Sprintf("the model's min-count %d is", c.MinCount)
		}
		return detect.Config{}, usageError("%s more than the %d results an average of %v%s at a %v hop%s holds, so nothing could be reported",
			what, c.Holds(), c.AverageWindow, whose(given, "average"), c.Hop, whose(given, "hop"))
	}
	return c, nil
}

// whose says, for messages, that a setting is the model's when the user
// did not give its flag.
func whose(given map[string]bool, name string) string {
	if given[name] {
		return ""
	}
	return " (the model's)"
}

// joinLabels lists labels for messages.
func joinLabels(labels []string) string {
	return strings.Join(labels, ", ")
}
