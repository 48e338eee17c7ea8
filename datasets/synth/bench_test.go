package synth

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"testing"
)

// BenchmarkRender is one clip's synthesis: the process, reading its WAV
// (resampled to 16 kHz) and trimming.
func BenchmarkRender(b *testing.B) {
	engines, _, err := Find(nil)
	if err != nil {
		b.Fatal(err)
	}
	for _, e := range engines {
		vs, err := e.Voices(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		b.Run(e.Name, func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "x.wav")
			for i := 0; b.Loop(); i++ {
				if _, err := render(context.Background(), e, "hey, what is the temperature", vs[i%len(vs)], Prosody{1, 1}, path); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkFinishClip is one clip's placement, level and noise in a 2.5 s
// window.
func BenchmarkFinishClip(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	speech := burst(24000, 0, 24000, 0.5)
	hiss := make([]float32, 16000*10)
	GenerateNoise(hiss, Pink, rng)
	noise := []noiseFile{{name: "hiss", samples: hiss}}
	clip := make([]float32, 40000)
	vary := DefaultVariation()
	b.ReportAllocs()
	for b.Loop() {
		clear(clip)
		var c Clip
		finishClip(clip, speech, &c, vary, noise, rng)
	}
}
