package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/internal/atomicfile"
	"github.com/listen-go/listen/mfcc"
)

func init() {
	register(command{name: "features", summary: "print MFCC frames of a WAV file", run: runFeatures})
}

// runFeatures prints, or draws, the features the models read for one WAV
// file: mfcc.DefaultConfig, the torchaudio-matching MFCCs.
func runFeatures(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("features", stderr)
	asJSON := fs.Bool("json", false, `print {"frames": N, "coeffs": C, "data": [[...], ...]}`)
	asCSV := fs.Bool("csv", false, "print one frame per line, values separated by commas")
	pngPath := fs.String("png", "", "draw the frames to this PNG file instead (time across, coefficient up)")
	logMel := fs.Bool("logmel", false, "log mel energies (40 bands) instead of MFCCs")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: listen features [-json | -csv | -png out.png] [-logmel] FILE.wav")
		fmt.Fprintln(stderr, "\nPrints the features the models read: 40 MFCCs every 10 ms (30 ms Hann window,\n"+
			"40 HTK mel bands 20-4000 Hz), as torchaudio 0.13's MFCC computes them. The\n"+
			"default output is a table, one frame per line with its start time.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError("want one WAV file, got %d arguments", fs.NArg())
	}
	formats := 0
	for _, on := range []bool{*asJSON, *asCSV, *pngPath != ""} {
		if on {
			formats++
		}
	}
	if formats > 1 {
		return usageError("choose one of -json, -csv and -png")
	}
	path := fs.Arg(0)

	cfg := mfcc.DefaultConfig()
	cfg.LogMel = *logMel
	e, err := mfcc.New(cfg)
	if err != nil {
		return err
	}
	samples, err := audio.ReadFile(path)
	if err != nil {
		return err
	}
	data, err := e.Compute(nil, samples)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	f := features{data: data, frames: e.NumFrames(len(samples)), coeffs: e.NumCoeffs(), cfg: e.Config()}

	switch {
	case *pngPath != "":
		if f.frames < 2 {
			return fmt.Errorf("%s: %d samples give %d frames, too few to draw (a frame is %d samples)",
				path, len(samples), f.frames, cfg.FFTSize)
		}
		title := filepath.Base(path)
		if err := atomicfile.Write(*pngPath, func(w io.Writer) error { return f.drawPNG(w, title) }); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: %d frames x %d %s\n", *pngPath, f.frames, f.coeffs, f.what())
		return nil
	case *asJSON:
		return f.writeJSON(stdout)
	case *asCSV:
		return f.writeCSV(stdout)
	default:
		return f.writeTable(stdout, path)
	}
}

// features is one clip's frames, row-major.
type features struct {
	data           []float32
	frames, coeffs int
	cfg            mfcc.Config
}

func (f features) row(i int) []float32 { return f.data[i*f.coeffs : (i+1)*f.coeffs] }

func (f features) what() string {
	if f.cfg.LogMel {
		return "log mel energies"
	}
	return "MFCCs"
}

func (f features) writeJSON(w io.Writer) error {
	rows := make([][]float32, f.frames)
	for i := range rows {
		rows[i] = f.row(i)
	}
	b, err := json.Marshal(struct {
		Frames int         `json:"frames"`
		Coeffs int         `json:"coeffs"`
		Data   [][]float32 `json:"data"`
	}{f.frames, f.coeffs, rows})
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// writeCSV writes each value with the fewest digits that read back to the
// same float32, so that the output can be compared with a reference exactly.
func (f features) writeCSV(w io.Writer) error {
	bw := bufio.NewWriter(w)
	var buf []byte
	for i := 0; i < f.frames; i++ {
		buf = buf[:0]
		for k, v := range f.row(i) {
			if k > 0 {
				buf = append(buf, ',')
			}
			buf = strconv.AppendFloat(buf, float64(v), 'g', -1, 32)
		}
		bw.Write(append(buf, '\n'))
	}
	return bw.Flush()
}

func (f features) writeTable(w io.Writer, path string) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# %s: %d frames x %d %s, one frame every %g ms; first column: frame start (s)\n",
		path, f.frames, f.coeffs, f.what(), 1000*float64(f.cfg.HopLength)/float64(f.cfg.SampleRate))
	for i := 0; i < f.frames; i++ {
		fmt.Fprintf(bw, "%6.3f", float64(i*f.cfg.HopLength)/float64(f.cfg.SampleRate))
		for _, v := range f.row(i) {
			fmt.Fprintf(bw, " %8.3f", v)
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// drawPNG draws the frames as a heat map: time (s) across, coefficient (or
// mel band) up. MFCCs differ in scale by coefficient (c0 is the overall
// level, tens of times the others), so each coefficient is shown as its
// z-score over the clip on a diverging blue-red map; log mel energies share
// one scale, on a black-body map.
func (f features) drawPNG(w io.Writer, title string) error {
	g := grid{f: f, z: make([]float64, len(f.data))}
	p := plot.New()
	var cmap palette.ColorMap
	if f.cfg.LogMel {
		lo, hi := math.Inf(1), math.Inf(-1)
		for i, v := range f.data {
			g.z[i] = float64(v)
			lo, hi = math.Min(lo, g.z[i]), math.Max(hi, g.z[i])
		}
		if hi <= lo {
			hi = lo + 1
		}
		cmap = moreland.ExtendedBlackBody()
		cmap.SetMin(lo)
		cmap.SetMax(hi)
		p.Title.Text = fmt.Sprintf("%s: log mel energy %.1f (black) to %.1f (white)", title, lo, hi)
		p.Y.Label.Text = "mel band"
	} else {
		for k := 0; k < f.coeffs; k++ {
			var mean, sq float64
			for i := 0; i < f.frames; i++ {
				mean += float64(f.data[i*f.coeffs+k])
			}
			mean /= float64(f.frames)
			for i := 0; i < f.frames; i++ {
				d := float64(f.data[i*f.coeffs+k]) - mean
				sq += d * d
			}
			sd := math.Sqrt(sq / float64(f.frames))
			for i := 0; i < f.frames; i++ {
				z := 0.0
				if sd > 0 {
					z = (float64(f.data[i*f.coeffs+k]) - mean) / sd
				}
				g.z[i*f.coeffs+k] = math.Max(-3, math.Min(3, z))
			}
		}
		m := moreland.SmoothBlueRed()
		m.SetMin(-3)
		m.SetMax(3)
		cmap = m
		p.Title.Text = title + ": MFCC z-score per coefficient, -3 (blue) to +3 (red)"
		p.Y.Label.Text = "MFCC coefficient"
	}
	h := plotter.NewHeatMap(g, cmap.Palette(256))
	h.Rasterized = true
	p.Add(h)
	p.X.Label.Text = "time (s)"
	p.X.Padding, p.Y.Padding = 0, 0
	width := vg.Length(math.Max(6, math.Min(20, float64(f.frames)*0.07))) * vg.Inch
	wt, err := p.WriterTo(width, 4.5*vg.Inch, "png")
	if err != nil {
		return err
	}
	_, err = wt.WriteTo(w)
	return err
}

// grid presents features to plotter.HeatMap: column = time, row =
// coefficient. Each value is repeated up*up times so that the rasterized heat
// map, which is scaled with interpolation, keeps sharp cell edges.
type grid struct {
	f features
	z []float64 // values to colour, laid out like f.data
}

const up = 4

func (g grid) Dims() (c, r int)   { return g.f.frames * up, g.f.coeffs * up }
func (g grid) Z(c, r int) float64 { return g.z[c/up*g.f.coeffs+r/up] }

// Y is the coefficient index; cell r/up is centred on it.
func (g grid) Y(r int) float64 { return (float64(r)+0.5)/up - 0.5 }

// X is the time in seconds; cell c/up is centred on the frame's centre.
func (g grid) X(c int) float64 {
	frame := (float64(c)+0.5)/up - 0.5
	return (frame*float64(g.f.cfg.HopLength) + float64(g.f.cfg.FFTSize)/2) / float64(g.f.cfg.SampleRate)
}
