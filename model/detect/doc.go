// Package detect finds spoken commands in a stream of audio: it runs a
// classifier on a sliding window, smooths the class posteriors over time and
// reports a command when the smoothed score is high enough, the way
// TensorFlow's RecognizeCommands does. It also scores such detections
// against ground truth with the semantics of TensorFlow's
// test_streaming_accuracy, and reads and writes that ground truth.
//
// The package is pure computation: it takes samples and posteriors, readers
// and writers, and never touches files or devices.
//
// # Units
//
// Audio is 16 kHz mono float32 in [-1, 1) (audio.Rate). Times are
// time.Duration since the first sample written to a Streamer, computed from
// the sample count, so they are exact and reproducible for a file.
//
// # Pipeline
//
// A Streamer keeps the last Classifier.Window() samples. Every Config.Hop
// samples, once a whole window has been seen, it classifies the window
// (unless the energy gate says the whole window is quiet) and hands the
// posteriors to a Recognizer, stamped with the time of the window's end. The
// Recognizer averages the posteriors of the results of the last
// Config.AverageWindow and reports the top label when
//
//   - at least Config.MinCount results, spanning at least a quarter of the
//     average window, are in the average,
//   - the averaged top score is above Config.Threshold, and
//   - the label differs from the previous top label, or more than
//     Config.Suppression has passed since that label was last on top.
//
// Labels that start with an underscore (_silence_, _unknown_) take part in
// the average and become the previous top label like any other, but they are
// never reported. So "yes", "_unknown_", "yes" within the suppression time
// reports "yes" twice, as in TensorFlow.
//
// # Defaults and why
//
// DefaultConfig is TensorFlow's streaming-test setting (threshold 0.7,
// suppression 1.5 s) with a 100 ms hop and a 300 ms average of at least 2
// results: of the averages measured on a validation-speaker stream, 300 ms
// is the one that prints a command within 300 ms of the end of the word in
// the median (260 ms), and it finds the most commands; its cost is more
// false alarms, nearly all unknown words taken for commands. Raise the
// threshold to trade commands for fewer false alarms.
//
// A model may carry settings of its own (model.Metadata.Detection, read by
// ModelConfig), which replace these defaults; the embedded default model, an
// ensemble of three networks, carries threshold 0.75 and a 500 ms average of
// at least 3 results, at the 100 ms hop. A
// zero Suppression stretches to the model's window when that is longer
// than 1.5 s (NewStreamer), so a phrase that stays above threshold for its
// whole window is reported once.
//
// The energy gate skips the classifier while the whole window is below
// Config.Gate: at the default -60 dBFS it never closes on a spoken word
// (the loudest 100 ms of every Speech Commands command clip measured is at
// least -36 dBFS), only on (near) digital silence or a very quiet room.
// Feature frames are reused between hops (ModelClassifier), so a hop costs
// the model's forward pass and the new frames only.
//
// The measurements behind these choices, and the streaming figures of the
// embedded models, are in docs/experiments.md ("Thresholds, averaging and
// the detector") and docs/models.md.
//
// # Steady state
//
// After the first window, Streamer.Write allocates nothing (asserted with
// testing.AllocsPerRun in the tests); all buffers are sized in NewStreamer.
// Streamer and Recognizer are not safe for concurrent use.
package detect
