package audio

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/mewkiz/flac/frame"
)

// flacMagic begins every FLAC stream.
const flacMagic = "fLaC"

const (
	// FLAC samples have 4 to 32 bits. Beyond 24, mewkiz/flac rebuilds the
	// side channel of a stereo frame in 32-bit integers, which overflow.
	minFLACBits = 4
	maxFLACBits = 24

	flacStreamInfoSize = 34
	// A frame header is 4 bytes, a UTF-8-coded number of up to 7 bytes, up
	// to 2 bytes of block size, up to 2 of sample rate and a CRC-8.
	maxFrameHeader = 16
)

// flacStream decodes the frames of a FLAC stream one at a time, with
// github.com/mewkiz/flac's frame package. Its memory does not grow with the
// stream: mewkiz allocates each frame's samples afresh (at most 65535 per
// channel, whatever a header claims), and the mono buffer grows to the
// longest frame.
type flacStream struct {
	br       *bufio.Reader
	fr       frameReader
	rate     int
	channels int
	bits     int
	total    int64 // samples per channel that STREAMINFO promises; 0 when it does not say
	block    int64 // STREAMINFO's smallest block size: that of every frame but the last, with a fixed block size
	done     int64 // samples per channel decoded so far
	frames   int   // frames decoded so far
	mono     []float32
}

// readFLACHeader reads a FLAC stream's metadata blocks from r, which is
// just past the "fLaC" magic: STREAMINFO is decoded, the others skipped.
// It reads them itself, not with mewkiz/flac's meta package, which sizes
// buffers from the lengths that blocks claim (a picture, a Vorbis comment).
// If r is an io.Seeker, a stream that ends before the number of samples
// STREAMINFO states is reported now (see checkEnd).
func readFLACHeader(r io.Reader) (header, error) {
	var h header
	// STREAMINFO comes first, at a fixed place: it is read unbuffered, so
	// that a seekable file can be checked at its end before the rest is
	// read through a buffer.
	var b [4 + flacStreamInfoSize]byte
	if _, err := io.ReadFull(r, b[:4]); err != nil {
		return h, flacErr("truncated metadata block header", noEOF(err))
	}
	last, typ, size := blockHeader(b[:4])
	switch {
	case typ != 0:
		return h, flacErr(fmt.Sprintf("first metadata block is %s, not STREAMINFO", blockName(typ)), nil)
	case size != flacStreamInfoSize:
		return h, flacErr(fmt.Sprintf("STREAMINFO of %d bytes, want %d", size, flacStreamInfoSize), nil)
	}
	if _, err := io.ReadFull(r, b[4:]); err != nil {
		return h, flacErr("truncated STREAMINFO", noEOF(err))
	}
	if err := parseStreamInfo(&h.Format, b[4:]); err != nil {
		return h, err
	}
	s := &flacStream{
		rate:     h.SampleRate,
		channels: h.Channels,
		bits:     h.BitsPerSample,
		total:    h.Frames,
		block:    int64(binary.BigEndian.Uint16(b[6:8])),
	}
	if sk, ok := r.(io.Seeker); ok && s.total > 0 {
		maxFrame := int64(b[11])<<16 | int64(b[12])<<8 | int64(b[13])
		if err := s.checkEnd(r, sk, maxFrame); err != nil {
			return h, err
		}
	}
	br := bufio.NewReaderSize(r, 1<<15)
	for !last {
		if _, err := io.ReadFull(br, b[:4]); err != nil {
			return h, flacErr("truncated metadata block header", noEOF(err))
		}
		last, typ, size = blockHeader(b[:4])
		switch typ {
		case 0:
			return h, flacErr("two STREAMINFO blocks", nil)
		case 127:
			return h, flacErr("metadata block of the invalid type 127", nil)
		}
		// PADDING, APPLICATION, SEEKTABLE, VORBIS_COMMENT, CUESHEET,
		// PICTURE and reserved types: read through in constant memory.
		if _, err := br.Discard(size); err != nil {
			return h, flacErr(fmt.Sprintf("truncated %s block", blockName(typ)), noEOF(err))
		}
	}
	s.br, s.fr = br, frameReader{r: br}
	h.flac = s
	return h, nil
}

// blockHeader decodes a metadata block header.
func blockHeader(b []byte) (last bool, typ byte, size int) {
	return b[0]&0x80 != 0, b[0] & 0x7F, int(b[1])<<16 | int(b[2])<<8 | int(b[3])
}

// parseStreamInfo decodes a STREAMINFO block's body into f.
func parseStreamInfo(f *Format, b []byte) error {
	x := binary.BigEndian.Uint64(b[10:18])
	rate := int(x >> 44)
	channels := int(x>>41&7) + 1
	bits := int(x>>36&31) + 1
	total := int64(x & (1<<36 - 1))
	switch {
	case rate == 0:
		return flacErr("zero sample rate", nil)
	case rate < MinSampleRate || rate > MaxSampleRate:
		return UnsupportedError{Codec: "FLAC", Feature: fmt.Sprintf("sample rate %d Hz (%d to %d)", rate, MinSampleRate, MaxSampleRate)}
	case bits < minFLACBits:
		return flacErr(fmt.Sprintf("%d bits per sample, want at least %d", bits, minFLACBits), nil)
	case bits > maxFLACBits:
		return UnsupportedError{Codec: "FLAC", Feature: fmt.Sprintf("%d-bit samples (at most %d)", bits, maxFLACBits)}
	}
	*f = Format{Encoding: FLAC, SampleRate: rate, Channels: channels, BitsPerSample: bits, Frames: total}
	return nil
}

// checkEnd reads the end of a seekable stream, from r and sk, and reports
// a stream cut short: one whose last whole frame ends before the sample
// count STREAMINFO states and is followed by nothing or by the start of a
// frame that runs past the end of the file, as a WAV file's data chunk is
// checked against the file's size; a damaged frame there is reported as
// reading it would report it. It finds the last whole frame by trying
// each sync code, from the end, in the last 2 × maxFrame bytes (maxFrame:
// the largest frame STREAMINFO states, 0 when it does not) and a few more,
// for a tag that may follow; the frame must decode, CRC-16 and all. When
// there is none, it leaves the frames to be checked as they are read. It
// leaves r where it was.
func (s *flacStream) checkEnd(r io.Reader, sk io.Seeker, maxFrame int64) error {
	pos, err := sk.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil // not really seekable (a pipe behind *os.File)
	}
	end, err := sk.Seek(0, io.SeekEnd)
	if err != nil {
		return err
	}
	// Room for a whole frame and one cut short after it, and a tag. Without
	// a stated size, the largest frame there can be: 65535 samples of 8
	// channels of 25 bits (a side channel), verbatim.
	if maxFrame == 0 {
		maxFrame = 65535*8*25/8 + 1024
	}
	window := 2*maxFrame + 4096
	window = min(window, end-pos)
	tail := make([]byte, window)
	if _, err := sk.Seek(end-window, io.SeekStart); err != nil {
		return err
	}
	if _, err := io.ReadFull(r, tail); err != nil {
		return err
	}
	if _, err := sk.Seek(pos, io.SeekStart); err != nil {
		return err
	}
	t := flacStream{rate: s.rate, channels: s.channels, bits: s.bits}
	src := bytes.NewReader(nil)
	t.br = bufio.NewReader(src)
	t.fr.r = t.br
	for p := len(tail) - 2; p >= 0; p-- {
		if tail[p] != 0xFF || tail[p+1]&0xFE != 0xF8 {
			continue
		}
		src.Reset(tail[p:])
		t.br.Reset(src)
		t.fr.err = nil
		f, err := t.frame()
		if err != nil {
			continue
		}
		first := int64(f.Num)
		if f.HasFixedBlockSize {
			first *= s.block // the frame's number, in frames of the stream's block size
		}
		n := first + int64(f.BlockSize)
		if n >= s.total {
			return nil
		}
		if src.Len()+t.br.Buffered() > 0 && f.HasFixedBlockSize {
			// Bytes follow: a frame that the file's end cuts off, or a
			// damaged one, reported as reading it would report it.
			t.frames = int(f.Num) + 1
			if _, err := t.frame(); err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
				return err
			}
		} else if src.Len()+t.br.Buffered() > 0 {
			return nil // with a variable block size, frames have no number
		}
		return flacErr(fmt.Sprintf("stream cut short: its last whole frame ends at sample %d of %d", n, s.total), io.ErrUnexpectedEOF)
	}
	return nil
}

// blockName names a metadata block type in errors.
func blockName(typ byte) string {
	names := [...]string{"STREAMINFO", "PADDING", "APPLICATION", "SEEKTABLE", "VORBIS_COMMENT", "CUESHEET", "PICTURE"}
	if int(typ) < len(names) {
		return names[typ]
	}
	return fmt.Sprintf("a reserved (type %d)", typ)
}

func flacErr(problem string, err error) *FormatError {
	return &FormatError{Codec: "FLAC", Problem: problem, Err: err}
}

// next decodes the next frame and returns it mixed down to mono at the
// stream's rate; the slice is reused by the next call. At the end of the
// stream it returns io.EOF; a stream that ends before the number of
// samples STREAMINFO states returns a *FormatError wrapping
// io.ErrUnexpectedEOF. Anything after those samples is ignored, as bytes
// after a WAV file's data chunk are.
func (s *flacStream) next() ([]float32, error) {
	if s.total > 0 && s.done >= s.total {
		return nil, io.EOF
	}
	f, err := s.frame()
	if err == io.EOF {
		switch {
		case s.total > 0:
			return nil, flacErr(fmt.Sprintf("stream cut short after %d of %d samples", s.done, s.total), io.ErrUnexpectedEOF)
		case s.frames == 0:
			return nil, flacErr("no audio frames", nil)
		}
		return nil, io.EOF
	}
	if err != nil {
		return nil, err
	}
	n := int64(f.BlockSize)
	if s.total > 0 {
		n = min(n, s.total-s.done)
	}
	s.mono = mixFrame(s.mono, f, int(n), s.bits)
	s.done += n
	s.frames++
	return s.mono, nil
}

// frame reads and checks the next frame.
//
// mewkiz/flac logs a line (log.Printf, to the program's stderr) for every
// frame header whose sample rate code says 24 kHz or 176.4 kHz, asking for
// test files. A library must not print, so such a header reaches mewkiz
// with the code that says "the rate in STREAMINFO" instead, after its rate
// is checked against STREAMINFO's, and with its CRC-8 recomputed. The
// frame's CRC-16 then no longer matches what mewkiz computes, so for those
// frames frameReader computes it over the bytes as they were in the file,
// and mewkiz's mismatch is set aside when that one is right.
func (s *flacStream) frame() (*frame.Frame, error) {
	if _, err := s.br.Peek(1); err != nil {
		return nil, err // io.EOF: the end of the stream
	}
	pos := fmt.Sprintf("frame %d", s.frames)
	rate, err := s.fr.load()
	if err != nil {
		return nil, s.frameErr(pos, err)
	}
	if rate != 0 && rate != s.rate {
		return nil, flacErr(fmt.Sprintf("%s is at %d Hz, STREAMINFO says %d", pos, rate, s.rate), nil)
	}
	f, err := frame.New(&s.fr)
	if err != nil {
		return nil, s.frameErr(pos, err)
	}
	switch {
	case f.Channels.Count() != s.channels:
		return nil, flacErr(fmt.Sprintf("%s has %d channels, STREAMINFO %d", pos, f.Channels.Count(), s.channels), nil)
	case f.SampleRate != 0 && int(f.SampleRate) != s.rate:
		return nil, flacErr(fmt.Sprintf("%s is at %d Hz, STREAMINFO says %d", pos, f.SampleRate, s.rate), nil)
	case f.BitsPerSample != 0 && int(f.BitsPerSample) != s.bits:
		return nil, flacErr(fmt.Sprintf("%s has %d-bit samples, STREAMINFO says %d", pos, f.BitsPerSample, s.bits), nil)
	case f.BlockSize == 0:
		// The 16-bit field holds the size minus one; 65536 wraps to 0.
		return nil, flacErr(fmt.Sprintf("%s of 65536 samples (at most 65535)", pos), nil)
	}
	// A header may leave the sample size to STREAMINFO; mewkiz would then
	// read 0-bit samples.
	f.BitsPerSample = uint8(s.bits)
	err = f.Parse()
	if s.fr.patched {
		if err != nil && strings.Contains(err.Error(), "CRC-16 checksum mismatch") {
			err = nil // checked below, on the file's bytes
		}
		if err == nil && s.fr.crc != 0 {
			err = errors.New("CRC-16 checksum mismatch")
		}
	}
	if err != nil {
		return nil, s.frameErr(pos, err)
	}
	for _, sf := range f.Subframes {
		if len(sf.Samples) != int(f.BlockSize) {
			// mewkiz checks this; a frame short of samples would be
			// read out of bounds below.
			return nil, flacErr(fmt.Sprintf("%s: %d samples in a subframe of %d", pos, len(sf.Samples), f.BlockSize), nil)
		}
	}
	return f, nil
}

// frameErr turns an error from reading a frame into a *FormatError, and
// passes read errors of the underlying reader through.
func (s *flacStream) frameErr(pos string, err error) error {
	if s.fr.err != nil {
		return s.fr.err
	}
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return flacErr(pos+" cut short", io.ErrUnexpectedEOF)
	}
	var fe *FormatError
	if errors.As(err, &fe) {
		fe.Problem = pos + ": " + fe.Problem
		return fe
	}
	// mewkiz's messages begin with the function that failed
	// ("frame.Subframe.decodeLPC: "); the user needs only what is wrong.
	msg := err.Error()
	if i := strings.Index(msg, ": "); i > 0 && !strings.Contains(msg[:i], " ") && strings.Contains(msg[:i], ".") {
		msg = msg[i+2:]
	}
	return flacErr(pos+": "+msg, nil)
}

// mixFrame converts the first n samples of each of f's channels (bits
// wide) to mono float32 in dst, averaging the channels as mixdown does a
// WAV file's, in the same order and precision, so that a FLAC file and the
// WAV file it was made from decode to the same values.
func mixFrame(dst []float32, f *frame.Frame, n, bits int) []float32 {
	if cap(dst) < n {
		dst = make([]float32, n)
	}
	dst = dst[:n]
	full := float64(int64(1) << (bits - 1))
	scale := 1 / float64(len(f.Subframes))
	for i := range dst {
		var sum float64
		for _, sf := range f.Subframes {
			sum += float64(sf.Samples[i]) / full
		}
		dst[i] = clamp(sum * scale)
	}
	return dst
}

// frameReader is what mewkiz reads a frame from: the frame header, patched
// when it must be (see flacStream.frame), then the rest of the stream.
// For a patched frame it keeps the CRC-16 of the file's own bytes, which
// is 0 at the end of a sound frame (the sum of a frame and its CRC).
type frameReader struct {
	r       *bufio.Reader
	hdr     []byte // what is left to read of the patched header
	buf     [maxFrameHeader]byte
	patched bool
	crc     uint16
	err     error // a read error of r, not an end of file
}

// load prepares the next frame header, patching it when its sample rate
// code is one that mewkiz logs (24 kHz or 176.4 kHz); it then returns that
// rate, for the caller to check, and otherwise 0.
func (f *frameReader) load() (rate int, err error) {
	f.hdr, f.patched, f.crc = nil, false, 0
	b, _ := f.r.Peek(maxFrameHeader)
	if len(b) < 4 || b[0] != 0xFF || b[1]&0xFE != 0xF8 {
		return 0, nil // mewkiz reports a bad sync code or a short header
	}
	switch b[2] & 0x0F {
	case 0x2:
		rate = 176400
	case 0x7:
		rate = 24000
	default:
		return 0, nil
	}
	// The header's length: its number's UTF-8-style length, then the
	// block size's extra bytes (these two rate codes have none).
	n := 4
	switch c := b[4:min(5, len(b))]; {
	case len(c) == 0:
		return 0, io.ErrUnexpectedEOF
	case c[0] < 0x80:
		n++
	case c[0] < 0xC0 || c[0] == 0xFF:
		return 0, errors.New("invalid frame number")
	default:
		n += countLeadingOnes(c[0]) // 110xxxxx: 2 bytes ... 11111110: 7
	}
	switch b[2] >> 4 {
	case 0x6:
		n++
	case 0x7:
		n += 2
	}
	if len(b) < n+1 {
		return 0, io.ErrUnexpectedEOF
	}
	if crc8(b[:n]) != b[n] {
		return 0, errors.New("CRC-8 checksum mismatch")
	}
	f.crc = crc16(0, b[:n+1])
	copy(f.buf[:], b[:n+1])
	f.buf[2] &^= 0x0F // the rate in STREAMINFO
	f.buf[n] = crc8(f.buf[:n])
	f.hdr = f.buf[:n+1]
	f.patched = true
	_, err = f.r.Discard(n + 1)
	return rate, err
}

func (f *frameReader) Read(p []byte) (int, error) {
	if len(f.hdr) > 0 {
		n := copy(p, f.hdr)
		f.hdr = f.hdr[n:]
		return n, nil
	}
	n, err := f.r.Read(p)
	if f.patched {
		f.crc = crc16(f.crc, p[:n])
	}
	if err != nil && err != io.EOF {
		f.err = err
	}
	return n, err
}

// countLeadingOnes counts the 1 bits at the top of b.
func countLeadingOnes(b byte) int {
	n := 0
	for ; b&0x80 != 0; b <<= 1 {
		n++
	}
	return n
}

// crc8 is FLAC's frame header CRC: polynomial x^8 + x^2 + x + 1, initial 0.
func crc8(b []byte) byte {
	var c byte
	for _, x := range b {
		c ^= x
		for range 8 {
			if c&0x80 != 0 {
				c = c<<1 ^ 0x07
			} else {
				c <<= 1
			}
		}
	}
	return c
}

// crc16Table is FLAC's frame CRC, polynomial x^16 + x^15 + x^2 + 1.
var crc16Table = func() (t [256]uint16) {
	for i := range t {
		c := uint16(i) << 8
		for range 8 {
			if c&0x8000 != 0 {
				c = c<<1 ^ 0x8005
			} else {
				c <<= 1
			}
		}
		t[i] = c
	}
	return t
}()

// crc16 extends the CRC-16 c over b.
func crc16(c uint16, b []byte) uint16 {
	for _, x := range b {
		c = c<<8 ^ crc16Table[byte(c>>8)^x]
	}
	return c
}

// fillFLAC decodes the next FLAC frame into d.out, or sets d.err.
func (d *Reader) fillFLAC() {
	mono, err := d.flac.next()
	switch {
	case err == io.EOF && !d.flushed:
		d.out = d.rs.Flush(d.out)
		d.flushed = true
	case err != nil:
		d.err = err
		return
	default:
		d.out = d.rs.Process(d.out, mono)
	}
	clampAll(d.out)
}

// readUpTo is ReadFileMax for a file whose header does not state its
// length: it decodes up to a few samples past max, and a file that holds
// more is long.
func readUpTo(path string, max int) (samples []float32, long bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	r, err := NewReader(f)
	if err != nil {
		return nil, false, fmt.Errorf("read %s: %w", path, err)
	}
	buf := make([]float32, max+3)
	n := 0
	for n < len(buf) {
		k, err := r.Read(buf[n:])
		n += k
		if err == io.EOF {
			return buf[:min(n, max)], false, nil
		}
		if err != nil {
			return nil, false, fmt.Errorf("read %s: %w", path, err)
		}
	}
	return nil, true, nil
}
