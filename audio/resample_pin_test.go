//go:build amd64

package audio_test

import (
	"hash/fnv"
	"math"
	"testing"

	"github.com/listen-go/listen/audio"
)

// resampleHash is the FNV-1a hash of the bits of Resample's output for a
// fixed 0.05 s mixture of tones at fromRate.
func resampleHash(fromRate int) (uint64, int) {
	n := fromRate / 20
	in := make([]float32, n)
	for i := range in {
		t := float64(i) / float64(fromRate)
		in[i] = float32(0.3*math.Sin(2*math.Pi*440*t) + 0.2*math.Sin(2*math.Pi*3100*t+1) + 0.1*math.Sin(2*math.Pi*7900*t))
	}
	out := audio.Resample(nil, in, fromRate, audio.Rate)
	h := fnv.New64a()
	for _, v := range out {
		b := math.Float32bits(v)
		h.Write([]byte{byte(b), byte(b >> 8), byte(b >> 16), byte(b >> 24)})
	}
	return h.Sum64(), len(out)
}

// Resample's output, bit for bit, at rates from 4 kHz to 768 kHz, among
// them one whose table is capped (44101 Hz). The hashes were recorded at
// 5d936ed, before the filter's rows were computed lazily; they hold on
// amd64, where Go fuses no multiply-adds (other architectures may round
// the filter's design differently).
func TestResampleBits(t *testing.T) {
	for _, c := range []struct {
		rate int
		hash uint64
	}{
		{4000, 0x79a23dc9083a0818},
		{8000, 0xa030e985f61ddf29},
		{11025, 0x45887dd2d31b3d1f},
		{22050, 0x1bcd80edb8587467},
		{32000, 0x38e19652e88802e2},
		{44100, 0xf68dd7fba5d50eb2},
		{44101, 0x4d620efa4b0411ef},
		{48000, 0xa7715faf490a3597},
		{96000, 0x25fa1b4323b32165},
		{192000, 0x2db9bb33655e830b},
		{768000, 0xf8c88a35f279ff0c},
	} {
		if h, n := resampleHash(c.rate); h != c.hash || n != 800 {
			t.Errorf("%d Hz: hash %#x of %d samples, want %#x of 800", c.rate, h, n, c.hash)
		}
	}
}
