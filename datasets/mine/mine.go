// Package mine finds the windows of long audio that holds no command where
// a model comes close to reporting one: hard negatives, to train the next
// model on as _unknown_. It is how the best wake-word detectors
// (openWakeWord, microWakeWord) get to well under one false alarm an hour:
// run the model over hours of ordinary speech, keep what fires or nearly
// fires, train on it, and repeat.
//
// Mine streams each file as listen's detector would (the model's window
// sliding every Options.Hop, silence before the file and after it, as
// listen eval -negatives streams a folder of clips), looks at the raw
// posteriors of every window, and returns the windows whose best command
// scores at least Options.Level, the strongest first within each stretch
// of one window's length (a word that fires for half a second is one hard
// negative, not five). It can also cut windows at random, so that
// ordinary connected speech is learnt as well as what already fires.
//
// Windows are cut from connected speech as the detector sees it: the end
// of one word and the start of the next, a word cut in half by the
// window's edge, which a model of whole clips never saw.
package mine

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/datasets/synth"
	"github.com/listen-go/listen/model"
	"github.com/listen-go/listen/model/detect"
)

// Options are the settings of Mine. A zero field means its default.
type Options struct {
	// Level is the raw posterior of a command (any label not starting
	// with "_") at or above which a window is mined; 0 means 0.5. It is
	// below the detector's threshold on purpose: what comes close is
	// worth learning too.
	Level float32
	// Hop is how often the window is classified; 0 means 50 ms.
	Hop time.Duration
	// Gap is the silence streamed before and after each file, as listen
	// eval -negatives streams a clip; 0 means one second, negative none.
	Gap time.Duration
	// Random is the windows cut at random places per minute of each
	// file's audio, besides the mined ones; 0 none. Their Label is "".
	Random float64
	// PerFile caps the mined windows of one file, the strongest kept; 0
	// means no cap.
	PerFile int
	// Seed drives the random windows and the noise's choice and place.
	Seed uint64
	// Noise, when set, holds background-noise recordings: each file gets
	// a stretch of one of them, chosen at random, mixed in at SNR dB
	// below its active speech level (synth.Mix) before it is scored, so
	// that what fires in a noisy room is found; the windows hold the
	// noise too. A file's noise depends only on Seed and its place in
	// the list.
	Noise [][]float32
	// SNR is the speech's level above the noise, in dB, when Noise is set.
	SNR float64
	// Workers is the number of goroutines, each with its own classifier;
	// 0 means runtime.NumCPU(). The result does not depend on it.
	Workers int
	// Progress, when set, is called after each file with the files done
	// and their total, and the seconds of audio done.
	Progress func(done, total int, seconds float64)
}

// A Window is one window of a file the model scored, or one cut at
// random.
type Window struct {
	// File is the file's index in the list Mine was given, and Start and
	// End the window's place in it (Start may be negative, End past the
	// file's end: the window then holds some of the gap's silence).
	File       int
	Start, End time.Duration
	// Label is the command the model scored highest, P its posterior; ""
	// and 0 for a random window.
	Label string
	P     float32
	// Samples are the window's audio, the model's window long.
	Samples []float32
}

// Mine runs m over each file (any format audio.ReadFile reads) and calls
// emit with its windows, file by file in order, each file's in time
// order. An error from emit stops it. A file that cannot be read stops it
// with an error naming the file.
func Mine(ctx context.Context, m *model.Model, files []string, opt Options, emit func(Window) error) error {
	if m == nil {
		return errors.New("mine: nil model")
	}
	opt, err := opt.withDefaults()
	if err != nil {
		return err
	}
	if _, err := detect.ForModel(m); err != nil {
		return fmt.Errorf("mine: %w", err)
	}
	type result struct {
		wins    []Window
		seconds float64
		err     error
	}
	results := make([]chan result, len(files))
	for i := range results {
		results[i] = make(chan result, 1)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(opt.Workers, max(len(files), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, _ := detect.ForModel(m) // checked above
			for i := range next {
				w, sec, err := mineFile(c, files[i], i, opt)
				results[i] <- result{w, sec, err}
			}
		}()
	}
	go func() {
		defer close(next)
		for i := range files {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	defer wg.Wait()

	seconds := 0.0
	for i := range files {
		var r result
		select {
		case r = <-results[i]:
		case <-ctx.Done():
			return ctx.Err()
		}
		if r.err != nil {
			return r.err
		}
		for _, w := range r.wins {
			if err := emit(w); err != nil {
				return err
			}
		}
		seconds += r.seconds
		if opt.Progress != nil {
			opt.Progress(i+1, len(files), seconds)
		}
	}
	return nil
}

func (o Options) withDefaults() (Options, error) {
	if o.Level == 0 {
		o.Level = 0.5
	}
	if o.Hop == 0 {
		o.Hop = 50 * time.Millisecond
	}
	if o.Gap == 0 {
		o.Gap = time.Second
	}
	if o.Gap < 0 {
		o.Gap = 0
	}
	if o.Workers <= 0 {
		o.Workers = runtime.NumCPU()
	}
	switch {
	case !(o.Level > 0 && o.Level < 1):
		return o, fmt.Errorf("mine: level %v is not in (0, 1)", o.Level)
	case o.Hop < time.Millisecond || o.Hop > time.Second:
		return o, fmt.Errorf("mine: hop %v is not between 1ms and 1s", o.Hop)
	case !(o.Random >= 0 && o.Random <= 600):
		return o, fmt.Errorf("mine: %v random windows a minute is not between 0 and 600", o.Random)
	case o.PerFile < 0:
		return o, fmt.Errorf("mine: negative cap %d a file", o.PerFile)
	case o.Noise != nil && (math.IsNaN(o.SNR) || math.IsInf(o.SNR, 0)):
		return o, fmt.Errorf("mine: SNR %v is not a number of dB", o.SNR)
	}
	return o, nil
}

// mineFile streams one file through c and returns its windows and the
// seconds of audio it holds.
func mineFile(c *detect.ModelClassifier, path string, index int, opt Options) ([]Window, float64, error) {
	x, err := audio.ReadFile(path)
	if err != nil {
		return nil, 0, fmt.Errorf("mine: %w", err)
	}
	if len(opt.Noise) > 0 {
		synth.MixStretch(x, opt.Noise, opt.SNR, rand.New(rand.NewPCG(opt.Seed, 1<<32|uint64(index))), nil)
		synth.Limit(x)
	}
	gap := detect.HopSamples(opt.Gap)
	stream := make([]float32, gap+len(x)+gap)
	copy(stream[gap:], x)
	tr, err := detect.Record(c, stream, detect.Config{Hop: opt.Hop})
	if err != nil {
		return nil, 0, fmt.Errorf("mine %s: %w", path, err)
	}
	win := c.Window()
	labels := tr.Labels
	n := len(labels)

	// The best command of each window classified.
	type cand struct {
		end   int // the window's end, in samples of the stream
		label int
		p     float32
	}
	var cands []cand
	for i, t := range tr.Times {
		best := -1
		for j, l := range labels {
			if detect.Reportable(l) && (best < 0 || tr.Scores[i*n+j] > tr.Scores[i*n+best]) {
				best = j
			}
		}
		if best >= 0 && tr.Scores[i*n+best] >= opt.Level {
			cands = append(cands, cand{int(int64(t) * detect.SampleRate / int64(time.Second)), best, tr.Scores[i*n+best]})
		}
	}
	// Strongest first; a window within half a window of a stronger kept
	// one is the same stretch of speech.
	order := make([]int, len(cands))
	for i := range order {
		order[i] = i
	}
	sortByP := func(a, b int) int {
		switch {
		case cands[a].p > cands[b].p:
			return -1
		case cands[a].p < cands[b].p:
			return 1
		}
		return cands[a].end - cands[b].end
	}
	slices.SortFunc(order, sortByP)
	var kept []cand
	for _, i := range order {
		c := cands[i]
		near := false
		for _, k := range kept {
			if abs(k.end-c.end) < win/2 {
				near = true
				break
			}
		}
		if !near {
			kept = append(kept, c)
			if opt.PerFile > 0 && len(kept) == opt.PerFile {
				break
			}
		}
	}

	var out []Window
	cut := func(end int, label string, p float32) {
		s := make([]float32, win)
		lo := end - win
		for i := range s {
			if j := lo + i; j >= 0 && j < len(stream) {
				s[i] = stream[j]
			}
		}
		out = append(out, Window{
			File:    index,
			Start:   detect.SamplesToDuration(int64(lo - gap)),
			End:     detect.SamplesToDuration(int64(end - gap)),
			Label:   label,
			P:       p,
			Samples: s,
		})
	}
	for _, k := range kept {
		cut(k.end, labels[k.label], k.p)
	}
	if opt.Random > 0 && len(x) > 0 {
		rng := rand.New(rand.NewPCG(opt.Seed, uint64(index)))
		want := opt.Random * float64(len(x)) / (60 * detect.SampleRate)
		count := int(want)
		if rng.Float64() < want-float64(count) {
			count++
		}
		for range count {
			// Windows that hold some of the file: ends from its start to
			// a window past its end.
			end := gap + rng.IntN(len(x)+win/2)
			cut(end, "", 0)
		}
	}
	slices.SortFunc(out, func(a, b Window) int { return int(a.Start - b.Start) })
	return out, float64(len(x)) / detect.SampleRate, nil
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
