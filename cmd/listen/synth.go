package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/datasets/synth"
)

func init() {
	register(command{name: "synth", summary: "write training clips of phrases spoken by speech synthesisers", run: runSynth})
}

func runSynth(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("synth", stderr)
	phrases := fs.String("phrases", "", `the phrases, separated by ";": "hey, what is the temperature; turn on the lights"`)
	dir := fs.String("dir", "", "the data set folder to write: DIR/<label>/*.wav, DIR/labels.txt, DIR/synth.tsv")
	n := fs.Int("n", 1000, "clips per phrase; more is better (go doc datasets/synth.DefaultVariation has the figures)")
	noise := fs.String("noise", "", `folder of background-noise WAVs to mix in (Speech Commands' _background_noise_); "" generates white, pink and brown noise`)
	seed := fs.Uint64("seed", 1, "random seed: the same seed writes the same clips")
	engines := fs.String("engines", "", `synthesisers to use, comma-separated (espeak-ng,flite); "" uses those installed`)
	window := fs.Duration("window", 0, "length of every clip, at most 3s; 0 chooses it from the longest phrase")
	workers := fs.Int("workers", 0, "synthesiser processes at once; 0 means one per core")
	voices := fs.String("voices", "", "only these voices, comma-separated speaker ids or names (see -list-voices)")
	exclude := fs.String("exclude-voices", "", "not these voices, comma-separated speaker ids or names: hold them out to check a model")
	listVoices := fs.Bool("list-voices", false, "list the installed voices (speaker id and name) and exit")
	quiet := fs.Bool("q", false, "no progress")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: listen synth -phrases \"A; B\" -dir DIR [-n N] [-noise DIR] [-seed S] [-engines espeak-ng,flite]\n\n")
		fmt.Fprintf(stderr, "Speaks each phrase N times with the installed synthesisers' voices, at varied\nrates, pitches, levels and places in the window, with background noise, and\nwrites the clips where \"listen train -data DIR\" reads them.\n\n")
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
	if *phrases == "" || *dir == "" {
		return usageError("-phrases and -dir are required")
	}
	list, err := synth.ParsePhrases(*phrases)
	if err != nil {
		return usageError("-phrases: %v", err)
	}
	if *n <= 0 {
		return usageError("-n %d: want at least 1", *n)
	}
	if *window < 0 || *window > synth.MaxWindow {
		return usageError("-window %v: want 0 or up to %v", *window, synth.MaxWindow)
	}
	opt := synth.Options{
		Phrases:   list,
		Dir:       *dir,
		PerPhrase: *n,
		Seed:      *seed,
		NoiseDir:  *noise,
		Window:    *window,
		Workers:   *workers,
	}
	opt.Engines = commaList(*engines)
	opt.Voices = commaList(*voices)
	opt.ExcludeVoices = commaList(*exclude)
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
	perEngine := map[string]int{}
	var order []string
	for _, v := range res.Voices {
		if perEngine[v.Engine] == 0 {
			order = append(order, v.Engine)
		}
		perEngine[v.Engine]++
	}
	var counts []string
	for _, e := range order {
		counts = append(counts, fmt.Sprintf("%s %d", e, perEngine[e]))
	}
	longest := 0
	for _, c := range res.Clips {
		longest = max(longest, c.Speech)
	}
	fmt.Fprintf(stdout, "wrote %d clips of %d phrases to %s in %v\n", len(res.Clips), len(list), *dir,
		time.Since(start).Round(100*time.Millisecond))
	fmt.Fprintf(stdout, "window %.1f s (longest phrase %.2f s); voices: %s\n",
		float64(res.Window)/audio.Rate, float64(longest)/audio.Rate, strings.Join(counts, ", "))
	return nil
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
	es, warnings, err := synth.Find(engines)
	if err != nil {
		return err
	}
	for _, w := range warnings {
		fmt.Fprintf(stderr, "listen synth: warning: %s\n", w)
	}
	for _, e := range es {
		vs, err := e.Voices(ctx)
		if err != nil {
			return err
		}
		for _, v := range vs {
			fmt.Fprintf(stdout, "%s\t%s\n", v.Speaker, v.Name)
		}
	}
	return nil
}
