//go:build !cgo

package audio

import "context"

// Devices lists input devices; this build has none to offer.
func Devices() ([]Device, error) { return nil, ErrNoCapture }

// OpenCapture needs PortAudio, which needs cgo: this build returns
// ErrNoCapture, whose message says how to get live capture.
func OpenCapture(ctx context.Context, cfg CaptureConfig) (Source, error) {
	return nil, ErrNoCapture
}
