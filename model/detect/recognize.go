package detect

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// SilenceLabel is the label of the silence class. After it has been on
// top, any label may be reported at once (no suppression applies).
const SilenceLabel = "_silence_"

// Reportable reports whether label is a command: labels that start with an
// underscore (_silence_, _unknown_) are never reported.
func Reportable(label string) bool {
	return label != "" && !strings.HasPrefix(label, "_")
}

// Commands returns the labels of labels that are Reportable, in their
// order: what a model can report.
func Commands(labels []string) []string {
	var out []string
	for _, l := range labels {
		if Reportable(l) {
			out = append(out, l)
		}
	}
	return out
}

// Result is what a Recognizer makes of the latest posteriors.
type Result struct {
	// Top is the index of the label with the highest averaged score, or -1
	// when there are too few results to average yet.
	Top int
	// Score is Top's averaged score (0 when Top is -1).
	Score float32
	// New is true when Top has just become the recognized label: its score
	// passed the threshold and it differs from the previous one or came
	// after the suppression time. It is set for silence and unknown too.
	New bool
	// Report is New for a Reportable label: a command to print.
	Report bool
	// Peak is the time of the result in the average where Top's own score
	// was highest: the end of the window that best holds the word.
	Peak time.Duration
}

// Recognizer turns a sequence of per-window posteriors into recognized
// commands, with the semantics of TensorFlow's RecognizeCommands (see the
// package documentation). It is not safe for concurrent use.
type Recognizer struct {
	labels     []string
	report     []bool
	silence    int
	window     time.Duration
	threshold  float32
	suppress   time.Duration
	minCount   int
	nl         int
	times      []time.Duration // ring of result times, len = capacity
	probs      []float32       // ring of results, capacity*nl
	head, n    int             // oldest result and how many
	avg        []float32
	prevTop    int
	prevTime   time.Duration
	lastTime   time.Duration
	hasResults bool
}

// NewRecognizer returns a Recognizer for posteriors over labels. Only the
// AverageWindow, Threshold, Suppression and MinCount fields of cfg are used
// (and Hop, to size the history).
func NewRecognizer(labels []string, cfg Config) (*Recognizer, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if len(labels) == 0 {
		return nil, errors.New("detect: no labels")
	}
	r := &Recognizer{
		labels:    append([]string(nil), labels...),
		report:    make([]bool, len(labels)),
		silence:   -1,
		window:    cfg.AverageWindow,
		threshold: cfg.Threshold,
		suppress:  cfg.Suppression,
		minCount:  cfg.MinCount,
		nl:        len(labels),
		avg:       make([]float32, len(labels)),
	}
	for i, l := range labels {
		r.report[i] = Reportable(l)
		if l == SilenceLabel {
			r.silence = i
		}
	}
	// Results come every hop: the average holds window/hop+1 of them; one
	// more for the result being added before the oldest is dropped.
	capacity := int(cfg.AverageWindow/cfg.Hop) + 2
	if capacity < cfg.MinCount+1 {
		capacity = cfg.MinCount + 1
	}
	r.times = make([]time.Duration, capacity)
	r.probs = make([]float32, capacity*r.nl)
	r.Reset()
	return r, nil
}

// Labels returns the labels the Recognizer was made with; the caller must
// not change them.
func (r *Recognizer) Labels() []string { return r.labels }

// Reset forgets all results and the previous top label, as at the start of a
// new stream.
func (r *Recognizer) Reset() {
	r.head, r.n = 0, 0
	r.prevTop = -1
	r.prevTime = 0
	r.lastTime = 0
	r.hasResults = false
}

// Process adds the posteriors of the window that ends at time t and returns
// what is recognized now. Times must not decrease from one call to the next
// and probs must have one score per label; Process panics otherwise. probs
// is copied.
func (r *Recognizer) Process(t time.Duration, probs []float32) Result {
	if len(probs) != r.nl {
		panic(fmt.Sprintf("detect: %d posteriors for %d labels", len(probs), r.nl))
	}
	if r.hasResults && t < r.lastTime {
		panic(fmt.Sprintf("detect: result at %v after one at %v", t, r.lastTime))
	}
	r.hasResults = true
	r.lastTime = t
	r.push(t, probs)

	// Drop results older than the average window.
	limit := t - r.window
	for r.n > 0 && r.times[r.head] < limit {
		r.head = (r.head + 1) % len(r.times)
		r.n--
	}

	// Too few results, or spanning too short a time, to trust.
	if r.n < r.minCount || t-r.times[r.head] < r.window/4 {
		return Result{Top: -1}
	}

	for i := range r.avg {
		r.avg[i] = 0
	}
	for k := 0; k < r.n; k++ {
		row := r.row((r.head + k) % len(r.times))
		for i, p := range row {
			r.avg[i] += p
		}
	}
	inv := 1 / float32(r.n)
	top := 0
	for i := range r.avg {
		r.avg[i] *= inv
		if r.avg[i] > r.avg[top] {
			top = i
		}
	}
	res := Result{Top: top, Score: r.avg[top], Peak: t}
	best := float32(-1)
	for k := 0; k < r.n; k++ {
		j := (r.head + k) % len(r.times)
		if p := r.row(j)[top]; p > best {
			best, res.Peak = p, r.times[j]
		}
	}

	// After silence, or before any label, nothing is suppressed.
	sinceLast := time.Duration(1<<63 - 1)
	if r.prevTop >= 0 && r.prevTop != r.silence {
		sinceLast = t - r.prevTime
	}
	if res.Score > r.threshold && (top != r.prevTop || r.suppress < 0 || sinceLast > r.suppress) {
		r.prevTop = top
		r.prevTime = t
		res.New = true
		res.Report = r.report[top]
	}
	return res
}

// push appends a result to the ring, growing it if results come more often
// than the hop it was sized for.
func (r *Recognizer) push(t time.Duration, probs []float32) {
	if r.n == len(r.times) {
		times := make([]time.Duration, 2*len(r.times))
		rows := make([]float32, len(times)*r.nl)
		for k := 0; k < r.n; k++ {
			j := (r.head + k) % len(r.times)
			times[k] = r.times[j]
			copy(rows[k*r.nl:(k+1)*r.nl], r.row(j))
		}
		r.times, r.probs, r.head = times, rows, 0
	}
	j := (r.head + r.n) % len(r.times)
	r.times[j] = t
	copy(r.row(j), probs)
	r.n++
}

func (r *Recognizer) row(j int) []float32 {
	return r.probs[j*r.nl : (j+1)*r.nl]
}
