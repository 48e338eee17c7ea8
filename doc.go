// Package listen recognizes spoken commands in 16 kHz audio, in pure Go,
// with its models inside: the front door of the module.
//
// A program imports this package first, as it imports image before a
// codec; the packages below it are the parts it wires together:
//
//	listen            models, Recognizer, Classify, Listen (this package)
//	  audio           WAV files, resampling, microphones (PortAudio, cgo only)
//	  mfcc            16 kHz samples to MFCC feature frames
//	  model           the stacked LSTM classifier and its safetensors files
//	  model/detect    streaming detection: sliding window, averaging, thresholds
//	training side:
//	  train           the training loop (BPTT), checkpoints, metrics
//	  datasets        Speech Commands folders, splits, batches
//	embedded models:
//	  model/embedded  the default and home models, compiled into the binary
//
// DefaultModel and HomeModel return the embedded models without touching
// the file system; LoadModel and ReadModel read a model file. A Recognizer
// takes samples in chunks of any size and returns the commands it finds,
// with their times in the stream; Classify scores one clip; Listen runs a
// Recognizer on a microphone until its context is done.
//
// Samples are mono float32 in [-1, 1) at 16 kHz (SampleRate). Audio at
// other rates goes through audio.Resampler (or audio.Decode, which
// resamples WAV files) first.
//
// Concurrency: a *Model is read-only once loaded and may be shared by any
// number of goroutines, each with its own Recognizer; Classify may be
// called from several goroutines at once. A Recognizer is not safe for
// concurrent use.
package listen
