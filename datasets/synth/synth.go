package synth

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/datasets"
	"github.com/listen-go/listen/internal/atomicfile"
)

// Limits on the window.
const (
	MaxWindow  = 3 * time.Second // the longest window a phrase model uses
	MinWindow  = 1 * time.Second // the shortest window Generate chooses by itself
	MaxSpeedUp = 1.25            // the most a rendering is sped up to fit the window
)

// windowPad is what the automatic window adds to the longest trimmed
// rendering, so that even that one has some room to move.
const windowPad = 250 * time.Millisecond

// Options configure Generate. The zero value of each field means what its
// comment says; Generate never changes the caller's Options.
type Options struct {
	Phrases   []string // what to say; labels from Label must differ
	Dir       string   // the data set folder, created if needed
	PerPhrase int      // clips per phrase; 0 means 1000 (see DefaultVariation for why)
	Seed      uint64   // the same seed gives the same clips

	// Engines names the synthesisers to use (EngineNames); nil uses all
	// that are installed and warns about the others.
	Engines []string
	// Voices, when not nil, limits the voices to those whose Speaker or
	// Name it contains; ExcludeVoices then drops those whose Speaker or
	// Name it contains (to hold voices out for checking a model).
	Voices, ExcludeVoices []string

	// NoiseDir is a folder of WAV recordings of background noise
	// (Speech Commands' _background_noise_); "" means generated white,
	// pink and brown noise.
	NoiseDir string

	// Window is the length of every clip; 0 chooses it from the phrases
	// (see the package comment). At most MaxWindow.
	Window time.Duration

	// Variation gives the ranges of the clips' variation; nil means
	// DefaultVariation().
	Variation *Variation

	// EveryVoice makes every voice (of every engine) say about as many
	// of the run's clips, walking a seeded shuffle of all the voices from
	// clip to clip, instead of the engines taking turns within each
	// phrase. It is for many phrases of one or a few clips each (other
	// words for _unknown_), where the per-phrase turns would give every
	// phrase's first clip to the first engine.
	EveryVoice bool
	// DropLong leaves out, with a warning, the renderings that would have
	// to be sped up more than MaxSpeedUp to fit the window, instead of
	// failing.
	DropLong bool

	Workers  int       // synthesiser processes at once; 0 means runtime.NumCPU()
	Progress io.Writer // progress lines with an ETA; nil means none
}

// Clip describes one clip Generate wrote.
type Clip struct {
	Path    string // relative to Options.Dir, slash-separated: "turn_on_the_lights/flite_slt_nohash_3.wav"
	Label   string
	Voice   Voice
	Prosody Prosody
	Speed   float64 // resampling factor applied after synthesis, 1 for none (including any speed-up to fit the window)
	Speech  int     // samples of trimmed speech in the clip
	Offset  int     // where the speech starts in the window, samples
	GainDB  float64 // the speech's peak level, dBFS
	Noise   string  // the noise file's base name or generated kind
	SNRDB   float64 // speech RMS over noise RMS
}

// Result is what Generate did.
type Result struct {
	Clips    []Clip
	Window   int      // samples in every clip
	Voices   []Voice  // the voices used
	Warnings []string // a missing synthesiser, say; Generate does not print
}

// EngineVoices returns the engines of r.Voices in their order there, and
// how many of the voices each has.
func (r *Result) EngineVoices() (engines []string, voices []int) {
	for _, v := range r.Voices {
		if len(engines) == 0 || engines[len(engines)-1] != v.Engine {
			engines, voices = append(engines, v.Engine), append(voices, 0)
		}
		voices[len(voices)-1]++
	}
	return engines, voices
}

// LongestSpeech returns the longest of the clips' speech, in samples.
func (r *Result) LongestSpeech() int {
	longest := 0
	for _, c := range r.Clips {
		longest = max(longest, c.Speech)
	}
	return longest
}

// LabelsFile (datasets.LabelsFile, which datasets.ReadLabels reads) and
// ManifestFile are the files Generate writes next to the label folders.
const (
	LabelsFile   = datasets.LabelsFile
	ManifestFile = "synth.tsv"
)

// trimFloorDB is Trim's threshold for synthesised speech, whose silence is
// digital: anything 40 dB below the loudest 10 ms is not the phrase.
const trimFloorDB = 40

// rendering is one clip between the two passes: its trimmed speech as
// 16-bit samples and what was drawn for it.
type rendering struct {
	speech []int16
	clip   Clip
	rng    *rand.Rand // continues the clip's own stream into the second pass
}

// Generate synthesises opt.PerPhrase clips of each phrase into opt.Dir, in
// two passes: first every rendering (parallel synthesiser processes), which
// fixes the window, then the variation and the writing (parallel too). It
// writes each clip atomically, then labels.txt (merged with an existing
// one, so a folder of recorded commands keeps its other labels) and
// synth.tsv. Clips of an earlier run for the same labels that this run does
// not overwrite (it made more of them) are removed, so the folder holds
// exactly this run's synthesised clips next to whatever else was there.
func Generate(ctx context.Context, opt Options) (*Result, error) {
	if len(opt.Phrases) == 0 {
		return nil, errors.New("synth: no phrases")
	}
	if opt.Dir == "" {
		return nil, errors.New("synth: no output folder")
	}
	labels := make([]string, len(opt.Phrases))
	seen := map[string]int{}
	for i, p := range opt.Phrases {
		labels[i] = Label(p)
		if labels[i] == "" {
			return nil, fmt.Errorf("synth: phrase %q has no letter or digit", p)
		}
		if j, dup := seen[labels[i]]; dup {
			return nil, fmt.Errorf("synth: phrases %q and %q have the same label %q", opt.Phrases[j], p, labels[i])
		}
		seen[labels[i]] = i
	}
	n := opt.PerPhrase
	if n == 0 {
		n = 1000
	}
	if n < 0 {
		return nil, fmt.Errorf("synth: %d clips per phrase", n)
	}
	if opt.Window < 0 || opt.Window > MaxWindow {
		return nil, fmt.Errorf("synth: window %v: want 0 (automatic) or up to %v", opt.Window, MaxWindow)
	}
	vary := DefaultVariation()
	if opt.Variation != nil {
		vary = *opt.Variation
	}
	if err := vary.check(); err != nil {
		return nil, err
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}

	engines, warnings, err := Find(opt.Engines)
	if err != nil {
		return nil, err
	}
	byEngine := make([][]Voice, 0, len(engines))
	var used []*Engine
	for _, e := range engines {
		vs, err := e.Voices(ctx)
		if err != nil {
			return nil, err
		}
		vs = slices.DeleteFunc(vs, func(v Voice) bool {
			in := func(list []string) bool { return slices.Contains(list, v.Speaker) || slices.Contains(list, v.Name) }
			return opt.Voices != nil && !in(opt.Voices) || in(opt.ExcludeVoices)
		})
		if len(vs) > 0 {
			byEngine = append(byEngine, vs)
			used = append(used, e)
		}
	}
	if len(used) == 0 {
		return nil, fmt.Errorf("synth: no voice left of %q without %q", opt.Voices, opt.ExcludeVoices)
	}

	noise, err := loadNoise(opt.NoiseDir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(opt.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("synth: %w", err)
	}
	tmp, err := os.MkdirTemp("", "listen-synth-")
	if err != nil {
		return nil, fmt.Errorf("synth: %w", err)
	}
	defer os.RemoveAll(tmp)

	// Pass 1: render. Clip i = p*n + k is phrase p's k-th; its engine takes
	// turns (k mod engines) and its voice walks a seeded shuffle of that
	// engine's voices, so every voice says every phrase about equally often.
	total := len(opt.Phrases) * n
	perm := make([][]int, len(used))
	prng := rand.New(rand.NewPCG(opt.Seed, math.MaxUint64))
	for e, vs := range byEngine {
		perm[e] = prng.Perm(len(vs))
	}
	var all [][2]int // with EveryVoice: (engine, voice) pairs in a seeded shuffle
	if opt.EveryVoice {
		for e, vs := range byEngine {
			for j := range vs {
				all = append(all, [2]int{e, j})
			}
		}
		prng.Shuffle(len(all), func(a, b int) { all[a], all[b] = all[b], all[a] })
	}
	renders := make([]rendering, total)
	prog := newProgress(opt.Progress, "synthesising", total)
	err = parallel(ctx, workers, total, func(i int) error {
		p, k := i/n, i%n
		rng := rand.New(rand.NewPCG(opt.Seed, uint64(i)))
		e := k % len(used)
		vs := byEngine[e]
		v := vs[perm[e][(k/len(used)+p)%len(vs)]]
		if opt.EveryVoice {
			ev := all[i%len(all)]
			e, v = ev[0], byEngine[ev[0]][ev[1]]
		}
		pr := Prosody{Rate: uniform(rng, vary.Rate), Pitch: uniform(rng, vary.Pitch)}
		speed := 1.0
		if rng.Float64() < vary.SpeedProb {
			speed = SpeedFactor(uniform(rng, vary.Speed), false)
		}
		x, err := render(ctx, used[e], opt.Phrases[p], v, pr, filepath.Join(tmp, fmt.Sprintf("%d.wav", i)))
		if err != nil {
			return err
		}
		if speed != 1 {
			x = ChangeSpeed(nil, x, speed, false)
		}
		renders[i] = rendering{speech: toInt16(x), rng: rng, clip: Clip{
			Label: labels[p], Voice: v, Prosody: pr, Speed: speed,
		}}
		prog.add(1)
		return nil
	})
	if err != nil {
		return nil, err
	}
	prog.finish()

	// The window.
	longest := 0
	for i := range renders {
		longest = max(longest, len(renders[i].speech))
	}
	window := int(opt.Window.Seconds() * audio.Rate)
	if window == 0 {
		window = autoWindow(longest)
	}
	dropped := 0
	for i := range renders {
		r := &renders[i]
		if len(r.speech) <= window {
			continue
		}
		f := float64(len(r.speech)) / float64(window)
		if f > MaxSpeedUp && opt.DropLong {
			r.speech = nil
			dropped++
			continue
		}
		if f > MaxSpeedUp {
			return nil, fmt.Errorf("synth: %q spoken by %s at rate %.2f takes %.2f s, more than %.2fx the %.2f s window: shorten the phrase",
				opt.Phrases[i/n], r.clip.Voice.Speaker, r.clip.Prosody.Rate,
				float64(len(r.speech))/audio.Rate, MaxSpeedUp, float64(window)/audio.Rate)
		}
		x := ChangeSpeed(nil, fromInt16(r.speech), f, true)
		r.speech = toInt16(x[:min(len(x), window)]) // the filter's tail can add a sample
		r.clip.Speed *= SpeedFactor(f, true)
	}

	if dropped > 0 {
		renders = slices.DeleteFunc(renders, func(r rendering) bool { return r.speech == nil })
		warnings = append(warnings, fmt.Sprintf("left out %d of %d renderings that took more than %.2fx the %.2f s window",
			dropped, total, MaxSpeedUp, float64(window)/audio.Rate))
		total = len(renders)
		if total == 0 {
			return nil, fmt.Errorf("synth: every rendering took more than %.2fx the %.2f s window", MaxSpeedUp, float64(window)/audio.Rate)
		}
	}

	// Pass 2: vary and write. Names count each (label, speaker) pair's
	// clips in clip order, so they do not depend on the workers.
	counts := map[[2]string]int{}
	written := map[string]bool{}
	for i := range renders {
		c := &renders[i].clip
		key := [2]string{c.Label, c.Voice.Speaker}
		c.Path = fmt.Sprintf("%s/%s_nohash_%d.wav", c.Label, c.Voice.Speaker, counts[key])
		counts[key]++
		written[c.Path] = true
	}
	for _, l := range labels {
		if err := os.MkdirAll(filepath.Join(opt.Dir, l), 0o755); err != nil {
			return nil, fmt.Errorf("synth: %w", err)
		}
	}
	prog = newProgress(opt.Progress, "writing", total)
	err = parallel(ctx, workers, total, func(i int) error {
		r := &renders[i]
		clip := make([]float32, window)
		finishClip(clip, fromInt16(r.speech), &r.clip, vary, noise, r.rng)
		path := filepath.Join(opt.Dir, filepath.FromSlash(r.clip.Path))
		if err := audio.WriteFile(path, clip, audio.Rate); err != nil {
			return fmt.Errorf("synth: %w", err)
		}
		r.speech = nil
		prog.add(1)
		return nil
	})
	if err != nil {
		return nil, err
	}
	prog.finish()

	if err := removeStale(opt.Dir, labels, used, written); err != nil {
		return nil, err
	}
	res := &Result{Window: window, Warnings: warnings}
	res.Clips = make([]Clip, total)
	for i := range renders {
		res.Clips[i] = renders[i].clip
	}
	for _, vs := range byEngine {
		res.Voices = append(res.Voices, vs...)
	}
	if err := writeLabels(opt.Dir, labels, opt.Phrases); err != nil {
		return nil, err
	}
	if err := writeManifest(filepath.Join(opt.Dir, ManifestFile), res); err != nil {
		return nil, err
	}
	return res, nil
}

// autoWindow is the window for a longest rendering of longest samples: that
// plus windowPad, rounded up to 0.1 s, within [MinWindow, MaxWindow].
func autoWindow(longest int) int {
	const step = audio.Rate / 10
	w := longest + int(windowPad.Seconds()*audio.Rate)
	w = (w + step - 1) / step * step
	return min(max(w, int(MinWindow.Seconds()*audio.Rate)), int(MaxWindow.Seconds()*audio.Rate))
}

// render runs the synthesiser and returns the trimmed speech at audio.Rate.
func render(ctx context.Context, e *Engine, text string, v Voice, p Prosody, wavPath string) ([]float32, error) {
	if err := e.Synthesize(ctx, text, v, p, wavPath); err != nil {
		return nil, err
	}
	x, err := audio.ReadFile(wavPath)
	os.Remove(wavPath)
	if err != nil {
		return nil, fmt.Errorf("synth: %s voice %s: %w", e.Name, v.Name, err)
	}
	s, end := Trim(x, trimFloorDB)
	if end == 0 {
		return nil, fmt.Errorf("synth: %s voice %s saying %q: %w", e.Name, v.Name, text, errNoSpeech)
	}
	return x[s:end], nil
}

// finishClip places speech in clip (len = the window) at a random offset,
// sets its level and mixes in noise, recording what it drew in c.
func finishClip(clip, speech []float32, c *Clip, vary Variation, noise []noiseFile, rng *rand.Rand) {
	c.Speech = len(speech)
	c.Offset = rng.IntN(len(clip) - len(speech) + 1)
	c.GainDB = uniform(rng, vary.GainDB)
	s := clip[c.Offset : c.Offset+len(speech)]
	copy(s, speech)
	SetPeak(s, c.GainDB)
	room := datasets.Room{Reverb: vary.Room.Reverb, Band: vary.Room.Band, RT60Min: vary.Room.RT60Min, RT60Max: vary.Room.RT60Max}
	room.Reverberate(clip, rng) // the tail may run past the speech

	nz := make([]float32, len(clip))
	snr := vary.FloorDB
	if rng.Float64() < vary.NoiseProb {
		snr = uniform(rng, vary.SNRDB)
	}
	if len(noise) > 0 {
		f := noise[rng.IntN(len(noise))]
		start := rng.IntN(len(f.samples) - len(clip) + 1)
		copy(nz, f.samples[start:])
		c.Noise = f.name
	} else {
		c.Noise = []string{White, Pink, Brown}[rng.IntN(3)]
		GenerateNoise(nz, c.Noise, rng)
	}
	c.SNRDB = snr
	Mix(clip, nz, s, snr)
	room.Microphone(clip, rng)
	if g := Limit(clip); g < 1 {
		c.GainDB += 20 * math.Log10(g)
	}
}

type noiseFile struct {
	name    string
	samples []float32
}

// loadNoise reads every WAV and FLAC file of dir, each at least MaxWindow
// long; "" gives none.
func loadNoise(dir string) ([]noiseFile, error) {
	if dir == "" {
		return nil, nil
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("synth: noise: %w", err)
	}
	var names []string // sorted, as ReadDir's entries are
	for _, e := range ents {
		if !e.IsDir() && audio.Decodable(e.Name()) {
			names = append(names, filepath.Join(dir, e.Name()))
		}
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("synth: noise %s: no .wav or .flac files", dir)
	}
	var out []noiseFile
	for _, n := range names {
		x, err := audio.ReadFile(n)
		if err != nil {
			return nil, fmt.Errorf("synth: noise: %w", err)
		}
		if len(x) < int(MaxWindow.Seconds()*audio.Rate) {
			return nil, fmt.Errorf("synth: noise %s: %.2f s is shorter than %v", n, float64(len(x))/audio.Rate, MaxWindow)
		}
		if RMS(x) == 0 {
			return nil, fmt.Errorf("synth: noise %s: silent", n)
		}
		out = append(out, noiseFile{name: filepath.Base(n), samples: x})
	}
	return out, nil
}

// removeStale deletes, from the label folders written, clips named like
// this package's (an engine's name, "_", ..., "_nohash_") that this run did
// not write.
func removeStale(dir string, labels []string, engines []*Engine, written map[string]bool) error {
	for _, l := range labels {
		ents, err := os.ReadDir(filepath.Join(dir, l))
		if err != nil {
			return fmt.Errorf("synth: %w", err)
		}
		for _, ent := range ents {
			name := ent.Name()
			if ent.IsDir() || !strings.HasSuffix(name, ".wav") || !strings.Contains(name, "_nohash_") || written[l+"/"+name] {
				continue
			}
			ours := false
			for _, e := range EngineNames() {
				ours = ours || strings.HasPrefix(name, e+"_")
			}
			if ours {
				if err := os.Remove(filepath.Join(dir, l, name)); err != nil {
					return fmt.Errorf("synth: %w", err)
				}
			}
		}
	}
	return nil
}

// writeLabels merges the run's labels into dir's labels file.
func writeLabels(dir string, labels, phrases []string) error {
	m := make(map[string]string, len(labels))
	for i, l := range labels {
		m[l] = phrases[i]
	}
	if err := datasets.MergeLabels(dir, m); err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	return nil
}

// writeManifest writes one tab-separated row per clip.
func writeManifest(path string, res *Result) error {
	err := atomicfile.Write(path, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		fmt.Fprintf(bw, "# window_ms\t%d\n", res.Window*1000/audio.Rate)
		fmt.Fprintln(bw, "path\tlabel\tspeaker\tengine\tvoice\trate\tpitch\tspeed\tspeech_ms\toffset_ms\tgain_db\tnoise\tsnr_db")
		for _, c := range res.Clips {
			fmt.Fprintf(bw, "%s\t%s\t%s\t%s\t%s\t%.3f\t%.3f\t%.3f\t%d\t%d\t%.1f\t%s\t%.1f\n",
				c.Path, c.Label, c.Voice.Speaker, c.Voice.Engine, c.Voice.Name,
				c.Prosody.Rate, c.Prosody.Pitch, c.Speed,
				c.Speech*1000/audio.Rate, c.Offset*1000/audio.Rate, c.GainDB, c.Noise, c.SNRDB)
		}
		return bw.Flush()
	})
	if err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	return nil
}

func toInt16(x []float32) []int16 {
	out := make([]int16, len(x))
	for i, v := range x {
		out[i] = int16(max(min(math.Round(float64(v)*32768), 32767), -32768))
	}
	return out
}

func fromInt16(x []int16) []float32 {
	out := make([]float32, len(x))
	for i, v := range x {
		out[i] = float32(v) / 32768
	}
	return out
}

// parallel calls f(0..n-1) on workers goroutines and returns the first
// error (after which it starts no more calls), or ctx's.
func parallel(ctx context.Context, workers, n int, f func(i int) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := f(i); err != nil {
					cancel(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return err
	}
	return nil
}

// progress writes "phase done/total, rate, ETA" lines at most once a second.
type progress struct {
	w     io.Writer
	phase string
	total int
	start time.Time
	mu    sync.Mutex
	done  int
	last  time.Time
}

func newProgress(w io.Writer, phase string, total int) *progress {
	now := time.Now()
	return &progress{w: w, phase: phase, total: total, start: now, last: now}
}

func (p *progress) add(k int) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += k
	now := time.Now()
	if now.Sub(p.last) < time.Second {
		return
	}
	p.last = now
	el := now.Sub(p.start)
	eta := time.Duration(float64(el) / float64(p.done) * float64(p.total-p.done))
	fmt.Fprintf(p.w, "%s %d/%d clips, %.0f/s, ETA %v\n", p.phase, p.done, p.total,
		float64(p.done)/el.Seconds(), eta.Round(time.Second))
}

func (p *progress) finish() {
	if p.w == nil {
		return
	}
	el := time.Since(p.start)
	fmt.Fprintf(p.w, "%s %d/%d clips in %v\n", p.phase, p.done, p.total, el.Round(100*time.Millisecond))
}
