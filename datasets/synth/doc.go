// Package synth makes training clips for spoken commands from their text
// alone, by running the speech synthesisers installed on the machine:
// espeak-ng and flite (Debian packages espeak-ng and flite). A user gets a
// first working model for commands of their own before recording anything,
// then improves it with a few recordings of their own voice.
//
// Generate speaks every phrase N times, each time with another voice
// (espeak-ng's English accents times its voice variants m1..m7, f1..f4;
// flite's kal, kal16, awb, rms and slt), speaking rate and pitch, trims the
// synthesiser's silence, and then varies each clip the way real recordings
// vary: a slight change of speed (resampling, which also shifts the pitch and
// the formants like a longer or shorter vocal tract), its level, its place in
// the window, and background noise mixed in at a random signal-to-noise
// ratio, from the recordings in a noise folder (Speech Commands'
// _background_noise_) or, without one, generated white, pink and brown noise.
//
// Units: audio is 16 kHz mono float32 in [-1, 1) (audio.Rate); levels are
// dB relative to full scale (peak), signal-to-noise ratios dB of the
// speech's active level (ActiveLevel) over the noise's RMS, durations
// time.Duration or samples where the name says so.
//
// # Layout
//
// Clips are written in the dataset layout that datasets.Scan reads:
//
//	DIR/labels.txt                          label TAB phrase, one a line
//	DIR/synth.tsv                           one row per clip: voice, prosody, variation, durations
//	DIR/<label>/<engine>_<voice>_nohash_<k>.wav
//
// The label is the phrase in lower case with punctuation dropped and spaces
// turned into underscores (Label). The part of a file name before "_nohash_"
// is the speaker, as in Speech Commands, so a split keeps all the clips of
// one synthetic voice (engine_voice, e.g. "espeak-ng_en-us-m3") on one side;
// the voice part has no underscore, so datasets.Speaker (the last
// "_"-separated field, "en-us-m3") and datasets.HashName (all of it) both
// name one voice. flite's kal and kal16 are the same recorded speaker and
// share the speaker id "flite_kal".
//
// # Window
//
// Every clip of one run has the same length, the window: the phrase's
// natural length padded with silence plus noise. By default the window is the
// longest trimmed phrase of the run plus 0.25 s, rounded up to 0.1 s, at
// least 1 s and at most MaxWindow (3 s), so a trainer reading the clips gets
// the window it should store in the model. A rendering longer than the window
// is sped up by resampling to fit if that takes at most MaxSpeedUp (1.25x);
// beyond that Generate fails naming the phrase. synth.tsv records each
// clip's speech duration so a trainer can choose another window.
//
// # Determinism and cost
//
// The output depends only on the options, the seed and the synthesisers'
// versions: each clip draws its voice, prosody and variation from a
// generator seeded by (Seed, clip index), whatever the order in which the
// workers finish. The cost is the synthesisers' processes (a few
// milliseconds to tens of milliseconds each), so Generate runs one per core:
// about 20 ms of CPU per clip in all (docs/experiments.md, "Synthesised
// speech", has the measurements).
// The trimmed renderings of a run are held in memory as 16-bit samples until
// the window is known: about 32 KB per second of speech.
//
// # Other words
//
// PickOthers chooses other words and short phrases for a model to learn as
// _unknown_, from a pronouncing dictionary (ReadLexicon; festlex-cmu's CMU
// dictionary by default, DefaultLexicon): a share of them the words nearest
// in sound to each command (Similarity over ARPAbet phones), the rest drawn
// at random, never a command nor a homophone of one (Homophone: "know" is
// "no" as heard). Generate then speaks them with Options.EveryVoice, so the
// voices take turns across the many one-clip phrases, and WriteOthers lists
// them next to the clips.
package synth
