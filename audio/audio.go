package audio

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/listen-go/listen/internal/atomicfile"
)

// Rate is the sample rate, in Hz, of everything this package returns: the
// rest of listen works on 16 kHz mono float32 samples in [-1, 1).
const Rate = 16000

// chunkFrames is how many frames a Reader decodes at a time.
const chunkFrames = 4096

// A Reader decodes a WAV or FLAC stream chunk by chunk (a FLAC stream
// frame by frame) into 16 kHz mono samples, in memory that does not grow
// with the length of the stream.
//
// A Reader is not safe for concurrent use.
type Reader struct {
	r       io.Reader
	h       header
	left    int64     // bytes of sample data not yet read
	raw     []byte    // one chunk of raw frames
	mono    []float32 // the chunk mixed down, at the file's rate
	out     []float32 // resampled samples not yet returned
	pos     int       // next unread sample of out
	rs      *Resampler
	flushed bool
	err     error       // sticky error
	flac    *flacStream // set for a FLAC stream, which does not use raw
}

// NewReader reads the header of a WAV or FLAC stream from r (its first
// bytes say which) and returns a Reader positioned at the first sample. If
// r is an io.Seeker, a WAV data chunk that claims more bytes than the file
// holds is reported now, and a data chunk that precedes the fmt chunk is
// handled; otherwise a short data chunk is reported when the Reader
// reaches its end, as a FLAC stream cut short always is.
func NewReader(r io.Reader) (*Reader, error) {
	h, err := readHeader(r)
	if err != nil {
		return nil, err
	}
	if h.flac != nil {
		d := &Reader{
			r:    r,
			h:    h,
			out:  make([]float32, 0, chunkFrames*Rate/h.SampleRate+64),
			rs:   NewResampler(h.SampleRate, Rate),
			flac: h.flac,
		}
		// The first frame now: frames that disagree with STREAMINFO fail
		// here, before a caller has started.
		if d.fill(); d.err != nil && d.err != io.EOF {
			return nil, d.err
		}
		return d, nil
	}
	block := h.Channels * h.BitsPerSample / 8
	n := chunkFrames
	if int64(n) > h.Frames {
		n = int(h.Frames)
	}
	return &Reader{
		r:    r,
		h:    h,
		left: h.dataSize,
		raw:  make([]byte, n*block),
		mono: make([]float32, n),
		out:  make([]float32, 0, n*Rate/h.SampleRate+64),
		rs:   NewResampler(h.SampleRate, Rate),
	}, nil
}

// Format returns the format of the file being read.
func (d *Reader) Format() Format { return d.h.Format }

// Read fills dst with up to len(dst) 16 kHz mono samples and returns how
// many it wrote. At the end of the data it returns 0, io.EOF; a data chunk
// cut short returns a *FormatError wrapping io.ErrUnexpectedEOF.
func (d *Reader) Read(dst []float32) (int, error) {
	n := 0
	for n < len(dst) {
		if d.pos < len(d.out) {
			c := copy(dst[n:], d.out[d.pos:])
			d.pos += c
			n += c
			continue
		}
		if d.err != nil {
			break
		}
		d.fill()
	}
	if n > 0 {
		return n, nil
	}
	return 0, d.err
}

// fill decodes the next chunk into d.out, or sets d.err.
func (d *Reader) fill() {
	d.out, d.pos = d.out[:0], 0
	if d.flac != nil {
		d.fillFLAC()
		return
	}
	if d.left == 0 {
		if !d.flushed {
			d.out = d.rs.Flush(d.out)
			clampAll(d.out)
			d.flushed = true
			return
		}
		d.err = io.EOF
		return
	}
	want := int64(len(d.raw))
	if want > d.left {
		want = d.left
	}
	got, err := io.ReadFull(d.r, d.raw[:want])
	block := d.h.Channels * d.h.BitsPerSample / 8
	frames := got / block
	mixdown(d.mono[:frames], d.raw[:frames*block], d.h.Format)
	d.out = d.rs.Process(d.out, d.mono[:frames])
	clampAll(d.out)
	d.left -= int64(got)
	if err != nil {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			err = &FormatError{Codec: "WAV", Problem: fmt.Sprintf("data chunk cut short: %d of %d bytes missing", d.left, d.h.dataSize), Err: io.ErrUnexpectedEOF}
		}
		d.err = err
	}
}

// Decode reads a whole WAV or FLAC stream and returns it as 16 kHz mono
// samples. Memory is bounded by the real length of the input, whatever its
// header claims.
func Decode(r io.Reader) ([]float32, error) {
	if !seekable(r) {
		// Read it all so that chunks may come in any order; memory is
		// bounded by what the stream really holds.
		b, err := io.ReadAll(r)
		if err != nil {
			return nil, err
		}
		r = bytes.NewReader(b)
	}
	d, err := NewReader(r)
	if err != nil {
		return nil, err
	}
	// Trust the header's length only once checked against the file's.
	n := d.rs.OutputLen(d.h.Frames)
	if !d.h.checked {
		n = min(n, 1<<16)
	}
	out := make([]float32, 0, n)
	for {
		if len(out) == cap(out) {
			out = append(out, 0)[:len(out)]
		}
		n, err := d.Read(out[len(out):cap(out)])
		out = out[:len(out)+n]
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// seekable reports whether r can really seek (an *os.File on a pipe has a
// Seek method that fails).
func seekable(r io.Reader) bool {
	s, ok := r.(io.Seeker)
	if !ok {
		return false
	}
	_, err := s.Seek(0, io.SeekCurrent)
	return err == nil
}

// ReadFile decodes the WAV or FLAC file at path into 16 kHz mono samples.
// Errors name the file.
func ReadFile(path string) ([]float32, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s, err := Decode(f)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return s, nil
}

// ReadFileMax reads the WAV or FLAC file at path as ReadFile does when its
// header says it holds at most max samples at 16 kHz, and returns at most
// max of them (resampling may give one or two more); for a longer file it
// reads only the header and returns long true, for the caller to stream it
// instead. A FLAC stream that does not state its length is read up to a
// few samples past max to find out. Errors name the file.
func ReadFileMax(path string, max int) (samples []float32, long bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false, err
	}
	format, err := DecodeConfig(f)
	f.Close()
	if err != nil {
		return nil, false, fmt.Errorf("%s: %w", path, err)
	}
	if format.Frames == 0 { // FLAC only: the length is not stated
		return readUpTo(path, max)
	}
	if format.Duration()*Rate > float64(max) {
		return nil, true, nil
	}
	if samples, err = ReadFile(path); err != nil {
		return nil, false, err
	}
	return samples[:min(len(samples), max)], false, nil
}

// Encode writes samples to w as a 16-bit PCM mono WAV file at rate Hz.
// Samples are clamped to [-1, 1) and rounded to the nearest of 65536
// levels, so samples that are multiples of 1/32768 survive a round trip
// exactly. An empty clip is written as such, though Decode rejects it.
func Encode(w io.Writer, samples []float32, rate int) error {
	if rate < MinSampleRate || rate > MaxSampleRate {
		return fmt.Errorf("audio: encode at %d Hz: rate outside %d to %d Hz", rate, MinSampleRate, MaxSampleRate)
	}
	size := int64(len(samples)) * 2
	if size > math.MaxUint32-36 {
		return fmt.Errorf("audio: encode %d samples: too long for a WAV file", len(samples))
	}
	var hdr [44]byte
	copy(hdr[0:], "RIFF")
	binary.LittleEndian.PutUint32(hdr[4:], uint32(36+size+size&1))
	copy(hdr[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(hdr[16:], 16)
	binary.LittleEndian.PutUint16(hdr[20:], formatPCM)
	binary.LittleEndian.PutUint16(hdr[22:], 1)
	binary.LittleEndian.PutUint32(hdr[24:], uint32(rate))
	binary.LittleEndian.PutUint32(hdr[28:], uint32(rate*2))
	binary.LittleEndian.PutUint16(hdr[32:], 2)
	binary.LittleEndian.PutUint16(hdr[34:], 16)
	copy(hdr[36:], "data")
	binary.LittleEndian.PutUint32(hdr[40:], uint32(size))
	if _, err := w.Write(hdr[:]); err != nil {
		return err
	}
	var buf [8192]byte
	for len(samples) > 0 {
		n := min(len(samples), len(buf)/2)
		for i, s := range samples[:n] {
			binary.LittleEndian.PutUint16(buf[2*i:], uint16(toInt16(s)))
		}
		if _, err := w.Write(buf[:2*n]); err != nil {
			return err
		}
		samples = samples[n:]
	}
	return nil
}

// toInt16 rounds a sample in [-1, 1) to 16-bit PCM, clamping and mapping
// NaN to 0.
func toInt16(s float32) int16 {
	v := math.Round(float64(s) * (1 << 15))
	switch {
	case v != v:
		return 0
	case v > math.MaxInt16:
		return math.MaxInt16
	case v < math.MinInt16:
		return math.MinInt16
	}
	return int16(v)
}

// WriteFile writes samples to path as a 16-bit PCM mono WAV file at rate
// Hz, atomically: readers see the old file or the whole new one.
func WriteFile(path string, samples []float32, rate int) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		return Encode(w, samples, rate)
	})
}
