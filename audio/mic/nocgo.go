//go:build !cgo

package mic

import "context"

// Devices lists input devices; this build has none to offer: it returns
// ErrNoCapture, whose message says how to get live capture.
func Devices() ([]Device, error) { return nil, ErrNoCapture }

// Open needs PortAudio, which needs cgo: this build returns ErrNoCapture,
// whose message says how to get live capture.
func Open(ctx context.Context, cfg Config) (*Stream, error) {
	return nil, ErrNoCapture
}
