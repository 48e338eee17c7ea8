package detect

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Event is a word at a time: a ground truth word (the start of its clip in
// the recording) or a detection (see Detection.Event).
type Event struct {
	Label string
	Time  time.Duration
}

// Stats are the streaming accuracy figures of TensorFlow's
// test_streaming_accuracy, plus the audio's duration for a rate of false
// alarms.
type Stats struct {
	// Words is the number of ground truth commands (truth words whose
	// label is Reportable).
	Words int
	// Others is the number of truth words that are not commands (such as
	// TensorFlow's _unknown_ lines): spoken, but never to be reported.
	Others int
	// Matched is how many ground truth words some detection was matched to.
	Matched int
	// Correct counts detections matched to a word with the same label, not
	// matched before.
	Correct int
	// Wrong counts detections matched to a word with another label, or to
	// a word already matched.
	Wrong int
	// FalsePositives counts detections with no ground truth command
	// within the tolerance.
	FalsePositives int
	// OnOthers counts the false positives that have a word that is not a
	// command within the tolerance: another word taken for a command.
	OnOthers int
	// Duration is the length of the recording; it only scales
	// FalseAlarmsPerHour.
	Duration time.Duration
}

// Evaluate scores found against truth the way TensorFlow's
// CalculateAccuracyStats does. Both lists are taken in time order (copies
// are sorted; the arguments are not changed). For each detection, in time
// order, the earliest ground truth command within tolerance of it either
// way is its match:
//
//   - if that command has the detection's label and was not matched before,
//     the detection is correct;
//   - otherwise (another label, or a command already matched) it is wrong;
//   - the command is then matched, whatever the outcome;
//   - a detection with no command within tolerance is a false positive.
//
// Note that the match is the earliest command in range, not the nearest,
// and not the earliest unmatched one, as in TensorFlow. Two differences:
// words are told apart by their position in truth, not their time, so two
// words at the same time are two words; and truth words that are not
// commands (labels with a leading underscore, such as the _unknown_ lines
// of generate_streaming_test_wav) are never matched and not counted in
// Words. A detector that never reports _unknown_ could not match them, so
// TensorFlow's percentages would count them as commands missed; and a
// command reported on one of them is a false alarm to whoever hears it, so
// it is a false positive here (counted in OnOthers as well), where
// TensorFlow counts it wrong. duration is the recording's length, for
// FalseAlarmsPerHour.
func Evaluate(truth, found []Event, tolerance, duration time.Duration) Stats {
	var commands, others []Event
	for _, e := range sortedEvents(truth) {
		if Reportable(e.Label) {
			commands = append(commands, e)
		} else {
			others = append(others, e)
		}
	}
	found = sortedEvents(found)
	st := Stats{Words: len(commands), Others: len(others), Duration: duration}
	matched := make([]bool, len(commands))
	first, firstOther := 0, 0 // words before them are too early for this and every later detection
	for _, f := range found {
		first = skipBefore(commands, first, f.Time-tolerance)
		if first == len(commands) || commands[first].Time > f.Time+tolerance {
			st.FalsePositives++
			firstOther = skipBefore(others, firstOther, f.Time-tolerance)
			if firstOther < len(others) && others[firstOther].Time <= f.Time+tolerance {
				st.OnOthers++
			}
			continue
		}
		if commands[first].Label == f.Label && !matched[first] {
			st.Correct++
		} else {
			st.Wrong++
		}
		if !matched[first] {
			matched[first] = true
			st.Matched++
		}
	}
	return st
}

// skipBefore returns the index of the first of events, from i on, at or
// after t.
func skipBefore(events []Event, i int, t time.Duration) int {
	for i < len(events) && events[i].Time < t {
		i++
	}
	return i
}

func sortedEvents(e []Event) []Event {
	e = slices.Clone(e)
	slices.SortStableFunc(e, func(a, b Event) int {
		switch {
		case a.Time < b.Time:
			return -1
		case a.Time > b.Time:
			return 1
		}
		return 0
	})
	return e
}

func pct(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return 100 * float64(n) / float64(of)
}

// MatchedPct is Matched as a percentage of Words (0 without words).
func (s Stats) MatchedPct() float64 { return pct(s.Matched, s.Words) }

// CorrectPct is Correct as a percentage of Words: the share of spoken
// commands reported correctly.
func (s Stats) CorrectPct() float64 { return pct(s.Correct, s.Words) }

// WrongPct is Wrong as a percentage of Words.
func (s Stats) WrongPct() float64 { return pct(s.Wrong, s.Words) }

// FalsePositivePct is FalsePositives as a percentage of Words, as
// TensorFlow reports it.
func (s Stats) FalsePositivePct() float64 { return pct(s.FalsePositives, s.Words) }

// FalseAlarmsPerHour is FalsePositives per hour of Duration; NaN without a
// duration.
func (s Stats) FalseAlarmsPerHour() float64 {
	if s.Duration <= 0 {
		return math.NaN()
	}
	return float64(s.FalsePositives) / s.Duration.Hours()
}

// String formats the figures on one line, as TensorFlow prints them, with
// the false alarm rate added.
func (s Stats) String() string {
	return fmt.Sprintf("%.1f%% matched, %.1f%% correct, %.1f%% wrong, %.1f%% false positives (%d words, %d false alarms in %v: %.1f per hour%s)",
		s.MatchedPct(), s.CorrectPct(), s.WrongPct(), s.FalsePositivePct(),
		s.Words, s.FalsePositives, s.Duration.Round(time.Second), s.FalseAlarmsPerHour(), s.othersNote())
}

// othersNote says how many false alarms fell on other words, when the
// truth lists any.
func (s Stats) othersNote() string {
	if s.Others == 0 {
		return ""
	}
	return fmt.Sprintf("; %d on the %d other words", s.OnOthers, s.Others)
}

// TruthError is a bad line of a ground truth file.
type TruthError struct {
	// File names the file, when the caller knows it (see
	// evaluate.ReadTruthFile); "" otherwise.
	File string
	Line int
	// Text is a short, printable excerpt of the line: at most
	// maxExcerpt characters, control characters and invalid UTF-8 shown
	// as '?'; "" when the line could not be read.
	Text string
	Msg  string
}

func (e *TruthError) Error() string {
	where := fmt.Sprintf("truth line %d", e.Line)
	if e.File != "" {
		where = fmt.Sprintf("truth %s:%d", e.File, e.Line)
	}
	if e.Text == "" {
		return fmt.Sprintf("detect: %s: %s", where, e.Msg)
	}
	return fmt.Sprintf("detect: %s: %s: %q", where, e.Msg, e.Text)
}

// maxExcerpt is the most characters of a bad line a TruthError quotes.
const maxExcerpt = 40

// excerpt returns the start of line, printable, for an error message.
func excerpt(line string) string {
	var b strings.Builder
	n := 0
	for i, r := range line {
		if n == maxExcerpt {
			if i < len(line) {
				b.WriteString("...")
			}
			break
		}
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			r = '?'
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// ErrEmptyTruth is returned by ReadTruthFor for a truth without a word:
// there is nothing to score a detector against.
var ErrEmptyTruth = errors.New("detect: the truth lists no words")

// ReadTruth reads ground truth in the format of TensorFlow's
// generate_streaming_test_wav labels file: one word per line, "label,time"
// with the time in milliseconds from the start of the recording (a decimal
// fraction and spaces around the comma are allowed). Blank lines and lines
// starting with # are skipped. Events are returned in file order. A bad
// line, or input that is not text (a WAV file given by mistake), is a
// *TruthError quoting at most a short excerpt of the line.
func ReadTruth(r io.Reader) ([]Event, error) {
	return readTruth(r, nil)
}

// ReadTruthFor reads ground truth as ReadTruth does, for scoring a model
// with the given labels: a line whose label is a command (Reportable) that
// labels lacks is a *TruthError, since no detection could ever match it;
// and a truth without a word is ErrEmptyTruth. Labels that are not
// commands (_unknown_, the other words of generate_streaming_test_wav)
// are allowed whatever labels holds; nil labels allow every label.
func ReadTruthFor(r io.Reader, labels []string) ([]Event, error) {
	ev, err := readTruth(r, labels)
	if err == nil && len(ev) == 0 {
		return nil, ErrEmptyTruth
	}
	return ev, err
}

// maxTruthLine is the longest line ReadTruth reads.
const maxTruthLine = 64 << 10

// readTruth reads a truth; labels, when not nil, are the only commands
// allowed.
func readTruth(r io.Reader, labels []string) ([]Event, error) {
	var events []Event
	br := bufio.NewReader(r)
	var raw []byte
	for line := 1; ; line++ {
		raw = raw[:0]
		var err error
		for {
			var chunk []byte
			chunk, err = br.ReadSlice('\n')
			raw = append(raw, chunk...)
			if err != bufio.ErrBufferFull || len(raw) > maxTruthLine {
				break
			}
		}
		if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
			return nil, fmt.Errorf("detect: read truth: %w", err)
		}
		if !isText(raw, err == bufio.ErrBufferFull) {
			return nil, &TruthError{Line: line, Text: excerpt(strings.TrimSpace(string(raw))), Msg: `not text (a truth file holds "label,time_ms" lines)`}
		}
		if err == bufio.ErrBufferFull {
			return nil, &TruthError{Line: line, Msg: fmt.Sprintf("a line over %d KB: not a truth file", maxTruthLine>>10)}
		}
		if e, err := truthLine(line, strings.TrimSpace(string(raw)), labels); err != nil {
			return nil, err
		} else if e != nil {
			events = append(events, *e)
		}
		if err == io.EOF {
			break
		}
	}
	return events, nil
}

// isText reports whether a line read is text: valid UTF-8 without NUL
// bytes, but for a character cut at its end when the line was cut.
func isText(b []byte, cut bool) bool {
	if bytes.IndexByte(b, 0) >= 0 {
		return false
	}
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n == 1 && (!cut || len(b) >= utf8.UTFMax) {
			return false
		}
		b = b[n:]
	}
	return true
}

// truthLine parses one line of a truth, trimmed; a blank line or a
// comment gives no event.
func truthLine(line int, text string, labels []string) (*Event, error) {
	if text == "" || strings.HasPrefix(text, "#") {
		return nil, nil
	}
	bad := func(msg string) error { return &TruthError{Line: line, Text: excerpt(text), Msg: msg} }
	label, ms, ok := strings.Cut(text, ",")
	label, ms = strings.TrimSpace(label), strings.TrimSpace(ms)
	if !ok || label == "" {
		return nil, bad(`want "label,time_ms"`)
	}
	if !validLabel(label) {
		return nil, bad("label has control characters")
	}
	v, err := strconv.ParseFloat(ms, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > 1e12 {
		return nil, bad("bad time in milliseconds")
	}
	if labels != nil && Reportable(label) && !slices.Contains(labels, label) {
		return nil, bad(fmt.Sprintf("label %q is not one of the model's commands (%s); words that are none are written _unknown_",
			label, strings.Join(Commands(labels), ", ")))
	}
	return &Event{Label: label, Time: time.Duration(math.Round(v * float64(time.Millisecond)))}, nil
}

// validLabel reports whether a label can stand in a truth file: not empty,
// no control characters, no space at either end.
func validLabel(l string) bool {
	if l == "" || strings.TrimSpace(l) != l {
		return false
	}
	for _, r := range l {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// WriteTruth writes events in the format ReadTruth reads, one "label,ms"
// line each, with whole milliseconds when the time has no fraction.
func WriteTruth(w io.Writer, events []Event) error {
	bw := bufio.NewWriter(w)
	for _, e := range events {
		if !validLabel(e.Label) || strings.Contains(e.Label, ",") || strings.HasPrefix(e.Label, "#") {
			return fmt.Errorf("detect: write truth: label %q cannot be written", e.Label)
		}
		ms := strconv.FormatFloat(float64(e.Time)/float64(time.Millisecond), 'f', -1, 64)
		fmt.Fprintf(bw, "%s,%s\n", e.Label, ms)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("detect: write truth: %w", err)
	}
	return nil
}
