package mfccview

import (
	"fmt"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// WritePNG draws the frames as a heat map titled title: time (s) across,
// coefficient (or mel band) up. MFCCs differ in scale by coefficient (c0 is
// the overall level, tens of times the others), so each coefficient is
// shown as its z-score over the clip, clamped to ±3, on a diverging
// blue-red map; log mel energies share one scale, on a black-body map. It
// needs at least two frames.
func (f Frames) WritePNG(w io.Writer, title string) error {
	frames := f.Len()
	if frames < 2 {
		return fmt.Errorf("mfccview: %d frames, too few to draw", frames)
	}
	g := grid{f: f, z: make([]float64, len(f.Data))}
	p := plot.New()
	var cmap palette.ColorMap
	if f.Config.LogMel {
		lo, hi := math.Inf(1), math.Inf(-1)
		for i, v := range f.Data {
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
		zScores(g.z, f.Data, f.Coeffs)
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
	width := vg.Length(math.Max(6, math.Min(20, float64(frames)*0.07))) * vg.Inch
	wt, err := p.WriterTo(width, 4.5*vg.Inch, "png")
	if err != nil {
		return err
	}
	_, err = wt.WriteTo(w)
	return err
}

// zScores sets dst to each column of the row-major data (coeffs columns)
// as z-scores over its rows, clamped to [-3, 3]; a constant column gives 0.
func zScores(dst []float64, data []float32, coeffs int) {
	frames := len(data) / coeffs
	for k := 0; k < coeffs; k++ {
		var mean, sq float64
		for i := 0; i < frames; i++ {
			mean += float64(data[i*coeffs+k])
		}
		mean /= float64(frames)
		for i := 0; i < frames; i++ {
			d := float64(data[i*coeffs+k]) - mean
			sq += d * d
		}
		sd := math.Sqrt(sq / float64(frames))
		for i := 0; i < frames; i++ {
			z := 0.0
			if sd > 0 {
				z = (float64(data[i*coeffs+k]) - mean) / sd
			}
			dst[i*coeffs+k] = math.Max(-3, math.Min(3, z))
		}
	}
}

// grid presents frames to plotter.HeatMap: column = time, row =
// coefficient. Each value is repeated up*up times so that the rasterized
// heat map, which is scaled with interpolation, keeps sharp cell edges.
type grid struct {
	f Frames
	z []float64 // values to colour, laid out like f.Data
}

const up = 4

func (g grid) Dims() (c, r int)   { return g.f.Len() * up, g.f.Coeffs * up }
func (g grid) Z(c, r int) float64 { return g.z[c/up*g.f.Coeffs+r/up] }

// Y is the coefficient index; cell r/up is centred on it.
func (g grid) Y(r int) float64 { return (float64(r)+0.5)/up - 0.5 }

// X is the time in seconds; cell c/up is centred on the frame's centre.
func (g grid) X(c int) float64 {
	frame := (float64(c)+0.5)/up - 0.5
	cfg := g.f.Config
	return (frame*float64(cfg.HopLength) + float64(cfg.FFTSize)/2) / float64(cfg.SampleRate)
}
