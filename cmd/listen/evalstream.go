package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/listen-go/listen/internal/progress"
	"github.com/listen-go/listen/train/evaluate"
)

// streamReport is the -json output of listen eval -stream.
type streamReport struct {
	Model              string  `json:"model"`
	Stream             string  `json:"stream"`
	Truth              string  `json:"truth"`
	Seconds            float64 `json:"seconds"`
	Words              int     `json:"words"`
	Detections         int     `json:"detections"`
	MatchedPct         float64 `json:"matched_pct"`
	CorrectPct         float64 `json:"correct_pct"`
	WrongPct           float64 `json:"wrong_pct"`
	FalsePositives     int     `json:"false_positives"`
	FalseAlarmsPerHour float64 `json:"false_alarms_per_hour"`
	OtherWords         int     `json:"other_words"`
	OnOtherWords       int     `json:"false_positives_on_other_words"`
}

// evalStream runs the streaming detector over a long recording, as the live
// listener would hear it, and scores its detections against the ground
// truth with the semantics of TensorFlow's test_streaming_accuracy.
func evalStream(ctx context.Context, streamPath, truthPath, modelName string, det *detectOptions, tolerance time.Duration, asJSON bool, stdout, stderr io.Writer) error {
	if truthPath == "" {
		return usageError("-stream needs -truth LABELS.txt")
	}
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
	st, dur, found := res.Stats, res.Duration, len(res.Found)
	if asJSON {
		return writeJSONLine(stdout, streamReport{
			Model: modelName, Stream: streamPath, Truth: truthPath, Seconds: dur.Seconds(),
			Words: st.Words, Detections: found, MatchedPct: st.MatchedPct(), CorrectPct: st.CorrectPct(),
			WrongPct: st.WrongPct(), FalsePositives: st.FalsePositives, FalseAlarmsPerHour: st.FalseAlarmsPerHour(),
			OtherWords: st.Others, OnOtherWords: st.OnOthers,
		})
	}
	fmt.Fprintf(stdout, "%s: %s of audio, %d commands spoken, %d detections\n", streamPath, dur.Round(time.Second), st.Words, found)
	fmt.Fprintf(stdout, "matched %.1f%%  correct %.1f%%  wrong %.1f%%  false positives %d (%.1f per hour)\n",
		st.MatchedPct(), st.CorrectPct(), st.WrongPct(), st.FalsePositives, st.FalseAlarmsPerHour())
	if st.Others > 0 {
		fmt.Fprintf(stdout, "%d of the false positives on the truth's %d other words (commands reported where another word was spoken)\n", st.OnOthers, st.Others)
	}
	return nil
}

// clockSeconds formats seconds of audio as h:mm:ss or m:ss.
func clockSeconds(v float64) string { return progress.Clock(time.Duration(v * float64(time.Second))) }
