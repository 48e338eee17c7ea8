package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/datasets"
	"github.com/listen-go/listen/internal/atomicfile"
	"github.com/listen-go/listen/model/detect"
)

func init() {
	register(command{name: "mkstream", summary: "build a long test recording of commands in noise, with its ground truth", run: runMkstream})
}

// mkstreamSpec is what mkstream builds, from its flags.
type mkstreamSpec struct {
	words      []string      // wanted words, in truth
	duration   time.Duration // of the recording
	seed       uint64
	unknownPct float64 // share of placed clips that are other words
	gapMin     time.Duration
	gapMax     time.Duration
	noiseVol   float64 // noise gain is drawn from [0, noiseVol] per segment
	wordGainDB float64 // word gain is drawn from [-wordGainDB, 0] dB
}

// mkstreamPool is the clips of one word, drawn without replacement in a
// shuffled order, reshuffled when all have been used.
type mkstreamPool struct {
	word  string
	paths []string
	next  int
}

func (p *mkstreamPool) draw(rng *rand.Rand) string {
	if p.next == 0 {
		rng.Shuffle(len(p.paths), func(i, j int) { p.paths[i], p.paths[j] = p.paths[j], p.paths[i] })
	}
	path := p.paths[p.next]
	p.next = (p.next + 1) % len(p.paths)
	return path
}

// dropLast removes the clip draw returned last, which could not be read.
func (p *mkstreamPool) dropLast() {
	i := p.next - 1
	if i < 0 {
		i = len(p.paths) - 1
	}
	p.paths = slices.Delete(p.paths, i, i+1)
	if p.next > i {
		p.next--
	}
	if p.next >= len(p.paths) {
		p.next = 0
	}
}

// runMkstream builds a long recording for streaming evaluation, the way
// TensorFlow's generate_streaming_test_wav does: clips of the wanted words
// and of other words, separated by random gaps, on a bed of background
// noise; the ground truth lists each clip at its start, the other words as
// _unknown_, in the format of detect.ReadTruth.
func runMkstream(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("mkstream", stderr)
	dataDir := fs.String("data", "", "dataset folder: one folder of WAV clips per word (required)")
	noiseDir := fs.String("noise", "", `folder of background noise WAVs (default DATA/_background_noise_ if it exists; "-" for none)`)
	outPath := fs.String("out", "", "the recording to write, a 16 kHz WAV file (required)")
	truthPath := fs.String("truth", "", `the ground truth to write, "word,time_ms" lines (required)`)
	wordList := fs.String("words", strings.Join(datasets.DefaultWords, ","), "the wanted words, comma-separated: their clips go in the truth; other folders are unknown words")
	minutes := fs.Float64("minutes", 10, "length of the recording in minutes")
	seed := fs.Uint64("seed", 1, "random seed: the same seed and clips give the same recording")
	unknownPct := fs.Float64("unknown-pct", 20, "percentage of placed clips that are other (unknown) words, listed in the truth as _unknown_")
	gapMin := fs.Duration("gap-min", time.Second, "shortest gap between the end of a clip and the start of the next")
	gapMax := fs.Duration("gap-max", 3*time.Second, "longest gap between clips")
	noiseVol := fs.Float64("noise-volume", 0.1, "the noise bed's gain is drawn between 0 and this, every few seconds")
	wordGain := fs.Float64("word-gain-db", 6, "each clip's gain is drawn between -this and 0 dB")
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
	spec := mkstreamSpec{
		duration:   time.Duration(*minutes * float64(time.Minute)),
		seed:       *seed,
		unknownPct: *unknownPct,
		gapMin:     *gapMin,
		gapMax:     *gapMax,
		noiseVol:   *noiseVol,
		wordGainDB: *wordGain,
	}
	for _, w := range strings.Split(*wordList, ",") {
		if w = strings.TrimSpace(w); w != "" {
			spec.words = append(spec.words, w)
		}
	}
	if len(spec.words) == 0 {
		return usageError("-words names no word")
	}

	var keep func(rel string) bool
	if *speakersPath != "" {
		ids, err := mkstreamReadLines(*speakersPath)
		if err != nil {
			return err
		}
		set := map[string]bool{}
		for _, id := range ids {
			set[id] = true
		}
		keep = func(rel string) bool { return set[datasets.Speaker(rel)] }
	}
	if *listPath != "" {
		rels, err := mkstreamReadLines(*listPath)
		if err != nil {
			return err
		}
		set := map[string]bool{}
		for _, r := range rels {
			set[filepath.ToSlash(filepath.Clean(r))] = true
		}
		bySpeaker := keep
		keep = func(rel string) bool { return set[rel] && (bySpeaker == nil || bySpeaker(rel)) }
	}
	if *splitName != "" {
		split, err := datasets.ParseSplit(*splitName)
		if err != nil || split == datasets.All {
			return usageError("-split %q: want train, validation or test", *splitName)
		}
		set, err := splitSpeakers(*modelName, *dataDir, split)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "using the clips of the %d speakers in %s's %s split\n", len(set), *modelName, split)
		other := keep
		keep = func(rel string) bool { return set[datasets.Speaker(rel)] && (other == nil || other(rel)) }
	}
	wanted, unknown, err := mkstreamScan(*dataDir, spec.words, keep)
	if err != nil {
		return err
	}
	if spec.unknownPct > 0 && unknown == nil {
		fmt.Fprintf(stderr, "listen mkstream: no unknown-word clips in %s; placing wanted words only\n", *dataDir)
	}

	var noise [][]float32
	if *noiseDir != "-" && spec.noiseVol > 0 {
		dir := *noiseDir
		if dir == "" {
			dir = filepath.Join(*dataDir, datasets.NoiseFolder)
			if st, err := os.Stat(dir); err != nil || !st.IsDir() {
				dir = ""
			}
		}
		if dir != "" {
			var err error
			_, noise, err = datasets.LoadNoise(dir)
			if noise == nil {
				return err
			}
			if err != nil {
				fmt.Fprintf(stderr, "listen mkstream: %v\n", oneLine(err.Error()))
			}
		}
	}
	if err := atomicfile.CheckWritable(*outPath); err != nil {
		return err
	}
	if err := atomicfile.CheckWritable(*truthPath); err != nil {
		return err
	}

	samples, truth, err := mkstreamBuild(ctx, spec, wanted, unknown, noise, func(path string, err error) {
		fmt.Fprintf(stderr, "listen mkstream: skipping %v\n", oneLine(err.Error()))
	})
	if err != nil {
		return err
	}
	if err := audio.WriteFile(*outPath, samples, audio.Rate); err != nil {
		return err
	}
	if err := atomicfile.Write(*truthPath, func(w io.Writer) error { return detect.WriteTruth(w, truth) }); err != nil {
		return err
	}
	counts := map[string]int{}
	for _, e := range truth {
		counts[e.Label]++
	}
	commands := len(truth) - counts[datasets.UnknownLabel]
	var parts []string
	for _, w := range spec.words {
		parts = append(parts, fmt.Sprintf("%s %d", w, counts[w]))
	}
	fmt.Fprintf(stdout, "wrote %s: %v, %d commands (%s) and %d unknown words; truth in %s\n",
		*outPath, detect.SamplesToDuration(int64(len(samples))), commands, strings.Join(parts, ", "), len(truth)-commands, *truthPath)
	return nil
}

// splitSpeakers returns the speakers of dir's clips that listen train put
// in split when it trained the model name: dir is divided with the split
// settings the model records, as listen eval -split divides it.
func splitSpeakers(name, dir string, split datasets.Split) (map[string]bool, error) {
	m, err := loadModel(name)
	if err != nil {
		return nil, err
	}
	opt, err := datasets.TrainedOptions(m.Meta.Labels, m.Meta.Training)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	opt.NoiseDir = "-" // silence has no speaker
	d, err := datasets.Scan(dir, opt)
	if err != nil {
		return nil, err
	}
	set := map[string]bool{}
	for _, c := range d.Clips {
		if c.Split == split && c.Word != datasets.SilenceLabel {
			set[c.Speaker] = true
		}
	}
	if len(set) == 0 {
		return nil, fmt.Errorf("%s: no clips in %s's %s split", dir, name, split)
	}
	return set, nil
}

// mkstreamScan lists the clips of dir: those of the wanted words by word
// (every wanted word must have some) and those of every other word folder
// (not starting with "_", except _unknown_) as one unknown pool. keep, if
// not nil, filters clips by their path relative to dir, with slashes.
func mkstreamScan(dir string, words []string, keep func(rel string) bool) (wanted []*mkstreamPool, unknown *mkstreamPool, err error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("scan %s: %w", dir, err)
	}
	byWord := map[string]*mkstreamPool{}
	unknown = &mkstreamPool{word: datasets.UnknownLabel}
	for _, e := range ents {
		name := e.Name()
		if !e.IsDir() {
			if st, err := os.Stat(filepath.Join(dir, name)); err != nil || !st.IsDir() {
				continue
			}
		}
		isWanted := slices.Contains(words, name)
		if !isWanted && strings.HasPrefix(name, "_") && name != datasets.UnknownLabel {
			continue // _silence_, _background_noise_
		}
		files, err := os.ReadDir(filepath.Join(dir, name))
		if err != nil {
			return nil, nil, fmt.Errorf("scan %s: %w", dir, err)
		}
		var paths []string
		for _, f := range files {
			n := f.Name()
			if f.IsDir() || strings.HasPrefix(n, ".") || !strings.EqualFold(filepath.Ext(n), ".wav") {
				continue
			}
			if keep != nil && !keep(name+"/"+n) {
				continue
			}
			paths = append(paths, filepath.Join(dir, name, n))
		}
		slices.Sort(paths)
		if isWanted {
			byWord[name] = &mkstreamPool{word: name, paths: paths}
		} else {
			unknown.paths = append(unknown.paths, paths...)
		}
	}
	for _, w := range words {
		p := byWord[w]
		if p == nil || len(p.paths) == 0 {
			return nil, nil, fmt.Errorf("scan %s: no clips of %q", dir, w)
		}
		wanted = append(wanted, p)
	}
	slices.Sort(unknown.paths)
	if len(unknown.paths) == 0 {
		unknown = nil
	}
	return wanted, unknown, nil
}

// mkstreamBuild lays out the recording: from the start, a gap, then a clip
// (an unknown word with probability unknownPct%, else a wanted word chosen
// uniformly), then a gap, and so on while clips fit. Clips that cannot be
// read are passed to skip and replaced by another draw. It returns the
// samples and the truth: each clip's word at its start, other words as
// _unknown_. It fails when every clip of a wanted word is
// unreadable.
func mkstreamBuild(ctx context.Context, spec mkstreamSpec, wanted []*mkstreamPool, unknown *mkstreamPool, noise [][]float32,
	skip func(path string, err error)) (samples []float32, truth []detect.Event, err error) {
	rng := rand.New(rand.NewPCG(spec.seed, 0x6d6b73747265616d)) // "mkstream"
	total := int(int64(spec.duration) * audio.Rate / int64(time.Second))
	out := make([]float32, total)
	if len(noise) > 0 && spec.noiseVol > 0 {
		mkstreamNoiseBed(out, noise, spec.noiseVol, rng)
	}
	gapMin := int(int64(spec.gapMin) * audio.Rate / int64(time.Second))
	gapMax := int(int64(spec.gapMax) * audio.Rate / int64(time.Second))
	var deck []*mkstreamPool // wanted words still to place in this round
	pos := gapMin + rng.IntN(gapMax-gapMin+1)
	for pos < total {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		var pool *mkstreamPool
		if unknown != nil && rng.Float64()*100 < spec.unknownPct {
			pool = unknown
		} else {
			if len(deck) == 0 {
				deck = append(deck, wanted...)
				rng.Shuffle(len(deck), func(i, j int) { deck[i], deck[j] = deck[j], deck[i] })
			}
			pool, deck = deck[len(deck)-1], deck[:len(deck)-1]
		}
		path := pool.draw(rng)
		clip, err := audio.ReadFile(path)
		if err == nil && len(clip) == 0 {
			err = fmt.Errorf("read %s: empty clip", path)
		}
		if err != nil {
			skip(path, err)
			pool.dropLast()
			if len(pool.paths) == 0 {
				if pool == unknown {
					unknown = nil
					continue
				}
				return nil, nil, fmt.Errorf("no readable clips of %q", pool.word)
			}
			continue
		}
		pos -= pos % (audio.Rate / 1000) // whole milliseconds in the truth
		if pos+len(clip) > total {
			break
		}
		gain := float32(math.Pow(10, -spec.wordGainDB*rng.Float64()/20))
		for i, x := range clip {
			out[pos+i] += gain * x
		}
		truth = append(truth, detect.Event{Label: pool.word, Time: detect.SamplesToDuration(int64(pos))})
		pos += len(clip) + gapMin + rng.IntN(gapMax-gapMin+1)
	}
	return out, truth, nil
}

// mkstreamNoiseBed fills out with segments of 2 to 10 s cut from random places in the
// noise recordings, each at a gain drawn from [0, vol], joined by 50 ms
// crossfades so that no click marks a boundary.
func mkstreamNoiseBed(out []float32, noise [][]float32, vol float64, rng *rand.Rand) {
	const fade = audio.Rate / 20
	pos := 0
	for pos < len(out) {
		n := 2*audio.Rate + rng.IntN(8*audio.Rate+1)
		src := noise[rng.IntN(len(noise))]
		n = min(n, len(src), len(out)-pos)
		start := rng.IntN(len(src) - n + 1)
		gain := float32(vol * rng.Float64())
		seg := src[start : start+n]
		for i, x := range seg {
			g := gain
			if i < fade && pos > 0 {
				g *= float32(i) / fade // fade in over the previous segment's fade-out
			}
			if j := n - 1 - i; j < fade && pos+n < len(out) {
				g *= float32(j) / fade
			}
			out[pos+i] += g * x
		}
		if pos+n >= len(out) {
			break
		}
		pos += max(n-fade, 1)
	}
}

// mkstreamReadLines returns the non-blank lines of a file, trimmed, without # comments.
func mkstreamReadLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return out, nil
}
