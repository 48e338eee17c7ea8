package mic_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/listen-go/listen"
	"github.com/listen-go/listen/audio/mic"
)

// A Recognizer that cannot run is refused before any device is opened, in
// every build, with the front door's own errors.
func TestListenBadRecognizer(t *testing.T) {
	m, err := listen.DefaultModel()
	if err != nil {
		t.Fatal(err)
	}
	closed, err := listen.NewRecognizer(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	closed.Close()
	for _, tc := range []struct {
		name string
		r    *listen.Recognizer
		want func(error) bool
	}{
		{"nil", nil, func(err error) bool { return err != nil && strings.Contains(err.Error(), "NewRecognizer") }},
		{"zero", &listen.Recognizer{}, func(err error) bool { return err != nil && strings.Contains(err.Error(), "NewRecognizer") }},
		{"closed", closed, func(err error) bool { return errors.Is(err, listen.ErrClosed) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := mic.Listen(context.Background(), tc.r, "no such device", nil)
			if !tc.want(err) || errors.Is(err, mic.ErrNoCapture) || errors.Is(err, mic.ErrNoDevice) {
				t.Errorf("Listen: %v", err)
			}
		})
	}
}
