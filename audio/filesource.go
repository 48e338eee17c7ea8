package audio

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// FileSource is a Source that plays a WAV or FLAC file as if it were a
// microphone, so that a listener can be run, tested and measured without a
// sound card. The file is decoded as it is read (NewReader), in constant
// memory, and a file cut short fails at open. With
// realtime set, Read hands out samples no sooner than a microphone would
// have captured them (the clock starts at the first Read); without it, as
// fast as they decode. At the end of the file Read returns io.EOF; once the
// context is cancelled, the context's error; after Close, ErrClosed. Reading
// a WAV file allocates nothing (the FLAC decoder allocates each frame's
// samples). It is not safe for concurrent use.
type FileSource struct {
	ctx      context.Context
	path     string
	f        *os.File
	r        *Reader
	realtime bool
	start    time.Time   // wall clock of the first Read, with realtime
	read     int64       // samples handed out so far
	timer    *time.Timer // reused for every wait
}

// OpenFileSource opens the WAV or FLAC file at path as a Source that stops
// when ctx is done. Errors name the file.
func OpenFileSource(ctx context.Context, path string, realtime bool) (*FileSource, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	// The file itself, not a buffer over it: NewReader then checks the
	// header's data size (a FLAC stream's last frame) against the file's,
	// so a file cut short fails here rather than after a listener has
	// started.
	r, err := NewReader(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &FileSource{ctx: ctx, path: path, f: f, r: r, realtime: realtime}, nil
}

// Name is the file's path, for a listener's status line.
func (s *FileSource) Name() string { return s.path }

// Read fills dst with the next samples of the file. With realtime it
// first waits until the last of them would have been spoken.
func (s *FileSource) Read(dst []float32) (int, error) {
	if s.f == nil {
		return 0, ErrClosed
	}
	if err := s.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := s.r.Read(dst)
	if err != nil && !errors.Is(err, io.EOF) {
		err = fmt.Errorf("%s: %w", s.path, err)
	}
	if n > 0 && s.realtime {
		if s.read == 0 {
			s.start = time.Now()
		}
		// Whole seconds apart, so that days of samples do not overflow.
		total := s.read + int64(n)
		end := s.start.Add(time.Duration(total/Rate)*time.Second + time.Duration(total%Rate)*time.Second/Rate)
		if werr := s.wait(end); werr != nil {
			return 0, werr
		}
	}
	s.read += int64(n)
	return n, err
}

// wait sleeps until t or until the context is done.
func (s *FileSource) wait(t time.Time) error {
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

// Close closes the file; Read then returns ErrClosed.
func (s *FileSource) Close() error {
	if s.f == nil {
		return nil
	}
	err := s.f.Close()
	s.f = nil
	return err
}
