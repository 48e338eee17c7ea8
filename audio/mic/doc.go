// Package mic captures live audio from a microphone through PortAudio: Open
// returns a Stream, an audio.Source of 16 kHz mono float32 samples in
// [-1, 1), and Listen runs a listen.Recognizer on a microphone until its
// context is done. Devices lists the input devices.
//
// It is a package of its own, as database/sql keeps its drivers out of the
// front door, because it needs cgo and PortAudio's library (Debian:
// portaudio19-dev pkg-config): everything else in the module, the front
// door github.com/listen-go/listen included, is pure Go and builds wherever
// Go builds. A program that imports mic links libportaudio. Built with
// CGO_ENABLED=0, this package still compiles, and Open, Devices and Listen
// return ErrNoCapture, whose message says how to get live capture.
//
// # Devices
//
// A device is chosen by default, by index or by part of its name
// (Config.Device; Devices lists them, and an empty list means no input
// device, for which Open returns ErrNoDevice). A device that cannot record
// at 16 kHz is opened at its default rate and resampled (audio.Resampler);
// several channels are averaged. Input overflows (samples the device
// dropped because the reader fell behind) are counted (Stream.Overflows),
// never fatal. Cancelling the context stops the device within one buffer
// and Read then returns the context's error. ALSA's and JACK's probing
// chatter on stderr is silenced while devices are enumerated, and a
// broken ALSA configuration (~/.asoundrc, ALSA_CONFIG_PATH), on which
// PortAudio alone fails with no message or aborts the process, is
// reported as an error.
//
// # PortAudio
//
// github.com/gordonklaus/portaudio initialises PortAudio and lists the
// devices. The input stream itself is opened, started, read, stopped and
// closed by this package's own cgo calls to PortAudio (stream.go), because
// the binding's OpenStream passes a small integer id to C as the stream's
// user data, converted to an unsafe.Pointer: a program built with -race
// (which turns on checkptr) dies there with "fatal error: checkptr:
// pointer arithmetic computed bad pointer value", and no fixed version of
// the binding exists. The stream here is a blocking one, opened with no
// callback and no user data, so no Go value crosses into PortAudio and
// nothing calls back into Go; Pa_ReadStream fills the capture's []float32
// buffer directly, Go memory without Go pointers passed as a call
// argument, which cgo's rules allow. Once running, a Read allocates
// nothing. The PortAudio code is in portaudio.go, stream.go and quiet_*.go
// only; the rest (mixing, resampling, cancellation, format choice) is pure
// Go and tested without a device.
//
// The tests capture for real from a virtual microphone, a PulseAudio null
// sink whose monitor is the default source (internal/virtualmic: the tests
// start a daemon of their own when PulseAudio is installed and stop it
// after them), under the race detector too.
package mic
