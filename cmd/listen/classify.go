package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/listen-go/listen"
	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/model"
	"github.com/listen-go/listen/model/detect"
	"github.com/listen-go/listen/train/evaluate"
)

func init() {
	register(command{name: "classify", summary: "classify WAV and FLAC files, or find the commands in long recordings", run: runClassify})
}

// topLabel is one label and its probability, as classify prints them.
type topLabel struct {
	Label string  `json:"label"`
	P     float32 `json:"p"`
}

// clipResult is classify's JSON line for a clip no longer than the model's
// window.
type clipResult struct {
	File string     `json:"file"`
	Top  []topLabel `json:"top"`
}

// detectionResult is the JSON line for one command found in a long
// recording, and the live listener's line (without a file).
type detectionResult struct {
	File  string  `json:"file,omitempty"`
	Label string  `json:"label"`
	P     float32 `json:"p"`
	Start float64 `json:"start"`
	End   float64 `json:"end"`
}

func newDetectionResult(file string, d detect.Detection) detectionResult {
	return detectionResult{File: file, Label: d.Label, P: d.P, Start: d.Start.Seconds(), End: d.End.Seconds()}
}

func runClassify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("classify", stderr)
	jsonOut := fs.Bool("json", false, "print one JSON object per line")
	top := fs.Int("top", 3, "how many labels to print for each clip, 1 to the model's number of labels")
	modelName := fs.String("model", "default", "model: default, home, or a .safetensors file")
	det := addDetectFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: listen classify [flags] FILE.wav|FILE.flac|DIR ...\n\nClips up to the model's window get their top labels; longer recordings\nget the commands found in them, with start and end times.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError("no files given (run \"listen classify -h\")")
	}
	if *top < 1 {
		return usageError("-top %d: want 1 to the model's number of labels", *top)
	}
	m, cfg, err := det.load(*modelName)
	if err != nil {
		return err
	}
	clf, err := detect.ForModel(m)
	if err != nil {
		return fmt.Errorf("model %s: %w", *modelName, err)
	}
	streamer, err := detect.NewStreamer(clf, cfg)
	if err != nil {
		return err
	}
	if n := len(clf.Labels()); *top > n {
		return usageError("-top %d: the model has %d labels; want 1 to %d", *top, n, n)
	}
	c := &classifier{m: m, clf: clf, streamer: streamer, top: *top, json: *jsonOut, out: stdout, window: make([]float32, clf.Window())}

	failed, total := 0, 0
	for _, arg := range fs.Args() {
		files, err := audio.Files(arg)
		total += max(len(files), 1)
		if err != nil {
			fmt.Fprintf(stderr, "listen classify: %s\n", oneLine(err.Error()))
			failed++
			continue
		}
		for _, f := range files {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := c.file(ctx, f, stderr); err != nil {
				fmt.Fprintf(stderr, "listen classify: %s\n", oneLine(err.Error()))
				failed++
			}
		}
	}
	if failed > 0 && total > 1 { // one file's error line says it all
		fmt.Fprintf(stderr, "listen classify: %d file(s) failed\n", failed)
	}
	if failed > 0 {
		return errSilent
	}
	return nil
}

// classifier classifies files one after another, reusing its buffers.
type classifier struct {
	m        *model.Model
	clf      *detect.ModelClassifier
	streamer *detect.Streamer
	top      int
	json     bool
	out      io.Writer
	window   []float32
}

// file classifies one file and prints the result: a clip no longer than
// the window is read whole; a longer recording is streamed through the
// detector in constant memory.
func (c *classifier) file(ctx context.Context, path string, stderr io.Writer) error {
	samples, long, err := audio.ReadFileMax(path, len(c.window))
	switch {
	case err != nil:
		return err
	case long:
		return c.long(ctx, path, stderr)
	case len(samples) == 0:
		return fmt.Errorf("%s: no samples", path)
	}
	return c.clip(path, samples)
}

// clip prints the top labels of a clip no longer than the window, padded
// as listen.PadClip pads it.
func (c *classifier) clip(path string, samples []float32) error {
	top, err := listen.Classify(c.m, samples, c.top)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	res := clipResult{File: path}
	for _, t := range top {
		res.Top = append(res.Top, topLabel{Label: t.Label, P: t.P})
	}
	if c.json {
		return writeJSONLine(c.out, res)
	}
	var b strings.Builder
	b.WriteString(path)
	for _, t := range res.Top {
		fmt.Fprintf(&b, "\t%s %.3f", t.Label, t.P)
	}
	_, err = fmt.Fprintln(c.out, b.String())
	return err
}

// long prints the commands found in a recording longer than the window,
// as the live listener would have printed them; when there are none, a
// line on stderr says so, so that an empty output is not taken for a
// file that was skipped.
func (c *classifier) long(ctx context.Context, path string, stderr io.Writer) error {
	var werr error
	found := 0
	prog, finish := progressBar(stderr, path, 60, clockSeconds)
	dur, err := evaluate.DetectFile(ctx, path, c.streamer, func(d detect.Detection) {
		found++
		if werr == nil {
			werr = printDetection(c.out, path, d, c.json)
		}
	}, prog)
	finish()
	if err != nil {
		return err
	}
	if found == 0 && werr == nil {
		fmt.Fprintf(stderr, "listen classify: %s: no commands in %v\n", path, dur.Round(100*time.Millisecond))
	}
	return werr
}

// printDetection prints one detected command: as a JSON line, or as
// "[file\t]start-end\tlabel\tp".
func printDetection(w io.Writer, file string, d detect.Detection, asJSON bool) error {
	if asJSON {
		return writeJSONLine(w, newDetectionResult(file, d))
	}
	prefix := ""
	if file != "" {
		prefix = file + "\t"
	}
	_, err := fmt.Fprintf(w, "%s%s-%s\t%s\t%.3f\n", prefix, clock(d.Start), clock(d.End), d.Label, d.P)
	return err
}

// clock formats a time since the start as [h:]mm:ss.mmm.
func clock(t time.Duration) string {
	ms := t.Milliseconds()
	h, m, s := ms/3600000, ms/60000%60, float64(ms%60000)/1000
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%06.3f", h, m, s)
	}
	return fmt.Sprintf("%02d:%06.3f", m, s)
}

func writeJSONLine(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}
