//go:build !cgo

package listen_test

import (
	"context"
	"errors"
	"testing"

	"github.com/listen-go/listen"
	"github.com/listen-go/listen/audio"
)

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
	if err := listen.Listen(context.Background(), r, "", nil); !errors.Is(err, audio.ErrNoCapture) {
		t.Errorf("Listen: %v, want audio.ErrNoCapture", err)
	}
	if _, err := listen.Devices(); !errors.Is(err, audio.ErrNoCapture) {
		t.Errorf("Devices: %v, want audio.ErrNoCapture", err)
	}
}
