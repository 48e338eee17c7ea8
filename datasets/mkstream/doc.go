// Package mkstream builds long test recordings for streaming evaluation, the
// way TensorFlow's generate_streaming_test_wav does: clips of the wanted
// words and of other words from a dataset folder, separated by random gaps,
// at random volumes on a bed of background noise, with the ground truth that
// lists each clip at its start (the other words as _unknown_), in the format
// of detect.ReadTruth. `listen mkstream` is a thin command over Make.
//
// Unlike the packages of the pipeline, this one touches files: it reads the
// clips and noise recordings of a folder and writes the recording (a 16 kHz
// 16-bit WAV file) and its truth file, each to a temporary file renamed into
// place (internal/atomicfile), after checking that both can be written
// before any work starts.
//
// # Layout of a recording
//
// From the start: a gap, then a clip, then a gap, and so on while clips fit
// in Options.Duration. A clip is an unknown word with probability
// Options.UnknownPct percent, else a wanted word: the wanted words come in
// shuffled rounds (each word once a round), so their counts differ by at
// most one. Each word's clips are drawn without replacement in a shuffled
// order, reshuffled when all have been used. Gaps are uniform in
// [GapMin, GapMax]; clip starts are whole milliseconds, as the truth file
// records them. Each clip's gain is uniform in [-WordGainDB, 0] dB. The
// noise bed is segments of 2 to 10 s cut from random places in the noise
// recordings, each at a gain uniform in [0, NoiseVolume], joined by 50 ms
// crossfades so that no click marks a boundary. Everything random comes
// from one generator seeded with Options.Seed: the same seed and clips give
// the same recording, sample for sample.
//
// # Folders
//
// Options.Data holds one folder of WAV clips per word. The folders of the
// wanted words give their clips; every other folder, except those whose
// name starts with "_" (_silence_, _background_noise_) but including
// _unknown_, gives unknown words. Clips that cannot be read are reported
// through Options.Warn and replaced by another draw; Make fails only when
// every clip of a wanted word is unreadable.
package mkstream
