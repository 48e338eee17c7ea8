package datasets

import (
	"math/rand/v2"

	"github.com/listen-go/listen/audio"
)

// Joined examples (LoaderConfig.Join): a sliding window sees the end of one
// word running into the start of the next far more often than a whole
// word, and none of those views is a command.
const (
	// A word is cut at a uniform fraction of its sound in
	// [joinCutMin, 1-joinCutMin], so each piece keeps at most two
	// thirds of its word: half of "left" and half of "go" are no command.
	joinCutMin = 0.35
	// joinGap is the most silence between the two pieces: 100 ms.
	joinGap = audio.Rate / 10
	// The junction falls at a uniform place in the middle half of the
	// window.
	joinAtMin = 0.25
	// joinSalt seeds the join draws apart from the augmentation's, so
	// that a clip not joined is augmented as without Join.
	joinSalt = 0x10e1
)

// join writes to dst (len(dst) == len(a)) the tail of a's sound from a cut
// inside it, up to joinGap samples of silence, then the head of b's sound up
// to a cut inside it, with zeros around; the junction (where b's piece
// starts) is at a random place in the middle of the window, and what runs
// past either end of the window is cut. a and b hold a clip each, as long
// as dst; dst must not overlap them. It reports false, leaving dst alone,
// when either clip is silent. The four draws from rng are made whatever
// the clips hold.
func join(dst, a, b []float32, rng *rand.Rand) bool {
	cutA := joinCutMin + (1-2*joinCutMin)*rng.Float64()
	cutB := joinCutMin + (1-2*joinCutMin)*rng.Float64()
	gap := rng.IntN(joinGap + 1)
	at := int((joinAtMin + (1-2*joinAtMin)*rng.Float64()) * float64(len(dst)))
	loA, hiA, okA := soundBounds(a, 0, 0)
	loB, hiB, okB := soundBounds(b, 0, 0)
	if !okA || !okB {
		return false
	}
	tail := a[loA+int(cutA*float64(hiA-loA)) : hiA]
	head := b[loB : loB+int(cutB*float64(hiB-loB))]
	clear(dst)
	if start := at - gap - len(tail); start >= 0 {
		copy(dst[start:], tail)
	} else if -start < len(tail) {
		copy(dst, tail[-start:])
	}
	copy(dst[at:], head)
	return true
}
