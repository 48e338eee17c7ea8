package mic_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os/signal"
	"syscall"

	"github.com/listen-go/listen"
	"github.com/listen-go/listen/audio/mic"
)

// Capture from the default microphone until ctx is cancelled. Not run:
// it needs a microphone (and cgo).
func ExampleOpen() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	src, err := mic.Open(ctx, mic.Config{}) // or Device: "2", Device: "USB"
	if errors.Is(err, mic.ErrNoCapture) || errors.Is(err, mic.ErrNoDevice) {
		log.Fatal(err) // the message says what to do
	}
	if err != nil {
		log.Fatal(err)
	}
	defer src.Close()
	buf := make([]float32, 1600) // up to 0.1 s per read
	for {
		n, err := src.Read(buf)
		if err != nil {
			break // context.Canceled after cancel
		}
		_ = buf[:n] // 16 kHz mono samples in [-1, 1)
	}
	fmt.Println("overflows:", src.Overflows())
}

// List the microphones. Not run: the list is the machine's.
func ExampleDevices() {
	devs, err := mic.Devices()
	if err != nil {
		fmt.Println(err) // ErrNoCapture in a CGO_ENABLED=0 build
		return
	}
	for _, d := range devs {
		fmt.Println(d.Index, d.Name, d.Channels, d.DefaultRate, d.Default)
	}
}

// Print each command spoken into the default microphone until Ctrl-C.
// Not run: it needs a microphone (and cgo).
func ExampleListen() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT)
	defer stop()
	m, err := listen.DefaultModel()
	if err != nil {
		log.Fatal(err)
	}
	r, err := listen.NewRecognizer(m, nil) // the model's own settings
	if err != nil {
		log.Fatal(err)
	}
	err = mic.Listen(ctx, r, "", func(d listen.Detection) error {
		fmt.Printf("%v %s %.2f\n", d.End, d.Label, d.P)
		return nil
	})
	if err != nil {
		log.Fatal(err) // mic.ErrNoCapture, mic.ErrNoDevice, ...
	}
}
