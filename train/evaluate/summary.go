package evaluate

import (
	"fmt"
	"io"
	"time"

	"github.com/listen-go/listen/datasets"
	"github.com/listen-go/listen/train"
)

// ClipsSummary is a ClipsResult as listen eval -json prints it.
type ClipsSummary struct {
	Model    string  `json:"model"`
	Data     string  `json:"data"`
	Split    string  `json:"split"`
	Clips    int     `json:"clips"`
	Correct  int     `json:"correct"`
	Accuracy float64 `json:"accuracy"`
	Skipped  int     `json:"skipped"`
	// Unreadable are the errors of the skipped clips, one a clip.
	Unreadable []string `json:"unreadable,omitempty"`
	// Absent are the model's words the folder has no clips of.
	Absent   []string          `json:"absent,omitempty"`
	Classes  []ClassSummary    `json:"classes"`
	Matrix   *train.Confusion  `json:"confusion"`
	Warnings []string          `json:"warnings,omitempty"`
	Training map[string]string `json:"training,omitempty"`
}

// ClassSummary is one label's figures.
type ClassSummary struct {
	Label     string  `json:"label"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	Clips     int     `json:"clips"`
}

// Summary returns r with what it was measured on: the model's name, the
// folder, the split and the model's training record.
func (r *ClipsResult) Summary(model, data string, split datasets.Split, training map[string]string) ClipsSummary {
	c := r.Confusion
	s := ClipsSummary{Model: model, Data: data, Split: split.String(), Clips: c.Total(), Correct: c.Correct(),
		Accuracy: c.Accuracy(), Skipped: len(r.Problems), Matrix: c, Warnings: r.Warnings, Training: training}
	for k, l := range c.Labels {
		s.Classes = append(s.Classes, ClassSummary{Label: l, Precision: c.Precision(k), Recall: c.Recall(k), Clips: c.Support(k)})
	}
	for _, p := range r.Problems {
		s.Unreadable = append(s.Unreadable, p.Error())
	}
	s.Absent = r.Absent
	return s
}

// StreamSummary is a StreamResult as listen eval -stream -json prints it.
type StreamSummary struct {
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

// Summary returns r with the names of the model, the recording and its
// truth file.
func (r *StreamResult) Summary(model, stream, truth string) StreamSummary {
	st := r.Stats
	return StreamSummary{
		Model: model, Stream: stream, Truth: truth, Seconds: r.Duration.Seconds(),
		Words: st.Words, Detections: len(r.Found), MatchedPct: st.MatchedPct(), CorrectPct: st.CorrectPct(),
		WrongPct: st.WrongPct(), FalsePositives: st.FalsePositives, FalseAlarmsPerHour: st.FalseAlarmsPerHour(),
		OtherWords: st.Others, OnOtherWords: st.OnOthers,
	}
}

// Report writes r as text, the recording named stream: its length, the
// commands spoken and found, and the percentages matched, correct and
// wrong with the false positives.
func (r *StreamResult) Report(w io.Writer, stream string) error {
	st := r.Stats
	fmt.Fprintf(w, "%s: %s of audio, %d commands spoken, %d detections\n", stream, r.Duration.Round(time.Second), st.Words, len(r.Found))
	_, err := fmt.Fprintf(w, "matched %.1f%%  correct %.1f%%  wrong %.1f%%  false positives %d (%.1f per hour)\n",
		st.MatchedPct(), st.CorrectPct(), st.WrongPct(), st.FalsePositives, st.FalseAlarmsPerHour())
	if err == nil && st.Others > 0 {
		_, err = fmt.Fprintf(w, "%d of the false positives on the truth's %d other words (commands reported where another word was spoken)\n", st.OnOthers, st.Others)
	}
	return err
}
