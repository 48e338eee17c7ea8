package mic

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/listen-go/listen/audio"
)

// fakeStream is a device delivering a 1 kHz tone at rate Hz in stereo,
// with an overflow on every fourth buffer.
type fakeStream struct {
	rate, ch int
	t        int
	reads    int
	stopped  int
	closed   int
	failAt   int // read number that fails; 0 never
}

func (f *fakeStream) read(buf []float32) (bool, error) {
	f.reads++
	if f.reads == f.failAt {
		return false, errors.New("device unplugged")
	}
	for i := 0; i < len(buf); i += f.ch {
		v := float32(0.5 * math.Sin(2*math.Pi*1000*float64(f.t)/float64(f.rate)))
		for c := 0; c < f.ch; c++ {
			buf[i+c] = v
		}
		f.t++
	}
	return f.reads%4 == 0, nil
}

func (f *fakeStream) stop() error  { f.stopped++; return nil }
func (f *fakeStream) close() error { f.closed++; return nil }

func TestCaptureResamplesAndCountsOverflows(t *testing.T) {
	st := &fakeStream{rate: 44100, ch: 2}
	frames := bufferFrames(Config{}, st.rate)
	c := newCapture(context.Background(), st, nil, st.rate, st.ch, frames)
	defer c.Close()
	got := make([]float32, 0, audio.Rate)
	buf := make([]float32, 700)
	for len(got) < audio.Rate {
		n, err := c.Read(buf[:min(len(buf), audio.Rate-len(got))])
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, buf[:n]...)
	}
	// One second at 16 kHz from 44.1 kHz, overflows counted, not fatal.
	if want := int64(st.reads / 4); c.Overflows() != want {
		t.Errorf("Overflows() = %d, want %d", c.Overflows(), want)
	}
	var e float64
	for _, v := range got[1000:] {
		e += float64(v) * float64(v)
	}
	if level := math.Sqrt(2 * e / float64(len(got)-1000)); math.Abs(level-0.5) > 0.005 {
		t.Errorf("tone level %.4f after capture, want 0.5", level)
	}
}

func TestCaptureCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	st := &fakeStream{rate: 16000, ch: 1}
	c := newCapture(ctx, st, nil, st.rate, st.ch, 256)
	buf := make([]float32, 100)
	if _, err := c.Read(buf); err != nil {
		t.Fatal(err)
	}
	cancel()
	// Samples already converted may still come out; then the context's error.
	var err error
	for i := 0; i < 10 && err == nil; i++ {
		_, err = c.Read(buf)
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Read after cancel: %v, want context.Canceled", err)
	}
	if st.stopped != 1 {
		t.Errorf("stream stopped %d times, want 1", st.stopped)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if st.closed != 1 {
		t.Errorf("stream closed %d times, want 1", st.closed)
	}
	if _, err := c.Read(buf); !errors.Is(err, audio.ErrClosed) {
		t.Errorf("Read after Close: %v, want ErrClosed", err)
	}
}

func TestCaptureDeviceError(t *testing.T) {
	st := &fakeStream{rate: 48000, ch: 1, failAt: 3}
	c := newCapture(context.Background(), st, nil, st.rate, st.ch, 480)
	defer c.Close()
	buf := make([]float32, 160)
	var err error
	for i := 0; i < 100 && err == nil; i++ {
		_, err = c.Read(buf)
	}
	if err == nil || !strings.Contains(err.Error(), "device unplugged") {
		t.Fatalf("got %v, want the device's error", err)
	}
}

// The steady-state capture loop allocates nothing per buffer, at 16 kHz
// and through the resampler.
func TestCaptureSteadyStateAllocs(t *testing.T) {
	for _, rate := range []int{16000, 44100, 48000} {
		st := &fakeStream{rate: rate, ch: 2}
		frames := bufferFrames(Config{}, rate)
		c := newCapture(context.Background(), st, nil, rate, st.ch, frames)
		buf := make([]float32, 512)
		for i := 0; i < 20; i++ { // warm up: the resampler's buffer settles
			c.Read(buf)
		}
		if a := testing.AllocsPerRun(200, func() {
			if _, err := c.Read(buf); err != nil {
				t.Fatal(err)
			}
		}); a != 0 {
			t.Errorf("%d Hz: %v allocations per Read, want 0", rate, a)
		}
		c.Close()
	}
}

func BenchmarkCaptureLoop(b *testing.B) {
	st := &fakeStream{rate: 48000, ch: 2}
	frames := bufferFrames(Config{}, 48000)
	c := newCapture(context.Background(), st, nil, 48000, 2, frames)
	defer c.Close()
	buf := make([]float32, 512)
	b.ReportAllocs()
	for b.Loop() {
		c.Read(buf)
	}
}

// A device that cannot capture at 16 kHz is opened at its default rate
// (then resampled); failing that at another common rate; a stereo-only
// device in stereo.
func TestCaptureFormat(t *testing.T) {
	tests := []struct {
		name        string
		cfg         Config
		defaultRate float64
		maxCh       int
		ok          func(rate, ch int) bool
		rate, ch    int
	}{
		{"16 kHz mono", Config{}, 44100, 2, func(r, c int) bool { return true }, 16000, 1},
		{"only its default rate", Config{}, 44100, 1, func(r, c int) bool { return r == 44100 }, 44100, 1},
		{"default rate broken", Config{}, 44100, 2, func(r, c int) bool { return r == 48000 }, 48000, 1},
		{"stereo only", Config{}, 48000, 2, func(r, c int) bool { return r == 48000 && c == 2 }, 48000, 2},
		{"forced rate", Config{SampleRate: 32000}, 48000, 2, func(r, c int) bool { return true }, 32000, 1},
		{"nothing", Config{}, 48000, 2, func(r, c int) bool { return false }, 0, 0},
	}
	for _, tt := range tests {
		rate, ch, err := captureFormat(tt.cfg, tt.defaultRate, tt.maxCh, tt.ok)
		if rate != tt.rate || ch != tt.ch || (err != nil) != (tt.rate == 0) {
			t.Errorf("%s: got %d Hz %d ch (%v), want %d Hz %d ch", tt.name, rate, ch, err, tt.rate, tt.ch)
		}
	}
}
