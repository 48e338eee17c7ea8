// Package listen recognizes spoken commands in 16 kHz audio, in pure Go,
// with its models inside: the front door of the module. It needs no cgo
// and no C library; live capture from a microphone, which does, is in
// package audio/mic, as database/sql keeps its drivers out of the front
// door.
//
// A program imports this package first, as it imports image before a
// codec; the packages below it are the parts it wires together:
//
//	listen            models, Recognizer, Classify, Run (this package)
//	  audio           WAV files, resampling, sources of live audio
//	  mfcc            16 kHz samples to MFCC feature frames
//	  model           the stacked LSTM classifier and its safetensors files
//	  model/detect    streaming detection: sliding window, averaging, thresholds
//	microphones (cgo and PortAudio; built on this package):
//	  audio/mic       Open, Devices, and Listen: a Recognizer on a microphone
//	training side:
//	  train           the training loop (BPTT), checkpoints, metrics
//	  datasets        Speech Commands folders, splits, batches
//	embedded models:
//	  model/embedded  the default and home models, compiled into the binary
//
// DefaultModel and HomeModel return the embedded models without touching
// the file system; LoadModel and ReadModel read a model file. A Recognizer
// takes samples in chunks of any size and returns the commands it finds,
// with their times in the stream; Classify scores one clip; Run feeds a
// Recognizer from an audio.Source until the source ends or its context
// is done, and mic.Listen does so from a microphone.
//
// Samples are mono float32 in [-1, 1) at 16 kHz (SampleRate). Audio at
// other rates goes through audio.Resampler (or audio.Decode and
// audio.ReadFile, which resample WAV and FLAC files) first.
//
// Concurrency: a *Model is read-only once loaded and may be shared by any
// number of goroutines, each with its own Recognizer; Classify may be
// called from several goroutines at once. A Recognizer is not safe for
// concurrent use.
package listen
