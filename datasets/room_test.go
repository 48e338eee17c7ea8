package datasets

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// schroederRT60 estimates a room impulse response's reverberation time
// from the slope of its backward-integrated energy between -5 and -25 dB
// (T20, times 3), as ISO 3382 measures rooms.
func schroederRT60(h []float32) float64 {
	e := make([]float64, len(h))
	sum := 0.0
	for i := len(h) - 1; i >= 1; i-- { // the direct path left out
		sum += float64(h[i]) * float64(h[i])
		e[i] = sum
	}
	t5, t25 := -1, -1
	for i := 1; i < len(h); i++ {
		db := 10 * math.Log10(e[i]/e[1])
		if t5 < 0 && db <= -5 {
			t5 = i
		}
		if t25 < 0 && db <= -25 {
			t25 = i
			break
		}
	}
	return 3 * float64(t25-t5) / 16000
}

func TestRoomTail(t *testing.T) {
	for _, rt60 := range []float64{0.2, 0.5, 0.9} {
		rng := rand.New(rand.NewPCG(1, 2))
		h := roomTail(nil, int(rt60*16000), rt60, rng)
		if len(h) != int(rt60*16000) || h[0] != 0 {
			t.Fatalf("rt60 %v: %d taps, direct path %v", rt60, len(h), h[0])
		}
		if got := schroederRT60(h); math.Abs(got-rt60) > 0.1*rt60 {
			t.Errorf("rt60 %v: measured %.3f s", rt60, got)
		}
		energy := 0.0
		for _, v := range h {
			energy += float64(v) * float64(v)
		}
		if math.Abs(energy-1) > 1e-4 {
			t.Errorf("rt60 %v: tail energy %v, want 1", rt60, energy)
		}
	}
}

func TestRoomBank(t *testing.T) {
	b := bankFor(16000, 0.15, 0.9)
	if b != bankFor(16000, 0.15, 0.9) {
		t.Error("a bank made twice")
	}
	if len(b.tails) != bankRooms || b.size < 16000+int(0.9*16000*2/3)-1 || fftSize(b.size) != b.size {
		t.Errorf("%d rooms, FFT size %d", len(b.tails), b.size)
	}
	for _, tc := range []struct{ n, want int }{{1, 1}, {7, 8}, {25599, 25600}, {97, 100}} {
		if got := fftSize(tc.n); got != tc.want {
			t.Errorf("fftSize(%d) = %d, want %d", tc.n, got, tc.want)
		}
	}
}

func TestReverbKeepsLengthAndLevel(t *testing.T) {
	x := make([]float32, 16000)
	for i := range x {
		x[i] = float32(0.3 * math.Sin(2*math.Pi*440*float64(i)/16000))
	}
	rms := func(x []float32) float64 {
		s := 0.0
		for _, v := range x {
			s += float64(v) * float64(v)
		}
		return math.Sqrt(s / float64(len(x)))
	}
	before := rms(x)
	var s roomScratch
	y := slices.Clone(x)
	b := bankFor(len(x), 0.15, 0.9)
	s.reverb(y, b, 40, 0)
	if len(y) != len(x) || math.Abs(rms(y)-before) > 1e-4 {
		t.Errorf("rms %v, want %v", rms(y), before)
	}
	if slices.Equal(x, y) {
		t.Error("reverb changed nothing")
	}

	// A click comes out as the direct path and the room's tail, at the
	// direct-to-reverberant ratio asked for.
	click := make([]float32, 8000)
	click[100] = 1
	const drr = 6.0
	cb := bankFor(len(click), 0.3, 0.3)
	s.reverb(click, cb, 0, drr)
	tail := 0.0
	for _, v := range click[101:] {
		tail += float64(v) * float64(v)
	}
	if got := 10 * math.Log10(float64(click[100])*float64(click[100])/tail); math.Abs(got-drr) > 0.1 {
		t.Errorf("direct-to-reverberant ratio %.2f dB, want %v", got, drr)
	}
	if got := schroederRT60(click[100:]); math.Abs(got-0.3) > 0.03 {
		t.Errorf("the click's echo decays in %.3f s, want 0.3", got)
	}
	for _, v := range click[:100] {
		if math.Abs(float64(v)) > 1e-5 {
			t.Fatal("the echo starts before the click")
		}
	}
}

func TestBandLimit(t *testing.T) {
	level := func(f float64) float64 {
		x := make([]float32, 16000)
		for i := range x {
			x[i] = float32(math.Sin(2 * math.Pi * f * float64(i) / 16000))
		}
		bandLimit(x, 300, 3400)
		s := 0.0
		for _, v := range x[8000:] { // after the filters settle
			s += float64(v) * float64(v)
		}
		return 10 * math.Log10(2*s/8000)
	}
	for _, tc := range []struct {
		f        float64
		min, max float64
	}{
		{1000, -0.2, 0.2},
		{300, -3.3, -2.7}, // the cutoffs: -3 dB
		{3400, -3.3, -2.7},
		{75, -1000, -40}, // two octaves down: 4th order, -48 dB
		{7000, -1000, -24},
	} {
		if got := level(tc.f); got < tc.min || got > tc.max {
			t.Errorf("%v Hz: %.2f dB, want %v to %v", tc.f, got, tc.min, tc.max)
		}
	}
}

func TestRoomAugment(t *testing.T) {
	x := make([]float32, 16000)
	for i := range x {
		x[i] = float32(0.5 * math.Sin(2*math.Pi*200*float64(i)/16000))
	}
	run := func(a Augment, rs *roomScratch) []float32 {
		y := slices.Clone(x)
		a.apply(y, nil, rand.New(rand.NewPCG(7, 8)), rs)
		return y
	}
	plain := Augment{MaxShift: 800}
	if !slices.Equal(run(plain, nil), run(Augment{MaxShift: 800, Room: Room{RT60Min: 0.3}}, nil)) {
		t.Error("a room with no effect on changed the clip")
	}
	full := Augment{MaxShift: 800, Room: Room{Reverb: 1, Band: 1, Gain: 30}}
	var rs roomScratch
	a, b := run(full, nil), run(full, &rs)
	if !slices.Equal(a, b) || !slices.Equal(b, run(full, &rs)) {
		t.Error("the room's result depends on its buffers")
	}
	if slices.Equal(a, run(plain, nil)) {
		t.Error("the room changed nothing")
	}
	for _, v := range a {
		if v > 1 || v < -1 {
			t.Fatalf("sample %v outside [-1, 1] after the gain", v)
		}
	}
}
