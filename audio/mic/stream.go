//go:build cgo

package mic

/*
#cgo pkg-config: portaudio-2.0
#include <portaudio.h>

// The input parameters of a stream of 32-bit float frames, interleaved.
static PaStreamParameters listen_input(PaDeviceIndex device, int channels, PaTime latency) {
	PaStreamParameters p = {device, channels, paFloat32, latency, NULL};
	return p;
}

static PaError listen_supported(PaDeviceIndex device, int channels, PaTime latency, double rate) {
	PaStreamParameters p = listen_input(device, channels, latency);
	return Pa_IsFormatSupported(&p, NULL, rate);
}

// Opens a blocking input stream: no callback and no user data, so that no
// Go value crosses into PortAudio and nothing calls back into Go.
static PaError listen_open(PaStream **stream, PaDeviceIndex device, int channels, PaTime latency, double rate, unsigned long frames) {
	PaStreamParameters p = listen_input(device, channels, latency);
	return Pa_OpenStream(stream, &p, NULL, rate, frames, paNoFlag, NULL, NULL);
}

// PortAudio's text for err, with the host API's own for a host error.
static const char *listen_error_text(PaError err) {
	if (err == paUnanticipatedHostError) {
		const PaHostErrorInfo *info = Pa_GetLastHostErrorInfo();
		if (info != NULL && info->errorText != NULL && info->errorText[0] != '\0') return info->errorText;
	}
	return Pa_GetErrorText(err);
}
*/
import "C"

import (
	"errors"
	"fmt"
	"sync"
	"unsafe"

	"github.com/gordonklaus/portaudio"
)

// Why the project opens, reads, stops and closes the stream itself rather
// than through github.com/gordonklaus/portaudio's Stream: the binding's
// OpenStream passes a small integer id to C as the stream's user data,
// converted to an unsafe.Pointer (portaudio.go:655 at
// v0.0.0-20250206071425-98a94950218b, the latest version). That is not a
// valid pointer, and a program built with -race (which turns on checkptr)
// dies there with "fatal error: checkptr: pointer arithmetic computed bad
// pointer value". A blocking stream needs no user data and no callback, so
// the calls here pass NULL for both; the binding still initialises
// PortAudio and lists the devices, which involves no such conversion.
//
// The samples are read with Pa_ReadStream straight into the capture's
// []float32 buffer: Go memory holding no Go pointers, passed as a call
// argument, which cgo's rules allow and pin for the duration of the call.

// input names a device to open: its PortAudio index and the latency to
// ask for, in seconds.
type input struct {
	device  int
	latency float64
}

func (in input) supported(rate, channels int) error {
	return paError(C.listen_supported(C.PaDeviceIndex(in.device), C.int(channels), C.PaTime(in.latency), C.double(rate)))
}

// open opens a blocking stream of channels interleaved float32 samples at
// rate Hz, read frames at a time.
func (in input) open(rate, channels, frames int) (*paStream, error) {
	var s unsafe.Pointer // a PaStream*, C memory
	err := paError(C.listen_open(&s, C.PaDeviceIndex(in.device), C.int(channels), C.PaTime(in.latency), C.double(rate), C.ulong(frames)))
	if err != nil {
		return nil, err
	}
	return &paStream{s: s, frames: frames, channels: channels}, nil
}

// paStream is an open blocking PortAudio input stream.
type paStream struct {
	s        unsafe.Pointer // the PaStream*
	frames   int
	channels int
	term     sync.Once
}

// read fills buf, which holds frames*channels samples, with the next
// frames; an overflow (input lost before them) is reported, not an error.
func (p *paStream) read(buf []float32) (bool, error) {
	if len(buf) != p.frames*p.channels {
		panic(fmt.Sprintf("mic: read into %d samples, want %d frames of %d channels", len(buf), p.frames, p.channels))
	}
	rc := C.Pa_ReadStream(p.s, unsafe.Pointer(&buf[0]), C.ulong(p.frames))
	if rc == C.paInputOverflowed {
		return true, nil
	}
	return false, paError(rc)
}

func (p *paStream) start() error { return paError(C.Pa_StartStream(p.s)) }

func (p *paStream) stop() error { return paError(C.Pa_StopStream(p.s)) }

// closeStream closes the stream, leaving PortAudio initialised.
func (p *paStream) closeStream() error { return paError(C.Pa_CloseStream(p.s)) }

// close closes the stream and ends the PortAudio session Open began.
func (p *paStream) close() error {
	err := p.closeStream()
	p.term.Do(func() {
		paMu.Lock()
		portaudio.Terminate()
		paMu.Unlock()
	})
	return err
}

// paError is nil for paNoError and otherwise PortAudio's own message.
func paError(rc C.PaError) error {
	if rc == C.paNoError {
		return nil
	}
	text := C.GoString(C.listen_error_text(rc))
	if text == "" {
		text = fmt.Sprintf("PortAudio error %d", int(rc))
	}
	return errors.New(text)
}
