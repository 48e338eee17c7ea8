//go:build cgo

package mic

import (
	"errors"
	"testing"

	"github.com/gordonklaus/portaudio"
)

// A device is chosen by default, by index or by part of its name,
// case-insensitively, in index order; anything else is ErrNoDevice.
func TestPickDevice(t *testing.T) {
	pulse := &portaudio.DeviceInfo{Index: 0, Name: "pulse", MaxInputChannels: 32}
	usb := &portaudio.DeviceInfo{Index: 3, Name: "USB Audio: Mic (hw:1,0)", MaxInputChannels: 1}
	usb2 := &portaudio.DeviceInfo{Index: 4, Name: "USB Audio: Headset (hw:2,0)", MaxInputChannels: 1}
	devs := []*portaudio.DeviceInfo{pulse, usb, usb2}
	for _, tc := range []struct {
		name string
		devs []*portaudio.DeviceInfo
		def  *portaudio.DeviceInfo
		want *portaudio.DeviceInfo // nil: ErrNoDevice
	}{
		{"", devs, usb, usb},
		{"  ", devs, pulse, pulse},
		{"", devs, nil, nil},
		{"4", devs, pulse, usb2},
		{"2", devs, pulse, nil},
		{"usb", devs, pulse, usb},
		{"HEADSET", devs, pulse, usb2},
		{"no such microphone", devs, pulse, nil},
		{"", nil, nil, nil},
		{"0", nil, nil, nil},
	} {
		got, err := pickDevice(tc.name, tc.devs, tc.def)
		switch {
		case tc.want == nil && !errors.Is(err, ErrNoDevice):
			t.Errorf("%q of %d devices: %v, %v; want ErrNoDevice", tc.name, len(tc.devs), got, err)
		case tc.want != nil && (err != nil || got != tc.want):
			t.Errorf("%q of %d devices: %v, %v; want %s", tc.name, len(tc.devs), got, err, tc.want.Name)
		}
	}
}
