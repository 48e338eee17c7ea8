// Package datasets turns a folder of WAV clips into labelled, split,
// augmented batches of MFCC features for training and evaluation, and
// downloads Google's Speech Commands dataset.
//
// # Folders
//
// Scan(dir, opt) reads the folder structure (no audio but the noise
// recordings) and detects one of three layouts:
//
//   - SpeechCommands, the dataset's own: one folder per word, clips named
//     SPEAKER_nohash_N.wav, _background_noise_/ with long noise recordings,
//     and optionally testing_list.txt and validation_list.txt. Chosen when
//     the lists or _background_noise_/ are there, or all ten DefaultWords
//     are folders.
//   - TwelveClass, the official twelve-class test set: word folders plus
//     _silence_/ (1 s noise clips) and _unknown_/ (clips of other words,
//     named WORD_SPEAKER_nohash_N.wav).
//   - Folders: any folder of folders of the user's WAVs, one per label.
//
// Labels. In the first two layouts the labels are _silence_, _unknown_,
// then the wanted words (Options.Words, default DefaultWords): the order of
// TensorFlow's speech_commands and shared/bench/torch_ref.py, so label
// indices agree. In the Folders layout the labels are the folders (sorted);
// _unknown_ is added when Options.Words leaves folders out, _silence_ when a
// noise folder is given.
//
// Silence and unknown. Clips of a _silence_/ or _unknown_/ folder are all
// used. Otherwise each split gets ceil(n*SilencePct/100) silence clips (n:
// its wanted-word clips), each cut at a random offset from a random noise
// recording and scaled by a gain uniform in [0, 1) — TensorFlow's
// training-time silence — and ceil(n*UnknownPct/100) clips drawn at random
// from the split's other-word clips (AllUnknown keeps all of them). Both
// draws are deterministic for Options.Seed. The percentages default to 10.
//
// # Splits
//
// A clip goes to Training, Validation or Testing (Options.SplitBy):
//
//   - SplitLists: by testing_list.txt and validation_list.txt (paths
//     relative to dir); a clip in neither is training. The default when the
//     lists exist.
//   - SplitHash: TensorFlow's input_data.which_set, exactly: SHA-1 of the
//     base name up to "_nohash_", as an integer modulo 2^27, times
//     100/(2^27-1); below ValidationPct is validation, below
//     ValidationPct+TestPct testing (defaults 10 and 10). An _unknown_/ clip
//     named WORD_SPEAKER_... hashes as SPEAKER_..., the name it had in the
//     dataset. The golden test compares 218 real names with Python's
//     hashlib (testdata/datasets/which_set.py).
//   - SplitSpeaker: SHA-1 of "val:"+speaker mod 100 < ValidationPct is
//     validation (torch_ref.py's is_val, which uses 15%), else SHA-1 of
//     "test:"+speaker mod 100 < TestPct is testing. The speaker is the last
//     "_" field before "_nohash_" (Speaker).
//
// SplitAuto (the zero value) uses the lists when present, else which_set,
// unless which_set would leave training or validation with less than half of
// its share: then it splits by speaker and says so in Dataset.Warnings. The
// official test-set folder (shared/data/speech_commands_v0.02_test12) is
// such a case, since all of its clips hash into which_set's test bucket.
// Every method keeps a speaker's clips in one split. To compare with
// torch_ref.py on that folder, Scan with ValidationPct 15 and SplitSpeaker:
// Validation is then exactly torch_ref's validation set, and
// d.Export(dir, 0, Training, Validation) and d.Export(dir2, 0, Testing) give
// torch_ref.py its TRAIN_DIR and TEST_DIR for the same split (checked:
// its is_val on the exported folder picks exactly the 284 validation clips).
//
// # Batches
//
// d.NewLoader(cfg) yields batches of one split for training or evaluation:
// Batch.X holds Size x Frames x Coeffs float32 features, row-major (97 x 40
// for one second with mfcc.DefaultConfig), Batch.Labels the label indices.
// Each clip is decoded (audio.ReadFile: any rate is resampled to 16 kHz),
// zero-padded at the end or cut to cfg.Window samples (16000), augmented when
// cfg.Augment is set — a time shift uniform in ±MaxShift samples with zeros
// filled in, noise (a random window of a random recording times U(0,
// NoiseMax)) on NoiseProb of the clips, clamped to [-1, 1]: DefaultAugment is
// the literature's 100 ms, 80%, 0.1 — then turned into features (with mel
// filters moved by a random factor near 1 when Augment.Warp is set: vocal
// tract length perturbation, mfcc.NewWarped), then masked when
// cfg.FeatureAugment is set (SpecAugment: torch_ref.py's --specaug).
// Augmentation is for the training split only; leave both zero for
// validation and test.
//
// Order and randomness. An epoch's order is a shuffle seeded by (Seed,
// epoch); a clip's augmentation is seeded by (Seed, epoch, clip). Batches are
// therefore the same for any number of workers, and Epoch(ctx, epoch, start)
// resumes an epoch at any batch with the same data.
//
// Work and memory. cfg.Workers goroutines (default GOMAXPROCS) each own an
// mfcc.Extractor and build whole batches; the loop receives them in order
// with at most 2 x Workers batches in flight. The clips are never all held
// as float32 (the full v0.02 set would be 6.8 GB): a Dataset keeps decoded
// clips as 16-bit PCM (2 bytes a sample) in a cache bounded by
// Options.CacheBytes (default 1 GiB, about 33,000 one-second clips), and a
// loader without augmentation caches finished features instead (15.5 KB a
// clip), so validation epochs after the first cost a copy per clip; both
// share the budget, and clips past it are decoded on demand every epoch.
// The cache lives outside the Go heap (anonymous memory mappings on unix),
// so it neither doubles through the collector's heap target nor gets
// scanned (on a v0.02-sized folder, 0.94 GB peak RSS against 1.47 GB with
// the cache on the Go heap); it is unmapped when the Dataset is garbage
// collected. A cached clip costs well under the decoding it saves
// (BenchmarkLoader); the measurements are in docs/experiments.md.
//
// Bad clips. A clip that fails to decode (a corrupt WAV) or holds NaN is
// left out of its batch (Batch.Size shrinks) and of every later batch, and
// its error is kept once in Dataset.Problems for the caller to report;
// nothing stops.
//
// # Commands of any length
//
// A phrase ("turn off the lights") is a longer sequence with one label, so
// a phrase model differs from a word model only in its window: the samples
// each clip is padded or cut to, stored in the model (WindowSamples) and
// used by classify, the listener and the streaming detector. Dataset.Window
// chooses it from the data: the 99th-percentile length of the command clips
// (not _silence_ or _unknown_), read from the WAV headers only
// (ClipLengths, audio.DecodeConfig; 2,400 synthesised clips take well under
// a second), rounded up to 100 ms and kept within 1 s to 3 s
// (ChooseWindow). A percentile rather than the maximum so that one stray
// long recording does not lengthen every step of training and listening.
//
// Padding is at the end. In training (the Loader, Augment.Tight) it is
// zeros: padding training clips with their background as well scored lower
// on held-out voices. listen classify pads with zeros too when a clip is at
// most 100 ms short of the window (the rounding ChooseWindow adds, which
// training's own clips were zero-padded by), and otherwise with the clip's
// own background (audio.Pad: its quietest 100 ms, repeated), so that a
// closely cut recording looks like the longer recordings most training
// windows are. For a window longer than a second (a phrase model, trained
// with Place) classify puts that background before the clip instead
// (audio.PadBefore), so the phrase ends where the window ends, as in the
// listener's window when a phrase has just been said. Clips longer than the
// window are cut at the end.
//
// Commands at varied places. The streaming detector sees a command at every
// position of its window as it slides by, so what generalises is having the
// command at varied places in the window in training: listen synth places
// each rendering at a random offset, and Augment.Place moves the sound of
// any clip (a one-second unknown word in a 2.6 s window, say) to a random
// place. Without it, a model that has seen unknown words only at the start
// of its window takes them for commands elsewhere. End padding must then be
// shown too: Augment.Tight cuts training clips to their sound and
// pads them at the end, as listen classify pads a closely cut recording.
// The padding and placement measurements are in docs/experiments.md
// ("Windows, padding and placement").
//
// Folders of the user's own commands (the Folders layout, one folder per
// command, as listen synth and listen record write them) come without
// _silence_ and _unknown_. _silence_ is cut from the noise folder
// (Options.NoiseDir) as in the other layouts; _unknown_ is drawn from
// Options.UnknownDirs, folders of other speech (a Speech Commands folder,
// whose folders named like a command are left out, or listen synth's
// output for other phrases), split by speaker. Clips a folder's
// testing_list.txt names are never drawn from it: the dataset keeps them
// for testing. A labels.txt ("label TAB
// phrase", LabelsFile) gives each folder's phrase text (Dataset.Phrases);
// listen train keeps the folder names as the model's labels and records the
// phrases in the model's training notes.
//
// A two-phrase model from synthesised speech alone, on a laptop (listen
// train synthesises 60 other phrases for _unknown_ itself, because the
// folder has a labels.txt and no other speech):
//
//	listen synth -phrases "lights on; lights off" -dir cmds -n 300 -noise NOISE
//	listen train -data cmds -noise NOISE -hidden 48 -layers 1 -hop 20ms -batch 32 -epochs 30 \
//	    -unknown-pct 100 -place 0.7 -tight 0.3 -out lights.safetensors
//	listen classify -model lights.safetensors clip.wav
//
// It takes seconds on a 2-core machine (docs/experiments.md has the time
// and accuracy measured). -place shows the model words anywhere in its
// window, as the streaming detector sees them, and -tight shows it short
// recordings padded at the end, as listen classify pads them (see Augment).
//
// # Download
//
// Download fetches a URL into a file with resume (HTTP Range into
// FILE.part), progress and SHA-256 verification; Extract unpacks a .tar.gz
// safely (no path leaves the destination, no links pointing out, extracted
// into a temporary folder renamed into place at the end). Versions lists
// the Speech Commands tarballs with their pinned checksums.
package datasets
