// Package audio is listen's only way in for sound. Everything it returns is
// mono float32 at Rate (16 kHz) with values in [-1, 1): WAV files of any
// common layout and FLAC files, decoded whole (ReadFile, Decode) or
// streamed in constant memory (NewReader), or played as a live Source
// (OpenFileSource); Files lists the ones in a folder. It also
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
// # FLAC decoding
//
// The same entry points read FLAC (the format of LibriSpeech, VCTK and
// most corpora that are not WAV): the first four bytes ("RIFF" or "fLaC"),
// not the file's name, say which a stream is, and DecodeConfig's Format
// has Encoding FLAC. Any rate from 4 kHz to 768 kHz is resampled, 1 to 8
// channels are averaged and samples of 4 to 24 bits scaled, through the
// same mixdown and resampler as WAV: a FLAC file decodes to exactly the
// samples of the WAV file it was made from. 32-bit samples return an
// UnsupportedError. Frames are decoded one at a time by
// github.com/mewkiz/flac (pure Go); its metadata parser is not used, as it
// sizes buffers from the lengths that blocks claim: this package reads
// STREAMINFO itself and reads through the other blocks in constant memory.
// mewkiz allocates each frame's samples anew (at most 65535 per channel,
// whatever a header claims), so streaming stays in constant memory but
// decoding allocates. It decodes 16 kHz mono at about 600 times real time
// on one core, the reference encoder's files as mewkiz's own: some 15
// times slower than WAV (BenchmarkDecodeFLAC), an hour in six seconds.
//
// Errors are those of WAV, with Codec "FLAC": a *FormatError for a bad
// stream ("frame 3: CRC-16 checksum mismatch", "frame 1 has 2 channels,
// STREAMINFO 1"), wrapping io.ErrUnexpectedEOF when it is cut short. A
// stream that states its length ends there, and one that stops before it
// is an error. Given an io.Seeker, NewReader checks the stream's last
// whole frame against that length and decodes the first frame, so that a
// file cut short fails before any sample is read. mewkiz logs a line for
// every frame at 24 kHz or 176.4 kHz; those frames reach it with the code
// for "the rate in STREAMINFO" and their CRC-16 is checked here, so that
// nothing is printed. Fuzzing (FuzzDecodeFLAC) found no input that makes
// mewkiz panic, so there is no recover around it.
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
