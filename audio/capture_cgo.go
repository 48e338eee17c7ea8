//go:build cgo

package audio

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/gordonklaus/portaudio"
)

// PortAudio is initialised once per Devices call and once per open
// capture; the library counts the pairs. paMu serialises the calls that
// enumerate or open devices, which PortAudio does not make thread-safe.
var paMu sync.Mutex

// Devices lists the input devices PortAudio can see, in index order.
func Devices() ([]Device, error) {
	paMu.Lock()
	defer paMu.Unlock()
	if err := initialize(); err != nil {
		return nil, err
	}
	defer portaudio.Terminate()
	devs, def, err := inputDevices()
	if err != nil {
		return nil, err
	}
	out := make([]Device, len(devs))
	for i, d := range devs {
		out[i] = Device{Index: d.Index, Name: d.Name, Channels: d.MaxInputChannels, DefaultRate: d.DefaultSampleRate, Default: def != nil && d.Index == def.Index}
	}
	return out, nil
}

func initialize() error {
	quietALSA()
	if err := checkALSAConfig(); err != nil {
		return err
	}
	if err := portaudio.Initialize(); err != nil {
		if err.Error() == "" { // PortAudio's text for some host errors
			return fmt.Errorf("audio: initialise PortAudio: no reason given%w", err)
		}
		return fmt.Errorf("audio: initialise PortAudio: %w", err)
	}
	return nil
}

// inputDevices returns the devices with input channels and the default
// one (nil if there is none).
func inputDevices() (devs []*portaudio.DeviceInfo, def *portaudio.DeviceInfo, err error) {
	all, err := portaudio.Devices()
	if err != nil {
		return nil, nil, fmt.Errorf("audio: list devices: %w", err)
	}
	for _, d := range all {
		if d.MaxInputChannels > 0 {
			devs = append(devs, d)
		}
	}
	def, err = portaudio.DefaultInputDevice()
	if err != nil || def == nil || def.MaxInputChannels == 0 {
		def = nil
	}
	return devs, def, nil
}

// pickDevice finds the device cfg names.
func pickDevice(name string) (*portaudio.DeviceInfo, error) {
	devs, def, err := inputDevices()
	if err != nil {
		return nil, err
	}
	if len(devs) == 0 {
		return nil, ErrNoDevice
	}
	name = strings.TrimSpace(name)
	if name == "" {
		if def == nil {
			return nil, fmt.Errorf("%w: none is the default (choose one by index or name; see Devices)", ErrNoDevice)
		}
		return def, nil
	}
	if i, err := strconv.Atoi(name); err == nil {
		for _, d := range devs {
			if d.Index == i {
				return d, nil
			}
		}
		return nil, fmt.Errorf("%w with index %d", ErrNoDevice, i)
	}
	for _, d := range devs {
		if strings.Contains(strings.ToLower(d.Name), strings.ToLower(name)) {
			return d, nil
		}
	}
	return nil, fmt.Errorf("%w matching %q", ErrNoDevice, name)
}

// paStream is a blocking-read PortAudio input stream. Reading with
// Pa_ReadStream rather than a callback keeps reflection and allocation
// out of the audio path: the binding fills the same buffer every time.
type paStream struct {
	s    *portaudio.Stream
	buf  *[]float32 // the buffer registered with the stream
	term sync.Once
}

func (p *paStream) read(buf []float32) (bool, error) {
	// The stream reads into *p.buf, which is buf: OpenCapture hands the
	// same slice to newCapture.
	err := p.s.Read()
	if errors.Is(err, portaudio.InputOverflowed) {
		return true, nil
	}
	return false, err
}

func (p *paStream) stop() error { return p.s.Stop() }

func (p *paStream) close() error {
	err := p.s.Close()
	p.term.Do(func() {
		paMu.Lock()
		portaudio.Terminate()
		paMu.Unlock()
	})
	return err
}

// PortAudioSource is the Source OpenCapture returns in a cgo build.
type PortAudioSource struct {
	*capture
	dev      Device
	rate     int
	channels int
}

// Device is the device being captured.
func (s *PortAudioSource) Device() Device { return s.dev }

// CaptureRate is the rate the device is opened at (before resampling to
// 16 kHz) and its channel count.
func (s *PortAudioSource) CaptureRate() (rate, channels int) { return s.rate, s.channels }

// OpenCapture opens an input device through PortAudio and starts
// capturing. When the device cannot capture at 16 kHz it captures at its
// default rate and resamples. Cancelling ctx stops the capture: Read then
// returns ctx.Err(). The caller must Close the source. The Source is a
// *PortAudioSource, which also reports Overflows.
func OpenCapture(ctx context.Context, cfg CaptureConfig) (Source, error) {
	if cfg.BufferFrames < 0 || cfg.SampleRate < 0 || cfg.SampleRate > MaxSampleRate {
		return nil, fmt.Errorf("audio: capture config: buffer %d frames at %d Hz", cfg.BufferFrames, cfg.SampleRate)
	}
	paMu.Lock()
	defer paMu.Unlock()
	if err := initialize(); err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			portaudio.Terminate()
		}
	}()
	dev, err := pickDevice(cfg.Device)
	if err != nil {
		return nil, err
	}
	_, def, _ := inputDevices()
	info := Device{Index: dev.Index, Name: dev.Name, Channels: dev.MaxInputChannels, DefaultRate: dev.DefaultSampleRate, Default: def != nil && dev.Index == def.Index}

	p := portaudio.HighLatencyParameters(dev, nil)
	var buf []float32
	supported := func(rate, ch int) bool {
		p.SampleRate, p.Input.Channels = float64(rate), ch
		return portaudio.IsFormatSupported(p, &buf) == nil
	}
	rate, ch, err := captureFormat(cfg, dev.DefaultSampleRate, dev.MaxInputChannels, supported)
	if err != nil {
		return nil, fmt.Errorf("audio: device %d (%s): %w", dev.Index, dev.Name, err)
	}
	frames := bufferFrames(cfg, rate)
	buf = make([]float32, frames*ch)
	p.SampleRate, p.Input.Channels, p.FramesPerBuffer = float64(rate), ch, frames
	ps := &paStream{buf: &buf}
	ps.s, err = portaudio.OpenStream(p, ps.buf)
	if err != nil {
		return nil, fmt.Errorf("audio: open device %d (%s) at %d Hz: %w", dev.Index, dev.Name, rate, err)
	}
	if err := ps.s.Start(); err != nil {
		ps.s.Close()
		return nil, fmt.Errorf("audio: start device %d (%s): %w", dev.Index, dev.Name, err)
	}
	c := newCapture(ctx, ps, buf, rate, ch, frames)
	ok = true
	return &PortAudioSource{capture: c, dev: info, rate: rate, channels: ch}, nil
}
