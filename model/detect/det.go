package detect

import (
	"fmt"
	"math"
	"sort"
	"time"
)

// DefaultThresholds returns the thresholds of a sweep: 0.50 to 0.95 in
// steps of 0.05, then 0.96 to 0.99 in steps of 0.01, where a model's
// false alarms usually thin out fastest.
func DefaultThresholds() []float32 {
	var t []float32
	for i := 50; i <= 95; i += 5 {
		t = append(t, float32(i)/100)
	}
	for i := 96; i <= 99; i++ {
		t = append(t, float32(i)/100)
	}
	return t
}

// Sweep replays the Trace with cfg at each of thresholds in turn (cfg's own
// Threshold is not used) and returns the detections of each, in the order
// of thresholds. The model ran once, when the Trace was recorded; each
// replay is only the smoothing, a small fraction of that cost.
func (tr *Trace) Sweep(cfg Config, thresholds []float32) ([][]Detection, error) {
	out := make([][]Detection, len(thresholds))
	for i, th := range thresholds {
		cfg.Threshold = th
		d, err := tr.Replay(cfg)
		if err != nil {
			return nil, fmt.Errorf("threshold %v: %w", th, err)
		}
		out[i] = d
	}
	return out, nil
}

// Span is where one clip lies in a stream made of clips laid end to end
// with gaps between them.
type Span struct {
	// Label is the command the clip holds, or "" for a clip that holds
	// none (a negative).
	Label      string
	Start, End time.Duration
}

// Attribute returns, for each detection, the index of the span that its
// window (Detection.Start to End) overlaps most, the earlier on a tie, or
// the nearest span when it overlaps none; -1 for every detection when there
// are no spans. spans must be in time order and must not overlap.
func Attribute(spans []Span, found []Detection) []int {
	out := make([]int, len(found))
	for i, d := range found {
		out[i] = attribute(spans, d.Start, d.End)
	}
	return out
}

func attribute(spans []Span, start, end time.Duration) int {
	if len(spans) == 0 {
		return -1
	}
	// The first span that ends after start; only it and those after it,
	// up to the first that starts at or after end, can overlap.
	i := sort.Search(len(spans), func(k int) bool { return spans[k].End > start })
	best, bestOverlap := -1, time.Duration(0)
	for k := i; k < len(spans) && spans[k].Start < end; k++ {
		if o := min(end, spans[k].End) - max(start, spans[k].Start); o > bestOverlap {
			best, bestOverlap = k, o
		}
	}
	if best >= 0 {
		return best
	}
	// No overlap: the window lies in a gap (or is empty); take the
	// nearer of the spans on either side.
	switch {
	case i == len(spans):
		return len(spans) - 1
	case i == 0:
		return 0
	case start-spans[i-1].End <= spans[i].Start-end:
		return i - 1
	}
	return i
}

// ClipScore is how a stream of clips fared: each command clip is found
// when its own label is reported on it (Attribute), missed otherwise.
type ClipScore struct {
	// Commands is the number of spans with a label; Found of them had
	// their own label reported.
	Commands, Found int
	// Wrong counts the detections on command spans that are not the first
	// report of the span's own label: another command, or a repeat.
	Wrong int
	// FalseAlarms counts the detections on spans without a label.
	FalseAlarms int
}

// Misses is the number of command clips not found.
func (c ClipScore) Misses() int { return c.Commands - c.Found }

// ScoreClips scores the detections made on a stream of clips laid out as
// spans (see Attribute).
func ScoreClips(spans []Span, found []Detection) ClipScore {
	var sc ClipScore
	for _, s := range spans {
		if s.Label != "" {
			sc.Commands++
		}
	}
	hit := make([]bool, len(spans))
	for i, k := range Attribute(spans, found) {
		switch {
		case k < 0:
			continue
		case spans[k].Label == "":
			sc.FalseAlarms++
		case spans[k].Label == found[i].Label && !hit[k]:
			hit[k] = true
			sc.Found++
		default:
			sc.Wrong++
		}
	}
	return sc
}

// DETPoint is one threshold's point of a detection error trade-off: the
// false alarms on audio that holds no command, and the commands missed.
type DETPoint struct {
	Threshold float32
	// FalseAlarms is the number of commands reported in Hours of audio
	// that holds none.
	FalseAlarms int
	Hours       float64
	// Misses of Commands spoken were not reported.
	Misses, Commands int
}

// FalseAlarmsPerHour is FalseAlarms per hour; NaN without hours.
func (p DETPoint) FalseAlarmsPerHour() float64 {
	if !(p.Hours > 0) {
		return math.NaN()
	}
	return float64(p.FalseAlarms) / p.Hours
}

// MissRate is the fraction of commands missed; NaN without commands.
func (p DETPoint) MissRate() float64 {
	if p.Commands == 0 {
		return math.NaN()
	}
	return float64(p.Misses) / float64(p.Commands)
}

// PickThreshold returns the index of the point with the fewest misses
// among those with at most budget false alarms an hour; ties go to fewer
// false alarms, then to the higher threshold. Points without commands
// count no misses: among them the lowest threshold within the budget is
// taken, since a lower threshold misses fewer commands. ok is false when no
// point is within the budget.
func PickThreshold(points []DETPoint, budget float64) (index int, ok bool) {
	best := -1
	better := func(p, b DETPoint) bool {
		switch {
		case p.Commands == 0 && b.Commands == 0:
			return p.Threshold < b.Threshold
		case p.Misses != b.Misses:
			return p.Misses < b.Misses
		case p.FalseAlarms != b.FalseAlarms:
			return p.FalseAlarms < b.FalseAlarms
		}
		return p.Threshold > b.Threshold
	}
	for i, p := range points {
		if p.FalseAlarmsPerHour() <= budget && (best < 0 || better(p, points[best])) {
			best = i
		}
	}
	return best, best >= 0
}
