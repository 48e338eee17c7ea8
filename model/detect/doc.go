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
// # Steady state
//
// After the first window, Streamer.Write allocates nothing (asserted with
// testing.AllocsPerRun in the tests); all buffers are sized in NewStreamer.
// Streamer and Recognizer are not safe for concurrent use.
package detect
