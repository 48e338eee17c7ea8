package train

import (
	"fmt"
	"image/color"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// PlotCurves writes a PNG of the training curves: the mean training loss
// by epoch on the left, training and validation accuracy on the right.
func PlotCurves(w io.Writer, history []Epoch) error {
	if len(history) == 0 {
		return fmt.Errorf("train: no epochs to plot")
	}
	loss := make(plotter.XYs, len(history))
	tr := make(plotter.XYs, len(history))
	va := make(plotter.XYs, len(history))
	for i, e := range history {
		x := float64(e.Epoch)
		loss[i] = plotter.XY{X: x, Y: e.Loss}
		tr[i] = plotter.XY{X: x, Y: 100 * e.TrainAcc}
		va[i] = plotter.XY{X: x, Y: 100 * e.ValAcc}
	}
	blue := color.RGBA{R: 31, G: 119, B: 180, A: 255}
	orange := color.RGBA{R: 255, G: 127, B: 14, A: 255}

	pl := plot.New()
	pl.Title.Text = "Training loss"
	pl.X.Label.Text = "epoch"
	pl.Y.Label.Text = "cross-entropy"
	pl.Add(plotter.NewGrid())
	l, err := plotter.NewLine(loss)
	if err != nil {
		return err
	}
	l.Color, l.Width = blue, vg.Points(1.5)
	pl.Add(l)
	pl.Y.Min = 0

	pa := plot.New()
	pa.Title.Text = "Accuracy"
	pa.X.Label.Text = "epoch"
	pa.Y.Label.Text = "%"
	pa.Add(plotter.NewGrid())
	lt, err := plotter.NewLine(tr)
	if err != nil {
		return err
	}
	lt.Color, lt.Width = blue, vg.Points(1.5)
	lv, err := plotter.NewLine(va)
	if err != nil {
		return err
	}
	lv.Color, lv.Width = orange, vg.Points(1.5)
	pa.Add(lt, lv)
	pa.Legend.Add("train", lt)
	pa.Legend.Add("validation", lv)
	pa.Legend.Top = false
	pa.Legend.Left = false
	pa.Legend.XOffs = -vg.Points(4)
	pa.Legend.YOffs = vg.Points(4)
	pa.Y.Min, pa.Y.Max = 0, 100
	pa.Y.Tick.Marker = plot.ConstantTicks{{Value: 0, Label: "0"}, {Value: 25, Label: "25"}, {Value: 50, Label: "50"}, {Value: 75, Label: "75"}, {Value: 100, Label: "100"}}
	if len(history) == 1 {
		for _, p := range []*plot.Plot{pl, pa} {
			p.X.Min, p.X.Max = 0.5, 1.5
		}
	}

	img := vgimg.NewWith(vgimg.UseWH(vg.Points(720), vg.Points(300)), vgimg.UseDPI(120))
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: 1, Cols: 2, PadX: vg.Points(16), PadY: vg.Points(8),
		PadTop: vg.Points(8), PadBottom: vg.Points(8), PadLeft: vg.Points(8), PadRight: vg.Points(12)}
	plots := [][]*plot.Plot{{pl, pa}}
	canvases := plot.Align(plots, tiles, dc)
	pl.Draw(canvases[0][0])
	pa.Draw(canvases[0][1])
	_, err = vgimg.PngCanvas{Canvas: img}.WriteTo(w)
	return err
}

// confusionGrid shows each row of a confusion matrix as fractions of the
// row's clips (the recall of the row's class on the diagonal).
type confusionGrid struct{ c *Confusion }

func (g confusionGrid) Dims() (int, int) { return len(g.c.Labels), len(g.c.Labels) }
func (g confusionGrid) X(c int) float64  { return float64(c) }
func (g confusionGrid) Y(r int) float64  { return float64(r) }
func (g confusionGrid) Z(c, r int) float64 {
	s := g.c.Support(r)
	if s == 0 {
		return 0
	}
	return float64(g.c.Counts[r][c]) / float64(s)
}

// whiteBlue runs from white to a dark blue.
type whiteBlue struct{}

func (whiteBlue) Colors() []color.Color {
	const n = 64
	cs := make([]color.Color, n)
	for i := range cs {
		f := float64(i) / (n - 1)
		cs[i] = color.RGBA{R: uint8(255 - f*(255-8)), G: uint8(255 - f*(255-48)), B: uint8(255 - f*(255-107)), A: 255}
	}
	return cs
}

// PlotConfusion writes a PNG of the confusion matrix: rows are the true
// classes, columns the predicted ones, each cell shaded by its share of
// the row and labelled with its count.
func PlotConfusion(w io.Writer, c *Confusion) error {
	n := len(c.Labels)
	if n == 0 {
		return fmt.Errorf("train: empty confusion matrix")
	}
	p := plot.New()
	p.Title.Text = fmt.Sprintf("Confusion matrix (accuracy %.1f%% of %d clips)", 100*c.Accuracy(), c.Total())
	p.Title.Padding = vg.Points(8)
	p.X.Label.Text = "predicted"
	p.Y.Label.Text = "true class"
	h := plotter.NewHeatMap(confusionGrid{c}, whiteBlue{})
	h.Min, h.Max = 0, 1
	p.Add(h)

	var xys plotter.XYs
	var labels []string
	var styles []text.Style
	fnt := font.From(plotter.DefaultFont, vg.Points(8))
	for r := range n {
		for col := range n {
			v := c.Counts[r][col]
			if v == 0 {
				continue
			}
			xys = append(xys, plotter.XY{X: float64(col), Y: float64(r)})
			labels = append(labels, fmt.Sprint(v))
			ink := color.Color(color.Black)
			if (confusionGrid{c}).Z(col, r) > 0.5 {
				ink = color.White
			}
			styles = append(styles, text.Style{Font: fnt, Color: ink, XAlign: draw.XCenter, YAlign: draw.YCenter, Handler: plot.DefaultTextHandler})
		}
	}
	if len(xys) > 0 {
		lab, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels})
		if err != nil {
			return err
		}
		lab.TextStyle = styles
		p.Add(lab)
	}
	ticks := make(plot.ConstantTicks, n)
	for i, l := range c.Labels {
		ticks[i] = plot.Tick{Value: float64(i), Label: l}
	}
	p.X.Tick.Marker = ticks
	p.Y.Tick.Marker = ticks
	p.X.Tick.Label.Rotation = 0.8
	p.X.Tick.Label.XAlign = draw.XRight
	p.X.Tick.Label.YAlign = draw.YCenter
	p.Y.Scale = plot.InvertedScale{Normalizer: plot.LinearScale{}}
	p.X.Min, p.X.Max = -0.5, float64(n)-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(n)-0.5
	side := vg.Points(float64(max(360, 36*n+120)))
	wt, err := p.WriterTo(side, side, "png")
	if err != nil {
		return err
	}
	_, err = wt.WriteTo(w)
	return err
}
