package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/listen-go/listen/internal/progress"
	"github.com/listen-go/listen/model/detect"
	"github.com/listen-go/listen/train/evaluate"
)

// streamReport is the -json output of listen eval -stream.
type streamReport = evaluate.StreamSummary

// evalStream runs the streaming detector over a long recording, as the live
// listener would hear it, and scores its detections against the ground
// truth with the semantics of TensorFlow's test_streaming_accuracy.
func evalStream(ctx context.Context, streamPath, truthPath, modelName string, det *detectOptions, tolerance time.Duration, asJSON bool, stdout, stderr io.Writer) error {
	m, cfg, err := det.load(modelName)
	if err != nil {
		return err
	}
	truth, err := readTruth(truthPath, m.Meta.Labels)
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

// readTruth reads the -truth file for a model with labels; an empty one
// points to -negatives, which measures audio without commands.
func readTruth(path string, labels []string) ([]detect.Event, error) {
	truth, err := evaluate.ReadTruthFile(path, labels)
	if errors.Is(err, detect.ErrEmptyTruth) {
		return nil, fmt.Errorf("%s: the truth lists no words, so there is nothing to score; for audio that holds no command, count its false alarms with -negatives", path)
	}
	return truth, err
}

// clockSeconds formats seconds of audio as h:mm:ss or m:ss.
func clockSeconds(v float64) string { return progress.Clock(time.Duration(v * float64(time.Second))) }
