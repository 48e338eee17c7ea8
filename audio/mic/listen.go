package mic

import (
	"context"

	"github.com/listen-go/listen"
)

// Listen captures from the input device named by device ("" for the
// default, an index as Devices lists it, or part of a name) and runs r on
// it with listen.Run, calling emit (nil for none) for each command found,
// until ctx is done, which is a normal end: Listen then returns nil. An
// error from emit stops it and is returned. A Recognizer that cannot run
// (nil, or closed: listen.ErrClosed) is refused before the device opens.
// Without cgo Listen returns ErrNoCapture: live capture needs cgo and
// PortAudio.
func Listen(ctx context.Context, r *listen.Recognizer, device string, emit func(listen.Detection) error) error {
	// A Recognizer that cannot run (nil, closed) is reported before the
	// device opens: Streamer is nil for it, and Reset says why.
	if r.Streamer() == nil {
		return r.Reset()
	}
	src, err := Open(ctx, Config{Device: device})
	if err != nil {
		return err
	}
	defer src.Close()
	return listen.Run(ctx, r, src, emit)
}
