package audio

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
)

// A FormatError reports that the input is not a valid WAV or FLAC file.
// Codec is "WAV" or "FLAC", or empty when the input is neither (empty, or
// some other kind of file). Problem names what is wrong ("truncated fmt
// chunk", "zero channels", "frame 3: CRC-16 mismatch"); Err, when set, is
// the underlying cause (io.ErrUnexpectedEOF for a truncated file).
type FormatError struct {
	Codec   string
	Problem string
	Err     error
}

func (e *FormatError) Error() string {
	s := "audio: " + e.Problem
	if e.Codec != "" {
		s = "audio: invalid " + e.Codec + ": " + e.Problem
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *FormatError) Unwrap() error { return e.Err }

// An UnsupportedError reports that the input is a valid WAV or FLAC file
// (Codec) using a feature this package does not decode (a compressed WAV
// encoding, 32-bit FLAC samples).
type UnsupportedError struct {
	Codec   string
	Feature string
}

func (e UnsupportedError) Error() string { return "audio: unsupported " + e.Codec + ": " + e.Feature }

// Encoding is how a WAV file stores its samples.
type Encoding int

const (
	PCM   Encoding = 1 // integer samples; 8-bit unsigned, wider signed little-endian
	Float Encoding = 3 // IEEE 754 little-endian, 32 or 64 bits
	ALaw  Encoding = 6 // G.711 A-law, 8 bits (telephony)
	MuLaw Encoding = 7 // G.711 µ-law, 8 bits (telephony)

	// FLAC is a FLAC stream: lossless, integer samples of 4 to 24 bits.
	// The value is FLAC's tag in the WAV registry (WAVE_FORMAT_FLAC); FLAC
	// inside a WAV file is not decoded.
	FLAC Encoding = 0xF1AC
)

func (e Encoding) String() string {
	switch e {
	case PCM:
		return "pcm"
	case Float:
		return "float"
	case ALaw:
		return "a-law"
	case MuLaw:
		return "µ-law"
	case FLAC:
		return "flac"
	}
	return fmt.Sprintf("Encoding(%d)", int(e))
}

// Format describes a WAV or FLAC file's samples, as its header states them.
type Format struct {
	Encoding      Encoding
	SampleRate    int   // frames per second
	Channels      int   // interleaved channels per frame
	BitsPerSample int   // WAV: container size of one sample (8, 16, 24, 32 or 64); FLAC: bits of one sample (4 to 24)
	Extensible    bool  // the fmt chunk was WAVE_FORMAT_EXTENSIBLE
	Frames        int64 // WAV: frames in the data chunk, from its size; FLAC: from STREAMINFO, 0 when it does not say
}

// Duration is the length of the audio in seconds, from the header (0 for
// a FLAC stream that does not state its length).
func (f Format) Duration() float64 { return float64(f.Frames) / float64(f.SampleRate) }

const (
	formatPCM        = 0x0001
	formatFloat      = 0x0003
	formatALaw       = 0x0006
	formatMuLaw      = 0x0007
	formatExtensible = 0xFFFE

	// MinSampleRate, MaxSampleRate and MaxChannels bound what the decoder
	// accepts; other values in a header are reported as UnsupportedError.
	// The lower bound also bounds memory: a clip grows at most fourfold in
	// samples when resampled to 16 kHz.
	MinSampleRate = 4000
	MaxSampleRate = 768000
	MaxChannels   = 64

	maxFmtChunk = 1 << 12 // a fmt chunk is 16, 18 or 40 bytes; anything huge is corrupt
)

// The tail shared by the KSDATAFORMAT_SUBTYPE GUIDs that an EXTENSIBLE fmt
// chunk uses; the first two bytes carry the plain format code.
var ksSubtypeTail = [14]byte{0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71}

// header is what readHeader learns before the samples start.
type header struct {
	Format
	dataSize int64       // WAV: bytes of sample data (a whole number of frames)
	checked  bool        // WAV: dataSize was checked against the real file size
	flac     *flacStream // a FLAC stream, positioned at its first frame
}

// readHeader reads r up to the first byte of sample data, or for FLAC up
// to the first frame; the first four bytes say which ("RIFF" or "fLaC").
// If r is an io.Seeker it also checks a WAV file's claimed data size
// against the file's real size, and it can find a fmt chunk that follows
// the data chunk.
func readHeader(r io.Reader) (header, error) {
	var h header
	var buf [12]byte
	_, err := io.ReadFull(r, buf[:4])
	if err == nil {
		if string(buf[:4]) == flacMagic {
			return readFLACHeader(r)
		}
		_, err = io.ReadFull(r, buf[4:12])
		err = noEOF(err)
	}
	if err != nil {
		switch {
		case err == io.EOF:
			return h, &FormatError{Problem: "empty input"}
		case err == io.ErrUnexpectedEOF && string(buf[:4]) == "RIFF":
			return h, &FormatError{Codec: "WAV", Problem: "truncated RIFF header", Err: err}
		case err == io.ErrUnexpectedEOF:
			return h, &FormatError{Problem: "truncated header", Err: err}
		}
		return h, err
	}
	switch {
	case (string(buf[0:4]) == "RF64" || string(buf[0:4]) == "BW64") && string(buf[8:12]) == "WAVE":
		return h, UnsupportedError{Codec: "WAV", Feature: "RF64 (a WAV file over 4 GB)"}
	case string(buf[0:4]) == "RIFX" && string(buf[8:12]) == "WAVE":
		return h, UnsupportedError{Codec: "WAV", Feature: "big-endian RIFX"}
	case string(buf[0:4]) != "RIFF" || string(buf[8:12]) != "WAVE":
		return h, &FormatError{Problem: "not a WAV or FLAC file"}
	}
	seeker, _ := r.(io.Seeker)
	var fileSize int64 = -1
	if seeker != nil {
		if pos, err := seeker.Seek(0, io.SeekCurrent); err == nil {
			if end, err := seeker.Seek(0, io.SeekEnd); err == nil {
				if _, err := seeker.Seek(pos, io.SeekStart); err != nil {
					return h, err
				}
				fileSize = end
			}
		}
		if fileSize < 0 {
			seeker = nil // not really seekable (a pipe behind *os.File)
		}
	}
	offset := int64(12)
	haveFmt := false
	var dataOffset, dataSize int64 = -1, 0
	for {
		if _, err := io.ReadFull(r, buf[:8]); err != nil {
			// The loop returns once it has both chunks, so one is missing.
			switch {
			case err == io.ErrUnexpectedEOF:
				return h, &FormatError{Codec: "WAV", Problem: "truncated chunk header", Err: err}
			case err != io.EOF:
				return h, err
			case !haveFmt:
				return h, &FormatError{Codec: "WAV", Problem: "missing fmt chunk"}
			default:
				return h, &FormatError{Codec: "WAV", Problem: "missing data chunk"}
			}
		}
		offset += 8
		id := string(buf[0:4])
		size := int64(binary.LittleEndian.Uint32(buf[4:8]))
		padded := size + size&1
		switch id {
		case "fmt ":
			if haveFmt {
				return h, &FormatError{Codec: "WAV", Problem: "two fmt chunks"}
			}
			if size < 16 {
				return h, &FormatError{Codec: "WAV", Problem: fmt.Sprintf("fmt chunk of %d bytes, want at least 16", size)}
			}
			if size > maxFmtChunk {
				return h, &FormatError{Codec: "WAV", Problem: fmt.Sprintf("fmt chunk of %d bytes", size)}
			}
			var fb [maxFmtChunk + 1]byte
			if _, err := io.ReadFull(r, fb[:padded]); err != nil {
				// A missing pad byte after the last chunk is harmless, but
				// the fmt chunk is never legitimately last.
				return h, &FormatError{Codec: "WAV", Problem: "truncated fmt chunk", Err: noEOF(err)}
			}
			offset += padded
			if err := parseFmt(&h.Format, fb[:size]); err != nil {
				return h, err
			}
			haveFmt = true
			if dataOffset >= 0 {
				// The data chunk came first; go back to it.
				if _, err := seeker.Seek(dataOffset, io.SeekStart); err != nil {
					return h, err
				}
				return finishHeader(h, dataSize)
			}
		case "data":
			if fileSize >= 0 && offset+size > fileSize {
				return h, &FormatError{Codec: "WAV", Problem: fmt.Sprintf("data chunk claims %d bytes but the file has %d after its header", size, fileSize-offset), Err: io.ErrUnexpectedEOF}
			}
			h.checked = fileSize >= 0
			if haveFmt {
				return finishHeader(h, size)
			}
			if seeker == nil {
				return h, UnsupportedError{Codec: "WAV", Feature: "data chunk before fmt chunk in an unseekable stream"}
			}
			if dataOffset >= 0 {
				return h, &FormatError{Codec: "WAV", Problem: "two data chunks"}
			}
			dataOffset, dataSize = offset, size
			if err := skip(r, seeker, padded, fileSize-offset); err != nil {
				return h, err
			}
			offset += padded
		default:
			// LIST, fact, cue, bext, JUNK, PAD and anything unknown.
			if err := skip(r, seeker, padded, fileSize-offset); err != nil {
				if err == io.ErrUnexpectedEOF {
					return h, &FormatError{Codec: "WAV", Problem: fmt.Sprintf("truncated %q chunk", id), Err: err}
				}
				return h, err
			}
			offset += padded
		}
	}
}

// finishHeader checks the data chunk's size against the format.
func finishHeader(h header, size int64) (header, error) {
	block := int64(h.Channels * h.BitsPerSample / 8)
	h.Frames = size / block
	h.dataSize = h.Frames * block
	if h.Frames == 0 {
		return h, &FormatError{Codec: "WAV", Problem: "empty data chunk"}
	}
	return h, nil
}

// skip discards n bytes of r, seeking when it can. left is how many bytes
// the file has after the current position, or negative when unknown.
func skip(r io.Reader, s io.Seeker, n, left int64) error {
	if s != nil {
		if n > left {
			// Only the pad byte of a final odd chunk may be missing.
			if n-left == 1 && n&1 == 0 {
				_, err := s.Seek(0, io.SeekEnd)
				return err
			}
			return io.ErrUnexpectedEOF
		}
		_, err := s.Seek(n, io.SeekCurrent)
		return err
	}
	got, err := io.CopyN(io.Discard, r, n)
	if err == io.EOF {
		if n-got == 1 && n&1 == 0 {
			return nil
		}
		return io.ErrUnexpectedEOF
	}
	return err
}

// parseFmt decodes a fmt chunk's body into f.
func parseFmt(f *Format, b []byte) error {
	tag := binary.LittleEndian.Uint16(b[0:2])
	channels := int(binary.LittleEndian.Uint16(b[2:4]))
	rate := int64(binary.LittleEndian.Uint32(b[4:8]))
	blockAlign := int(binary.LittleEndian.Uint16(b[12:14]))
	bits := int(binary.LittleEndian.Uint16(b[14:16]))
	if tag == formatExtensible {
		if len(b) < 40 {
			return &FormatError{Codec: "WAV", Problem: fmt.Sprintf("EXTENSIBLE fmt chunk of %d bytes, want 40", len(b))}
		}
		if cb := binary.LittleEndian.Uint16(b[16:18]); cb < 22 {
			return &FormatError{Codec: "WAV", Problem: fmt.Sprintf("EXTENSIBLE fmt chunk with %d extension bytes, want 22", cb)}
		}
		valid := int(binary.LittleEndian.Uint16(b[18:20]))
		if valid > bits {
			return &FormatError{Codec: "WAV", Problem: fmt.Sprintf("%d valid bits in a %d-bit sample", valid, bits)}
		}
		if [14]byte(b[26:40]) != ksSubtypeTail {
			return UnsupportedError{Codec: "WAV", Feature: "EXTENSIBLE sub-format GUID"}
		}
		tag = binary.LittleEndian.Uint16(b[24:26])
		f.Extensible = true
	}
	switch tag {
	case formatPCM:
		f.Encoding = PCM
	case formatFloat:
		f.Encoding = Float
	case formatALaw:
		f.Encoding = ALaw
	case formatMuLaw:
		f.Encoding = MuLaw
	default:
		return UnsupportedError{Codec: "WAV", Feature: fmt.Sprintf("format tag %#04x (only PCM, IEEE float, A-law and µ-law)", tag)}
	}
	switch {
	case channels == 0:
		return &FormatError{Codec: "WAV", Problem: "zero channels"}
	case rate == 0:
		return &FormatError{Codec: "WAV", Problem: "zero sample rate"}
	case channels > MaxChannels:
		return UnsupportedError{Codec: "WAV", Feature: fmt.Sprintf("%d channels (at most %d)", channels, MaxChannels)}
	case rate < MinSampleRate || rate > MaxSampleRate:
		return UnsupportedError{Codec: "WAV", Feature: fmt.Sprintf("sample rate %d Hz (%d to %d)", rate, MinSampleRate, MaxSampleRate)}
	}
	switch {
	case f.Encoding == PCM && (bits == 8 || bits == 16 || bits == 24 || bits == 32):
	case f.Encoding == Float && (bits == 32 || bits == 64):
	case (f.Encoding == ALaw || f.Encoding == MuLaw) && bits == 8:
	case bits == 0:
		return &FormatError{Codec: "WAV", Problem: "zero bits per sample"}
	default:
		return UnsupportedError{Codec: "WAV", Feature: fmt.Sprintf("%d-bit %v samples", bits, f.Encoding)}
	}
	if want := channels * bits / 8; blockAlign != want {
		return &FormatError{Codec: "WAV", Problem: fmt.Sprintf("block align %d, want %d for %d channels of %d bits", blockAlign, want, channels, bits)}
	}
	f.Channels, f.SampleRate, f.BitsPerSample = channels, int(rate), bits
	return nil
}

// noEOF turns a bare io.EOF met inside a structure into io.ErrUnexpectedEOF.
func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// DecodeConfig reads a WAV or FLAC header from r and returns its format
// without decoding any samples.
func DecodeConfig(r io.Reader) (Format, error) {
	h, err := readHeader(r)
	return h.Format, err
}

// mixdown converts whole frames of raw sample bytes in src to mono float32
// in dst (len(dst) frames), averaging the channels. Values are clamped to
// [-1, 1) and NaN becomes 0, so float files with overs stay in range.
func mixdown(dst []float32, src []byte, f Format) {
	ch := f.Channels
	n := len(dst) * ch
	switch {
	case f.Encoding == PCM && f.BitsPerSample == 16 && ch == 1:
		// The common case: no mixing, exact.
		for i := range dst {
			dst[i] = float32(int16(binary.LittleEndian.Uint16(src[2*i:]))) / (1 << 15)
		}
		return
	case f.Encoding == PCM && f.BitsPerSample == 16 && ch == 2:
		for i := range dst {
			l := int32(int16(binary.LittleEndian.Uint16(src[4*i:])))
			r := int32(int16(binary.LittleEndian.Uint16(src[4*i+2:])))
			dst[i] = float32(l+r) / (1 << 16)
		}
		return
	}
	// General case: sum each frame's channels in float64.
	sample := sampleFunc(f)
	scale := 1 / float64(ch)
	bs := f.BitsPerSample / 8
	for i := range dst {
		var sum float64
		for j := i * ch; j < (i+1)*ch && j < n; j++ {
			sum += sample(src[j*bs:])
		}
		dst[i] = clamp(sum * scale)
	}
}

// sampleFunc returns the decoder of one sample of f's encoding, scaled to
// [-1, 1] (float samples clamped, NaN as 0).
func sampleFunc(f Format) func(b []byte) float64 {
	switch {
	case f.Encoding == PCM && f.BitsPerSample == 8:
		return func(b []byte) float64 { return float64(int(b[0])-128) / 128 }
	case f.Encoding == PCM && f.BitsPerSample == 16:
		return func(b []byte) float64 { return float64(int16(binary.LittleEndian.Uint16(b))) / (1 << 15) }
	case f.Encoding == PCM && f.BitsPerSample == 24:
		return func(b []byte) float64 {
			return float64(int32(uint32(b[0])<<8|uint32(b[1])<<16|uint32(b[2])<<24)>>8) / (1 << 23)
		}
	case f.Encoding == PCM && f.BitsPerSample == 32:
		return func(b []byte) float64 { return float64(int32(binary.LittleEndian.Uint32(b))) / (1 << 31) }
	case f.Encoding == Float && f.BitsPerSample == 32:
		return func(b []byte) float64 { return finite(float64(math.Float32frombits(binary.LittleEndian.Uint32(b)))) }
	case f.Encoding == Float && f.BitsPerSample == 64:
		return func(b []byte) float64 { return finite(math.Float64frombits(binary.LittleEndian.Uint64(b))) }
	case f.Encoding == ALaw:
		return func(b []byte) float64 { return float64(alaw(b[0])) / (1 << 15) }
	case f.Encoding == MuLaw:
		return func(b []byte) float64 { return float64(mulaw(b[0])) / (1 << 15) }
	}
	panic("audio: no decoder for " + f.Encoding.String())
}

// mulaw expands a G.711 µ-law byte to 16-bit linear (±32124).
func mulaw(b byte) int {
	u := ^b
	t := (int(u&0x0F)<<3 + 0x84) << (u & 0x70 >> 4)
	if u&0x80 != 0 {
		return 0x84 - t
	}
	return t - 0x84
}

// alaw expands a G.711 A-law byte to 16-bit linear (±32256).
func alaw(b byte) int {
	a := b ^ 0x55
	t := int(a&0x0F) << 4
	switch seg := a & 0x70 >> 4; seg {
	case 0:
		t += 8
	case 1:
		t += 0x108
	default:
		t = (t + 0x108) << (seg - 1)
	}
	if a&0x80 != 0 {
		return t
	}
	return -t
}

// finite clamps a float sample to [-1, 1], mapping NaN to 0.
func finite(v float64) float64 {
	switch {
	case v != v:
		return 0
	case v > 1:
		return 1
	case v < -1:
		return -1
	}
	return v
}

// maxSample is the largest float32 below 1.
const maxSample = float32(1 - 1.0/(1<<24))

// clamp converts v to float32 in [-1, 1).
func clamp(v float64) float32 {
	f := float32(v)
	switch {
	case f >= 1:
		return maxSample
	case f < -1:
		return -1
	case f != f:
		return 0
	}
	return f
}

// clampAll keeps resampled samples in [-1, 1): a band-limited filter
// overshoots near full-scale steps (the Gibbs phenomenon).
func clampAll(s []float32) {
	for i, v := range s {
		if v >= 1 {
			s[i] = maxSample
		} else if v < -1 {
			s[i] = -1
		}
	}
}

// Clamp keeps every sample of s in [-1, 1), in place, as this package's
// readers keep what they resample: a band-limited resampler overshoots
// near full-scale steps. Package audio/mic clamps captured audio with it.
func Clamp(s []float32) { clampAll(s) }

// MixDown averages the len(dst) frames of channels interleaved float
// channels in src into dst, each sample in [-1, 1) and NaN as 0, as this
// package's readers mix a file's channels. src must hold
// len(dst)*channels samples. Package audio/mic mixes a device's channels
// with it.
func MixDown(dst, src []float32, channels int) {
	if channels == 1 {
		for i, v := range src[:len(dst)] {
			dst[i] = clamp(float64(v))
		}
		return
	}
	scale := 1 / float64(channels)
	for i := range dst {
		var sum float64
		for _, v := range src[i*channels : (i+1)*channels] {
			sum += float64(v)
		}
		dst[i] = clamp(sum * scale)
	}
}
