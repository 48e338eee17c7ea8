package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/internal/progress"
	"github.com/listen-go/listen/model/detect"
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
	truth, err := readTruthFile(truthPath)
	if err != nil {
		return err
	}
	m, cfg, err := det.load(modelName)
	if err != nil {
		return err
	}
	s, err := detect.New(m, cfg)
	if err != nil {
		return fmt.Errorf("model %s: %w", modelName, err)
	}
	var found []detect.Detection
	dur, err := streamFile(ctx, streamPath, s, func(d detect.Detection) { found = append(found, d) }, stderr)
	if err != nil {
		return err
	}
	events := make([]detect.Event, len(found))
	for i, d := range found {
		events[i] = d.Event()
	}
	st := detect.Evaluate(truth, events, tolerance, dur)
	if asJSON {
		return writeJSONLine(stdout, streamReport{
			Model: modelName, Stream: streamPath, Truth: truthPath, Seconds: dur.Seconds(),
			Words: st.Words, Detections: len(found), MatchedPct: st.MatchedPct(), CorrectPct: st.CorrectPct(),
			WrongPct: st.WrongPct(), FalsePositives: st.FalsePositives, FalseAlarmsPerHour: st.FalseAlarmsPerHour(),
			OtherWords: st.Others, OnOtherWords: st.OnOthers,
		})
	}
	fmt.Fprintf(stdout, "%s: %s of audio, %d commands spoken, %d detections\n", streamPath, dur.Round(time.Second), st.Words, len(found))
	fmt.Fprintf(stdout, "matched %.1f%%  correct %.1f%%  wrong %.1f%%  false positives %d (%.1f per hour)\n",
		st.MatchedPct(), st.CorrectPct(), st.WrongPct(), st.FalsePositives, st.FalseAlarmsPerHour())
	if st.Others > 0 {
		fmt.Fprintf(stdout, "%d of the false positives on the truth's %d other words (commands reported where another word was spoken)\n", st.OnOthers, st.Others)
	}
	return nil
}

func readTruthFile(path string) ([]detect.Event, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read truth: %w", err)
	}
	defer f.Close()
	ev, err := detect.ReadTruth(bufio.NewReader(f))
	if err != nil {
		return nil, fmt.Errorf("read truth %s: %w", path, err)
	}
	return ev, nil
}

// streamFile feeds a WAV file through s chunk by chunk, in constant
// memory, calls emit for each detection, and returns the audio's duration.
// Progress goes to stderr.
func streamFile(ctx context.Context, path string, s *detect.Streamer, emit func(detect.Detection), stderr io.Writer) (time.Duration, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	r, err := audio.NewReader(bufio.NewReaderSize(f, 1<<16))
	if err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	s.Reset()
	total := r.Format().Duration()
	bar := progress.New(stderr, path, total, func(v float64) string { return progress.Clock(time.Duration(v * float64(time.Second))) })
	defer bar.Finish()
	buf := make([]float32, audio.Rate)
	for {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		n, err := r.Read(buf)
		if n > 0 {
			if werr := s.Write(buf[:n], emit); werr != nil {
				return 0, fmt.Errorf("%s: %w", path, werr)
			}
			if total > 60 {
				bar.Update(s.Elapsed().Seconds())
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return 0, fmt.Errorf("%s: %w", path, err)
		}
	}
	dur := s.Elapsed()
	if err := s.Flush(emit); err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	return dur, nil
}
