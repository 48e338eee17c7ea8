package audio_test

import (
	"bytes"
	"fmt"
	"math"
	"runtime"
	"testing"

	"github.com/listen-go/listen/audio"
)

func tone(n, rate int, freq, amp float64) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(amp * math.Sin(2*math.Pi*freq*float64(i)/float64(rate)))
	}
	return s
}

// fit returns the amplitude of the least-squares sinusoid at freq in s
// (sampled at rate) and the RMS of what it leaves unexplained.
func fit(s []float32, rate int, freq float64) (amp, resid float64) {
	var cc, ss, cs, yc, ys float64
	for i, v := range s {
		w := 2 * math.Pi * freq * float64(i) / float64(rate)
		c, sn := math.Cos(w), math.Sin(w)
		cc += c * c
		ss += sn * sn
		cs += c * sn
		yc += float64(v) * c
		ys += float64(v) * sn
	}
	det := cc*ss - cs*cs
	a := (yc*ss - ys*cs) / det
	b := (ys*cc - yc*cs) / det
	var r float64
	for i, v := range s {
		w := 2 * math.Pi * freq * float64(i) / float64(rate)
		e := float64(v) - a*math.Cos(w) - b*math.Sin(w)
		r += e * e
	}
	return math.Hypot(a, b), math.Sqrt(r / float64(len(s)))
}

func rms(s []float32) float64 {
	var e float64
	for _, v := range s {
		e += float64(v) * float64(v)
	}
	return math.Sqrt(e / float64(len(s)))
}

func db(x float64) float64 { return 20 * math.Log10(x) }

// A 1 kHz tone keeps its frequency (the sinusoid fitted at exactly 1 kHz
// explains all but -60 dB of the output) and its level within 0.1 dB.
func TestResampleToneKeepsFrequencyAndLevel(t *testing.T) {
	for _, rate := range []int{8000, 11025, 16000, 22050, 32000, 44100, 48000, 88200, 96000, 192000, 44101} {
		t.Run(fmt.Sprint(rate), func(t *testing.T) {
			const amp = 0.5
			in := tone(rate, rate, 1000, amp) // one second
			out := audio.Resample(nil, in, rate, audio.Rate)
			if want := audio.Rate; len(out) != want {
				t.Fatalf("got %d samples, want %d", len(out), want)
			}
			mid := out[2000 : len(out)-2000] // away from the edges
			a, resid := fit(mid, audio.Rate, 1000)
			// fit starts at sample 2000: same frequency, any phase.
			t.Logf("level %+.4f dB, residual %.1f dB", db(a/amp), db(resid/amp))
			if d := db(a / amp); math.Abs(d) > 0.1 {
				t.Errorf("level changed by %.3f dB", d)
			}
			if r := db(resid / amp); r > -60 {
				t.Errorf("residual after fitting 1 kHz: %.1f dB, want <= -60", r)
			}
		})
	}
}

// A 10 kHz tone at 44.1 kHz is above the output's 8 kHz Nyquist frequency;
// without a low-pass it would alias to 6 kHz. So are tones just above
// 8 kHz and far above it, at every common rate.
func TestResampleRejectsAlias(t *testing.T) {
	for _, rate := range []int{32000, 44100, 48000, 96000, 192000} {
		for _, freq := range []float64{8200, 10000, 15000} {
			t.Run(fmt.Sprint(rate, "/", freq), func(t *testing.T) {
				in := tone(rate, rate, freq, 0.5)
				out := audio.Resample(nil, in, rate, audio.Rate)
				mid := out[2000 : len(out)-2000]
				att := db(rms(mid) / rms(in))
				t.Logf("attenuated by %.1f dB", -att)
				if att > -60 {
					t.Errorf("%v Hz tone attenuated by only %.1f dB, want at least 60", freq, -att)
				}
			})
		}
	}
}

// Speech's band up to 6 kHz passes within 0.1 dB.
func TestResamplePassband(t *testing.T) {
	for _, rate := range []int{8000, 22050, 44100, 48000} {
		for _, freq := range []float64{100, 3000, 6000} {
			if freq >= 0.45*float64(rate) {
				continue
			}
			in := tone(rate, rate, freq, 0.5)
			out := audio.Resample(nil, in, rate, audio.Rate)
			a, _ := fit(out[2000:len(out)-2000], audio.Rate, freq)
			if d := db(a / 0.5); math.Abs(d) > 0.1 {
				t.Errorf("%d Hz: %v Hz tone changed by %.3f dB", rate, freq, d)
			}
		}
	}
}

// The output does not depend on how the input is split between calls.
func TestResamplerChunking(t *testing.T) {
	in := tone(10000, 44100, 440, 0.3)
	want := audio.Resample(nil, in, 44100, audio.Rate)
	for _, chunk := range []int{1, 7, 100, 4096} {
		r := audio.NewResampler(44100, audio.Rate)
		var got []float32
		for i := 0; i < len(in); i += chunk {
			got = r.Process(got, in[i:min(i+chunk, len(in))])
		}
		got = r.Flush(got)
		if len(got) != len(want) {
			t.Fatalf("chunk %d: %d samples, want %d", chunk, len(got), len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("chunk %d: sample %d = %v, want %v", chunk, i, got[i], want[i])
			}
		}
	}
}

// A resampler for an awkward rate pair costs memory in proportion to what
// it resamples, not to its filter table (about 1 MB at 44.1 kHz plus a
// few Hz): a tiny WAV file at such a rate decodes in under 128 KB, most of
// it one row of the filter and the history it needs (3,414 taps at
// 768 kHz). The rates are used by no other test, so no table is cached.
func TestResamplerMemoryBounded(t *testing.T) {
	for _, rate := range []int{44117, 47999, 767999} {
		var wav bytes.Buffer
		if err := audio.Encode(&wav, []float32{0.1, -0.2, 0.3, 0.4, -0.5}, rate); err != nil {
			t.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		out, err := audio.Decode(bytes.NewReader(wav.Bytes()))
		runtime.ReadMemStats(&after)
		if err != nil || len(out) == 0 {
			t.Fatalf("%d Hz: %d samples, %v", rate, len(out), err)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > 128<<10 {
			t.Errorf("%d Hz: decoding a %d-byte WAV allocated %d bytes", rate, wav.Len(), n)
		}
	}
}
