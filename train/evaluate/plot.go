package evaluate

import (
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// PlotDET writes a PNG of the sweep's detection error trade-off: the share
// of commands missed (in percent) against false alarms an hour on a log
// axis, each point labelled with its threshold. A log axis has no zero:
// points with no false alarm are drawn at the axis's left edge, ticked
// "0", set apart from the decades by a dashed line, and the axis says how
// many hours of negatives that zero stands for (fewer than one false alarm
// in them). It needs command material (misses).
func (r *NegativesResult) PlotDET(w io.Writer) error {
	if !(r.Seconds > 0) {
		return errors.New("evaluate: no negatives to plot")
	}
	hours := r.Seconds / 3600
	ax := detAxis{one: 1 / hours}
	ax.zero = ax.one / 4
	var xys plotter.XYs
	var labels []string
	hi, top := ax.one, 10.0
	for _, p := range r.Sweep {
		if p.MissRate == nil {
			continue
		}
		x := p.FalseAlarmsPerHour
		if x == 0 {
			x = ax.zero
		}
		hi, top = max(hi, x), max(top, 110**p.MissRate)
		xys = append(xys, plotter.XY{X: x, Y: 100 * *p.MissRate})
		labels = append(labels, strconv.FormatFloat(p.Threshold, 'g', -1, 64))
	}
	if len(xys) == 0 {
		return errors.New("evaluate: no misses counted to plot (no command material)")
	}
	p := plot.New()
	p.Title.Text = fmt.Sprintf("%s: misses against false alarms (%.2f h of negatives)", r.Model, hours)
	p.X.Label.Text = fmt.Sprintf("false alarms an hour (log); 0 = none in the %.2f h of negatives", hours)
	p.Y.Label.Text = "commands missed, %"
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = ax
	p.X.Min = ax.zero
	p.X.Max = max(math.Pow(10, math.Ceil(math.Log10(hi*1.01))), 10*ax.one)
	p.Y.Min = 0
	// The edge where zero is drawn, apart from the decades.
	edge, err := plotter.NewLine(plotter.XYs{{X: ax.edge(), Y: 0}, {X: ax.edge(), Y: min(top, 100)}})
	if err != nil {
		return err
	}
	edge.Dashes = []vg.Length{vg.Points(3), vg.Points(3)}
	edge.Color = color.Gray{Y: 120}
	p.Add(edge)
	p.Add(plotter.NewGrid())
	blue := color.RGBA{R: 31, G: 119, B: 180, A: 255}
	l, s, err := plotter.NewLinePoints(xys)
	if err != nil {
		return err
	}
	l.Color, l.Width = blue, vg.Points(1.5)
	s.Color, s.Shape = blue, draw.CircleGlyph{}
	p.Add(l, s)
	lab, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels})
	if err != nil {
		return err
	}
	for i := range lab.TextStyle {
		lab.TextStyle[i].Font.Size = vg.Points(7)
		lab.TextStyle[i].XAlign = draw.XLeft
	}
	lab.Offset = vg.Point{X: vg.Points(3), Y: vg.Points(2)}
	p.Add(lab)
	wt, err := p.WriterTo(vg.Points(560), vg.Points(380), "png")
	if err != nil {
		return err
	}
	_, err = wt.WriteTo(w)
	return err
}

// detAxis ticks a log axis of false alarms an hour whose left edge, zero,
// stands for none: one is one false alarm in all the negatives, the least
// above none that can be measured.
type detAxis struct{ zero, one float64 }

// edge is where the dashed line between none and the decades is drawn.
func (a detAxis) edge() float64 { return math.Sqrt(a.zero * a.one) }

// Ticks implements plot.Ticker: "0" at the edge, then the log ticks above
// the line.
func (a detAxis) Ticks(lo, hi float64) []plot.Tick {
	ticks := []plot.Tick{{Value: a.zero, Label: "0"}}
	for _, t := range (plot.LogTicks{Prec: -1}).Ticks(a.edge(), hi) {
		if t.Value > a.edge()*1.2 {
			ticks = append(ticks, t)
		}
	}
	return ticks
}
