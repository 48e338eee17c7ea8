package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/datasets"
	"github.com/listen-go/listen/datasets/mine"
	"github.com/listen-go/listen/internal/atomicfile"
	"github.com/listen-go/listen/internal/progress"
)

func init() {
	register(command{name: "mine", summary: "find the windows of speech without commands that a model nearly reports, to train on", run: runMine})
}

// runMine is listen mine: hard negatives from long audio that holds no
// command, written as clips for listen train -unknown.
func runMine(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("mine", stderr)
	modelName := fs.String("model", "default", "model: default, home, or a .safetensors file")
	out := fs.String("out", "", "folder to write the windows to, as WAV clips, with mined.csv listing them (required)")
	level := fs.Float64("level", 0.5, "a window is kept when a command's raw score reaches this, in (0, 1); below the model's threshold, so that what nearly fires is kept too")
	hop := fs.Duration("hop", 50*time.Millisecond, "how often the window is scored")
	random := fs.Float64("random", 0, "windows cut at random places per minute of audio, besides those kept (ordinary speech as well as what fires)")
	perFile := fs.Int("per-file", 0, "keep at most this many windows of one file, the strongest (0: no cap)")
	seed := fs.Uint64("seed", 1, "seed of the random windows and of the noise's choice and place")
	noiseDir := fs.String("noise", "", "folder of background-noise WAVs (Speech Commands' _background_noise_, listen synth -write-noise, your own room): each file is scored with a stretch of one mixed in at -snr, so that what fires in noise is found too; the windows written hold the noise")
	snr := fs.Float64("snr", 10, "with -noise: the speech's level above the noise, in dB")
	workers := fs.Int("workers", runtime.NumCPU(), "goroutines, at least 1 (the result does not depend on it)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: listen mine -model M -out DIR [flags] NEGATIVES...")
		fmt.Fprintln(stderr, "\nRuns the model over audio that holds no command (recordings or folders of clips,\n"+
			"WAV or FLAC: read speech, other words, your own room) and writes each window\n"+
			"where a command scores -level or more as a clip of the model's window, named\n"+
			"for its speaker (the file's name before _nohash_, else its folder), for\n"+
			"listen train -unknown: hard-negative mining. Train on them, mine again with\n"+
			"the new model, repeat. Keep other recordings aside to measure false alarms on\n"+
			"(listen eval -negatives).\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch {
	case *out == "":
		return usageError("-out DIR is required")
	case fs.NArg() == 0:
		return usageError("no negatives given: name recordings or folders of audio that hold no command")
	case !(*level > 0 && *level < 1):
		return usageError("-level %v: want a score in (0, 1)", *level)
	case *hop < time.Millisecond || *hop > time.Second:
		return usageError("-hop %v: want 1ms to 1s", *hop)
	case !(*random >= 0 && *random <= 600):
		return usageError("-random %v: want 0 to 600 windows a minute", *random)
	case *perFile < 0:
		return usageError("-per-file %d: want 0 or more", *perFile)
	case *workers < 1:
		return usageError("-workers %d: want 1 or more", *workers)
	case !(*snr >= -30 && *snr <= 60):
		return usageError("-snr %v: want -30 to 60 dB", *snr)
	}
	if flagGiven(fs, "snr") && *noiseDir == "" {
		return usageError("-snr needs -noise DIR: the noise to mix in")
	}
	var files []string
	for _, p := range fs.Args() {
		f, err := audio.Files(p)
		if err != nil {
			return err
		}
		files = append(files, f...)
	}
	m, err := loadModel(*modelName)
	if err != nil {
		return err
	}
	var noise [][]float32
	if *noiseDir != "" {
		var err error
		if _, noise, err = datasets.LoadNoise(*noiseDir); noise == nil {
			return err
		} else if err != nil {
			fmt.Fprintf(stderr, "warning: %v\n", err)
		}
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}

	var bar *progress.Bar
	opt := mine.Options{Level: float32(*level), Hop: *hop, Random: *random, PerFile: *perFile, Seed: *seed, Workers: *workers, Noise: noise, SNR: *snr,
		Progress: func(done, total int, _ float64) {
			if bar == nil {
				bar = progress.New(stderr, "mine", float64(total), nil)
			}
			bar.Update(float64(done))
		}}
	index := [][]string{{"file", "source", "start_ms", "label", "p"}}
	labels := map[string]int{}
	counts := map[string]int{}
	seconds := 0.0
	err = mine.Mine(ctx, m, files, opt, func(w mine.Window) error {
		src := files[w.File]
		spk := speakerOf(src)
		counts[spk]++
		name := fmt.Sprintf("%s_nohash_mined%d.wav", spk, counts[spk])
		if err := audio.WriteFile(filepath.Join(*out, name), w.Samples, audio.Rate); err != nil {
			return err
		}
		label := w.Label
		if label == "" {
			label = "(random)"
		}
		labels[label]++
		seconds += float64(len(w.Samples)) / audio.Rate
		index = append(index, []string{name, src, strconv.FormatInt(w.Start.Milliseconds(), 10), w.Label, strconv.FormatFloat(float64(w.P), 'f', 3, 32)})
		return nil
	})
	if bar != nil {
		bar.Finish()
	}
	if err != nil {
		return err
	}
	if err := atomicfile.Write(filepath.Join(*out, "mined.csv"), func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.WriteAll(index)
		return cw.Error()
	}); err != nil {
		return err
	}
	var parts []string
	for _, l := range sortedKeys(labels) {
		parts = append(parts, fmt.Sprintf("%s %d", l, labels[l]))
	}
	fmt.Fprintf(stdout, "mined %d windows (%.1f minutes) from %d files into %s: %s\n", len(index)-1, seconds/60, len(files), *out, strings.Join(parts, ", "))
	return nil
}

// speakerOf names the speaker of a clip as listen train's split does:
// the file name before "_nohash_", else the folder it is in.
func speakerOf(path string) string {
	base := filepath.Base(path)
	if i := strings.Index(base, "_nohash_"); i > 0 {
		return base[:i]
	}
	dir := filepath.Base(filepath.Dir(path))
	if dir == "." || dir == string(filepath.Separator) {
		return strings.TrimSuffix(base, filepath.Ext(base))
	}
	return dir
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
