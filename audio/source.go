package audio

import "errors"

// A Source delivers audio as it comes, as 16 kHz mono float32 samples in
// [-1, 1): a microphone (package audio/mic) or a file played as one
// (OpenFileSource). Read blocks until at least one sample is available
// and returns at most len(dst); at the end of a file it returns io.EOF,
// after the source's context is cancelled the context's error, and after
// Close, ErrClosed.
type Source interface {
	Read(dst []float32) (int, error)
	Close() error
}

// ErrClosed is returned by a Source's Read after Close.
var ErrClosed = errors.New("audio: source closed")
