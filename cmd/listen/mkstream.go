package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/listen-go/listen"
	"github.com/listen-go/listen/datasets"
	"github.com/listen-go/listen/datasets/mkstream"
)

func init() {
	register(command{name: "mkstream", summary: "build a long test recording of commands in noise, with its ground truth", run: runMkstream})
}

// runMkstream parses the flags into mkstream.Options and reports what
// mkstream.Make built.
func runMkstream(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	def := mkstream.DefaultOptions()
	fs := newFlagSet("mkstream", stderr)
	dataDir := fs.String("data", "", "dataset folder: one folder of WAV clips per word (required)")
	noiseDir := fs.String("noise", "", `folder of background noise WAVs (default DATA/_background_noise_ if it exists; "-" for none)`)
	outPath := fs.String("out", "", "the recording to write, a 16 kHz WAV file (required)")
	truthPath := fs.String("truth", "", `the ground truth to write, "word,time_ms" lines (required)`)
	wordList := fs.String("words", strings.Join(def.Words, ","), "the wanted words, comma-separated: their clips go in the truth; other folders are unknown words")
	minutes := fs.Float64("minutes", def.Duration.Minutes(), "length of the recording in minutes")
	seed := fs.Uint64("seed", def.Seed, "random seed: the same seed and clips give the same recording")
	unknownPct := fs.Float64("unknown-pct", def.UnknownPct, "percentage of placed clips that are other (unknown) words, listed in the truth as _unknown_")
	gapMin := fs.Duration("gap-min", def.GapMin, "shortest gap between the end of a clip and the start of the next")
	gapMax := fs.Duration("gap-max", def.GapMax, "longest gap between clips")
	noiseVol := fs.Float64("noise-volume", def.NoiseGain, "the noise bed's gain is drawn between 0 and this, every few seconds")
	wordGain := fs.Float64("word-gain-db", def.WordGainDB, "each clip's gain is drawn between -this and 0 dB")
	speakersPath := fs.String("speakers", "", "file of speaker ids, one per line: use only their clips")
	listPath := fs.String("list", "", "file of clip paths relative to DATA (word/name.wav), one per line: use only these clips")
	modelName := fs.String("model", "", "with -split: the model (a .safetensors file) whose training split of DATA to use")
	splitName := fs.String("split", "", "validation or test: use only the clips of the speakers listen train put in this split when it trained -model")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: listen mkstream -data DIR -out LONG.wav -truth LABELS.txt [flags]")
		fmt.Fprintln(stderr, "\nBuilds a long recording for \"listen eval -stream\": clips of the wanted words\n"+
			"and of other words (the _unknown_ folder and every folder not wanted), with\n"+
			"random gaps, at random volumes on a bed of background noise. The truth file\n"+
			"lists each clip at its start, in milliseconds, as TensorFlow's\n"+
			"generate_streaming_test_wav does: the other words as _unknown_, which listen\n"+
			"eval does not count as commands (a command reported on one is a false alarm).\n"+
			"Use -model and -split (a trained model's test speakers, as listen train divided\n"+
			"DATA), -speakers or -list to build it from held-out clips only.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return usageError("unexpected arguments %q", fs.Args())
	case *dataDir == "" || *outPath == "" || *truthPath == "":
		return usageError("-data, -out and -truth are required")
	case !(*minutes > 0 && *minutes <= 24*60):
		return usageError("-minutes %v: want more than 0 and at most a day", *minutes)
	case !(*unknownPct >= 0 && *unknownPct <= 100):
		return usageError("-unknown-pct %v: want 0 to 100", *unknownPct)
	case *gapMin < 0 || *gapMax < *gapMin:
		return usageError("gaps: want 0 <= -gap-min <= -gap-max")
	case !(*noiseVol >= 0 && *noiseVol <= 10):
		return usageError("-noise-volume %v: want 0 to 10", *noiseVol)
	case !(*wordGain >= 0 && *wordGain <= 60):
		return usageError("-word-gain-db %v: want 0 to 60", *wordGain)
	case (*modelName == "") != (*splitName == ""):
		return usageError("-model and -split go together")
	}
	opt := mkstream.Options{Data: *dataDir, Noise: *noiseDir, Duration: time.Duration(*minutes * float64(time.Minute)),
		Seed: *seed, UnknownPct: *unknownPct, GapMin: *gapMin, GapMax: *gapMax, NoiseGain: *noiseVol, WordGainDB: *wordGain,
		Out: *outPath, Truth: *truthPath, Warn: func(err error) { fmt.Fprintf(stderr, "listen mkstream: %v\n", oneLine(err.Error())) }}
	if opt.Words = commaList(*wordList); len(opt.Words) == 0 {
		return usageError("-words names no word")
	}
	var err error
	if *speakersPath != "" {
		if opt.Speakers, err = mkstream.ReadList(*speakersPath); err != nil {
			return err
		}
	}
	if *listPath != "" {
		if opt.Clips, err = mkstream.ReadList(*listPath); err != nil {
			return err
		}
	}
	if *splitName != "" {
		split, err := datasets.ParseSplit(*splitName)
		if err != nil || split == datasets.All {
			return usageError("-split %q: want train, validation or test", *splitName)
		}
		m, err := listen.LoadModel(*modelName)
		if err != nil {
			return err
		}
		scanOpt, err := datasets.TrainedOptions(m.Meta.Labels, m.Meta.Training)
		if err != nil {
			return fmt.Errorf("%s: %w", *modelName, err)
		}
		ids, err := mkstream.SplitSpeakers(*dataDir, scanOpt, split)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "using the clips of the %d speakers in %s's %s split\n", len(ids), *modelName, split)
		opt.Keep = mkstream.KeepSpeakers(ids)
	}
	s, err := mkstream.Make(ctx, opt)
	if err != nil {
		return err
	}
	counts := map[string]int{}
	for _, e := range s.Truth {
		counts[e.Label]++
	}
	commands := len(s.Truth) - counts[datasets.UnknownLabel]
	var parts []string
	for _, w := range opt.Words {
		parts = append(parts, fmt.Sprintf("%s %d", w, counts[w]))
	}
	fmt.Fprintf(stdout, "wrote %s: %v, %d commands (%s) and %d unknown words; truth in %s\n",
		*outPath, s.Duration(), commands, strings.Join(parts, ", "), len(s.Truth)-commands, *truthPath)
	return nil
}
