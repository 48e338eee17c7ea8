package evaluate

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/datasets"
	"github.com/listen-go/listen/model"
	"github.com/listen-go/listen/model/detect"
)

// DefaultGap is the silence before each clip of a folder streamed as one
// recording: more than the detector's 1.5 s suppression once a clip's own
// length is added, so that one clip's report does not hide the next one's.
const DefaultGap = time.Second

// pieceLen is the length of the pieces a recording is classified in, one
// piece a worker at a time.
var pieceLen = 30 * time.Second

// NegativesOptions are the settings of Negatives. Only the detector's
// settings are needed; the command material (Data, Stream) is optional.
type NegativesOptions struct {
	// Config is the detector's; a zero Config is the model's own
	// (detect.ModelConfig). Its Threshold is the one "at the model's
	// settings"; Thresholds are swept besides.
	Config detect.Config
	// Thresholds to sweep; nil is detect.DefaultThresholds().
	Thresholds []float32
	// Gap is the silence before each clip of a folder; 0 is DefaultGap.
	Gap time.Duration

	// Data, when set, is a folder of command clips (a dataset that
	// datasets.Scan reads) of which the Split's clips of the model's
	// commands are streamed, each missed unless its own command is
	// reported on it.
	Data  string
	Split datasets.Split
	// Stream, when set, is a recording of commands with its Truth
	// (ReadTruthFile); a command is missed unless reported correctly
	// within Tolerance (0: detect.DefaultTolerance).
	Stream    string
	Truth     []detect.Event
	Tolerance time.Duration

	// Noise, when set, is a folder of background-noise WAVs mixed into the
	// negatives and the Data clips (not the Stream) at SNR dB below the
	// speech's active level (synth.ActiveLevel): each clip gets a stretch
	// of one noise recording, a long recording a continuous noise bed.
	// Seed drives the choice and placement.
	Noise string
	SNR   float64
	Seed  uint64

	// Workers is the number of goroutines; 0 is runtime.NumCPU(). The
	// figures do not depend on it.
	Workers int
	// Name names the model in the result and in errors.
	Name     string
	Progress Progress
	// Warn, when set, is told of each warning as it arises (a clip that
	// cannot be read, say); the result lists them all as well.
	Warn func(string)
}

// NegativesResult is the false alarms counted on audio that holds no
// command, at the model's settings and across thresholds, with the
// commands missed when command material was given.
type NegativesResult struct {
	Model    string            `json:"model"`
	Settings map[string]string `json:"settings"`
	// Negatives are the recordings and folders streamed; Seconds is their
	// audio (a folder's clips only, gaps not counted).
	Negatives []Source `json:"negatives"`
	Seconds   float64  `json:"seconds"`
	GapMs     float64  `json:"gap_ms"`
	Noise     string   `json:"noise,omitempty"`
	SNRdB     *float64 `json:"snr_db,omitempty"`
	Seed      uint64   `json:"seed"`
	// AtModel is what the settings in effect report.
	AtModel AtModel `json:"at_model"`
	// Commands is the command material, when given.
	Commands *Commands `json:"commands,omitempty"`
	// Sweep has a point per threshold, in increasing order.
	Sweep []Point `json:"sweep"`
	// Budget and Chosen are set by Pick: the sweep's point with the
	// fewest misses within Budget false alarms an hour (detect.PickThreshold);
	// Chosen is nil when no point is within it.
	Budget   *float64 `json:"budget,omitempty"`
	Chosen   *Point   `json:"chosen,omitempty"`
	Warnings []string `json:"warnings,omitempty"`

	config detect.Config
}

// Source is one negatives path: a "recording" or a folder of "clips".
type Source struct {
	Path    string  `json:"path"`
	Kind    string  `json:"kind"`
	Clips   int     `json:"clips,omitempty"`
	Skipped int     `json:"skipped,omitempty"`
	Seconds float64 `json:"seconds"`
}

// AtModel is the point of the settings in effect, with the labels reported
// and the files they were reported on, most first (at most 20).
type AtModel struct {
	Point
	Labels map[string]int `json:"labels"`
	Files  []FileCount    `json:"files"`
}

// FileCount is how many false alarms one file (a clip, or a recording)
// raised.
type FileCount struct {
	File        string `json:"file"`
	FalseAlarms int    `json:"false_alarms"`
}

// Commands says what command material the misses are counted on.
type Commands struct {
	Data        string `json:"data,omitempty"`
	Split       string `json:"split,omitempty"`
	Clips       int    `json:"clips"`
	Stream      string `json:"stream,omitempty"`
	StreamWords int    `json:"stream_words"`
}

// Point is one threshold's figures.
type Point struct {
	Threshold          float64 `json:"threshold"`
	FalseAlarms        int     `json:"false_alarms"`
	FalseAlarmsPerHour float64 `json:"false_alarms_per_hour"`
	// Misses of Commands; MissRate is their fraction, nil without
	// commands.
	Commands int      `json:"commands,omitempty"`
	Misses   int      `json:"misses,omitempty"`
	MissRate *float64 `json:"miss_rate,omitempty"`
	// Wrong counts the reports of another command (or a repeat) on a Data
	// clip; StreamFalseAlarms the Stream's false positives. Neither is
	// counted in FalseAlarms.
	Wrong             int `json:"wrong,omitempty"`
	StreamFalseAlarms int `json:"stream_false_alarms,omitempty"`

	hours float64
}

// DET returns the point as a detect.DETPoint.
func (p Point) DET() detect.DETPoint {
	return detect.DETPoint{Threshold: float32(p.Threshold), FalseAlarms: p.FalseAlarms, Hours: p.hours, Misses: p.Misses, Commands: p.Commands}
}

// Pick sets Budget and Chosen: the swept threshold with the fewest misses
// within budget false alarms an hour (detect.PickThreshold). It reports
// whether one is within it.
func (r *NegativesResult) Pick(budget float64) bool {
	det := make([]detect.DETPoint, len(r.Sweep))
	for i, p := range r.Sweep {
		det[i] = p.DET()
	}
	r.Budget, r.Chosen = &budget, nil
	i, ok := detect.PickThreshold(det, budget)
	if ok {
		p := r.Sweep[i]
		r.Chosen = &p
	}
	return ok
}

// Negatives streams each of paths (WAV recordings, or folders whose .wav
// files below are streamed as one recording, folders named like one of the
// model's commands left out) through the detector, as the live listener
// would hear them, and counts what it reports: false alarms, since the
// audio holds no command.
func Negatives(ctx context.Context, m *model.Model, paths []string, opt NegativesOptions) (*NegativesResult, error) {
	paths = slices.DeleteFunc(slices.Clone(paths), func(p string) bool { return strings.TrimSpace(p) == "" })
	if len(paths) == 0 {
		return nil, errors.New("evaluate: no negatives")
	}
	if math.IsNaN(opt.SNR) || math.IsInf(opt.SNR, 0) {
		return nil, fmt.Errorf("evaluate: SNR %v is not a number of dB", opt.SNR)
	}
	cfg := opt.Config
	if cfg == (detect.Config{}) {
		var err error
		if cfg, err = detect.ModelConfig(m); err != nil {
			return nil, fmt.Errorf("model %s: %w", opt.Name, err)
		}
	}
	thresholds := opt.Thresholds
	if thresholds == nil {
		thresholds = detect.DefaultThresholds()
	}
	gap := opt.Gap
	if gap == 0 {
		gap = DefaultGap
	}
	res := &NegativesResult{Model: opt.Name, Settings: cfg.Settings(), GapMs: float64(gap) / float64(time.Millisecond), Seed: opt.Seed, config: cfg}
	warn := func(format string, a ...any) {
		w := strings.Join(strings.Fields(fmt.Sprintf(format, a...)), " ")
		res.Warnings = append(res.Warnings, w)
		if opt.Warn != nil {
			opt.Warn(w)
		}
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	recs := make([]*detect.Recorder, workers)
	commands := map[string]bool{}
	for i := range recs {
		c, err := detect.ForModel(m)
		if err == nil {
			recs[i], err = detect.NewRecorder(c, cfg)
		}
		if err != nil {
			return nil, fmt.Errorf("model %s: %w", opt.Name, err)
		}
		for _, l := range c.Labels() {
			commands[l] = detect.Reportable(l)
		}
	}

	// What to stream: each negatives path, then the command material.
	var negs []*source
	for _, p := range paths {
		s, err := negativesSource(p, commands, warn)
		if err != nil {
			return nil, err
		}
		negs = append(negs, s)
	}
	var data, stream *source
	if opt.Data != "" {
		var err error
		if data, err = commandSource(m, opt.Data, opt.Split, commands); err != nil {
			return nil, err
		}
	}
	if opt.Stream != "" {
		stream = &source{path: opt.Stream}
	}
	var noise [][]float32
	if opt.Noise != "" {
		var err error
		if _, noise, err = datasets.LoadNoise(opt.Noise); noise == nil {
			return nil, err
		} else if err != nil {
			warn("%v", err)
		}
		res.Noise, res.SNRdB = opt.Noise, &opt.SNR
	}
	all := slices.DeleteFunc(append(slices.Clone(negs), data, stream), func(s *source) bool { return s == nil })
	total := 0.0
	for _, s := range all {
		t, err := s.streamSeconds(gap)
		if err != nil {
			return nil, err
		}
		total += t
	}
	done := 0.0
	for i, s := range all {
		var mix *mixer
		if noise != nil && s != stream {
			mix = newMixer(noise, opt.SNR, opt.Seed, uint64(i))
		}
		err := s.record(ctx, recs, gap, mix, warn, func(sec float64) {
			if opt.Progress != nil {
				opt.Progress(done+sec, total)
			}
		})
		if err != nil {
			return nil, err
		}
		done += s.streamed
	}

	// Replay every threshold, and the settings in effect (the last).
	hours := 0.0
	for _, s := range negs {
		hours += s.seconds / 3600
		res.Seconds += s.seconds
		res.Negatives = append(res.Negatives, s.report())
	}
	if !(hours > 0) {
		return nil, fmt.Errorf("%s: no audio to count false alarms in", strings.Join(paths, ", "))
	}
	sweep := append(slices.Clone(thresholds), cfg.Threshold)
	points := make([]Point, len(sweep))
	for i, th := range sweep {
		// The decimal the threshold was given as (0.8, not 0.800000011920929).
		points[i].Threshold, _ = strconv.ParseFloat(strconv.FormatFloat(float64(th), 'g', -1, 32), 64)
	}
	labels, files := map[string]int{}, map[string]int{}
	for _, s := range negs {
		found, err := s.trace.Sweep(cfg, sweep)
		if err != nil {
			return nil, err
		}
		for i, d := range found {
			points[i].FalseAlarms += len(d)
		}
		at := found[len(found)-1]
		for _, d := range at {
			labels[d.Label]++
		}
		if s.spans == nil {
			if len(at) > 0 {
				files[s.path] += len(at)
			}
			continue
		}
		for _, k := range detect.Attribute(s.spans, at) {
			files[s.files[k]]++
		}
	}
	if data != nil {
		found, err := data.trace.Sweep(cfg, sweep)
		if err != nil {
			return nil, err
		}
		for i, d := range found {
			sc := detect.ScoreClips(data.spans, d)
			points[i].Commands += sc.Commands
			points[i].Misses += sc.Misses()
			points[i].Wrong += sc.Wrong
		}
	}
	if stream != nil {
		found, err := stream.trace.Sweep(cfg, sweep)
		if err != nil {
			return nil, err
		}
		tol := opt.Tolerance
		if tol == 0 {
			tol = detect.DefaultTolerance
		}
		for i, d := range found {
			events := make([]detect.Event, len(d))
			for j, x := range d {
				events[j] = x.Event()
			}
			st := detect.Evaluate(opt.Truth, events, tol, stream.trace.Duration)
			points[i].Commands += st.Words
			points[i].Misses += st.Words - st.Correct
			points[i].StreamFalseAlarms += st.FalsePositives
		}
	}
	for i := range points {
		p := &points[i]
		p.hours = hours
		p.FalseAlarmsPerHour = float64(p.FalseAlarms) / hours
		if p.Commands > 0 {
			r := float64(p.Misses) / float64(p.Commands)
			p.MissRate = &r
		}
	}
	res.AtModel = AtModel{Point: points[len(points)-1], Labels: labels, Files: worstFiles(files)}
	res.Sweep = points[:len(thresholds)]
	if data != nil || stream != nil {
		res.Commands = &Commands{}
		if data != nil {
			res.Commands.Data, res.Commands.Split, res.Commands.Clips = opt.Data, opt.Split.String(), len(data.spans)
		}
		if stream != nil {
			res.Commands.Stream = opt.Stream
			for _, e := range opt.Truth {
				if detect.Reportable(e.Label) {
					res.Commands.StreamWords++
				}
			}
		}
	}
	return res, nil
}

// worstFiles lists the files that fired, most false alarms first (then by
// name), at most 20.
func worstFiles(files map[string]int) []FileCount {
	out := make([]FileCount, 0, len(files))
	for f, n := range files {
		out = append(out, FileCount{f, n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].FalseAlarms != out[j].FalseAlarms {
			return out[i].FalseAlarms > out[j].FalseAlarms
		}
		return out[i].File < out[j].File
	})
	return out[:min(len(out), 20)]
}

// source is one recording or folder to stream: negatives, the command
// clips of Data, or the Stream recording.
type source struct {
	path   string
	clips  []string      // a folder's clips in order; nil for a recording
	labels []string      // the command of each clip, "" for negatives
	spans  []detect.Span // where each clip streamed lies
	files  []string      // the clip of each span
	// seconds is the audio counted: a folder's clips, a recording whole.
	seconds  float64
	skipped  int
	streamed float64 // seconds streamed, gaps included
	trace    *detect.Trace
}

func (s *source) report() Source {
	if s.clips == nil {
		return Source{Path: s.path, Kind: "recording", Seconds: s.seconds}
	}
	return Source{Path: s.path, Kind: "clips", Clips: len(s.spans), Skipped: s.skipped, Seconds: s.seconds}
}

// negativesSource returns the source of a negatives path: a WAV or FLAC
// file is a recording; a folder is all .wav and .flac files below it,
// except in folders named like one of the model's commands (a dataset's
// command folders are no negatives).
func negativesSource(path string, commands map[string]bool, warn func(string, ...any)) (*source, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("negatives: %w", err)
	}
	if !fi.IsDir() {
		return &source{path: path}, nil
	}
	var clips, left []string
	err = filepath.WalkDir(path, func(p string, d os.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && p != path && commands[d.Name()]:
			left = append(left, d.Name())
			return filepath.SkipDir
		case !d.IsDir() && audio.Decodable(p):
			clips = append(clips, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("negatives: %w", err)
	}
	if len(left) > 0 {
		warn("%s: left out the folders named like the model's commands: %s", path, strings.Join(left, ", "))
	}
	if len(clips) == 0 {
		return nil, fmt.Errorf("negatives %s: no .wav or .flac files", path)
	}
	slices.Sort(clips)
	return &source{path: path, clips: clips, labels: make([]string, len(clips))}, nil
}

// commandSource returns the command clips of the split of dir (divided as
// the model's training divided it), taking the commands in turn so that no
// two clips of one command follow each other while others are left.
func commandSource(m *model.Model, dir string, split datasets.Split, commands map[string]bool) (*source, error) {
	opt, err := datasets.TrainedOptions(m.Meta.Labels, m.Meta.Training)
	if err != nil {
		return nil, err
	}
	opt.NoiseDir = "-"
	opt.SilencePct, opt.UnknownPct = -1, -1
	d, err := datasets.Scan(dir, opt)
	if err != nil {
		return nil, err
	}
	byWord := map[string][]string{}
	var words []string
	for _, c := range d.Clips {
		if c.Path == "" || !commands[c.Word] || split != datasets.All && c.Split != split {
			continue
		}
		if byWord[c.Word] == nil {
			words = append(words, c.Word)
		}
		byWord[c.Word] = append(byWord[c.Word], c.Path)
	}
	if len(words) == 0 {
		return nil, fmt.Errorf("%s: no clips of the model's commands in the %s split", dir, split)
	}
	slices.Sort(words)
	s := &source{path: dir}
	for k := 0; ; k++ {
		more := false
		for _, w := range words {
			if k < len(byWord[w]) {
				s.clips = append(s.clips, byWord[w][k])
				s.labels = append(s.labels, w)
				more = true
			}
		}
		if !more {
			return s, nil
		}
	}
}

// streamSeconds estimates from the headers how long the stream is, for
// progress.
func (s *source) streamSeconds(gap time.Duration) (float64, error) {
	if s.clips == nil {
		f, err := wavFormat(s.path)
		return f.Duration(), err
	}
	t := 0.0
	for _, p := range s.clips {
		if f, err := wavFormat(p); err == nil {
			t += f.Duration() + gap.Seconds()
		}
	}
	return t, nil
}

func wavFormat(path string) (audio.Format, error) {
	f, err := os.Open(path)
	if err != nil {
		return audio.Format{}, err
	}
	defer f.Close()
	format, err := audio.DecodeConfig(bufio.NewReader(f))
	if err != nil {
		return format, fmt.Errorf("%s: %w", path, err)
	}
	return format, nil
}

// record streams the source through the recorders and keeps its Trace.
// progress sees the seconds streamed.
func (s *source) record(ctx context.Context, recs []*detect.Recorder, gap time.Duration, mix *mixer, warn func(string, ...any), progress func(sec float64)) error {
	var src sampleReader
	if s.clips == nil {
		f, err := os.Open(s.path)
		if err != nil {
			return err
		}
		defer f.Close()
		level := 0.0
		if mix != nil {
			// The recording's speech level sets the noise's: a first pass
			// reads it through.
			if level, err = recordingLevel(f, s.path); err != nil {
				return err
			}
			if _, err := f.Seek(0, io.SeekStart); err != nil {
				return fmt.Errorf("%s: %w", s.path, err)
			}
		}
		r, err := audio.NewReader(bufio.NewReaderSize(f, 1<<16))
		if err != nil {
			return fmt.Errorf("%s: %w", s.path, err)
		}
		src = &recordingReader{r: r, path: s.path, mix: mix, level: level}
	} else {
		src = &clipReader{s: s, gap: detect.HopSamples(gap), first: recs[0].Lead() + recs[0].Hop(), mix: mix, warn: warn}
	}
	tr, n, err := recordParallel(ctx, src, recs, func(samples int64) { progress(float64(samples) / audio.Rate) })
	if err != nil {
		return err
	}
	s.trace = tr
	s.streamed = float64(n) / audio.Rate
	if s.clips == nil {
		s.seconds = s.streamed
	} else if len(s.spans) == 0 {
		return fmt.Errorf("%s: no clip could be read", s.path)
	}
	return nil
}

// sampleReader yields a stream's 16 kHz samples in order: some samples, or
// io.EOF at the end.
type sampleReader interface {
	Read(dst []float32) (int, error)
}

// recordingReader reads a long WAV, with a noise bed mixed in when mix is
// set.
type recordingReader struct {
	r     *audio.Reader
	path  string
	mix   *mixer
	level float64 // the recording's active speech level
}

func (r *recordingReader) Read(dst []float32) (int, error) {
	n, err := r.r.Read(dst)
	if n > 0 && r.mix != nil {
		r.mix.bed(dst[:n], r.level)
	}
	if err != nil && !errors.Is(err, io.EOF) {
		err = fmt.Errorf("%s: %w", r.path, err)
	}
	return n, err
}

// clipReader streams a folder's clips, each after gap samples of silence
// (the first after first samples, so that its window is whole), and
// records their spans in s.
type clipReader struct {
	s     *source
	gap   int
	first int
	mix   *mixer
	warn  func(string, ...any)
	next  int       // next clip
	pos   int64     // samples yielded so far
	cur   []float32 // what is left of the current gap and clip
	buf   []float32
}

func (c *clipReader) Read(dst []float32) (int, error) {
	for len(c.cur) == 0 {
		if c.next == len(c.s.clips) {
			return 0, io.EOF
		}
		p, label := c.s.clips[c.next], c.s.labels[c.next]
		c.next++
		x, err := audio.ReadFile(p)
		if err == nil && len(x) == 0 {
			err = fmt.Errorf("%s: no samples", p)
		}
		if err != nil {
			c.s.skipped++
			c.warn("skipped %v", err)
			continue
		}
		if c.mix != nil {
			c.mix.clip(x)
		}
		lead := c.gap
		if len(c.s.spans) == 0 {
			lead = c.first
		}
		c.buf = append(append(c.buf[:0], make([]float32, lead)...), x...)
		start := c.pos + int64(lead)
		c.s.spans = append(c.s.spans, detect.Span{Label: label,
			Start: detect.SamplesToDuration(start), End: detect.SamplesToDuration(start + int64(len(x)))})
		c.s.files = append(c.s.files, p)
		c.s.seconds += float64(len(x)) / audio.Rate
		c.cur = c.buf
	}
	n := copy(dst, c.cur)
	c.cur = c.cur[n:]
	c.pos += int64(n)
	return n, nil
}

// ParseThresholds reads a comma-separated list of thresholds in (0, 1)
// and returns them sorted, without repeats.
func ParseThresholds(s string) ([]float32, error) {
	var out []float32
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		v, err := strconv.ParseFloat(f, 32)
		if err != nil || !(v > 0 && v < 1) {
			return nil, fmt.Errorf("%q is not a threshold in (0, 1)", f)
		}
		out = append(out, float32(v))
	}
	if len(out) == 0 {
		return nil, errors.New("no threshold given")
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// pointMissRate is p's miss rate, NaN without commands.
func pointMissRate(p Point) float64 {
	if p.MissRate == nil {
		return math.NaN()
	}
	return *p.MissRate
}
