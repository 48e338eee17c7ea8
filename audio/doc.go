// Package audio is listen's only way in for sound. Everything it returns is
// mono float32 at Rate (16 kHz) with values in [-1, 1): WAV files of any
// common layout, decoded whole (ReadFile, Decode) or streamed in constant
// memory (NewReader), or played as a live Source (OpenFileSource). It also
// writes 16-bit PCM WAV files (WriteFile, Encode) and resamples
// (Resampler, Resample). Live microphone input is package audio/mic's,
// the only code of the module that needs cgo.
//
// # WAV decoding
//
// The decoder is this package's own. It reads PCM 8 (unsigned), 16, 24 and
// 32-bit, IEEE float 32 and 64-bit and G.711 A-law and µ-law (telephone
// recordings), plain or WAVE_FORMAT_EXTENSIBLE; chunks
// may come in any order (LIST, fact and unknown chunks are skipped, odd
// sizes padded), and several channels are averaged to mono. Float samples
// beyond ±1 are clamped and NaN becomes 0. Bad input returns a
// *FormatError naming the problem (a cut-short file also wraps
// io.ErrUnexpectedEOF); valid WAV features it does not decode (compressed
// encodings, rates outside 4 kHz to 768 kHz) return an UnsupportedError.
// Nothing is ever allocated from a
// size a header claims: sample data are read in fixed 4096-frame chunks,
// so a header claiming 4 GB costs no more memory than the file really
// holds. Given an io.Seeker (an *os.File), a data chunk that runs past the
// end of the file is reported before any sample is decoded.
//
// Why not github.com/go-audio/wav underneath: its decoder returns (0, nil)
// at the end of the data instead of io.EOF, reads header fields with bare
// r.Read calls (so a short read is silently misparsed), and sizes buffers
// from header fields. go-audio/wav is still used where it does real work:
// the tests encode 8, 16, 24 and 32-bit files with its encoder and decode
// every test file with its decoder as an independent cross-check of this
// one (see wav_test.go).
//
// # Resampling
//
// Resampler is a polyphase Kaiser-windowed-sinc low-pass (32 zero crossings
// each side, about 80 dB stopband) with its cutoff at 0.9 of the lower
// Nyquist frequency: at 44.1 kHz to 16 kHz the passband is flat to 7.2 kHz
// (a 1 kHz tone keeps its level within 0.01 dB) and a 10 kHz tone, which
// would alias to 6 kHz, is attenuated by more than 60 dB. Its output is
// aligned with its input (no filter delay) and does not depend on how the
// input is split between calls.
//
// # Capture
//
// A Source delivers audio as it comes: a microphone (package audio/mic,
// which needs cgo and PortAudio) or a file at a microphone's pace
// (OpenFileSource, for running and measuring a listener without a sound
// card). This package is pure Go: it builds and runs with CGO_ENABLED=0
// and links no C library.
package audio
