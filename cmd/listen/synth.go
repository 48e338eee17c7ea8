package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/datasets"
	"github.com/listen-go/listen/datasets/synth"
)

func init() {
	register(command{name: "synth", summary: "write training clips of phrases spoken by speech synthesisers", run: runSynth})
}

func runSynth(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("synth", stderr)
	phrases := fs.String("phrases", "", `the phrases, separated by ";": "hey, what is the temperature; turn on the lights"`)
	dir := fs.String("dir", "", "the data set folder to write: DIR/<label>/*.wav, DIR/labels.txt, DIR/synth.tsv")
	n := fs.Int("n", 1000, "clips per phrase; more is better (go doc datasets/synth.DefaultVariation says why; docs/experiments.md, \"Synthesised speech\", has the figures)")
	others := fs.Int("others", 0, "instead of -phrases: pick this many other words and short phrases for _unknown_, weighted towards words that sound like -commands, each said once unless -n is given")
	dict := fs.String("dict", synth.DefaultLexicon, "with -others: the pronouncing dictionary (festlex-cmu's, or the plain CMU one)")
	words := fs.String("words", "", `with -others: a file of the words to choose from (one a line, a dictionary, or festlex-poslex's `+synth.CommonWords+`); "" means all of -dict's`)
	commands := fs.String("commands", strings.Join(datasets.DefaultWords, ","), "with -others: the model's commands, comma-separated: never picked, nor their homophones")
	confusable := fs.Float64("confusable", synth.DefaultConfusableShare, "with -others: the share of words taken from those that sound most like a command; the rest are drawn uniformly")
	phraseShare := fs.Float64("phrase-share", synth.DefaultPhraseShare, "with -others: the share of two- and three-word phrases")
	noise := fs.String("noise", "", `folder of background-noise WAVs to mix in (Speech Commands' _background_noise_); "" generates white, pink and brown noise`)
	seed := fs.Uint64("seed", 1, "random seed: the same seed writes the same clips")
	engines := fs.String("engines", "", `synthesisers to use, comma-separated (espeak-ng,flite); "" uses those installed`)
	window := fs.Duration("window", 0, "length of every clip, at most 3s; 0 chooses it from the longest phrase")
	workers := fs.Int("workers", 0, "synthesiser processes at once; 0 means one per core")
	voices := fs.String("voices", "", "only these voices, comma-separated speaker ids or names (see -list-voices)")
	exclude := fs.String("exclude-voices", "", "not these voices, comma-separated speaker ids or names: hold them out to check a model")
	listVoices := fs.Bool("list-voices", false, "list the installed voices (speaker id and name) and exit")
	writeNoise := fs.String("write-noise", "", "write a minute each of generated white, pink and brown noise and mains hum to this folder, as WAVs for the -noise of listen train and listen synth (no dataset needed), and exit")
	reverb := fs.Float64("reverb", 0, "share of clips spoken in a synthetic room (reverberation 0.15 to 0.9 s, the talker near or far), as listen train -reverb")
	band := fs.Float64("band", 0, "share of clips heard through a random microphone's band (high-pass 80-500 Hz, low-pass 3-7.5 kHz), as listen train -band")
	quiet := fs.Bool("q", false, "no progress")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: listen synth -phrases \"A; B\" -dir DIR [-n N] [-noise DIR] [-seed S] [-engines espeak-ng,flite]\n")
		fmt.Fprintf(stderr, "       listen synth -others N -dir DIR [-commands yes,no,...] [-dict FILE] [-words FILE] [-noise DIR] ...\n")
		fmt.Fprintf(stderr, "       listen synth -write-noise DIR\n\n")
		fmt.Fprintf(stderr, "Speaks each phrase N times with the installed synthesisers' voices, at varied\nrates, pitches, levels and places in the window, with background noise, and\nwrites the clips where \"listen train -data DIR\" reads them.\n")
		fmt.Fprintf(stderr, "With -others it speaks other words and phrases instead, for \"listen train -unknown DIR\",\nand lists them in DIR/%s.\n\n", synth.OthersFile)
		fmt.Fprintf(stderr, "Flags:\n")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("unexpected argument %q", fs.Arg(0))
	}
	if *listVoices {
		return listSynthVoices(ctx, commaList(*engines), stdout, stderr)
	}
	if *writeNoise != "" {
		if *phrases != "" || *others != 0 || *dir != "" {
			return usageError("-write-noise writes noise only: give -phrases, -others and -dir in another run")
		}
		return writeNoiseFiles(*writeNoise, *seed, stdout)
	}
	if (*phrases == "") == (*others == 0) || *dir == "" {
		return usageError("-dir and one of -phrases and -others are required")
	}
	if *n <= 0 {
		return usageError("-n %d: want at least 1", *n)
	}
	var list []string
	var err error
	if *others != 0 {
		if *others < 0 {
			return usageError("-others %d: want at least 1", *others)
		}
		opt := synth.OtherOptions{Commands: commaList(*commands), N: *others, ConfusableShare: *confusable, PhraseShare: *phraseShare, Seed: *seed}
		if list, err = pickOthers(*dict, *words, *dir, opt, stderr); err != nil {
			return err
		}
		once := true
		fs.Visit(func(f *flag.Flag) { once = once && f.Name != "n" })
		if once {
			*n = 1
		}
	} else if list, err = synth.ParsePhrases(*phrases); err != nil {
		return usageError("-phrases: %v", err)
	}
	if *workers < 0 {
		return usageError("-workers %d: want 0 (one per core) or more", *workers)
	}
	if *window < 0 || *window > synth.MaxWindow {
		return usageError("-window %v: want 0 or up to %v", *window, synth.MaxWindow)
	}
	if !(*reverb >= 0 && *reverb <= 1) || !(*band >= 0 && *band <= 1) {
		return usageError("-reverb %v and -band %v: want shares from 0 to 1", *reverb, *band)
	}
	var vary *synth.Variation
	if *reverb > 0 || *band > 0 {
		v := synth.DefaultVariation()
		v.Room = datasets.Room{Reverb: *reverb, Band: *band}
		vary = &v
	}
	opt := synth.Options{
		Phrases:   list,
		Dir:       *dir,
		PerPhrase: *n,
		Seed:      *seed,
		NoiseDir:  *noise,
		Window:    *window,
		Workers:   *workers,
		Variation: vary,
		Engines:   commaList(*engines), Voices: commaList(*voices), ExcludeVoices: commaList(*exclude),
		// Other words are many phrases of a clip or two each: every
		// voice gets its share; renderings too long are left out.
		EveryVoice: *others != 0, DropLong: *others != 0,
	}
	if !*quiet {
		opt.Progress = stderr
	}
	start := time.Now()
	res, err := synth.Generate(ctx, opt)
	if err != nil {
		return err
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(stderr, "listen synth: warning: %s\n", w)
	}
	engineNames, voiceCounts := res.EngineVoices()
	counts := make([]string, len(engineNames))
	for i, e := range engineNames {
		counts[i] = fmt.Sprintf("%s %d", e, voiceCounts[i])
	}
	fmt.Fprintf(stdout, "wrote %d clips of %d phrases to %s in %v\n", len(res.Clips), len(list), *dir,
		time.Since(start).Round(100*time.Millisecond))
	fmt.Fprintf(stdout, "window %.1f s (longest phrase %.2f s); voices: %s\n",
		float64(res.Window)/audio.Rate, float64(res.LongestSpeech())/audio.Rate, strings.Join(counts, ", "))
	return nil
}

// pickOthers picks the -others words and lists them in the data set
// folder; a missing dictionary says how to get one.
func pickOthers(dict, words, dir string, opt synth.OtherOptions, stderr io.Writer) ([]string, error) {
	lex, err := synth.ReadLexiconFile(dict, words)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w (install festlex-cmu, or give -dict a pronouncing dictionary)", err)
	} else if err != nil {
		return nil, err
	}
	set, err := synth.PickOthers(lex, opt)
	if err != nil {
		return nil, err
	}
	for _, w := range set.Warnings {
		fmt.Fprintf(stderr, "listen synth: warning: %s\n", w)
	}
	for _, c := range opt.Commands {
		if h := set.Homophones[strings.ToLower(c)]; len(h) > 0 {
			fmt.Fprintf(stderr, "listen synth: left out as sounding like %q: %s\n", c, strings.Join(h, " "))
		}
	}
	return set.Texts(), synth.WriteOthers(dir, set)
}

// noiseKinds are the files -write-noise writes, each a minute long: the
// generated noises of synth (GenerateNoise) and mains hum.
var noiseKinds = []string{synth.White, synth.Pink, synth.Brown, "hum"}

// writeNoiseFiles writes a minute of each of noiseKinds to dir as KIND.wav,
// RMS about 0.1 each, for a newcomer without Speech Commands'
// _background_noise_: listen train needs background noise for its
// augmentation and its _silence_ clips.
func writeNoiseFiles(dir string, seed uint64, stdout io.Writer) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(seed, 0x6e6f697365))
	x := make([]float32, 60*audio.Rate)
	for _, kind := range noiseKinds {
		if kind == "hum" {
			hum(x, rng)
		} else {
			synth.GenerateNoise(x, kind, rng)
		}
		path := filepath.Join(dir, kind+".wav")
		if err := audio.WriteFile(path, x, audio.Rate); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "wrote %d minutes of noise to %s: %s; use it as -noise %s\n", len(noiseKinds), dir,
		strings.Join(noiseKinds, ", "), dir)
	return nil
}

// hum fills dst with mains hum: 50 Hz and its harmonics to 450 Hz, each
// odd one at 1/k of the fundamental and the even ones at half that (a
// transformer's or a fan's buzz), drifting slowly in phase, over a faint
// pink floor; RMS about 0.1.
func hum(dst []float32, rng *rand.Rand) {
	synth.GenerateNoise(dst, synth.Pink, rng)
	var phase [10]float64
	for k := range phase {
		phase[k] = 2 * math.Pi * rng.Float64()
	}
	const f0 = 50.0
	for i := range dst {
		t := float64(i) / audio.Rate
		drift := 0.3 * math.Sin(2*math.Pi*0.05*t)
		v := 0.0
		for k := 1; k < len(phase); k++ {
			a := 1 / float64(k)
			if k%2 == 0 {
				a /= 2
			}
			v += a * math.Sin(2*math.Pi*f0*float64(k)*t+phase[k]+float64(k)*drift)
		}
		dst[i] = float32(0.125*v) + 0.1*dst[i]
	}
}

// commaList splits a comma-separated flag value, nil for "".
func commaList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func listSynthVoices(ctx context.Context, engines []string, stdout, stderr io.Writer) error {
	vs, warnings, err := synth.ListVoices(ctx, engines)
	for _, w := range warnings {
		fmt.Fprintf(stderr, "listen synth: warning: %s\n", w)
	}
	for _, v := range vs {
		fmt.Fprintf(stdout, "%s\t%s\n", v.Speaker, v.Name)
	}
	return err
}
