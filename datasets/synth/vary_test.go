package synth

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func db(x float64) float64 { return 20 * math.Log10(x) }

func TestSetPeakAndLimit(t *testing.T) {
	x := burst(1600, 0, 1600, 0.5)
	SetPeak(x, -6)
	peak := 0.0
	for _, v := range x {
		peak = max(peak, math.Abs(float64(v)))
	}
	if math.Abs(db(peak)+6) > 0.01 {
		t.Errorf("peak %.3f dB, want -6", db(peak))
	}
	if g := SetPeak(make([]float32, 10), -6); g != 0 {
		t.Errorf("SetPeak of silence: gain %g", g)
	}
	y := []float32{0.5, -2, 1.5}
	if g := Limit(y); math.Abs(g-0.5) > 1e-9 || y[1] < -1 || y[2] >= 1 {
		t.Errorf("Limit: gain %g, %v", g, y)
	}
	z := []float32{0.5, -1}
	if g := Limit(z); g != 1 || z[1] != -1 {
		t.Errorf("Limit of a clip in range: gain %g, %v", g, z)
	}
}

func TestActiveLevel(t *testing.T) {
	// A word, a pause, a word 6 dB quieter, and a murmur 30 dB down: the
	// level counts the two words only.
	x := burst(16000, 0, 4000, 0.5)
	copy(x[8000:12000], burst(4000, 0, 4000, 0.25))
	copy(x[12000:], burst(4000, 0, 4000, 0.5*0.0316))
	want := math.Sqrt((0.125*4000 + 0.03125*4000) / 8000)
	if got := ActiveLevel(x); math.Abs(got/want-1) > 0.01 {
		t.Errorf("ActiveLevel = %g, want %g", got, want)
	}
	if got := ActiveLevel(make([]float32, 100)); got != 0 {
		t.Errorf("ActiveLevel(silence) = %g", got)
	}
	if got := ActiveLevel(nil); got != 0 {
		t.Errorf("ActiveLevel(nil) = %g", got)
	}
}

// An ActiveMeter written in pieces of any size gives ActiveLevel of the
// whole, bit for bit, also when the last frame is short.
func TestActiveMeterPieces(t *testing.T) {
	x := burst(16000+77, 0, 4000, 0.5)
	copy(x[8000:12000], burst(4000, 0, 4000, 0.1))
	want := ActiveLevel(x)
	for _, size := range []int{1, 7, 160, 333, len(x)} {
		var m ActiveMeter
		for i := 0; i < len(x); i += size {
			m.Write(x[i:min(i+size, len(x))])
		}
		if got := m.Level(); got != want {
			t.Errorf("pieces of %d: level %v, ActiveLevel %v", size, got, want)
		}
	}
}

func TestMixSNR(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, kind := range []string{White, Pink, Brown} {
		for _, snr := range []float64{0, 10, 30} {
			speech := burst(16000, 4000, 12000, 0.3)
			clip := make([]float32, 16000)
			copy(clip, speech)
			noise := make([]float32, 20000)
			GenerateNoise(noise, kind, rng)
			Mix(clip, noise, speech[4000:12000], snr)
			// What was added is the noise alone.
			added := make([]float32, len(clip))
			for i := range clip {
				added[i] = clip[i] - speech[i]
			}
			got := db(ActiveLevel(speech[4000:12000]) / RMS(added))
			if math.Abs(got-snr) > 0.01 {
				t.Errorf("%s at %g dB: measured %.3f dB", kind, snr, got)
			}
		}
	}
	clip := make([]float32, 100)
	if g := Mix(clip, make([]float32, 100), burst(100, 0, 100, 0.1), 10); g != 0 {
		t.Errorf("silent noise: gain %g", g)
	}
}

// TestGenerateNoise checks the level (RMS about 0.1) and the slope of each
// kind: the power in 2-4 kHz over the power in 250-500 Hz is 0 dB for white
// noise, -3 dB per octave times three octaves for pink, -6 per octave for
// brown, measured with a DFT of 512-sample frames.
func TestGenerateNoise(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, tc := range []struct {
		kind  string
		slope float64 // dB from 250-500 Hz to 2-4 kHz
	}{{White, 0}, {Pink, -9}, {Brown, -18}} {
		x := make([]float32, 16000*2)
		GenerateNoise(x, tc.kind, rng)
		if r := RMS(x); r < 0.08 || r > 0.125 {
			t.Errorf("%s: RMS %.3f, want about 0.1", tc.kind, r)
		}
		lo, hi := bandPower(x, 250, 500), bandPower(x, 2000, 4000)
		if got := 10 * math.Log10(hi/lo); math.Abs(got-tc.slope) > 1.5 {
			t.Errorf("%s: 2-4 kHz is %.1f dB from 250-500 Hz, want %g", tc.kind, got, tc.slope)
		}
	}
}

// bandPower is the mean power per DFT bin between f0 and f1 Hz over
// Hann-windowed 512-sample frames of x.
func bandPower(x []float32, f0, f1 float64) float64 {
	const n = 512
	k0, k1 := int(f0*n/16000), int(f1*n/16000)
	sum, cnt := 0.0, 0
	for off := 0; off+n <= len(x); off += n {
		for k := k0; k < k1; k++ {
			var re, im float64
			for i := 0; i < n; i++ {
				w := 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/n)
				a := 2 * math.Pi * float64(k*i) / n
				re += w * float64(x[off+i]) * math.Cos(a)
				im -= w * float64(x[off+i]) * math.Sin(a)
			}
			sum += re*re + im*im
			cnt++
		}
	}
	return sum / float64(cnt)
}

func TestChangeSpeed(t *testing.T) {
	x := burst(16000, 0, 16000, 0.5)
	for _, f := range []float64{0.9, 1, 1.08, 1.25} {
		got := SpeedFactor(f, false)
		if math.Abs(got/f-1) > 0.003 {
			t.Errorf("SpeedFactor(%g) = %g", f, got)
		}
		if up := SpeedFactor(f, true); up < f {
			t.Errorf("SpeedFactor(%g, faster) = %g, slower than asked", f, up)
		}
		y := ChangeSpeed(nil, x, f, false)
		want := int(math.Round(16000 / got))
		if len(y) < want-1 || len(y) > want+1 {
			t.Errorf("speed %g: %d samples, want %d", f, len(y), want)
		}
		// The tone moves to 440*got Hz: count zero crossings in the middle.
		mid := y[len(y)/4 : 3*len(y)/4]
		zc := 0
		for i := 1; i < len(mid); i++ {
			if (mid[i-1] < 0) != (mid[i] < 0) {
				zc++
			}
		}
		freq := float64(zc) / 2 / (float64(len(mid)) / 16000)
		if math.Abs(freq-440*got) > 3 {
			t.Errorf("speed %g: tone at %.1f Hz, want %.1f", f, freq, 440*got)
		}
	}
}

func TestFinishClip(t *testing.T) {
	vary := DefaultVariation()
	speech := burst(8000, 0, 8000, 0.8)
	hiss := make([]float32, 16000*4)
	GenerateNoise(hiss, White, rand.New(rand.NewPCG(5, 6)))
	noise := []noiseFile{{name: "hiss.wav", samples: hiss}}
	seenStart, seenEnd := false, false
	for seed := range uint64(200) {
		clip := make([]float32, 16000)
		var c Clip
		finishClip(clip, speech, &c, vary, noise, rand.New(rand.NewPCG(seed, 0)))
		if c.Offset < 0 || c.Offset+c.Speech > len(clip) || c.Speech != len(speech) {
			t.Fatalf("seed %d: speech at %d+%d in a window of %d", seed, c.Offset, c.Speech, len(clip))
		}
		seenStart = seenStart || c.Offset < 800
		seenEnd = seenEnd || c.Offset > 7200
		if c.GainDB < vary.GainDB[0]-0.01 || c.GainDB > vary.GainDB[1]+0.01 {
			t.Errorf("seed %d: gain %.2f dB outside %v", seed, c.GainDB, vary.GainDB)
		}
		if c.SNRDB != vary.FloorDB && (c.SNRDB < vary.SNRDB[0] || c.SNRDB > vary.SNRDB[1]) {
			t.Errorf("seed %d: SNR %.2f dB", seed, c.SNRDB)
		}
		if c.Noise != "hiss.wav" {
			t.Errorf("seed %d: noise %q", seed, c.Noise)
		}
		for i, v := range clip {
			if !(v >= -1 && v < 1) {
				t.Fatalf("seed %d: sample %d = %g", seed, i, v)
			}
		}
		// Outside the speech there is only noise, SNR dB below the speech.
		if c.Offset > 1600 {
			ratio := db(ActiveLevel(clip[c.Offset:c.Offset+c.Speech]) / RMS(clip[:c.Offset]))
			if ratio < c.SNRDB-3 || ratio > c.SNRDB+3 {
				t.Errorf("seed %d: speech %.1f dB over the noise before it, drew %.1f", seed, ratio, c.SNRDB)
			}
		}
	}
	if !seenStart || !seenEnd {
		t.Errorf("placements never near the start (%v) or the end (%v) of the window", seenStart, seenEnd)
	}
}

// A room leaves a tail after the speech, louder than the noise alone;
// without one, nothing more is drawn and the clip is as before.
func TestFinishClipRoom(t *testing.T) {
	speech := burst(4000, 0, 4000, 0.8)
	finish := func(v Variation) ([]float32, Clip) {
		clip := make([]float32, 16000)
		var c Clip
		finishClip(clip, speech, &c, v, nil, rand.New(rand.NewPCG(3, 0)))
		return clip, c
	}
	plain := DefaultVariation()
	plain.NoiseProb = 0 // the faint floor only
	dry, dc := finish(plain)
	zero := plain
	zero.Room.RT60Min = 0.5 // no share: no effect
	if again, _ := finish(zero); !slices.Equal(again, dry) {
		t.Error("a room with no share changed the clip")
	}
	wet := plain
	wet.Room.Reverb = 1
	clip, c := finish(wet)
	if c.Offset != dc.Offset {
		t.Fatalf("the room moved the speech from %d to %d", dc.Offset, c.Offset)
	}
	end := c.Offset + c.Speech
	if end+1600 > len(clip) {
		t.Fatalf("speech ends at %d: no room after it to look at (the placement is seeded: choose another seed)", end)
	}
	if tail, floor := RMS(clip[end:end+1600]), RMS(dry[end:end+1600]); !(tail > 10*floor) {
		t.Errorf("100 ms after the speech: RMS %g with the room, %g without", tail, floor)
	}
	for _, v := range clip {
		if !(v >= -1 && v < 1) {
			t.Fatalf("sample %g", v)
		}
	}
}

func TestVariationCheck(t *testing.T) {
	v := DefaultVariation()
	if err := v.check(); err != nil {
		t.Fatal(err)
	}
	bad := []func(v *Variation){
		func(v *Variation) { v.Rate = [2]float64{1.2, 0.8} },
		func(v *Variation) { v.GainDB = [2]float64{-10, 3} },
		func(v *Variation) { v.NoiseProb = 1.5 },
		func(v *Variation) { v.Speed = [2]float64{math.NaN(), 1} },
		func(v *Variation) { v.FloorDB = -1 },
		func(v *Variation) { v.Room.Reverb = 2 },
		func(v *Variation) { v.Room.Band = -0.5 },
	}
	for i, f := range bad {
		v := DefaultVariation()
		f(&v)
		if err := v.check(); err == nil {
			t.Errorf("case %d: no error for %+v", i, v)
		}
	}
}
