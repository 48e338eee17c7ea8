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
// axis, each point labelled with its threshold. A log axis cannot show
// zero: points with no false alarm are drawn at half a false alarm in all
// the negatives, the left edge. It needs command material (misses).
func (r *NegativesResult) PlotDET(w io.Writer) error {
	if !(r.Seconds > 0) {
		return errors.New("evaluate: no negatives to plot")
	}
	floor := 0.5 / (r.Seconds / 3600)
	var xys plotter.XYs
	var labels []string
	hi := floor
	for _, p := range r.Sweep {
		if p.MissRate == nil {
			continue
		}
		x := max(p.FalseAlarmsPerHour, floor)
		hi = max(hi, x)
		xys = append(xys, plotter.XY{X: x, Y: 100 * *p.MissRate})
		labels = append(labels, strconv.FormatFloat(p.Threshold, 'g', -1, 64))
	}
	if len(xys) == 0 {
		return errors.New("evaluate: no misses counted to plot (no command material)")
	}
	p := plot.New()
	p.Title.Text = fmt.Sprintf("%s: misses against false alarms (%.2f h of negatives)", r.Model, r.Seconds/3600)
	p.X.Label.Text = "false alarms an hour (log)"
	p.Y.Label.Text = "commands missed, %"
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = plot.LogTicks{Prec: -1}
	// Whole decades around the points, so that the log ticks have room.
	p.X.Min = math.Pow(10, math.Floor(math.Log10(floor)))
	p.X.Max = max(math.Pow(10, math.Ceil(math.Log10(hi*1.01))), 10*p.X.Min)
	p.Y.Min = 0
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
