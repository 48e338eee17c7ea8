package main

import (
	"context"
	"io"
	"time"

	"github.com/listen-go/listen/internal/progress"
	"github.com/listen-go/listen/train/evaluate"
)

// streamReport is the -json output of listen eval -stream.
type streamReport = evaluate.StreamSummary

// evalStream runs the streaming detector over a long recording, as the live
// listener would hear it, and scores its detections against the ground
// truth with the semantics of TensorFlow's test_streaming_accuracy.
func evalStream(ctx context.Context, streamPath, truthPath, modelName string, det *detectOptions, tolerance time.Duration, asJSON bool, stdout, stderr io.Writer) error {
	truth, err := evaluate.ReadTruthFile(truthPath)
	if err != nil {
		return err
	}
	m, cfg, err := det.load(modelName)
	if err != nil {
		return err
	}
	prog, finish := progressBar(stderr, streamPath, 60, clockSeconds)
	res, err := evaluate.Stream(ctx, m, streamPath, truth, evaluate.StreamOptions{Config: cfg, Tolerance: tolerance, Name: modelName, Progress: prog})
	finish()
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSONLine(stdout, res.Summary(modelName, streamPath, truthPath))
	}
	return res.Report(stdout, streamPath)
}

// clockSeconds formats seconds of audio as h:mm:ss or m:ss.
func clockSeconds(v float64) string { return progress.Clock(time.Duration(v * float64(time.Second))) }
