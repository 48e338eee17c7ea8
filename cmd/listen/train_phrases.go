package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/datasets"
	"github.com/listen-go/listen/datasets/synth"
	"github.com/listen-go/listen/mfcc"
	"github.com/listen-go/listen/model"
)

// phraseFlags are listen train's flags for commands of any length and for
// folders of the user's own commands: the window, where _unknown_ comes
// from, and how much of it and of _silence_ to draw.
type phraseFlags struct {
	window, hop            time.Duration
	unknown, extra         string
	unknownPct, silencePct float64
	tight, place           float64
	otherN                 int
}

// otherSpeechDir is where listen train writes synthesised other speech in a
// data folder: a dot folder, which Scan does not take for a label.
const otherSpeechDir = ".other-speech"

// otherSpeech is what listen train has the synthesisers say for _unknown_
// when a folder of commands comes without other speech: everyday words and
// short requests, some sharing words with typical commands (lights, music,
// time, on, off, stop) so the model must hear the whole phrase. A phrase
// whose label is one of the commands is left out.
var otherSpeech = []string{
	"good morning", "how are you", "open the door", "close the window", "call my mother",
	"set an alarm", "the weather is nice today", "it is cold outside", "i like music", "turn left",
	"turn right", "lights", "music", "time", "temperature", "hey", "okay", "thank you",
	"see you later", "where are my keys", "read the news", "lock the door", "go to sleep",
	"what is your name", "one two three", "yes please", "no thanks", "start the timer", "stop",
	"play", "on", "off", "the music is loud", "it is time to go", "turn it up", "turn it down",
	"switch on the heater", "what day is it", "what is the date", "play the video", "stop the video",
	"pause", "next song", "volume up", "dim the lights", "hello there", "good night",
	"how is the weather", "tell me a joke", "remind me tomorrow", "add milk to the list",
	"open the garage", "feed the cat", "water the plants", "call the office", "turn on the fan",
	"turn off the radio", "play a game", "stop the car", "the lights are off",
}

func (p *phraseFlags) define(fs *flag.FlagSet) {
	fs.DurationVar(&p.window, "window", 0, "samples each clip is padded (at the end, with zeros) or cut to, up to 3s; 0 chooses it from the commands' clip lengths (99th percentile, rounded up to 100ms, 1s to 3s)")
	fs.DurationVar(&p.hop, "hop", 20*time.Millisecond, "feature frame hop, stored in the model: 20ms (49 frames a second) trains twice as fast as 10ms and scored higher on held-out speakers")
	fs.StringVar(&p.unknown, "unknown", "", "folders of other speech for _unknown_, comma-separated (a Speech Commands folder, less the clips its testing_list.txt names; listen synth output); "+
		`"synth" has the synthesisers speak 60 other phrases; "" does that when DATA has a labels.txt (listen synth's output) and only command folders; "-" for none`)
	fs.StringVar(&p.extra, "extra", "", "folders of more clips of the commands, one folder per command (listen synth's output, another Speech Commands folder), comma-separated: for training only, never validated or tested on; "+
		"clips of speakers in validation or test, and those a folder's testing_list.txt names, are left out")
	fs.Float64Var(&p.unknownPct, "unknown-pct", 10, "_unknown_ clips drawn per split, as a percentage of its command clips (when they are drawn from other words)")
	fs.Float64Var(&p.silencePct, "silence-pct", 10, "_silence_ clips cut from the noise per split, as a percentage of its command clips")
	fs.Float64Var(&p.tight, "tight", -1, "share of training clips cut to their sound and padded at the end, as listen classify pads a short recording (datasets.Augment.Tight); -1: 0.3 when the window is longer than 1 s, else 0")
	fs.Float64Var(&p.place, "place", -1, "share of training clips whose sound is moved to a random place in the window, as a streaming detector sees it (datasets.Augment.Place); -1: 0.7 when the window is longer than 1 s, else 0")
	fs.IntVar(&p.otherN, "other-n", 10, "clips of each of the 60 other phrases synthesised for _unknown_ (see -unknown)")
}

// options sets the Scan options these flags control.
func (p *phraseFlags) options(opt *datasets.Options) {
	opt.UnknownPct, opt.SilencePct = pctOpt(p.unknownPct), pctOpt(p.silencePct)
	if p.unknown != "" && p.unknown != "-" && p.unknown != "synth" {
		opt.UnknownDirs = commaList(p.unknown)
	}
	if p.extra != "" {
		opt.ExtraDirs = commaList(p.extra)
	}
}

// scan is datasets.Scan, and then, with -unknown synth, or for a folder of
// commands only (Folders layout, no other-word folders, a labels.txt as
// listen synth writes) with no -unknown given, the synthesisers speak the
// otherSpeech phrases into DATA/.other-speech (once: a later run reuses
// them; delete the folder to make new ones) and the folder is scanned again
// with them as its other speech. The labels.txt condition keeps a plain
// folder of folders (tones, say) a plain classification problem.
func (p *phraseFlags) scan(ctx context.Context, dir string, opt datasets.Options, seed int64, stdout, stderr io.Writer) (*datasets.Dataset, error) {
	if _, err := p.features(); err != nil { // refuse bad flags before any work
		return nil, err
	}
	if p.window != 0 {
		if _, err := p.windowSamples(nil, io.Discard); err != nil {
			return nil, err
		}
	}
	d, err := datasets.Scan(dir, opt)
	if err != nil {
		return nil, err
	}
	if p.unknown != "synth" {
		if p.unknown != "" || d.Layout != datasets.Folders || containsString(d.Labels, datasets.UnknownLabel) {
			return d, nil
		}
		if _, err := os.Stat(filepath.Join(dir, datasets.LabelsFile)); err != nil {
			return d, nil
		}
	}
	other := filepath.Join(dir, otherSpeechDir)
	if _, err := os.Stat(filepath.Join(other, synth.LabelsFile)); err != nil {
		wanted := map[string]bool{}
		for _, l := range d.Labels {
			wanted[l] = true
		}
		var phrases []string
		for _, s := range otherSpeech {
			if !wanted[synth.Label(s)] {
				phrases = append(phrases, s)
			}
		}
		fmt.Fprintf(stdout, "no other speech for _unknown_: synthesising %d clips of %d other phrases into %s\n",
			p.otherN*len(phrases), len(phrases), other)
		res, err := synth.Generate(ctx, synth.Options{
			Phrases: phrases, Dir: other, PerPhrase: p.otherN, Seed: uint64(seed),
			NoiseDir: opt.NoiseDir, Progress: stderr,
		})
		if err != nil {
			return nil, fmt.Errorf("other speech for _unknown_ (give -unknown DIR, or - for none): %w", err)
		}
		for _, w := range res.Warnings {
			fmt.Fprintf(stderr, "warning: %s\n", w)
		}
	}
	opt.UnknownDirs = []string{other}
	return datasets.Scan(dir, opt)
}

// features is the MFCC configuration: mfcc.DefaultConfig with -hop.
func (p *phraseFlags) features() (mfcc.Config, error) {
	c := mfcc.DefaultConfig()
	h := int(p.hop.Seconds()*audio.Rate + 0.5)
	if h < 1 || h > c.WindowLength {
		return c, usageError("-hop %v: want more than 0 and at most the %d-sample analysis window", p.hop, c.WindowLength)
	}
	c.HopLength = h
	return c, nil
}

// windowSamples is -window in samples, or, when it is 0, the window the
// data set's command clips need (datasets.Dataset.Window). It also settles
// -place and -tight left at -1: a window longer than a second is a phrase
// model, whose short clips (one-second unknown words, recordings cut close)
// must be shown at every place in the window and padded at the end as
// classify pads them. Without them the home model took real words for
// commands 128-379 times an hour, and closely cut commands for _unknown_.
func (p *phraseFlags) windowSamples(d *datasets.Dataset, stdout io.Writer) (n int, err error) {
	defer func() {
		phrase := n > audio.Rate
		if p.place < 0 {
			p.place = map[bool]float64{true: 0.7}[phrase]
		}
		if p.tight < 0 {
			p.tight = map[bool]float64{true: 0.3}[phrase]
		}
	}()
	if p.window != 0 {
		n := int(p.window.Seconds()*audio.Rate + 0.5)
		if n < 1 || n > datasets.MaxWindow {
			return 0, usageError("-window %v: want up to %v", p.window, time.Duration(datasets.MaxWindow)*time.Second/audio.Rate)
		}
		return n, nil
	}
	n = d.Window()
	fmt.Fprintf(stdout, "window %.1f s (the commands' clips' %dth percentile length)\n", float64(n)/audio.Rate, datasets.WindowPercent)
	return n, nil
}

// annotate records in the model's training notes the phrase each label
// stands for (from DATA/labels.txt), as JSON under "phrases". The labels
// themselves stay the folder names: they are what eval's truth files,
// confusion matrices and scripts match on, and a phrase is for people.
func annotate(m *model.Model, d *datasets.Dataset) {
	ph := map[string]string{}
	for _, l := range d.Labels {
		if s, ok := d.Phrases[l]; ok {
			ph[l] = s
		}
	}
	if len(ph) == 0 {
		return
	}
	if m.Meta.Training == nil {
		m.Meta.Training = map[string]string{}
	}
	b, _ := json.Marshal(ph)
	m.Meta.Training["phrases"] = string(b)
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
