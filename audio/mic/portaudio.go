//go:build cgo

package mic

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/gordonklaus/portaudio"

	"github.com/listen-go/listen/audio"
)

// PortAudio is initialised once per Devices call and once per open
// stream; the library counts the pairs. paMu serialises the calls that
// enumerate or open devices, which PortAudio does not make thread-safe.
var paMu sync.Mutex

// Devices lists the input devices PortAudio can see, in index order. An
// empty list means the machine has no input device.
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
		out[i] = device(d, def)
	}
	return out, nil
}

// device describes d; def is the default input device (nil for none).
func device(d, def *portaudio.DeviceInfo) Device {
	return Device{Index: d.Index, Name: d.Name, Channels: d.MaxInputChannels, DefaultRate: d.DefaultSampleRate, Default: def != nil && d.Index == def.Index}
}

func initialize() error {
	quietALSA()
	if err := checkALSAConfig(); err != nil {
		return err
	}
	if err := portaudio.Initialize(); err != nil {
		if err.Error() == "" { // PortAudio's text for some host errors
			return fmt.Errorf("mic: initialise PortAudio: no reason given%w", err)
		}
		return fmt.Errorf("mic: initialise PortAudio: %w", err)
	}
	return nil
}

// inputDevices returns the devices with input channels and the default
// one (nil if there is none).
func inputDevices() (devs []*portaudio.DeviceInfo, def *portaudio.DeviceInfo, err error) {
	all, err := portaudio.Devices()
	if err != nil {
		return nil, nil, fmt.Errorf("mic: list devices: %w", err)
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

// pickDevice finds the device name names (Config.Device) among devs, the
// input devices; def is the default one.
func pickDevice(name string, devs []*portaudio.DeviceInfo, def *portaudio.DeviceInfo) (*portaudio.DeviceInfo, error) {
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

// Open opens an input device through PortAudio and starts capturing. When
// the device cannot capture at 16 kHz it captures at its default rate and
// resamples; several channels are averaged. Cancelling ctx stops the
// capture: Read then returns ctx.Err(). The caller must Close the Stream.
func Open(ctx context.Context, cfg Config) (*Stream, error) {
	if cfg.BufferFrames < 0 || cfg.SampleRate < 0 || cfg.SampleRate > audio.MaxSampleRate {
		return nil, fmt.Errorf("mic: config: buffer %d frames at %d Hz", cfg.BufferFrames, cfg.SampleRate)
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
	devs, def, err := inputDevices()
	if err != nil {
		return nil, err
	}
	dev, err := pickDevice(cfg.Device, devs, def)
	if err != nil {
		return nil, err
	}
	in := input{device: dev.Index, latency: dev.DefaultHighInputLatency.Seconds()}
	supported := func(rate, ch int) bool { return in.supported(rate, ch) == nil }
	rate, ch, err := captureFormat(cfg, dev.DefaultSampleRate, dev.MaxInputChannels, supported)
	if err != nil {
		return nil, fmt.Errorf("mic: device %d (%s): %w", dev.Index, dev.Name, err)
	}
	frames := bufferFrames(cfg, rate)
	ps, err := in.open(rate, ch, frames)
	if err != nil {
		return nil, fmt.Errorf("mic: open device %d (%s) at %d Hz: %w", dev.Index, dev.Name, rate, err)
	}
	if err := ps.start(); err != nil {
		ps.closeStream()
		return nil, fmt.Errorf("mic: start device %d (%s): %w", dev.Index, dev.Name, err)
	}
	c := newCapture(ctx, ps, nil, rate, ch, frames)
	ok = true
	return &Stream{c: c, dev: device(dev, def), rate: rate, channels: ch}, nil
}
