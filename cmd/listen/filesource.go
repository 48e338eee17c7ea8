package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/model/detect"
)

// fileSource is an audio.Source that plays a WAV file as if it were the
// microphone: "listen -input FILE.wav" runs the listener's own loop over
// it, so the listener can be tested and measured without a sound card. With
// realtime set, Read hands out samples no sooner than a microphone would
// have captured them (the clock starts at the first Read); without it, as
// fast as they decode. At the end of the file Read returns io.EOF; once the
// context is cancelled, the context's error. It is not safe for concurrent
// use.
type fileSource struct {
	ctx      context.Context
	path     string
	f        *os.File
	r        *audio.Reader
	realtime bool
	start    time.Time   // wall clock of the first Read, with realtime
	read     int64       // samples handed out so far
	timer    *time.Timer // reused for every wait
}

// openFileSource opens the WAV file at path as a Source.
func openFileSource(ctx context.Context, path string, realtime bool) (*fileSource, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("input: %w", err)
	}
	// The file itself, not a buffer over it: NewReader then checks the
	// header's data size against the file's, so a file cut short fails
	// here rather than after the listener has started.
	r, err := audio.NewReader(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("input %s: %w", path, err)
	}
	return &fileSource{ctx: ctx, path: path, f: f, r: r, realtime: realtime}, nil
}

// Device names the file, for the listener's status line.
func (s *fileSource) Device() audio.Device {
	return audio.Device{Index: -1, Name: s.path, Channels: 1, DefaultRate: audio.Rate}
}

// Read fills dst with the next samples of the file. With realtime it
// first waits until the last of them would have been spoken.
func (s *fileSource) Read(dst []float32) (int, error) {
	if s.f == nil {
		return 0, audio.ErrClosed
	}
	if err := s.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := s.r.Read(dst)
	if err != nil && !errors.Is(err, io.EOF) {
		err = fmt.Errorf("input %s: %w", s.path, err)
	}
	if n > 0 && s.realtime {
		if s.read == 0 {
			s.start = time.Now()
		}
		if werr := s.wait(s.start.Add(detect.SamplesToDuration(s.read + int64(n)))); werr != nil {
			return 0, werr
		}
	}
	s.read += int64(n)
	return n, err
}

// wait sleeps until t or until the context is done.
func (s *fileSource) wait(t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return nil
	}
	if s.timer == nil {
		s.timer = time.NewTimer(d)
	} else {
		s.timer.Reset(d)
	}
	select {
	case <-s.timer.C:
		return nil
	case <-s.ctx.Done():
		s.timer.Stop()
		return s.ctx.Err()
	}
}

// Close closes the file; Read then returns audio.ErrClosed.
func (s *fileSource) Close() error {
	if s.f == nil {
		return nil
	}
	err := s.f.Close()
	s.f = nil
	return err
}
