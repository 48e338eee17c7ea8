package mkstream

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/datasets"
	"github.com/listen-go/listen/model/detect"
)

// pool is the clips of one word, drawn without replacement in a shuffled
// order, reshuffled when all have been used.
type pool struct {
	word  string
	paths []string
	next  int
}

func (p *pool) draw(rng *rand.Rand) string {
	if p.next == 0 {
		rng.Shuffle(len(p.paths), func(i, j int) { p.paths[i], p.paths[j] = p.paths[j], p.paths[i] })
	}
	path := p.paths[p.next]
	p.next = (p.next + 1) % len(p.paths)
	return path
}

// dropLast removes the clip draw returned last, which could not be read.
func (p *pool) dropLast() {
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

// scan lists the clips of dir: those of the wanted words by word (every
// wanted word must have some) and those of every other word folder (not
// starting with "_", except _unknown_) as one unknown pool, nil when there
// are none. keep, if not nil, filters clips by their path relative to dir,
// with slashes.
func scan(dir string, words []string, keep func(rel string) bool) (wanted []*pool, unknown *pool, err error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("scan %s: %w", dir, err)
	}
	byWord := map[string]*pool{}
	unknown = &pool{word: datasets.UnknownLabel}
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
			if f.IsDir() || strings.HasPrefix(n, ".") || !audio.Decodable(n) {
				continue
			}
			if keep != nil && !keep(name+"/"+n) {
				continue
			}
			paths = append(paths, filepath.Join(dir, name, n))
		}
		slices.Sort(paths)
		if isWanted {
			byWord[name] = &pool{word: name, paths: paths}
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

// build lays out the recording as the package documentation describes.
// Clips that cannot be read go to warn and are replaced by another draw; it
// fails when every clip of a wanted word is unreadable.
func build(ctx context.Context, opt Options, wanted []*pool, unknown *pool, noise [][]float32, warn func(error)) (*Stream, error) {
	rng := rand.New(rand.NewPCG(opt.Seed, 0x6d6b73747265616d)) // "mkstream"
	total := int(int64(opt.Duration) * audio.Rate / int64(time.Second))
	out := make([]float32, total)
	if len(noise) > 0 && opt.NoiseGain > 0 {
		noiseBed(out, noise, opt.NoiseGain, rng)
	}
	gapMin := int(int64(opt.GapMin) * audio.Rate / int64(time.Second))
	gapMax := int(int64(opt.GapMax) * audio.Rate / int64(time.Second))
	var truth []detect.Event
	var deck []*pool // wanted words still to place in this round
	pos := gapMin + rng.IntN(gapMax-gapMin+1)
	for pos < total {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var p *pool
		if unknown != nil && rng.Float64()*100 < opt.UnknownPct {
			p = unknown
		} else {
			if len(deck) == 0 {
				deck = append(deck, wanted...)
				rng.Shuffle(len(deck), func(i, j int) { deck[i], deck[j] = deck[j], deck[i] })
			}
			p, deck = deck[len(deck)-1], deck[:len(deck)-1]
		}
		path := p.draw(rng)
		clip, err := audio.ReadFile(path)
		if err == nil && len(clip) == 0 {
			err = fmt.Errorf("read %s: empty clip", path)
		}
		if err != nil {
			warn(fmt.Errorf("skipping %w", err))
			p.dropLast()
			if len(p.paths) == 0 {
				if p == unknown {
					unknown = nil
					continue
				}
				return nil, fmt.Errorf("no readable clips of %q", p.word)
			}
			continue
		}
		pos -= pos % (audio.Rate / 1000) // whole milliseconds in the truth
		if pos+len(clip) > total {
			break
		}
		gain := float32(math.Pow(10, -opt.WordGainDB*rng.Float64()/20))
		for i, x := range clip {
			out[pos+i] += gain * x
		}
		at := detect.SamplesToDuration(int64(pos))
		truth = append(truth, detect.Event{Label: p.word, Time: at})
		if opt.Progress != nil {
			opt.Progress(len(truth), at, opt.Duration)
		}
		pos += len(clip) + gapMin + rng.IntN(gapMax-gapMin+1)
	}
	return &Stream{Samples: out, Truth: truth}, nil
}

// noiseBed adds to out segments of 2 to 10 s cut from random places in the
// noise recordings, each at a gain drawn from [0, vol], joined by 50 ms
// crossfades.
func noiseBed(out []float32, noise [][]float32, vol float64, rng *rand.Rand) {
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
