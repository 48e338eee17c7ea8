package audio_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/mewkiz/flac"
	"github.com/mewkiz/flac/frame"
	"github.com/mewkiz/flac/meta"

	"github.com/listen-go/listen/audio"
)

// flacStream describes a FLAC stream for encodeFLAC to write.
type flacStream struct {
	rate, bits int
	samples    [][]int32 // one slice per channel
	block      int       // samples per frame; 0 means 4096
	assign     frame.Channels
	hdrRate    int   // the sample rate frame headers state; 0 means rate
	total      int64 // STREAMINFO's sample count; 0 means the real one, -1 unknown
}

// encodeFLAC writes s with mewkiz/flac's encoder, an encoder independent
// of the reference one that made the committed files.
func encodeFLAC(t testing.TB, s flacStream) []byte {
	t.Helper()
	ch, n := len(s.samples), len(s.samples[0])
	block := s.block
	if block == 0 {
		block = 4096
	}
	total := uint64(n)
	switch {
	case s.total < 0:
		total = 0
	case s.total > 0:
		total = uint64(s.total)
	}
	hdrRate := s.hdrRate
	if hdrRate == 0 {
		hdrRate = s.rate
	}
	assign := s.assign
	if assign == 0 {
		assign = frame.Channels(ch - 1)
	}
	var buf bytes.Buffer
	info := &meta.StreamInfo{BlockSizeMin: uint16(min(block, n)), BlockSizeMax: uint16(block),
		SampleRate: uint32(s.rate), NChannels: uint8(ch), BitsPerSample: uint8(s.bits), NSamples: total}
	enc, err := flac.NewEncoder(&buf, info)
	if err != nil {
		t.Fatal(err)
	}
	for off := 0; off < n; off += block {
		m := min(block, n-off)
		f := &frame.Frame{Header: frame.Header{HasFixedBlockSize: true, BlockSize: uint16(m),
			SampleRate: uint32(hdrRate), Channels: assign, BitsPerSample: uint8(s.bits)}}
		for c := range ch {
			sub := append([]int32(nil), s.samples[c][off:off+m]...)
			f.Subframes = append(f.Subframes, &frame.Subframe{SubHeader: frame.SubHeader{Pred: frame.PredVerbatim}, Samples: sub, NSamples: m})
		}
		if err := enc.WriteFrame(f); err != nil {
			t.Fatal(err)
		}
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// wavTwin is the WAV file that holds what s holds: integer PCM in a
// container of 8, 16 or 24 bits (12 and 20-bit samples shifted up into
// 16 and 24, which scales them exactly as their own width does).
func wavTwin(s flacStream) []byte {
	ch, n := len(s.samples), len(s.samples[0])
	container := (s.bits + 7) / 8 * 8
	shift := container - s.bits
	var data []byte
	for i := range n {
		for c := range ch {
			v := s.samples[c][i] << shift
			switch container {
			case 8:
				data = append(data, byte(v+128))
			case 16:
				data = binary.LittleEndian.AppendUint16(data, uint16(v))
			case 24:
				data = append(data, byte(v), byte(v>>8), byte(v>>16))
			}
		}
	}
	return riff(chunk{"fmt ", fmtBody(1, ch, s.rate, container), -1}, chunk{"data", data, -1})
}

// noise is n samples of each of ch channels, uniform over bits, with a
// slow tone so that the predictors have something to predict.
func noise(seed uint64, ch, n, bits int) [][]int32 {
	rng := rand.New(rand.NewPCG(seed, 1))
	full := int32(1) << (bits - 1)
	out := make([][]int32, ch)
	for c := range out {
		out[c] = make([]int32, n)
		for i := range out[c] {
			v := 0.5*math.Sin(float64(i)/7+float64(c)) + 0.4*(rng.Float64()*2-1)
			out[c][i] = min(max(int32(v*float64(full)), -full), full-1)
		}
	}
	return out
}

// A FLAC stream decodes to exactly the samples of the WAV file that holds
// the same integers, whatever its rate, width and channels: both go
// through the same mixdown and resampler.
func TestFLACMatchesWAVTwin(t *testing.T) {
	for _, tt := range []struct {
		rate, bits, ch, n int
		assign            frame.Channels
	}{
		{16000, 16, 1, 5000, 0},
		{8000, 8, 1, 3000, 0},
		{22050, 24, 1, 3000, 0},
		{24000, 16, 1, 3000, 0}, // a rate code mewkiz would log
		{176400, 16, 1, 9000, 0},
		{44100, 16, 2, 4500, frame.ChannelsMidSide},
		{48000, 24, 2, 4500, frame.ChannelsLeftSide},
		{32000, 16, 2, 4500, frame.ChannelsSideRight},
		{11025, 12, 1, 2000, 0}, // a rate given in Hz, 12-bit samples
		{16000, 20, 3, 2000, 0},
		{96000, 16, 6, 2000, 0},
		{16000, 16, 8, 2000, 0},
	} {
		name := fmt.Sprintf("%dHz-%dbit-%dch-%d", tt.rate, tt.bits, tt.ch, tt.assign)
		t.Run(name, func(t *testing.T) {
			s := flacStream{rate: tt.rate, bits: tt.bits, samples: noise(uint64(tt.rate+tt.bits), tt.ch, tt.n, tt.bits), block: 1152, assign: tt.assign}
			file := encodeFLAC(t, s)
			want, err := audio.Decode(bytes.NewReader(wavTwin(s)))
			if err != nil {
				t.Fatal(err)
			}
			got, err := audio.Decode(bytes.NewReader(file))
			if err != nil {
				t.Fatal(err)
			}
			if !equal(got, want) {
				t.Fatalf("FLAC gives %d samples that differ from its WAV twin's %d", len(got), len(want))
			}
			format, err := audio.DecodeConfig(bytes.NewReader(file))
			if err != nil {
				t.Fatal(err)
			}
			if w := (audio.Format{Encoding: audio.FLAC, SampleRate: tt.rate, Channels: tt.ch, BitsPerSample: tt.bits, Frames: int64(tt.n)}); format != w {
				t.Errorf("DecodeConfig: %+v, want %+v", format, w)
			}
		})
	}
}

// The committed FLAC files were made from the committed WAV files by the
// reference encoder (flac 1.4.2, see testdata/README.md); they decode to
// exactly the same samples, and stream to them too.
func TestTestdataFLACMatchesWAV(t *testing.T) {
	dir := filepath.Join("..", "testdata", "audio")
	for _, tt := range []struct {
		flac, wav string
		f         audio.Format
	}{
		{"yes.flac", "yes.wav", audio.Format{Encoding: audio.FLAC, SampleRate: 16000, Channels: 1, BitsPerSample: 16, Frames: 16000}},
		{"mono8k_s8.flac", "mono8k_u8.wav", audio.Format{Encoding: audio.FLAC, SampleRate: 8000, Channels: 1, BitsPerSample: 8, Frames: 800}},
		{"mono22k_s24.flac", "mono22k_s24.wav", audio.Format{Encoding: audio.FLAC, SampleRate: 22050, Channels: 1, BitsPerSample: 24, Frames: 2205}},
		{"mono24k_s16.flac", "mono24k_s16.wav", audio.Format{Encoding: audio.FLAC, SampleRate: 24000, Channels: 1, BitsPerSample: 16, Frames: 2400}},
		{"stereo44k_s16.flac", "stereo44k_s16.wav", audio.Format{Encoding: audio.FLAC, SampleRate: 44100, Channels: 2, BitsPerSample: 16, Frames: 4410}},
		{"stereo44k_s24.flac", "stereo44k_s24_ext.wav", audio.Format{Encoding: audio.FLAC, SampleRate: 44100, Channels: 2, BitsPerSample: 24, Frames: 4410}},
		{"quad16k_s16.flac", "quad16k_s16_ext.wav", audio.Format{Encoding: audio.FLAC, SampleRate: 16000, Channels: 4, BitsPerSample: 16, Frames: 1600}},
	} {
		t.Run(tt.flac, func(t *testing.T) {
			path := filepath.Join(dir, tt.flac)
			want, err := audio.ReadFile(filepath.Join(dir, tt.wav))
			if err != nil {
				t.Fatal(err)
			}
			got, err := audio.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !equal(got, want) {
				t.Fatalf("%d samples that differ from the WAV file's %d", len(got), len(want))
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			format, err := audio.DecodeConfig(bytes.NewReader(b))
			if err != nil || format != tt.f {
				t.Errorf("DecodeConfig: %+v, %v; want %+v", format, err, tt.f)
			}
			// Streaming, in odd-sized reads, through a reader that cannot
			// seek, gives the same samples.
			r, err := audio.NewReader(unseekable{bytes.NewReader(b)})
			if err != nil {
				t.Fatal(err)
			}
			if r.Format() != tt.f {
				t.Errorf("Reader.Format: %+v, want %+v", r.Format(), tt.f)
			}
			var streamed []float32
			buf := make([]float32, 777)
			for {
				n, err := r.Read(buf)
				streamed = append(streamed, buf[:n]...)
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			if !equal(streamed, want) {
				t.Fatalf("streaming gives %d samples that differ from the WAV file's %d", len(streamed), len(want))
			}
		})
	}
}

// mewkiz/flac logs a line for every frame at 24 kHz or 176.4 kHz; the
// decoder keeps it from doing so, and still checks those frames' CRCs.
func TestFLACDecodingPrintsNothing(t *testing.T) {
	var logged bytes.Buffer
	log.SetOutput(&logged)
	defer log.SetOutput(os.Stderr)
	for _, rate := range []int{24000, 176400} {
		file := encodeFLAC(t, flacStream{rate: rate, bits: 16, samples: noise(3, 1, 10000, 16), block: 1024})
		if _, err := audio.Decode(bytes.NewReader(file)); err != nil {
			t.Errorf("%d Hz: %v", rate, err)
		}
		// The last byte is the last frame's CRC-16: a changed one is found.
		file[len(file)-1] ^= 1
		_, err := audio.Decode(bytes.NewReader(file))
		check(t, fmt.Sprint(rate, " Hz with a bad CRC-16"), err, "frame 9: CRC-16 checksum mismatch", false, false)
	}
	if _, err := audio.ReadFile(filepath.Join("..", "testdata", "audio", "mono24k_s16.flac")); err != nil {
		t.Error(err)
	}
	if logged.Len() > 0 {
		t.Errorf("decoding logged %q", logged.String())
	}
}

// A stream whose STREAMINFO does not state its length is read to its end;
// ReadFileMax reads it to find out whether it is long.
func TestFLACUnknownLength(t *testing.T) {
	s := flacStream{rate: 16000, bits: 16, samples: noise(5, 1, 20000, 16), total: -1}
	file := encodeFLAC(t, s)
	got, err := audio.Decode(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	want, err := audio.Decode(bytes.NewReader(wavTwin(s)))
	if err != nil {
		t.Fatal(err)
	}
	if !equal(got, want) {
		t.Fatalf("%d samples that differ from the WAV twin's %d", len(got), len(want))
	}
	path := filepath.Join(t.TempDir(), "x.flac")
	if err := os.WriteFile(path, file, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		max  int
		n    int
		long bool
	}{{16000, 0, true}, {19997, 0, true}, {19998, 19998, false}, {20000, 20000, false}, {30000, 20000, false}} {
		samples, long, err := audio.ReadFileMax(path, tt.max)
		if err != nil || long != tt.long || len(samples) != tt.n {
			t.Errorf("ReadFileMax(%d): %d samples, long %v, %v; want %d, %v", tt.max, len(samples), long, err, tt.n, tt.long)
		}
		if !long && !equal(samples, want[:len(samples)]) {
			t.Errorf("ReadFileMax(%d): samples differ", tt.max)
		}
	}
}

// Content, not the name, decides the format.
func TestFormatByContent(t *testing.T) {
	dir := t.TempDir()
	yes := filepath.Join("..", "testdata", "audio", "yes")
	for _, tt := range []struct{ from, to string }{{yes + ".flac", "flac.wav"}, {yes + ".wav", "wav.flac"}, {yes + ".flac", "noext"}} {
		b, err := os.ReadFile(tt.from)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, tt.to)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if x, err := audio.ReadFile(p); err != nil || len(x) != 16000 {
			t.Errorf("%s: %d samples, %v", tt.to, len(x), err)
		}
	}
}

// A FLAC stream is streamed a frame at a time: ten minutes of it keep the
// heap within what a few frames take. (mewkiz/flac allocates each frame's
// samples afresh, so this counts the memory in use, not allocations.)
func TestFLACReaderConstantMemory(t *testing.T) {
	const seconds, rate = 600, 16000
	s := flacStream{rate: rate, bits: 16, samples: noise(7, 1, 4096*4, 16), total: seconds * rate}
	// seconds of audio: the frames of s, repeated. Frame numbers repeat
	// with them, which neither decoder checks.
	file := encodeFLAC(t, s)
	frames := file[bytes.Index(file, []byte{0xFF, 0xF8}):]
	head := file[:len(file)-len(frames)]
	src := &repeater{head: head, body: frames, left: int64(seconds*rate/(4*4096)+1) * int64(len(frames))}
	r, err := audio.NewReader(src)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]float32, 1600)
	var total int64
	var peak uint64
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	base := m.HeapAlloc
	for i := 0; ; i++ {
		n, err := r.Read(buf)
		total += int64(n)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if i%500 == 0 {
			runtime.GC()
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapAlloc)
		}
	}
	if total != seconds*audio.Rate {
		t.Errorf("read %d samples, want %d", total, seconds*audio.Rate)
	}
	if peak > base+1<<20 {
		t.Errorf("heap grew by %d bytes while streaming %d s", peak-base, seconds)
	}
}

// repeater is head, then body over and over, left bytes of it.
type repeater struct {
	head, body []byte
	off        int
	left       int64
}

func (r *repeater) Read(p []byte) (int, error) {
	if len(r.head) > 0 {
		n := copy(p, r.head)
		r.head = r.head[n:]
		return n, nil
	}
	if r.left == 0 {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), r.left)]
	n := copy(p, r.body[r.off:])
	r.off = (r.off + n) % len(r.body)
	r.left -= int64(n)
	return n, nil
}

// BenchmarkDecodeFLAC decodes 30 s of speech-like audio (yes.wav, thirty
// times, each at another gain) from FLAC and from WAV: the pair gives the
// cost of FLAC over WAV. The FLAC is mewkiz/flac's encoder's (fixed
// predictors); the reference encoder's LPC costs about the same to decode.
func BenchmarkDecodeFLAC(b *testing.B) {
	const seconds = 30
	yes, err := audio.ReadFile(filepath.Join("..", "testdata", "audio", "yes.wav"))
	if err != nil {
		b.Fatal(err)
	}
	pcm := make([]int32, 0, seconds*len(yes))
	for k := range seconds {
		g := 0.5 + 0.5*float64(k)/seconds
		for _, v := range yes {
			pcm = append(pcm, int32(math.Round(float64(v)*g*32767)))
		}
	}
	s := flacStream{rate: audio.Rate, bits: 16, samples: [][]int32{pcm}}
	for _, tt := range []struct {
		name string
		file []byte
	}{{"wav", wavTwin(s)}, {"flac", encodeFLAC(b, s)}} {
		b.Run(tt.name, func(b *testing.B) {
			b.SetBytes(int64(len(tt.file)))
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				if _, err := audio.Decode(bytes.NewReader(tt.file)); err != nil {
					b.Fatal(err)
				}
			}
			reportRealtime(b, seconds*b.N, cpuTime()-cpu)
		})
	}
}

// smallFLAC is 300 samples of 16-bit mono at 16 kHz in frames of 200 and
// 100, STREAMINFO changed by info when it is not nil.
func smallFLAC(t testing.TB, rate int, info func(si []byte)) []byte {
	b := encodeFLAC(t, flacStream{rate: rate, bits: 16, samples: noise(11, 1, 300, 16), block: 200})
	if info != nil {
		info(b[8:42])
	}
	return b
}

// setInfo packs a STREAMINFO's rate, channels, bits and sample count.
func setInfo(rate, ch, bits int, total int64) func(si []byte) {
	return func(si []byte) {
		binary.BigEndian.PutUint64(si[10:], uint64(rate)<<44|uint64(ch-1)<<41|uint64(bits-1)<<36|uint64(total))
	}
}

// flacBlock is a metadata block header.
func flacBlock(last bool, typ byte, size int) []byte {
	b := []byte{typ, byte(size >> 16), byte(size >> 8), byte(size)}
	if last {
		b[0] |= 0x80
	}
	return b
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// brokenCase is a bad input, its file name in testdata/audio/broken and
// what the error must be: problem is a substring of it, unsupported says
// whether it is an UnsupportedError (else a *FormatError), unexpectedEOF
// whether it wraps io.ErrUnexpectedEOF.
type brokenCase struct {
	name          string
	file          []byte
	problem       string
	unsupported   bool
	unexpectedEOF bool
}

// brokenFLAC returns the bad FLAC inputs kept in testdata/audio/broken
// (rewrite them with -update), as brokenFiles are the bad WAV ones; they
// seed FuzzDecode too.
func brokenFLAC(t testing.TB) []brokenCase {
	ok := smallFLAC(t, 16000, nil)
	info := ok[4:42]                                        // the STREAMINFO block, header and all
	notLast := append([]byte{info[0] &^ 0x80}, info[1:]...) // the same, not last
	frames := ok[42:]
	at24k := encodeFLAC(t, flacStream{rate: 24000, bits: 16, samples: noise(11, 1, 300, 16), block: 200})
	with := func(f func(b []byte)) []byte {
		b := slices.Clone(ok)
		f(b)
		return b
	}
	return []brokenCase{
		{"flac-truncated-magic", []byte("fLa"), "truncated header", false, true},
		{"flac-no-metadata", []byte("fLaC"), "truncated metadata block header", false, true},
		{"flac-first-not-streaminfo", cat([]byte("fLaC"), flacBlock(false, 4, 0), info), "first metadata block is VORBIS_COMMENT, not STREAMINFO", false, false},
		{"flac-short-streaminfo", cat([]byte("fLaC"), flacBlock(true, 0, 20), info[4:24]), "STREAMINFO of 20 bytes, want 34", false, false},
		{"flac-truncated-streaminfo", ok[:30], "truncated STREAMINFO", false, true},
		{"flac-two-streaminfo", cat([]byte("fLaC"), notLast, info, frames), "two STREAMINFO blocks", false, false},
		{"flac-invalid-block-type", cat([]byte("fLaC"), notLast, flacBlock(true, 127, 0), frames), "invalid type 127", false, false},
		{"flac-padding-claims-16mb", cat([]byte("fLaC"), notLast, flacBlock(true, 1, 1<<24-1), frames), "truncated PADDING block", false, true},
		{"flac-zero-rate", with(func(b []byte) { setInfo(0, 1, 16, 300)(b[8:]) }), "zero sample rate", false, false},
		{"flac-3bit", with(func(b []byte) { setInfo(16000, 1, 3, 300)(b[8:]) }), "3 bits per sample", false, false},
		{"flac-rate-too-high", with(func(b []byte) { setInfo(1000000, 1, 16, 300)(b[8:]) }), "sample rate 1000000 Hz", true, false},
		{"flac-rate-too-low", with(func(b []byte) { setInfo(1000, 1, 16, 300)(b[8:]) }), "sample rate 1000 Hz", true, false},
		{"flac-32bit", with(func(b []byte) { setInfo(16000, 1, 32, 300)(b[8:]) }), "32-bit samples", true, false},
		{"flac-no-frames", with(func(b []byte) { setInfo(16000, 1, 16, 0)(b[8:]) })[:42], "no audio frames", false, false},
		{"flac-cut-at-frame", with(func(b []byte) { setInfo(16000, 1, 16, 4000)(b[8:]) }), "stream cut short", false, true},
		{"flac-truncated-frame", ok[:len(ok)-50], "cut short", false, true},
		{"flac-bad-sync", cat(ok[:42], []byte("this is not a frame")), "frame 0: invalid sync-code", false, false},
		{"flac-bad-crc16", with(func(b []byte) { b[len(b)-1] ^= 0x40 }), "frame 1: CRC-16 checksum mismatch", false, false},
		{"flac-channels-mismatch", with(func(b []byte) { setInfo(16000, 2, 16, 300)(b[8:]) }), "frame 0 has 1 channels, STREAMINFO 2", false, false},
		{"flac-rate-mismatch", with(func(b []byte) { setInfo(44100, 1, 16, 300)(b[8:]) }), "frame 0 is at 16000 Hz, STREAMINFO says 44100", false, false},
		{"flac-bits-mismatch", with(func(b []byte) { setInfo(16000, 1, 24, 300)(b[8:]) }), "frame 0 has 16-bit samples, STREAMINFO says 24", false, false},
		{"flac-24k-rate-mismatch", func() []byte {
			b := slices.Clone(at24k)
			setInfo(16000, 1, 16, 300)(b[8:])
			return b
		}(), "frame 0 is at 24000 Hz, STREAMINFO says 16000", false, false},
		{"flac-24k-bad-crc8", func() []byte {
			b := slices.Clone(at24k)
			b[42+5] ^= 1 // frame 0's header: sync (2), codes (2), number (1), CRC-8
			return b
		}(), "frame 0: CRC-8 checksum mismatch", false, false},
		{"flac-24k-bad-crc16", func() []byte {
			b := slices.Clone(at24k)
			b[len(b)-1] ^= 0x40
			return b
		}(), "frame 1: CRC-16 checksum mismatch", false, false},
	}
}

func TestBadFLAC(t *testing.T) {
	dir := filepath.Join("..", "testdata", "audio", "broken")
	for _, tt := range brokenFLAC(t) {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name+".flac")
			if *update {
				if err := os.WriteFile(path, tt.file, 0o644); err != nil {
					t.Fatal(err)
				}
			}
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
			var fe *audio.FormatError
			var ue audio.UnsupportedError
			if errors.As(err, &fe) && fe.Codec != "FLAC" && tt.name != "flac-truncated-magic" || errors.As(err, &ue) && ue.Codec != "FLAC" {
				t.Errorf("%v: not reported as a FLAC error", err)
			}
		})
	}
}

// A seekable FLAC file cut anywhere fails at NewReader, before a caller
// has started on it, as a WAV file cut short does: its end is checked
// against STREAMINFO and its first frame decoded.
func TestFLACCutShortFailsAtOpen(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "testdata", "audio", "yes.flac"))
	if err != nil {
		t.Fatal(err)
	}
	for n := 1; n < len(b); n += 7 {
		_, err := audio.NewReader(bytes.NewReader(b[:n]))
		var fe *audio.FormatError
		if !errors.As(err, &fe) || !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("cut after %d of %d bytes: %v, want a *FormatError wrapping io.ErrUnexpectedEOF", n, len(b), err)
		}
	}
}
