package mic

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"sync/atomic"

	"github.com/listen-go/listen/audio"
)

// Device is an audio input device, as Devices lists it. Its JSON form is
// what `listen devices -json` prints.
type Device struct {
	Index       int     `json:"index"`        // PortAudio's device index, usable as Config.Device
	Name        string  `json:"name"`         // the host API's name for it
	Channels    int     `json:"channels"`     // maximum input channels
	DefaultRate float64 `json:"default_rate"` // the device's default sample rate, Hz
	Default     bool    `json:"default"`      // this is the default input device
}

// Config says which device to capture from and how. The zero Config
// captures from the default device at 16 kHz when it can.
type Config struct {
	// Device is "" for the default input device, a device index as
	// Devices lists it ("3"), or part of a device's name ("USB"),
	// matched case-insensitively against input devices in index order.
	Device string
	// BufferFrames is the size of each read from the device, in frames at
	// the capture rate; 0 means about 32 ms.
	BufferFrames int
	// SampleRate is the rate, in Hz, to capture at before resampling to
	// 16 kHz. 0 captures at 16 kHz when the device supports it and at the
	// device's default rate otherwise.
	SampleRate int
}

var (
	// ErrNoCapture is returned by Open, Devices and Listen in a build
	// without live capture (CGO_ENABLED=0).
	ErrNoCapture = errors.New("mic: live capture unavailable: this program was built without cgo; " +
		"install PortAudio (Debian/Ubuntu: apt-get install portaudio19-dev pkg-config) and rebuild with CGO_ENABLED=1")
	// ErrNoDevice is returned when the machine has no (matching) input
	// device.
	ErrNoDevice = errors.New("mic: no input device")
)

// A Stream is an open microphone: an audio.Source of 16 kHz mono samples
// in [-1, 1), however the device records. Open returns one; the caller
// must Close it. Read is not safe for concurrent use, but Close and
// Overflows may be called from any goroutine at any time.
type Stream struct {
	c        *capture
	dev      Device
	rate     int
	channels int
}

// Read implements audio.Source: it blocks until the device has delivered
// a buffer (about 32 ms by default) and returns at most len(dst) samples.
// Once the context given to Open is done it returns the context's error,
// and after Close audio.ErrClosed. Once running, it allocates nothing.
func (s *Stream) Read(dst []float32) (int, error) { return s.c.Read(dst) }

// Close stops capture and releases the device. It is safe to call more
// than once and from another goroutine than Read's.
func (s *Stream) Close() error { return s.c.Close() }

// Overflows is how many times the device dropped input because the reader
// fell behind. Overflows are counted, never fatal.
func (s *Stream) Overflows() int64 { return s.c.Overflows() }

// Device is the device being captured.
func (s *Stream) Device() Device { return s.dev }

// CaptureRate is the rate, in Hz, the device is opened at (before
// resampling to 16 kHz) and its channel count.
func (s *Stream) CaptureRate() (rate, channels int) { return s.rate, s.channels }

// rawStream is a device stream at its own rate and channel count: read
// fills buf (interleaved frames) completely, reporting whether input was
// lost before it (an overflow); stop halts capture; close releases it.
type rawStream interface {
	read(buf []float32) (overflow bool, err error)
	stop() error
	close() error
}

// capture turns a rawStream into an audio.Source: it mixes each buffer down to
// mono, resamples it to 16 kHz and hands it out. Once running it
// allocates nothing per buffer.
type capture struct {
	mu        sync.Mutex
	ctx       context.Context
	st        rawStream
	in        []float32 // one device buffer, interleaved
	channels  int
	mono      []float32
	rs        *audio.Resampler
	out       []float32 // 16 kHz samples not yet returned: out[pos:]
	pos       int
	overflows atomic.Int64
	stopped   bool
	closed    bool
	err       error // sticky
	unwatch   func() bool
}

// newCapture wraps st, which delivers frames of channels samples at rate
// Hz, frames at a time, into in (nil allocates it). It stops st when ctx
// is cancelled.
func newCapture(ctx context.Context, st rawStream, in []float32, rate, channels, frames int) *capture {
	if in == nil {
		in = make([]float32, frames*channels)
	}
	c := &capture{
		ctx:      ctx,
		st:       st,
		in:       in,
		channels: channels,
		mono:     make([]float32, frames),
		rs:       audio.NewResampler(rate, audio.Rate),
	}
	c.out = make([]float32, 0, int(c.rs.OutputLen(int64(frames)))+2)
	c.unwatch = context.AfterFunc(ctx, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.stop()
	})
	return c
}

// stop halts the device; c.mu is held.
func (c *capture) stop() {
	if !c.stopped && !c.closed {
		c.stopped = true
		if err := c.st.stop(); err != nil && c.err == nil {
			c.err = fmt.Errorf("mic: stop capture: %w", err)
		}
	}
}

// Read is Stream.Read.
func (c *capture) Read(dst []float32) (int, error) {
	if len(dst) == 0 {
		return 0, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for c.pos == len(c.out) {
		switch {
		case c.closed:
			return 0, audio.ErrClosed
		case c.ctx.Err() != nil:
			c.stop()
			return 0, c.ctx.Err()
		case c.err != nil:
			return 0, c.err
		}
		overflow, err := c.st.read(c.in)
		if overflow {
			c.overflows.Add(1)
		}
		if err != nil {
			c.err = fmt.Errorf("mic: capture: %w", err)
			return 0, c.err
		}
		audio.MixDown(c.mono, c.in, c.channels)
		c.out = c.rs.Process(c.out[:0], c.mono)
		audio.Clamp(c.out)
		c.pos = 0
	}
	n := copy(dst, c.out[c.pos:])
	c.pos += n
	return n, nil
}

// Overflows is Stream.Overflows; safe to call at any time, from any
// goroutine.
func (c *capture) Overflows() int64 { return c.overflows.Load() }

// Close stops capture and releases the device. It is safe to call more
// than once and from another goroutine than Read's.
func (c *capture) Close() error {
	c.unwatch()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.stop()
	c.closed = true
	if err := c.st.close(); err != nil {
		return fmt.Errorf("mic: close capture: %w", err)
	}
	return nil
}

// bufferFrames is the device buffer size for cfg at rate.
func bufferFrames(cfg Config, rate int) int {
	if cfg.BufferFrames > 0 {
		return cfg.BufferFrames
	}
	// About 32 ms: 512 frames at 16 kHz.
	return max(64, rate*32/1000)
}

// captureFormat chooses the rate and channel count to open a device with:
// cfg.SampleRate if set; otherwise 16 kHz if the device supports it, else
// its default rate, else another common rate. Mono is preferred; some
// hardware only opens in stereo. supported asks the device.
func captureFormat(cfg Config, defaultRate float64, maxChannels int, supported func(rate, ch int) bool) (rate, ch int, err error) {
	var rates []int
	if cfg.SampleRate > 0 {
		rates = []int{cfg.SampleRate}
	} else {
		seen := map[int]bool{}
		for _, r := range []int{audio.Rate, int(math.Round(defaultRate)), 48000, 44100, 32000, 96000, 22050, 8000} {
			if r >= audio.MinSampleRate && r <= audio.MaxSampleRate && !seen[r] {
				seen[r] = true
				rates = append(rates, r)
			}
		}
	}
	chans := []int{1}
	if maxChannels >= 2 {
		chans = append(chans, 2)
	}
	for _, r := range rates {
		for _, c := range chans {
			if supported(r, c) {
				return r, c, nil
			}
		}
	}
	return 0, 0, fmt.Errorf("cannot capture at %v Hz with %v channels", rates, chans)
}
