package detect

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

func ev(label string, ms int) Event {
	return Event{Label: label, Time: time.Duration(ms) * time.Millisecond}
}

func TestEvaluate(t *testing.T) {
	const tol = 750 * time.Millisecond
	truth := []Event{ev("yes", 1000), ev("no", 4000), ev("up", 7000), ev("down", 10000)}
	tests := []struct {
		name  string
		truth []Event
		found []Event
		want  Stats
	}{
		{"nothing found", truth, nil, Stats{Words: 4}},
		{"nothing to find", nil, []Event{ev("yes", 10)}, Stats{FalsePositives: 1}},
		{
			name:  "all correct, off by up to the tolerance",
			truth: truth,
			found: []Event{ev("yes", 250), ev("no", 4750), ev("up", 7000), ev("down", 9300)},
			want:  Stats{Words: 4, Matched: 4, Correct: 4},
		},
		{
			name:  "just outside the tolerance",
			truth: truth,
			found: []Event{ev("yes", 249), ev("no", 4751)},
			want:  Stats{Words: 4, FalsePositives: 2},
		},
		{
			name:  "wrong label",
			truth: truth,
			found: []Event{ev("no", 1000), ev("no", 4000)},
			want:  Stats{Words: 4, Matched: 2, Correct: 1, Wrong: 1},
		},
		{
			// A second detection of a word already matched is wrong, and the
			// word counts once in Matched.
			name:  "double detection",
			truth: truth,
			found: []Event{ev("yes", 900), ev("yes", 1300)},
			want:  Stats{Words: 4, Matched: 1, Correct: 1, Wrong: 1},
		},
		{
			// The earliest word in range is the match, even when a later one
			// is nearer and has the right label.
			name:  "earliest, not nearest",
			truth: []Event{ev("yes", 1000), ev("no", 2000)},
			found: []Event{ev("no", 1700)},
			want:  Stats{Words: 2, Matched: 1, Wrong: 1},
		},
		{
			// ... and even when the earliest one is already matched.
			name:  "earliest even if matched",
			truth: []Event{ev("yes", 1000), ev("no", 1500)},
			found: []Event{ev("yes", 1000), ev("no", 1500)},
			want:  Stats{Words: 2, Matched: 1, Correct: 1, Wrong: 1},
		},
		{
			name:  "unsorted input",
			truth: []Event{ev("down", 10000), ev("yes", 1000)},
			found: []Event{ev("down", 10100), ev("yes", 1100), ev("go", 20000)},
			want:  Stats{Words: 2, Matched: 2, Correct: 2, FalsePositives: 1},
		},
		{
			name:  "same time, two words",
			truth: []Event{ev("yes", 1000), ev("yes", 1000)},
			found: []Event{ev("yes", 1000), ev("yes", 1000)},
			want:  Stats{Words: 2, Matched: 1, Correct: 1, Wrong: 1},
		},
		{
			// TensorFlow's generator lists unknown words: they are not
			// commands to find, and a command reported on one is a false
			// alarm, not a wrong word (and not a match that hides the
			// command after it).
			name:  "other words in truth",
			truth: []Event{ev("_unknown_", 1000), ev("yes", 1500), ev("_unknown_", 5000), ev("_silence_", 9000)},
			found: []Event{ev("yes", 1400), ev("go", 5200), ev("go", 7000), ev("no", 9100)},
			want:  Stats{Words: 1, Others: 3, Matched: 1, Correct: 1, FalsePositives: 3, OnOthers: 2},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			found := append([]Event(nil), tt.found...)
			got := Evaluate(tt.truth, tt.found, tol, 0)
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			for i := range found {
				if found[i] != tt.found[i] {
					t.Fatal("Evaluate changed its argument")
				}
			}
		})
	}
}

func TestStatsFigures(t *testing.T) {
	s := Stats{Words: 200, Matched: 190, Correct: 180, Wrong: 12, FalsePositives: 5, Duration: 30 * time.Minute}
	for name, c := range map[string][2]float64{
		"matched":  {s.MatchedPct(), 95},
		"correct":  {s.CorrectPct(), 90},
		"wrong":    {s.WrongPct(), 6},
		"fp":       {s.FalsePositivePct(), 2.5},
		"per hour": {s.FalseAlarmsPerHour(), 10},
	} {
		if math.Abs(c[0]-c[1]) > 1e-9 {
			t.Errorf("%s = %v, want %v", name, c[0], c[1])
		}
	}
	want := "95.0% matched, 90.0% correct, 6.0% wrong, 2.5% false positives (200 words, 5 false alarms in 30m0s: 10.0 per hour)"
	if s.String() != want {
		t.Errorf("String() = %q\nwant %q", s.String(), want)
	}
	s.Others, s.OnOthers = 40, 4
	if want := strings.Replace(want, "per hour)", "per hour; 4 on the 40 other words)", 1); s.String() != want {
		t.Errorf("String() = %q\nwant %q", s.String(), want)
	}
	var zero Stats
	if zero.CorrectPct() != 0 || !math.IsNaN(zero.FalseAlarmsPerHour()) {
		t.Errorf("zero stats: %v %v", zero.CorrectPct(), zero.FalseAlarmsPerHour())
	}
}

func TestTruthRoundTrip(t *testing.T) {
	events := []Event{ev("yes", 0), ev("no", 1234), {"up", 1500*time.Millisecond + 500*time.Microsecond}, ev("yes", 3600*1000)}
	var buf bytes.Buffer
	if err := WriteTruth(&buf, events); err != nil {
		t.Fatal(err)
	}
	if want := "yes,0\nno,1234\nup,1500.5\nyes,3600000\n"; buf.String() != want {
		t.Errorf("wrote %q, want %q", buf.String(), want)
	}
	got, err := ReadTruth(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(events) {
		t.Fatalf("read %v", got)
	}
	for i := range got {
		if got[i] != events[i] {
			t.Errorf("event %d: %v, want %v", i, got[i], events[i])
		}
	}
}

func TestReadTruth(t *testing.T) {
	// TensorFlow's generate_streaming_test_wav writes "label, time" with a
	// float time.
	in := "# comment\n\nyes, 1000.000000\r\n  no ,2500\n_unknown_,3000\n"
	got, err := ReadTruth(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Event{ev("yes", 1000), ev("no", 2500), ev("_unknown_", 3000)}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("event %d: %v, want %v", i, got[i], want[i])
		}
	}
	for _, bad := range []string{"yes", "yes,", ",100", "yes,abc", "yes,-5", "yes,NaN", "yes,Inf", "yes,1e300", "y\res,5", "y\x01,5"} {
		_, err := ReadTruth(strings.NewReader("ok,1\n" + bad + "\n"))
		var te *TruthError
		if !errors.As(err, &te) || te.Line != 2 {
			t.Errorf("%q: error %v, want a TruthError on line 2", bad, err)
		}
	}
	for _, label := range []string{"a,b", "#a", " a", "a\nb", ""} {
		if err := WriteTruth(&bytes.Buffer{}, []Event{{label, 0}}); err == nil {
			t.Errorf("wrote label %q", label)
		}
	}
}

// FuzzReadTruth checks that whatever ReadTruth accepts, WriteTruth writes
// and ReadTruth reads back to the same events.
func FuzzReadTruth(f *testing.F) {
	for _, s := range []string{
		"yes,1000\nno,2500\n", "yes, 1000.000000\n", "# c\n\nup,0\n", "a,1e3\n", "x,0.0625\n",
		"stop,12345678.9\r\n", "bad", ",1", "go,-1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		events, err := ReadTruth(strings.NewReader(in))
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := WriteTruth(&buf, events); err != nil {
			// Only labels ReadTruth cannot produce are refused.
			t.Fatalf("write %v: %v", events, err)
		}
		again, err := ReadTruth(&buf)
		if err != nil {
			t.Fatalf("read back %q: %v", buf.String(), err)
		}
		if len(again) != len(events) {
			t.Fatalf("%d events, read back %d", len(events), len(again))
		}
		for i := range events {
			if again[i] != events[i] {
				t.Fatalf("event %d: %v, read back %v", i, events[i], again[i])
			}
		}
	})
}

// Input that is not a truth file (a WAV given by mistake, a line of 100 KB)
// is refused in a short message that quotes at most a printable excerpt.
func TestReadTruthNotText(t *testing.T) {
	wav := append([]byte("RIFF\x24\x7d\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00"), bytes.Repeat([]byte{0x80, 0xff, 0x01, 0x7f}, 30000)...)
	long := strings.Repeat("yes", 40000) + ",100\n"
	for _, tc := range []struct {
		name, in string
		line     int
		want     string
	}{
		{"wav", string(wav), 1, `not text (a truth file holds "label,time_ms" lines): "RIFF$}??WAVEfmt `},
		{"long line", "yes,1\n" + long, 2, "a line over 64 KB: not a truth file"},
		{"long label", "ok,1\n" + strings.Repeat("x", 1000) + "\n", 2, `want "label,time_ms": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx..."`},
		{"latin-1", "ok,1\nn\xe9,5\n", 2, `not text`},
		{"latin-1 at the end", "ok,1\nn\xe9\n", 2, `not text`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadTruth(strings.NewReader(tc.in))
			var te *TruthError
			if !errors.As(err, &te) || te.Line != tc.line || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want a TruthError on line %d containing %q", err, tc.line, tc.want)
			}
			if n := len(err.Error()); n > 200 {
				t.Errorf("error of %d bytes: %.300q", n, err)
			}
		})
	}
}

// ReadTruthFor refuses a command the model lacks, naming the line and the
// model's commands, takes words that are no command, and refuses a truth
// without a word.
func TestReadTruthFor(t *testing.T) {
	labels := []string{"_silence_", "_unknown_", "yes", "no"}
	for _, tc := range []struct {
		in   string
		want string // "" for success
	}{
		{"yes,100\nno,2000\n_unknown_,3000\n_other_,4000\n", ""},
		{"yes,100\nmaybe,2000\n", `detect: truth line 2: label "maybe" is not one of the model's commands (yes, no); words that are none are written _unknown_: "maybe,2000"`},
		{"", ErrEmptyTruth.Error()},
		{"# only a comment\n\n", ErrEmptyTruth.Error()},
	} {
		ev, err := ReadTruthFor(strings.NewReader(tc.in), labels)
		if tc.want == "" {
			if err != nil || len(ev) != 4 {
				t.Errorf("%q: %v, %v", tc.in, ev, err)
			}
			continue
		}
		if err == nil || err.Error() != tc.want {
			t.Errorf("%q: error %v, want %q", tc.in, err, tc.want)
		}
	}
	f := &TruthError{File: "t.txt", Line: 3, Text: "yes,x", Msg: "bad time in milliseconds"}
	if got, want := f.Error(), `detect: truth t.txt:3: bad time in milliseconds: "yes,x"`; got != want {
		t.Errorf("with a file: %q, want %q", got, want)
	}
}
