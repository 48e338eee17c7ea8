// Package evaluate measures a trained model the way its users meet it:
// accuracy on a folder of labelled clips, the streaming detector on a long
// recording scored against its ground truth, and false alarms on audio that
// holds no command, across thresholds, paired with the commands missed (a
// detection error trade-off). listen eval is a thin layer over it.
//
// Unlike package train, evaluate reads files: WAV recordings, folders of
// clips, truth files and background noise. It writes none; results are
// structs (with JSON tags, as listen eval -json prints them) and a text
// report on an io.Writer. Progress goes to a callback with the work done
// and its total, so that a caller can show an ETA; nothing is printed.
//
// # Units
//
// Audio is 16 kHz mono (audio.Rate); times are time.Duration or seconds
// where a name says so; false alarms are counted an hour of audio that
// holds no command. A folder of clips is streamed as one recording, its
// clips in path order, each after a gap of silence (Gap, 1 s by default,
// so that clips start more than the detector's 1.5 s suppression apart);
// its hours are those of the clips' own audio, gaps not counted.
//
// # Parallel runs
//
// Negatives records a long stream's posteriors in pieces spread over
// Workers goroutines (detect.Recorder) and joins them; the joined
// detect.Trace is bit for bit the one a single streamer records, so the
// figures do not depend on the number of workers. Each threshold of a
// sweep is then a replay of the smoothing alone (detect.Trace.Sweep).
package evaluate
