package mfccview

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/listen-go/listen/mfcc"
)

// Frames is one clip's features: Data holds the frames row-major, Coeffs
// values each, as the extractor built from Config computes them.
type Frames struct {
	Data   []float32
	Coeffs int
	Config mfcc.Config
}

// Compute returns the frames of samples under cfg.
func Compute(cfg mfcc.Config, samples []float32) (Frames, error) {
	e, err := mfcc.New(cfg)
	if err != nil {
		return Frames{}, err
	}
	data, err := e.Compute(nil, samples)
	if err != nil {
		return Frames{}, err
	}
	return Frames{Data: data, Coeffs: e.NumCoeffs(), Config: e.Config()}, nil
}

// Len returns the number of frames.
func (f Frames) Len() int {
	if f.Coeffs == 0 {
		return 0
	}
	return len(f.Data) / f.Coeffs
}

// Row returns frame i.
func (f Frames) Row(i int) []float32 { return f.Data[i*f.Coeffs : (i+1)*f.Coeffs] }

// What names the values: "MFCCs", or "log mel energies" when Config.LogMel
// is set.
func (f Frames) What() string {
	if f.Config.LogMel {
		return "log mel energies"
	}
	return "MFCCs"
}

// WriteJSON writes {"frames": N, "coeffs": C, "data": [[...], ...]} and a
// newline.
func (f Frames) WriteJSON(w io.Writer) error {
	rows := make([][]float32, f.Len())
	for i := range rows {
		rows[i] = f.Row(i)
	}
	b, err := json.Marshal(struct {
		Frames int         `json:"frames"`
		Coeffs int         `json:"coeffs"`
		Data   [][]float32 `json:"data"`
	}{f.Len(), f.Coeffs, rows})
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// WriteCSV writes one frame a line, each value with the fewest digits that
// read back to the same float32, so that the output can be compared with a
// reference exactly.
func (f Frames) WriteCSV(w io.Writer) error {
	bw := bufio.NewWriter(w)
	var buf []byte
	for i := 0; i < f.Len(); i++ {
		buf = buf[:0]
		for k, v := range f.Row(i) {
			if k > 0 {
				buf = append(buf, ',')
			}
			buf = strconv.AppendFloat(buf, float64(v), 'g', -1, 32)
		}
		bw.Write(append(buf, '\n'))
	}
	return bw.Flush()
}

// WriteTable writes a comment line naming the clip (name) and the shape,
// then one frame a line: its start in seconds, then its values.
func (f Frames) WriteTable(w io.Writer, name string) error {
	bw := bufio.NewWriter(w)
	rate := float64(f.Config.SampleRate)
	fmt.Fprintf(bw, "# %s: %d frames x %d %s, one frame every %g ms; first column: frame start (s)\n",
		name, f.Len(), f.Coeffs, f.What(), 1000*float64(f.Config.HopLength)/rate)
	for i := 0; i < f.Len(); i++ {
		fmt.Fprintf(bw, "%6.3f", float64(i*f.Config.HopLength)/rate)
		for _, v := range f.Row(i) {
			fmt.Fprintf(bw, " %8.3f", v)
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}
