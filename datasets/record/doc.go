// Package record records clips of a command from a microphone for a
// dataset, in the layout the datasets package reads: Record takes a count
// down, a take a little longer than the model's window, trims the silence
// around the speech to the window (TrimToWindow) and saves each clip as
// DIR/FOLDER/SPEAKER_nohash_K.wav for the first K not taken, so that a
// speaker's clips stay in one split. A phrase is recorded in the folder
// synth.Label names for it, with the phrase in DIR/labels.txt, so that
// recordings and synthesised clips of one command share a folder.
// `listen record` is a thin command over it.
//
// Unlike the packages of the pipeline, this one touches files: it creates
// the folder, merges labels.txt and writes each clip to a temporary file
// renamed into place. Samples come from an audio.Source at 16 kHz (a
// microphone opened with package audio/mic's Open, which needs cgo; this
// package does not); progress goes to a callback, nothing is printed.
package record
