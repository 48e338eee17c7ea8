package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/model/detect"
)

// soundEnd returns where the sound of a clip ends, in samples: the end of
// its last 10 ms frame within 20 dB of its loudest frame.
func soundEnd(clip []float32) int {
	const frame = audio.Rate / 100
	var peak float64
	energy := make([]float64, len(clip)/frame)
	for i := range energy {
		for _, v := range clip[i*frame : (i+1)*frame] {
			energy[i] += float64(v) * float64(v)
		}
		peak = max(peak, energy[i])
	}
	end := len(clip)
	for i := len(energy) - 1; i >= 0; i-- {
		if energy[i] >= peak/100 {
			end = (i + 1) * frame
			break
		}
	}
	return end
}

// BenchmarkDetectionLatency measures how long after the end of a word the
// listener reports it, in audio time, so the figure does not depend on how
// busy the machine is: the streaming path of the listener (the embedded
// default model, detect.Streamer, hop-sized writes as from the microphone)
// runs over the end-to-end clips, each placed ten times at offsets 10 ms
// apart across a hop, in quiet noise. For each word it takes Detection.At
// (the end of the window whose result made the report) minus the end of
// the word's sound (see soundEnd; "clip" variants: minus the end of its
// one-second clip). Printing takes microseconds on top (see ns/op, the CPU
// cost of the whole recording). The first sub-benchmark uses the model's own
// settings; the others try other detection settings.
//
//	go test ./cmd/listen -run '^$' -bench DetectionLatency -benchtime 1x
func BenchmarkDetectionLatency(b *testing.B) {
	m, err := loadModel("default")
	if err != nil {
		b.Fatal(err)
	}
	// The recording: 1 s of noise, then each clip followed by 1.2 s of
	// noise, ten times with the lead shifted by 10 ms.
	rng := rand.New(rand.NewPCG(6, 2026))
	noise := func(dst []float32, n int) []float32 {
		for range n {
			dst = append(dst, float32(rng.NormFloat64()*0.003))
		}
		return dst
	}
	var rec []float32
	type word struct {
		label          string
		soundEnd, clip int64 // in samples
	}
	var words []word
	for shift := range 10 {
		rec = noise(rec, audio.Rate+shift*audio.Rate/100)
		for _, w := range e2eWords {
			clip, err := audio.ReadFile(filepath.Join("..", "..", "testdata", "listen", w+".wav"))
			if err != nil {
				b.Fatal(err)
			}
			start := int64(len(rec))
			words = append(words, word{w, start + int64(soundEnd(clip)), start + int64(len(clip))})
			rec = append(rec, clip...)
			rec = noise(rec, audio.Rate*12/10)
		}
	}
	def := detect.DefaultConfig()
	own, err := detect.ModelConfig(m) // the model's own settings
	if err != nil {
		b.Fatal(err)
	}
	own = own.WithDefaults()
	for _, tc := range []struct {
		hop       time.Duration
		average   time.Duration
		minCount  int
		threshold float32
	}{
		{own.Hop, own.AverageWindow, own.MinCount, own.Threshold},
		{own.Hop / 2, own.AverageWindow, 2 * own.MinCount, own.Threshold}, // half the hop, the same share of results
		{own.Hop, 300 * time.Millisecond, 2, def.Threshold},
		{own.Hop, 300 * time.Millisecond, 2, 0.8},
		{own.Hop, 200 * time.Millisecond, 2, def.Threshold},
		{own.Hop, 200 * time.Millisecond, 2, 0.8},
	} {
		cfg := def
		cfg.Hop, cfg.AverageWindow, cfg.MinCount, cfg.Threshold = tc.hop, tc.average, tc.minCount, tc.threshold
		b.Run(fmt.Sprintf("hop=%v/average=%v/min-count=%d/threshold=%v", tc.hop, tc.average, tc.minCount, tc.threshold), func(b *testing.B) {
			s, err := detect.New(m, cfg)
			if err != nil {
				b.Fatal(err)
			}
			hop := detect.HopSamples(cfg.Hop)
			var found []detect.Detection
			emit := func(d detect.Detection) { found = append(found, d) }
			for b.Loop() {
				s.Reset()
				found = found[:0]
				for i := 0; i < len(rec); i += hop {
					if err := s.Write(rec[i:min(i+hop, len(rec))], emit); err != nil {
						b.Fatal(err)
					}
				}
			}
			// Match each word to the first detection of its label made
			// after its clip started and before the next word's did.
			var fromSound, fromClip []float64
			missed, j := 0, 0
			for i, w := range words {
				next := int64(len(rec))
				if i+1 < len(words) {
					next = words[i+1].clip - int64(audio.Rate)
				}
				hit := false
				for ; j < len(found); j++ {
					at := int64(found[j].At.Seconds()*audio.Rate + 0.5)
					if at >= next {
						break
					}
					if found[j].Label == w.label && !hit {
						hit = true
						fromSound = append(fromSound, float64(at-w.soundEnd)/audio.Rate*1000)
						fromClip = append(fromClip, float64(at-w.clip)/audio.Rate*1000)
					}
				}
				if !hit {
					missed++
				}
			}
			b.ReportMetric(float64(missed), "missed")
			b.ReportMetric(float64(len(found)-len(fromSound)), "others")
			if len(fromSound) > 0 {
				b.ReportMetric(median(fromSound), "ms-from-sound-median")
				b.ReportMetric(slices.Max(fromSound), "ms-from-sound-max")
				b.ReportMetric(median(fromClip), "ms-from-clip-median")
			}
		})
	}
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return math.NaN()
	}
	return s[len(s)/2]
}
