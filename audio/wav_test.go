package audio_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	goaudio "github.com/go-audio/audio"
	"github.com/go-audio/wav"

	"github.com/listen-go/listen/audio"
)

var update = flag.Bool("update", false, "rewrite the generated files in testdata/audio/broken")

// chunk is one RIFF chunk for building test files by hand.
type chunk struct {
	id   string
	body []byte
	size int64 // size field; -1 means len(body)
}

// riff assembles a RIFF/WAVE file from chunks, padding odd bodies.
func riff(chunks ...chunk) []byte {
	var b bytes.Buffer
	b.WriteString("RIFF\x00\x00\x00\x00WAVE")
	for _, c := range chunks {
		b.WriteString(c.id)
		size := c.size
		if size < 0 {
			size = int64(len(c.body))
		}
		binary.Write(&b, binary.LittleEndian, uint32(size))
		b.Write(c.body)
		if len(c.body)%2 == 1 {
			b.WriteByte(0)
		}
	}
	out := b.Bytes()
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	return out
}

// fmtBody is a plain 16-byte fmt chunk body.
func fmtBody(tag, channels, rate, bits int) []byte {
	b := make([]byte, 16)
	binary.LittleEndian.PutUint16(b[0:], uint16(tag))
	binary.LittleEndian.PutUint16(b[2:], uint16(channels))
	binary.LittleEndian.PutUint32(b[4:], uint32(rate))
	binary.LittleEndian.PutUint32(b[8:], uint32(rate*channels*bits/8))
	binary.LittleEndian.PutUint16(b[12:], uint16(channels*bits/8))
	binary.LittleEndian.PutUint16(b[14:], uint16(bits))
	return b
}

// extBody is a 40-byte WAVE_FORMAT_EXTENSIBLE fmt chunk body for subformat
// sub (1 PCM, 3 float).
func extBody(sub, channels, rate, bits, valid int) []byte {
	b := append(fmtBody(0xFFFE, channels, rate, bits), make([]byte, 24)...)
	binary.LittleEndian.PutUint16(b[16:], 22)
	binary.LittleEndian.PutUint16(b[18:], uint16(valid))
	binary.LittleEndian.PutUint32(b[20:], 0x3)
	binary.LittleEndian.PutUint16(b[24:], uint16(sub))
	copy(b[26:], "\x00\x00\x00\x00\x10\x00\x80\x00\x00\xAA\x00\x38\x9B\x71")
	return b
}

func pcm16(s ...int16) []byte {
	b := make([]byte, 2*len(s))
	for i, v := range s {
		binary.LittleEndian.PutUint16(b[2*i:], uint16(v))
	}
	return b
}

// unseekable hides a reader's Seek method.
type unseekable struct{ io.Reader }

// wantSamples is what 16-bit values v decode to at 16 kHz mono.
func wantSamples(v ...int16) []float32 {
	s := make([]float32, len(v))
	for i, x := range v {
		s[i] = float32(x) / 32768
	}
	return s
}

func equal(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// G.711 code points from the standard's tables.
func TestDecodeG711(t *testing.T) {
	mu := riff(chunk{"fmt ", fmtBody(7, 1, 16000, 8), -1}, chunk{"data", []byte{0xFF, 0x7F, 0x80, 0x00, 0xF0}, -1})
	al := riff(chunk{"fmt ", fmtBody(6, 1, 16000, 8), -1}, chunk{"data", []byte{0xD5, 0x55, 0xAA, 0x2A, 0xC5}, -1})
	for _, tt := range []struct {
		name string
		file []byte
		want []int16
	}{
		{"µ-law", mu, []int16{0, 0, 32124, -32124, 120}},
		{"A-law", al, []int16{8, -8, 32256, -32256, 264}},
	} {
		got, err := audio.Decode(bytes.NewReader(tt.file))
		if err != nil {
			t.Fatal(err)
		}
		if want := wantSamples(tt.want...); !equal(got, want) {
			t.Errorf("%s: got %v, want %v", tt.name, got, want)
		}
	}
}

// Every sample encoding and layout decodes to the same 16 kHz mono values.
func TestDecodeEncodings(t *testing.T) {
	vals := []int16{0, 16384, -16384, 32767, -32768, 1234}
	want := wantSamples(vals...)
	// The same values in every encoding, exactly representable.
	u8 := []byte{128, 192, 64, 255, 0}
	s24, s32, f32, f64 := []byte{}, []byte{}, []byte{}, []byte{}
	for _, v := range vals {
		x := int32(v) << 16
		s24 = append(s24, byte(x>>8), byte(x>>16), byte(x>>24))
		s32 = binary.LittleEndian.AppendUint32(s32, uint32(x))
		f32 = binary.LittleEndian.AppendUint32(f32, math.Float32bits(float32(v)/32768))
		f64 = binary.LittleEndian.AppendUint64(f64, math.Float64bits(float64(v)/32768))
	}
	stereo := pcm16(100, 300, -2, -4, 32767, 32767) // averages 200, -3, 32767
	tests := []struct {
		name string
		file []byte
		want []float32
	}{
		{"pcm8", riff(chunk{"fmt ", fmtBody(1, 1, 16000, 8), -1}, chunk{"data", u8, -1}), []float32{0, 0.5, -0.5, 127.0 / 128, -1}},
		{"pcm16", riff(chunk{"fmt ", fmtBody(1, 1, 16000, 16), -1}, chunk{"data", pcm16(vals...), -1}), want},
		{"pcm24", riff(chunk{"fmt ", fmtBody(1, 1, 16000, 24), -1}, chunk{"data", s24, -1}), want},
		{"pcm32", riff(chunk{"fmt ", fmtBody(1, 1, 16000, 32), -1}, chunk{"data", s32, -1}), want},
		{"float32", riff(chunk{"fmt ", fmtBody(3, 1, 16000, 32), -1}, chunk{"fact", []byte{6, 0, 0, 0}, -1}, chunk{"data", f32, -1}), want},
		{"float64", riff(chunk{"fmt ", fmtBody(3, 1, 16000, 64), -1}, chunk{"data", f64, -1}), want},
		{"extensible pcm24 in 24", riff(chunk{"fmt ", extBody(1, 1, 16000, 24, 24), -1}, chunk{"data", s24, -1}), want},
		{"extensible pcm32 with 24 valid", riff(chunk{"fmt ", extBody(1, 1, 16000, 32, 24), -1}, chunk{"data", s32, -1}), want},
		{"extensible float32", riff(chunk{"fmt ", extBody(3, 1, 16000, 32, 32), -1}, chunk{"data", f32, -1}), want},
		{"stereo mixdown", riff(chunk{"fmt ", fmtBody(1, 2, 16000, 16), -1}, chunk{"data", stereo, -1}), wantSamples(200, -3, 32767)},
		{"chunks in any order", riff(
			chunk{"LIST", []byte("INFOISFT\x05\x00\x00\x00sox!\x00"), -1},
			chunk{"junk", []byte{1, 2, 3}, -1}, // odd: padded
			chunk{"fmt ", fmtBody(1, 1, 16000, 16), -1},
			chunk{"fact", []byte{6, 0, 0, 0}, -1},
			chunk{"data", pcm16(vals...), -1},
			chunk{"LIST", []byte("INFO"), -1}), want},
		{"data before fmt", riff(chunk{"data", pcm16(vals...), -1}, chunk{"cue ", []byte{1}, -1}, chunk{"fmt ", fmtBody(1, 1, 16000, 16), -1}), want},
		{"odd data, missing final pad", riff(chunk{"fmt ", fmtBody(1, 1, 16000, 8), -1}, chunk{"data", []byte{128, 192, 64}, -1})[:47], []float32{0, 0.5, -0.5}},
		{"trailing partial frame ignored", riff(chunk{"fmt ", fmtBody(1, 1, 16000, 16), -1}, chunk{"data", append(pcm16(vals...), 7), -1}), want},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := audio.Decode(bytes.NewReader(tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if !equal(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			// The same through an unseekable stream.
			got, err = audio.Decode(unseekable{bytes.NewReader(tt.file)})
			if err != nil {
				t.Fatal(err)
			}
			if !equal(got, tt.want) {
				t.Fatalf("unseekable: got %v, want %v", got, tt.want)
			}
		})
	}
}

// A streaming Reader cannot go back to a data chunk that precedes the fmt
// chunk in an unseekable stream; it says so rather than guessing.
func TestReaderDataBeforeFmtUnseekable(t *testing.T) {
	file := riff(chunk{"data", pcm16(1, 2), -1}, chunk{"fmt ", fmtBody(1, 1, 16000, 16), -1})
	_, err := audio.NewReader(unseekable{bytes.NewReader(file)})
	var ue audio.UnsupportedError
	if !errors.As(err, &ue) {
		t.Fatalf("got %v, want an UnsupportedError", err)
	}
}

// brokenFiles are the bad inputs of issue 2, committed under
// testdata/audio/broken (rewrite them with -update) and used as fuzz seeds.
// problem is a substring of the error; unexpectedEOF says whether the error
// wraps io.ErrUnexpectedEOF.
var brokenFiles = []struct {
	name          string
	file          []byte
	problem       string
	unsupported   bool
	unexpectedEOF bool
}{
	{"empty", nil, "empty input", false, false},
	{"not-riff", []byte("ID3\x04\x00\x00\x00\x00\x00\x00 this is an MP3, not a WAV file"), "not a WAV or FLAC file", false, false},
	{"truncated-riff-header", []byte("RIFF\x24\x00"), "truncated RIFF header", false, true},
	{"truncated-fmt", riff(chunk{"fmt ", fmtBody(1, 1, 16000, 16), -1})[:30], "truncated fmt chunk", false, true},
	{"truncated-data", riff(chunk{"fmt ", fmtBody(1, 1, 16000, 16), -1}, chunk{"data", pcm16(1, 2, 3, 4, 5, 6, 7, 8), -1})[:50], "data chunk", false, true},
	{"zero-channels", riff(chunk{"fmt ", fmtBody(1, 0, 16000, 16), -1}, chunk{"data", pcm16(1, 2), -1}), "zero channels", false, false},
	{"zero-rate", riff(chunk{"fmt ", fmtBody(1, 1, 0, 16), -1}, chunk{"data", pcm16(1, 2), -1}), "zero sample rate", false, false},
	{"zero-bits", riff(chunk{"fmt ", fmtBody(1, 1, 16000, 0), -1}, chunk{"data", pcm16(1, 2), -1}), "zero bits per sample", false, false},
	{"empty-data", riff(chunk{"fmt ", fmtBody(1, 1, 16000, 16), -1}, chunk{"data", nil, -1}), "empty data chunk", false, false},
	{"claims-4gb", riff(chunk{"fmt ", fmtBody(1, 2, 48000, 16), -1}, chunk{"data", pcm16(1, 2, 3, 4), 0xFFFFFFF0}), "data chunk", false, true},
	{"data-past-end", riff(chunk{"fmt ", fmtBody(1, 1, 16000, 16), -1}, chunk{"data", pcm16(1, 2, 3, 4), 100}), "data chunk", false, true},
	{"list-claims-4gb", riff(chunk{"LIST", []byte("INFO"), 0xFFFFFFFF}, chunk{"fmt ", fmtBody(1, 1, 16000, 16), -1}, chunk{"data", pcm16(1), -1}), `"LIST" chunk`, false, true},
	{"truncated-chunk-header", riff(chunk{"fmt ", fmtBody(1, 1, 16000, 16), -1})[:40], "truncated chunk header", false, true},
	{"missing-fmt", riff(chunk{"LIST", []byte("INFO"), -1}), "missing fmt chunk", false, false},
	{"missing-data", riff(chunk{"fmt ", fmtBody(1, 1, 16000, 16), -1}, chunk{"LIST", []byte("INFO"), -1}), "missing data chunk", false, false},
	{"short-fmt", riff(chunk{"fmt ", fmtBody(1, 1, 16000, 16)[:14], -1}, chunk{"data", pcm16(1), -1}), "fmt chunk of 14 bytes", false, false},
	{"huge-fmt", riff(chunk{"fmt ", fmtBody(1, 1, 16000, 16), 1 << 30}, chunk{"data", pcm16(1), -1}), "fmt chunk of 1073741824 bytes", false, false},
	{"bad-block-align", func() []byte {
		b := fmtBody(1, 2, 16000, 16)
		b[12] = 3
		return riff(chunk{"fmt ", b, -1}, chunk{"data", pcm16(1, 2), -1})
	}(), "block align 3, want 4", false, false},
	{"two-fmt", riff(chunk{"fmt ", fmtBody(1, 1, 16000, 16), -1}, chunk{"fmt ", fmtBody(1, 1, 16000, 16), -1}, chunk{"data", pcm16(1), -1}), "two fmt chunks", false, false},
	{"extensible-short", riff(chunk{"fmt ", extBody(1, 1, 16000, 16, 16)[:24], -1}, chunk{"data", pcm16(1), -1}), "EXTENSIBLE fmt chunk of 24 bytes", false, false},
	{"extensible-valid-bits", riff(chunk{"fmt ", extBody(1, 1, 16000, 16, 24), -1}, chunk{"data", pcm16(1), -1}), "24 valid bits in a 16-bit sample", false, false},
	{"adpcm", riff(chunk{"fmt ", fmtBody(2, 1, 16000, 4), -1}, chunk{"data", pcm16(1), -1}), "format tag 0x0002", true, false},
	{"pcm12", riff(chunk{"fmt ", fmtBody(1, 1, 16000, 12), -1}, chunk{"data", pcm16(1), -1}), "12-bit pcm", true, false},
	{"float16", riff(chunk{"fmt ", fmtBody(3, 1, 16000, 16), -1}, chunk{"data", pcm16(1), -1}), "16-bit float", true, false},
	{"rate-too-high", riff(chunk{"fmt ", fmtBody(1, 1, 4000000000, 16), -1}, chunk{"data", pcm16(1), -1}), "sample rate 4000000000 Hz", true, false},
	{"rate-too-low", riff(chunk{"fmt ", fmtBody(1, 1, 1, 16), -1}, chunk{"data", pcm16(1), -1}), "sample rate 1 Hz", true, false},
	{"too-many-channels", riff(chunk{"fmt ", fmtBody(1, 1000, 16000, 16), -1}, chunk{"data", pcm16(1), -1}), "1000 channels", true, false},
	{"rf64", []byte("RF64\xff\xff\xff\xffWAVEds64"), "RF64", true, false},
	{"rifx", []byte("RIFX\x00\x00\x00\x24WAVEfmt "), "RIFX", true, false},
	{"extensible-guid", func() []byte {
		b := extBody(1, 1, 16000, 16, 16)
		b[39] = 0
		return riff(chunk{"fmt ", b, -1}, chunk{"data", pcm16(1), -1})
	}(), "sub-format GUID", true, false},
}

func TestBadInput(t *testing.T) {
	dir := filepath.Join("..", "testdata", "audio", "broken")
	if *update {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range brokenFiles {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name+".wav")
			if *update {
				if err := os.WriteFile(path, tt.file, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			// From the committed file (seekable), from a byte stream, and
			// streaming.
			_, err := audio.ReadFile(path)
			check(t, "ReadFile", err, tt.problem, tt.unsupported, tt.unexpectedEOF)
			if err != nil && !strings.Contains(err.Error(), path) {
				t.Errorf("ReadFile error %q does not name the file", err)
			}
			_, err = audio.Decode(unseekable{bytes.NewReader(tt.file)})
			check(t, "Decode", err, tt.problem, tt.unsupported, tt.unexpectedEOF)
			r, err := audio.NewReader(unseekable{bytes.NewReader(tt.file)})
			if err == nil {
				_, err = io.Copy(io.Discard, readerFunc(r.Read))
			}
			check(t, "Reader", err, tt.problem, tt.unsupported, tt.unexpectedEOF)
		})
	}
}

func check(t *testing.T, what string, err error, problem string, unsupported, unexpectedEOF bool) {
	t.Helper()
	var fe *audio.FormatError
	var ue audio.UnsupportedError
	switch {
	case err == nil:
		t.Errorf("%s: no error, want %q", what, problem)
		return
	case unsupported && !errors.As(err, &ue):
		t.Errorf("%s: %v (%T), want an UnsupportedError", what, err, err)
	case !unsupported && !errors.As(err, &fe):
		t.Errorf("%s: %v (%T), want a *FormatError", what, err, err)
	}
	if !strings.Contains(err.Error(), problem) {
		t.Errorf("%s: error %q does not say %q", what, err, problem)
	}
	if got := errors.Is(err, io.ErrUnexpectedEOF); got != unexpectedEOF {
		t.Errorf("%s: errors.Is(%v, io.ErrUnexpectedEOF) = %v, want %v", what, err, got, unexpectedEOF)
	}
}

// readerFunc adapts a Reader's Read to io.Reader for io.Copy's sake, in
// bytes of float32.
type readerFunc func([]float32) (int, error)

func (f readerFunc) Read(p []byte) (int, error) {
	buf := make([]float32, len(p)/4)
	n, err := f(buf)
	return 4 * n, err
}

// A header claiming 4 GB costs no more memory than the file holds.
func TestClaims4GBBoundedMemory(t *testing.T) {
	file := riff(chunk{"fmt ", fmtBody(1, 2, 48000, 16), -1}, chunk{"data", pcm16(1, 2, 3, 4), 0xFFFFFFF0})
	for _, r := range []func() io.Reader{
		func() io.Reader { return bytes.NewReader(file) },
		func() io.Reader { return unseekable{bytes.NewReader(file)} },
	} {
		before := allocated()
		_, err := audio.Decode(r())
		if err == nil {
			t.Fatal("no error")
		}
		if n := allocated() - before; n > 1<<20 {
			t.Errorf("decoding a %d-byte file allocated %d bytes", len(file), n)
		}
	}
}

func allocated() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.TotalAlloc
}

// endless is a long 16-bit stereo WAV made on the fly.
type endless struct {
	hdr  []byte
	left int64
	pat  []byte
	off  int
}

func newEndless(seconds, rate int) *endless {
	const ch = 2
	size := int64(seconds) * int64(rate) * ch * 2
	hdr := riff(chunk{"fmt ", fmtBody(1, ch, rate, 16), -1}, chunk{"data", nil, size})
	pat := make([]byte, 4*rate/10) // 0.1 s of a 440 Hz tone, repeating
	for i := 0; i < rate/10; i++ {
		v := int16(8000 * math.Sin(2*math.Pi*440*float64(i)/float64(rate)))
		binary.LittleEndian.PutUint16(pat[4*i:], uint16(v))
		binary.LittleEndian.PutUint16(pat[4*i+2:], uint16(v))
	}
	return &endless{hdr: hdr, left: size, pat: pat}
}

func (e *endless) Read(p []byte) (int, error) {
	if len(e.hdr) > 0 {
		n := copy(p, e.hdr)
		e.hdr = e.hdr[n:]
		return n, nil
	}
	if e.left == 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > e.left {
		p = p[:e.left]
	}
	n := copy(p, e.pat[e.off:])
	e.off = (e.off + n) % len(e.pat)
	e.left -= int64(n)
	return n, nil
}

// A streaming Reader reads an hour (16 kHz stereo: mixdown only) and two
// minutes at 48 kHz (through the resampler) in constant memory.
func TestReaderHourConstantMemory(t *testing.T) {
	for _, tt := range []struct{ seconds, rate int }{{3600, 16000}, {120, 48000}} {
		t.Run(fmt.Sprint(tt.seconds, "s/", tt.rate), func(t *testing.T) {
			r, err := audio.NewReader(newEndless(tt.seconds, tt.rate))
			if err != nil {
				t.Fatal(err)
			}
			buf := make([]float32, 1600)
			var total int64
			before := allocated()
			for {
				n, err := r.Read(buf)
				total += int64(n)
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			if n := allocated() - before; n > 1<<20 {
				t.Errorf("reading %d s allocated %d bytes", tt.seconds, n)
			}
			if want := int64(tt.seconds) * audio.Rate; total != want {
				t.Errorf("read %d samples, want %d", total, want)
			}
		})
	}
}

// The committed real-world files (written by sox 14.4, see
// testdata/README.md) decode with the format their headers state.
func TestTestdataFormats(t *testing.T) {
	tests := []struct {
		file string
		f    audio.Format
	}{
		{"yes.wav", audio.Format{Encoding: audio.PCM, SampleRate: 16000, Channels: 1, BitsPerSample: 16, Frames: 16000}},
		{"mono8k_u8.wav", audio.Format{Encoding: audio.PCM, SampleRate: 8000, Channels: 1, BitsPerSample: 8, Frames: 800}},
		{"mono22k_s24.wav", audio.Format{Encoding: audio.PCM, SampleRate: 22050, Channels: 1, BitsPerSample: 24, Frames: 2205}},
		{"mono48k_s32.wav", audio.Format{Encoding: audio.PCM, SampleRate: 48000, Channels: 1, BitsPerSample: 32, Extensible: true, Frames: 4800}},
		{"mono48k_f64.wav", audio.Format{Encoding: audio.Float, SampleRate: 48000, Channels: 1, BitsPerSample: 64, Frames: 4800}},
		{"stereo44k_s16.wav", audio.Format{Encoding: audio.PCM, SampleRate: 44100, Channels: 2, BitsPerSample: 16, Frames: 4410}},
		{"stereo44k_s24_ext.wav", audio.Format{Encoding: audio.PCM, SampleRate: 44100, Channels: 2, BitsPerSample: 24, Extensible: true, Frames: 4410}},
		{"stereo44k_f32.wav", audio.Format{Encoding: audio.Float, SampleRate: 44100, Channels: 2, BitsPerSample: 32, Frames: 4410}},
		{"quad16k_s16_ext.wav", audio.Format{Encoding: audio.PCM, SampleRate: 16000, Channels: 4, BitsPerSample: 16, Extensible: true, Frames: 1600}},
		{"mono8k_mulaw.wav", audio.Format{Encoding: audio.MuLaw, SampleRate: 8000, Channels: 1, BitsPerSample: 8, Frames: 800}},
		{"mono16k_alaw.wav", audio.Format{Encoding: audio.ALaw, SampleRate: 16000, Channels: 1, BitsPerSample: 8, Frames: 1600}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("..", "testdata", "audio", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, err := audio.DecodeConfig(f)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.f {
				t.Errorf("got %+v, want %+v", got, tt.f)
			}
		})
	}
}

// Each committed variant is sox's conversion of 0.1 s of yes.wav (from
// 0.33 s) to another rate, layout and encoding; decoded and resampled back
// to 16 kHz it must match that excerpt. The stereo files hold the excerpt
// in the left channel and -0.5 times it in the right (mono: 0.25 times
// it); the quad file holds 1, 1, -1, 1 times it (mono: 0.5 times).
func TestTestdataVariantsMatchOriginal(t *testing.T) {
	yes, err := audio.ReadFile(filepath.Join("..", "testdata", "audio", "yes.wav"))
	if err != nil {
		t.Fatal(err)
	}
	ref := yes[5280 : 5280+1600]
	tests := []struct {
		file     string
		gain     float64
		minCorr  float64 // 8 kHz loses everything above 4 kHz
		gainTolD float64 // dB
	}{
		{"mono8k_u8.wav", 1, 0.99, 0.1},
		{"mono22k_s24.wav", 1, 0.999, 0.1},
		{"mono48k_s32.wav", 1, 0.999, 0.1},
		{"mono48k_f64.wav", 1, 0.999, 0.1},
		{"stereo44k_s16.wav", 0.25, 0.999, 0.1},
		{"stereo44k_s24_ext.wav", 0.25, 0.999, 0.1},
		{"stereo44k_f32.wav", 0.25, 0.999, 0.1},
		{"quad16k_s16_ext.wav", 0.5, 0.9999, 0.01},
		{"mono8k_mulaw.wav", 1, 0.99, 0.1},
		{"mono16k_alaw.wav", 1, 0.999, 0.1},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := audio.ReadFile(filepath.Join("..", "testdata", "audio", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(ref) {
				t.Fatalf("%d samples, want %d", len(got), len(ref))
			}
			// Leave out the edges, where the two resamplers see different
			// surroundings.
			a, b := got[64:len(got)-64], ref[64:len(ref)-64]
			var ab, bb, aa float64
			for i := range a {
				ab += float64(a[i]) * float64(b[i])
				aa += float64(a[i]) * float64(a[i])
				bb += float64(b[i]) * float64(b[i])
			}
			corr := ab / math.Sqrt(aa*bb)
			gain := ab / bb
			t.Logf("correlation %.5f, gain %.4f", corr, gain)
			if corr < tt.minCorr {
				t.Errorf("correlation with the original %.4f, want >= %v", corr, tt.minCorr)
			}
			if d := db(gain / tt.gain); math.Abs(d) > tt.gainTolD {
				t.Errorf("gain %.4f, want %v (%.2f dB off)", gain, tt.gain, d)
			}
		})
	}
}

// go-audio/wav, an independent decoder, agrees with ours on every
// committed PCM file: its integers, averaged over channels, scaled and
// resampled with Resample, equal what ReadFile returns.
func TestCrossCheckGoAudioWav(t *testing.T) {
	for _, name := range []string{"yes.wav", "mono8k_u8.wav", "mono22k_s24.wav", "mono48k_s32.wav", "stereo44k_s16.wav", "stereo44k_s24_ext.wav", "quad16k_s16_ext.wav"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("..", "testdata", "audio", name)
			got, err := audio.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			ref := goAudioDecode(t, path)
			if len(got) != len(ref) {
				t.Fatalf("%d samples, go-audio/wav gives %d", len(got), len(ref))
			}
			var worst float64
			for i := range got {
				worst = math.Max(worst, math.Abs(float64(got[i]-ref[i])))
			}
			if worst > 1e-6 {
				t.Errorf("differs from go-audio/wav by up to %g", worst)
			}
		})
	}
}

// goAudioDecode decodes path with go-audio/wav and converts it the way
// this package documents: mean of the channels, full scale 2^(bits-1)
// (8-bit unsigned around 128), resampled to 16 kHz.
func goAudioDecode(t *testing.T, path string) []float32 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d := wav.NewDecoder(f)
	buf, err := d.FullPCMBuffer()
	if err != nil {
		t.Fatal(err)
	}
	ch := buf.Format.NumChannels
	bits := int(d.SampleBitDepth())
	// go-audio/wav decodes the pad byte after an odd data chunk as one more
	// frame (mono22k_s24.wav); keep the frames the header declares.
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	format, err := audio.DecodeConfig(f)
	if err != nil {
		t.Fatal(err)
	}
	mono := make([]float32, format.Frames)
	for i := range mono {
		var sum float64
		for c := 0; c < ch; c++ {
			v := buf.Data[i*ch+c]
			if bits == 8 {
				v -= 128
			}
			sum += float64(v) / math.Exp2(float64(bits-1))
		}
		mono[i] = float32(sum / float64(ch))
	}
	return audio.Resample(nil, mono, buf.Format.SampleRate, audio.Rate)
}

// Files written by go-audio/wav's encoder, at every PCM depth, decode to
// what was written.
func TestDecodeGoAudioEncoded(t *testing.T) {
	for _, bits := range []int{8, 16, 24, 32} {
		t.Run(fmt.Sprint(bits), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "x.wav")
			f, err := os.Create(path)
			if err != nil {
				t.Fatal(err)
			}
			const n = 800
			data := make([]int, 2*n)
			full := math.Exp2(float64(bits - 1))
			want := make([]float32, n)
			for i := 0; i < n; i++ {
				v := int(full * 0.5 * math.Sin(float64(i)/10))
				data[2*i], data[2*i+1] = v, -v/2
				if bits == 8 {
					data[2*i], data[2*i+1] = v+128, -v/2+128
				}
				want[i] = float32((float64(v) + float64(-v/2)) / 2 / full)
			}
			enc := wav.NewEncoder(f, 16000, bits, 2, 1)
			if err := enc.Write(&goaudio.IntBuffer{Data: data, Format: &goaudio.Format{NumChannels: 2, SampleRate: 16000}, SourceBitDepth: bits}); err != nil {
				t.Fatal(err)
			}
			if err := enc.Close(); err != nil {
				t.Fatal(err)
			}
			f.Close()
			got, err := audio.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != n {
				t.Fatalf("%d samples, want %d", len(got), n)
			}
			for i := range got {
				if math.Abs(float64(got[i]-want[i])) > 1e-7 {
					t.Fatalf("sample %d: %v, want %v", i, got[i], want[i])
				}
			}
		})
	}
}

// A pipe is an *os.File whose Seek fails: a header claiming 4 GB read
// through one still costs only what the pipe carries.
func TestDecodePipeClaims4GB(t *testing.T) {
	file := riff(chunk{"fmt ", fmtBody(1, 2, 48000, 16), -1}, chunk{"data", pcm16(1, 2, 3, 4), 0xFFFFFFF0})
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		pw.Write(file)
		pw.Close()
	}()
	defer pr.Close()
	before := allocated()
	_, err = audio.Decode(pr)
	check(t, "Decode", err, "data chunk", false, true)
	if n := allocated() - before; n > 1<<20 {
		t.Errorf("decoding a %d-byte pipe allocated %d bytes", len(file), n)
	}
	// And the streaming Reader, which does not buffer.
	pr2, pw2, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		pw2.Write(file)
		pw2.Close()
	}()
	defer pr2.Close()
	before = allocated()
	r, err := audio.NewReader(pr2)
	if err == nil {
		_, err = io.Copy(io.Discard, readerFunc(r.Read))
	}
	check(t, "Reader", err, "data chunk", false, true)
	if n := allocated() - before; n > 1<<20 {
		t.Errorf("streaming a %d-byte pipe allocated %d bytes", len(file), n)
	}
}

// TestMixDownClamp: channels are averaged, and every sample lands in
// [-1, 1) with NaN as silence, as the readers keep them.
func TestMixDownClamp(t *testing.T) {
	nan := float32(math.NaN())
	dst := make([]float32, 3)
	audio.MixDown(dst, []float32{0.5, -0.25, 1, 1, nan, 0}, 2)
	// A NaN channel makes the frame's sum NaN: silence.
	want := []float32{0.125, float32(1 - 1.0/(1<<24)), 0}
	for i := range want {
		if dst[i] != want[i] {
			t.Errorf("stereo frame %d: %v, want %v", i, dst[i], want[i])
		}
	}
	audio.MixDown(dst, []float32{-3, 2, nan}, 1)
	want = []float32{-1, float32(1 - 1.0/(1<<24)), 0}
	for i := range want {
		if dst[i] != want[i] {
			t.Errorf("mono sample %d: %v, want %v", i, dst[i], want[i])
		}
	}
	s := []float32{1.2, -1.5, 0.3, 1}
	audio.Clamp(s)
	want = []float32{float32(1 - 1.0/(1<<24)), -1, 0.3, float32(1 - 1.0/(1<<24))}
	for i := range want {
		if s[i] != want[i] {
			t.Errorf("Clamp sample %d: %v, want %v", i, s[i], want[i])
		}
	}
}
