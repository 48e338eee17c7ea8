package audio_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"testing"
	"time"

	"github.com/listen-go/listen/audio"
)

// wavBytes is seconds of 16-bit PCM at rate with channels channels: a
// chirp, so that the resampler's work is realistic.
func wavBytes(seconds, rate, channels int) []byte {
	n := seconds * rate
	data := make([]byte, 0, 2*n*channels)
	for i := 0; i < n; i++ {
		t := float64(i) / float64(rate)
		v := int16(12000 * math.Sin(2*math.Pi*(200+300*t)*t))
		for c := 0; c < channels; c++ {
			data = binary.LittleEndian.AppendUint16(data, uint16(v))
		}
	}
	return riff(chunk{"fmt ", fmtBody(1, channels, rate, 16), -1}, chunk{"data", data, -1})
}

// BenchmarkDecode measures whole-clip decoding plus resampling to 16 kHz
// mono, as a multiple of real time (x_realtime: seconds of audio per
// second of CPU).
func BenchmarkDecode(b *testing.B) {
	const seconds = 10
	for _, tt := range []struct{ rate, ch int }{{16000, 1}, {44100, 2}, {48000, 2}, {8000, 1}, {96000, 2}} {
		b.Run(fmt.Sprintf("%dHz-%dch", tt.rate, tt.ch), func(b *testing.B) {
			file := wavBytes(seconds, tt.rate, tt.ch)
			b.SetBytes(int64(len(file)))
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				if _, err := audio.Decode(bytes.NewReader(file)); err != nil {
					b.Fatal(err)
				}
			}
			reportRealtime(b, seconds*b.N, cpuTime()-cpu)
		})
	}
}

// BenchmarkReader streams with a fixed buffer: the constant-memory path.
func BenchmarkReader(b *testing.B) {
	const seconds = 10
	for _, tt := range []struct{ rate, ch int }{{16000, 1}, {44100, 2}, {48000, 2}} {
		b.Run(fmt.Sprintf("%dHz-%dch", tt.rate, tt.ch), func(b *testing.B) {
			file := wavBytes(seconds, tt.rate, tt.ch)
			buf := make([]float32, 4096)
			b.SetBytes(int64(len(file)))
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				r, err := audio.NewReader(bytes.NewReader(file))
				if err != nil {
					b.Fatal(err)
				}
				for {
					_, err := r.Read(buf)
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
				}
			}
			reportRealtime(b, seconds*b.N, cpuTime()-cpu)
		})
	}
}

// BenchmarkResampler is the filter alone, 1 s of mono per op, with
// preallocated output.
func BenchmarkResampler(b *testing.B) {
	for _, rate := range []int{8000, 22050, 44100, 48000, 96000, 192000} {
		b.Run(fmt.Sprint(rate), func(b *testing.B) {
			in := tone(rate, rate, 440, 0.5)
			r := audio.NewResampler(rate, audio.Rate)
			out := make([]float32, 0, 2*audio.Rate)
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				out = r.Process(out[:0], in)
				out = r.Flush(out)
			}
			reportRealtime(b, b.N, cpuTime()-cpu)
		})
	}
}

// reportRealtime reports seconds of audio processed per second of wall
// clock (x_realtime) and, where the CPU time is known, per second of CPU
// (x_realtime_cpu: the same on an idle machine, steadier on a busy one).
func reportRealtime(b *testing.B, seconds int, cpu time.Duration) {
	b.ReportMetric(float64(seconds)/b.Elapsed().Seconds(), "x_realtime")
	if cpu > 0 {
		b.ReportMetric(float64(seconds)/cpu.Seconds(), "x_realtime_cpu")
	}
}
