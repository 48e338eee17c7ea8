//go:build !cgo

package audio_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/listen-go/listen/audio"
)

// Without cgo there is no PortAudio: capture requests say how to get it.
func TestNoCaptureWithoutCgo(t *testing.T) {
	_, err := audio.OpenCapture(context.Background(), audio.CaptureConfig{})
	if !errors.Is(err, audio.ErrNoCapture) {
		t.Fatalf("OpenCapture: %v, want ErrNoCapture", err)
	}
	for _, hint := range []string{"CGO_ENABLED=1", "portaudio19-dev"} {
		if !strings.Contains(err.Error(), hint) {
			t.Errorf("error %q does not mention %s", err, hint)
		}
	}
	if _, err := audio.Devices(); !errors.Is(err, audio.ErrNoCapture) {
		t.Fatalf("Devices: %v, want ErrNoCapture", err)
	}
}
