//go:build !cgo

package mic_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/listen-go/listen"
	"github.com/listen-go/listen/audio/mic"
)

// Without cgo there is no PortAudio: capture requests say how to get it.
func TestNoCaptureWithoutCgo(t *testing.T) {
	_, err := mic.Open(context.Background(), mic.Config{})
	if !errors.Is(err, mic.ErrNoCapture) {
		t.Fatalf("Open: %v, want ErrNoCapture", err)
	}
	for _, hint := range []string{"CGO_ENABLED=1", "portaudio19-dev"} {
		if !strings.Contains(err.Error(), hint) {
			t.Errorf("error %q does not mention %s", err, hint)
		}
	}
	if _, err := mic.Devices(); !errors.Is(err, mic.ErrNoCapture) {
		t.Fatalf("Devices: %v, want ErrNoCapture", err)
	}
}

// Without cgo, listening says that live capture needs cgo and PortAudio.
func TestListenNoCgo(t *testing.T) {
	m, err := listen.DefaultModel()
	if err != nil {
		t.Fatal(err)
	}
	r, err := listen.NewRecognizer(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := mic.Listen(context.Background(), r, "", nil); !errors.Is(err, mic.ErrNoCapture) {
		t.Errorf("Listen: %v, want mic.ErrNoCapture", err)
	}
}
