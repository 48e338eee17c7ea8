package recipe

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/listen-go/listen/datasets"
	"github.com/listen-go/listen/datasets/synth"
	"github.com/listen-go/listen/model"
)

// OtherSpeechDir is where Train writes synthesised other speech in a data
// folder: a dot folder, which datasets.Scan does not take for a label.
const OtherSpeechDir = ".other-speech"

// otherSpeech is what Train has the synthesisers say for _unknown_ when a
// folder of commands comes without other speech: everyday words and short
// requests, some sharing words with typical commands (lights, music, time,
// on, off, stop) so the model must hear the whole phrase. A phrase whose
// label is one of the commands is left out.
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

// scan is datasets.Scan, and then, with Unknown "synth", or for a folder
// of commands only (Folders layout, no other-word folders, a labels.txt as
// listen synth writes) with Unknown "", the synthesisers speak the
// otherSpeech phrases into DATA/.other-speech (once: a later run reuses
// them; delete the folder to make new ones) and the folder is scanned again
// with them as its other speech. The labels.txt condition keeps a plain
// folder of folders (tones, say) a plain classification problem.
func (o *Options) scan(ctx context.Context, opt datasets.Options, report func(bool, string, ...any)) (*datasets.Dataset, error) {
	d, err := datasets.Scan(o.Data, opt)
	if err != nil {
		return nil, err
	}
	if o.Unknown != "synth" {
		if o.Unknown != "" || d.Layout != datasets.Folders || slices.Contains(d.Labels, datasets.UnknownLabel) {
			return d, nil
		}
		if _, err := os.Stat(filepath.Join(o.Data, datasets.LabelsFile)); err != nil {
			return d, nil
		}
	}
	other := filepath.Join(o.Data, OtherSpeechDir)
	if _, err := os.Stat(filepath.Join(other, synth.LabelsFile)); err != nil {
		var phrases []string
		for _, s := range otherSpeech {
			if !slices.Contains(d.Labels, synth.Label(s)) {
				phrases = append(phrases, s)
			}
		}
		report(false, "no other speech for _unknown_: synthesising %d clips of %d other phrases into %s",
			o.OtherN*len(phrases), len(phrases), other)
		res, err := synth.Generate(ctx, synth.Options{
			Phrases: phrases, Dir: other, PerPhrase: o.OtherN, Seed: uint64(o.Seed),
			NoiseDir: opt.NoiseDir, Progress: o.SynthProgress,
		})
		if err != nil {
			return nil, fmt.Errorf("other speech for _unknown_ (give -unknown DIR, or - for none): %w", err)
		}
		for _, w := range res.Warnings {
			report(true, "%s", w)
		}
	}
	opt.UnknownDirs = []string{other}
	return datasets.Scan(o.Data, opt)
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
