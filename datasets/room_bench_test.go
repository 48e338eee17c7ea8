package datasets

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkRoom is the cost of the room augmentation of one one-second
// clip: a synthetic room (two FFTs of 25,600 points) and a microphone's
// band; BenchmarkRoomNone is the same clip's copy, its peer.
func BenchmarkRoom(b *testing.B) {
	benchRoom(b, Room{Reverb: 1, Band: 1, Gain: 6})
}

func BenchmarkRoomNone(b *testing.B) { benchRoom(b, Room{}) }

func benchRoom(b *testing.B, r Room) {
	src := make([]float32, 16000)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range src {
		src[i] = float32(rng.NormFloat64() * 0.1)
	}
	x := make([]float32, len(src))
	var s roomScratch
	r.applyReverb(x, rng, &s) // the bank, made once
	b.ReportAllocs()
	for b.Loop() {
		copy(x, src)
		r.applyReverb(x, rng, &s)
		r.applyMic(x, rng)
	}
}
