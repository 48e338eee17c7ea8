package recipe

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/datasets"
	"github.com/listen-go/listen/mfcc"
	"github.com/listen-go/listen/model/detect"
	"github.com/listen-go/listen/train"
)

// Options are a training run: the data, the recipe, where the run writes
// and whom it tells. Each field's comment gives its flag of listen train.
// A zero value means what the flag's zero value means; start from
// [Default] for the recipe listen train runs.
type Options struct {
	Data  string // -data: folder of WAV clips, one folder per word (required)
	Words string // -words: the words to recognise, comma-separated; "" means the ten benchmark words, or every folder
	// Noise (-noise) is the folder of background-noise WAVs for
	// augmentation and silence clips; "" means DATA/_background_noise_,
	// "-" none.
	Noise string

	Epochs, Batch, Hidden, Layers int // -epochs, -batch, -hidden, -layers
	Patience                      int // -patience: stop after this many epochs without a better validation accuracy; 0 never
	Workers                       int // -workers: training goroutines; results are reproducible for a seed and worker count

	Optimizer, Schedule string  // -optimizer (adam or sgd), -schedule (constant, cosine or step)
	LR                  float64 // -lr: peak learning rate; 0 means 1e-3 for adam, 0.05 for sgd
	WeightDecay         float64 // -wd
	Momentum            float64 // -momentum: SGD's; 0 means none
	Clip                float64 // -clip: gradient global-norm cap; 0 means none
	Warmup              float64 // -warmup: epochs of linear learning-rate warm-up
	EMA                 float64 // -ema: decay of the weight average that validation and the model use; 0 none
	Dropout, Smooth     float64 // -dropout, -smooth (label smoothing)
	Seed                int64   // -seed: initial weights, data order, augmentation, dropout
	CMN                 bool    // -cmn: cepstral mean normalisation

	SpecAugment bool          // -specaug: time and frequency masks on training features
	Augment     bool          // -augment: shift, noise, speed and warp of training clips, as the next fields say
	Shift       time.Duration // -shift
	NoiseProb   float64       // -noise-prob
	NoiseMax    float64       // -noise-max
	Speed, Warp float64       // -speed, -warp
	// Reverb, Band and Gain (-reverb, -band, -gain) are
	// datasets.Room's: the share of clips in a synthetic room, the share
	// through a random microphone's band, and the largest gain change in
	// dB.
	Reverb, Band, Gain float64

	ValPct, TestPct float64 // -val-pct, -test-pct: percent of speakers held out when DATA has no lists; 0 none

	// Window (-window) is the clip length the model reads; 0 chooses it
	// from the commands' clips (datasets.Dataset.Window). Hop (-hop) is
	// the feature frame hop.
	Window, Hop time.Duration
	// Unknown (-unknown) are folders of other speech for _unknown_,
	// comma-separated. "synth" has the synthesisers speak 60 other phrases
	// into DATA/.other-speech (once; later runs reuse them); "" does that
	// when DATA has a labels.txt and only command folders; "-" means none.
	// OtherN (-other-n) is the clips of each phrase.
	Unknown string
	OtherN  int
	// Extra (-extra) are folders of more clips of the commands,
	// comma-separated, for training only.
	Extra                  string
	UnknownPct, SilencePct float64 // -unknown-pct, -silence-pct: of each split's command clips; 0 none
	// Tight and Place (-tight, -place) are datasets.Augment's; -1 means
	// 0.3 and 0.7 for a window longer than a second, else 0.
	Tight, Place float64
	// Join (-join) is the share of training clips, _silence_ aside, made
	// _unknown_ by joining the end of their word to the start of another's
	// (datasets.LoaderConfig.Join); 0 none.
	Join float64
	// Detect (-detect) are the streaming detection settings stored in
	// the model, "threshold=0.8,average=500ms" (see [ParseDetect]).
	Detect string

	// Out, Checkpoint and Metrics (-out, -checkpoint, -metrics) are where
	// the model, the checkpoint and the per-epoch metrics (JSON lines)
	// are written; Curves and Confusion are the PNG plots of the training
	// curves and the test confusion matrix. "" writes none of that file.
	Out, Checkpoint, Metrics string
	Curves, Confusion        string

	// Resume, when not nil, is the state a run continues, from
	// [Saved.Options].
	Resume *train.Checkpoint
	// Report receives lines for people (the data's summary, warnings,
	// clips that could not be read) as they happen; nil drops them.
	Report func(Message)
	// Progress receives the training's bars and per-epoch lines, redrawn
	// in place when Live (train.Config); SynthProgress the synthesisers'
	// when they make other speech. nil means none.
	Progress, SynthProgress io.Writer
	Live                    bool
}

// A Message is a line a run reports: news, or a warning that something is
// off but the run goes on.
type Message struct {
	Warning bool
	Text    string
}

// Default returns listen train's defaults: the recipe that scored best
// (85.3 % pooled validation accuracy) in a four-fold speaker
// cross-validation on Speech Commands, with the later additions that held
// up on held-out speakers; docs/experiments.md ("Features and hop",
// "Training recipe") has the figures.
func Default() Options {
	return Options{
		Epochs: 80, Batch: 64, Hidden: 128, Layers: 2, Workers: runtime.NumCPU(),
		Optimizer: "adam", Schedule: "constant", WeightDecay: 1e-2, Momentum: 0.9, Clip: 5, EMA: 0.995,
		Dropout: 0.3, Seed: 1, CMN: true,
		SpecAugment: true, Augment: true, Shift: 100 * time.Millisecond, NoiseProb: 0.8, NoiseMax: 0.2, Warp: 0.1,
		ValPct: 10, TestPct: 10,
		Hop: 20 * time.Millisecond, OtherN: 10, UnknownPct: 10, SilencePct: 10, Tight: -1, Place: -1,
	}
}

// RegisterFlags declares listen train's flags on fs, each bound to its
// field of o, with o's values as the defaults.
func (o *Options) RegisterFlags(fs *flag.FlagSet) {
	fs.StringVar(&o.Data, "data", o.Data, "folder of WAV clips, one folder per word (Speech Commands layouts too)")
	fs.StringVar(&o.Out, "out", o.Out, "where to write the trained model")
	fs.StringVar(&o.Checkpoint, "checkpoint", o.Checkpoint, "checkpoint file (default: OUT with .ckpt added)")
	fs.StringVar(&o.Metrics, "metrics", o.Metrics, "per-epoch metrics, JSON lines (default: next to OUT, .metrics.jsonl)")
	fs.StringVar(&o.Noise, "noise", o.Noise, "background-noise WAVs for augmentation and silence clips (default DATA/_background_noise_; - for none)")
	fs.StringVar(&o.Words, "words", o.Words, "comma-separated words to recognise (default: the ten benchmark words, or every folder)")
	fs.IntVar(&o.Epochs, "epochs", o.Epochs, "passes over the training clips")
	fs.IntVar(&o.Batch, "batch", o.Batch, "clips per optimizer step")
	fs.IntVar(&o.Hidden, "hidden", o.Hidden, "LSTM state size")
	fs.IntVar(&o.Layers, "layers", o.Layers, "stacked LSTM layers")
	fs.IntVar(&o.Patience, "patience", o.Patience, "stop after this many epochs without a better validation accuracy (0: never)")
	fs.IntVar(&o.Workers, "workers", o.Workers, "training goroutines (results are reproducible for a given seed and worker count)")
	fs.Float64Var(&o.LR, "lr", o.LR, "peak learning rate (default 1e-3 for adam, 0.05 for sgd)")
	fs.Float64Var(&o.WeightDecay, "wd", o.WeightDecay, "weight decay (decoupled, AdamW, for adam; L2 for sgd)")
	fs.Float64Var(&o.Dropout, "dropout", o.Dropout, "dropout between LSTM layers and before the output layer")
	fs.Float64Var(&o.Smooth, "smooth", o.Smooth, "label smoothing: the share of each training target spread over all classes (0: plain cross-entropy)")
	fs.Float64Var(&o.Warmup, "warmup", o.Warmup, "epochs of linear learning-rate warm-up")
	fs.Float64Var(&o.EMA, "ema", o.EMA, "decay of a moving average of the weights, updated every step, which validation and the saved model use (0: none; 0.995 averages about 200 steps)")
	fs.Float64Var(&o.Clip, "clip", o.Clip, "gradient global-norm cap (0: none)")
	fs.Float64Var(&o.Momentum, "momentum", o.Momentum, "SGD momentum")
	fs.StringVar(&o.Optimizer, "optimizer", o.Optimizer, "adam or sgd")
	fs.StringVar(&o.Schedule, "schedule", o.Schedule, "learning-rate schedule: constant, cosine (to lr/100) or step (/10 at 1/2 and 3/4 of -epochs)")
	fs.Int64Var(&o.Seed, "seed", o.Seed, "seed of the initial weights, data order, augmentation and dropout")
	fs.BoolVar(&o.CMN, "cmn", o.CMN, "subtract each clip's mean MFCC (cepstral mean normalisation)")
	fs.StringVar(&o.Detect, "detect", o.Detect, "streaming detection settings stored in the model as its defaults for listen and classify, by flag name: \"threshold=0.8,average=500ms\"")
	fs.BoolVar(&o.SpecAugment, "specaug", o.SpecAugment, "time and frequency masking of training features")
	fs.BoolVar(&o.Augment, "augment", o.Augment, "augmentation of training clips: time shift, background noise, speed, warp, room and microphone (see -shift, -noise-prob, -noise-max, -speed, -warp, -reverb, -band, -gain)")
	fs.DurationVar(&o.Shift, "shift", o.Shift, "largest random time shift of a training clip")
	fs.Float64Var(&o.NoiseProb, "noise-prob", o.NoiseProb, "share of training clips that get background noise")
	fs.Float64Var(&o.NoiseMax, "noise-max", o.NoiseMax, "largest background-noise volume (drawn uniformly from 0 to this)")
	fs.Float64Var(&o.Speed, "speed", o.Speed, "largest relative change of speaking rate (speed perturbation; 0.1 plays clips 0.9 to 1.1 times as fast)")
	fs.Float64Var(&o.Warp, "warp", o.Warp, "largest relative change of the mel filters' frequencies (vocal tract length perturbation; 0.1 warps each clip by 0.9 to 1.1)")
	fs.Float64Var(&o.Reverb, "reverb", o.Reverb, "share of training clips heard in a synthetic room: reverberation time 0.15 to 0.9 s, the talker near or far (datasets.Room)")
	fs.Float64Var(&o.Band, "band", o.Band, "share of training clips heard through a random microphone's band: high-pass 80-500 Hz, low-pass 3-7.5 kHz, as phones and laptops cut")
	fs.Float64Var(&o.Gain, "gain", o.Gain, "largest gain change of a training clip, in dB, after its noise; clipped at full scale as an overdriven recording is (0: none)")
	fs.Float64Var(&o.ValPct, "val-pct", o.ValPct, "percent of clips (speakers) for validation when DIR has no lists")
	fs.Float64Var(&o.TestPct, "test-pct", o.TestPct, "percent of clips (speakers) held out for the final test when DIR has no lists")

	fs.DurationVar(&o.Window, "window", o.Window, "samples each clip is padded (at the end, with zeros) or cut to, up to 3s; 0 chooses it from the commands' clip lengths (99th percentile, rounded up to 100ms, 1s to 3s)")
	fs.DurationVar(&o.Hop, "hop", o.Hop, "feature frame hop, stored in the model: 20ms (49 frames a second) trains twice as fast as 10ms and scored higher on held-out speakers")
	fs.StringVar(&o.Unknown, "unknown", o.Unknown, "folders of other speech for _unknown_, comma-separated (a Speech Commands folder, less the clips its testing_list.txt names; listen synth output); "+
		`"synth" has the synthesisers speak 60 other phrases; "" does that when DATA has a labels.txt (listen synth's output) and only command folders; "-" for none`)
	fs.StringVar(&o.Extra, "extra", o.Extra, "folders of more clips of the commands, one folder per command (listen synth's output, another Speech Commands folder), comma-separated: for training only, never validated or tested on; "+
		"clips of speakers in validation or test, and those a folder's testing_list.txt names, are left out")
	fs.Float64Var(&o.UnknownPct, "unknown-pct", o.UnknownPct, "_unknown_ clips drawn per split, as a percentage of its command clips (when they are drawn from other words)")
	fs.Float64Var(&o.SilencePct, "silence-pct", o.SilencePct, "_silence_ clips cut from the noise per split, as a percentage of its command clips")
	fs.Float64Var(&o.Tight, "tight", o.Tight, "share of training clips cut to their sound and padded at the end, as listen classify pads a short recording (datasets.Augment.Tight); -1: 0.3 when the window is longer than 1 s, else 0")
	fs.Float64Var(&o.Place, "place", o.Place, "share of training clips whose sound is moved to a random place in the window, as a streaming detector sees it (datasets.Augment.Place); -1: 0.7 when the window is longer than 1 s, else 0")
	fs.Float64Var(&o.Join, "join", o.Join, "share of training clips (but _silence_) made _unknown_ by joining the end of their word to the start of another clip's, as a sliding window sees two words (datasets.LoaderConfig.Join); 0: none")
	fs.IntVar(&o.OtherN, "other-n", o.OtherN, "clips of each of the 60 other phrases synthesised for _unknown_ (see -unknown)")
}

// list splits a comma-separated list; empty items are dropped.
func list(s string) []string {
	var out []string
	for _, w := range strings.Split(s, ",") {
		if w = strings.TrimSpace(w); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// An OptionError says which option is out of range, by its flag name.
type OptionError struct{ Msg string }

func (e *OptionError) Error() string { return e.Msg }

func optionError(format string, a ...any) error { return &OptionError{fmt.Sprintf(format, a...)} }

// Check reports the first option out of range as an *OptionError.
func (o *Options) Check() error {
	switch {
	case o.Data == "":
		return optionError("-data DIR is required")
	case o.Epochs <= 0, o.Batch <= 0, o.Hidden <= 0, o.Layers <= 0:
		return optionError("-epochs, -batch, -hidden and -layers must be positive")
	case !(o.Join >= 0 && o.Join <= 1):
		return optionError("-join %v must be in [0, 1]", o.Join)
	case o.Dropout < 0 || o.Dropout >= 1:
		return optionError("-dropout %v must be in [0, 1)", o.Dropout)
	case o.Smooth < 0 || o.Smooth >= 1:
		return optionError("-smooth %v must be in [0, 1)", o.Smooth)
	case o.Optimizer != "adam" && o.Optimizer != "sgd":
		return optionError("-optimizer %q: want adam or sgd", o.Optimizer)
	case o.EMA < 0 || o.EMA >= 1:
		return optionError("-ema %v must be in [0, 1)", o.EMA)
	case o.Patience < 0, o.LR < 0, o.WeightDecay < 0, o.Warmup < 0, o.Clip < 0:
		return optionError("-patience, -lr, -wd, -warmup and -clip cannot be negative")
	case o.Shift < 0, o.NoiseMax < 0, o.NoiseProb < 0 || o.NoiseProb > 1:
		return optionError("-shift and -noise-max cannot be negative, and -noise-prob must be in [0, 1]")
	case o.Speed < 0 || o.Speed >= 0.5:
		return optionError("-speed %v must be in [0, 0.5)", o.Speed)
	case o.Warp < 0 || o.Warp > 0.4:
		return optionError("-warp %v must be in [0, 0.4]", o.Warp)
	case !(o.Reverb >= 0 && o.Reverb <= 1), !(o.Band >= 0 && o.Band <= 1):
		return optionError("-reverb %v and -band %v must be in [0, 1]", o.Reverb, o.Band)
	case !(o.Gain >= 0 && o.Gain <= 40):
		return optionError("-gain %v must be in [0, 40] dB", o.Gain)
	}
	if _, err := ParseDetect(o.Detect); err != nil {
		return err
	}
	if _, err := o.features(); err != nil {
		return err
	}
	if o.Window != 0 {
		if _, err := o.windowSamples(); err != nil {
			return err
		}
	}
	return nil
}

// features is the MFCC configuration: mfcc.DefaultConfig with Hop.
func (o *Options) features() (mfcc.Config, error) {
	c := mfcc.DefaultConfig()
	h := int(o.Hop.Seconds()*audio.Rate + 0.5)
	if h < 1 || h > c.WindowLength {
		return c, optionError("-hop %v: want more than 0 and at most the %d-sample analysis window", o.Hop, c.WindowLength)
	}
	c.HopLength = h
	return c, nil
}

// windowSamples is Window in samples.
func (o *Options) windowSamples() (int, error) {
	n := int(o.Window.Seconds()*audio.Rate + 0.5)
	if n < 1 || n > datasets.MaxWindow {
		return 0, optionError("-window %v: want up to %v", o.Window, time.Duration(datasets.MaxWindow)*time.Second/audio.Rate)
	}
	return n, nil
}

// ParseDetect reads detection settings written "name=value,name=value"
// (the names of listen's flags: threshold, average, ...) into the form a
// model stores (model.Metadata.Detection), checked by detect.ParseSettings;
// "" gives nil. A bad setting is an *OptionError naming -detect.
func ParseDetect(s string) (map[string]string, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	m := map[string]string{}
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
		if !ok {
			return nil, optionError("-detect %q: want name=value pairs separated by commas", s)
		}
		m[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	c, err := detect.ParseSettings(m)
	if err != nil {
		return nil, optionError("-detect: %v", err)
	}
	return c.Settings(), nil
}

// record is o as a JSON object from flag name to value: what checkpoints
// keep (to resume) and, cut to base names, models (see portableFlags).
func (o Options) record() string {
	fs := flag.NewFlagSet("record", flag.ContinueOnError)
	o.RegisterFlags(fs)
	m := map[string]string{}
	fs.VisitAll(func(fl *flag.Flag) { m[fl.Name] = fl.Value.String() })
	b, _ := json.Marshal(m)
	return string(b)
}
