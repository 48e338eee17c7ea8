package train

import (
	"context"
	"fmt"
	"io"
	"strings"
)

// Confusion counts a classifier's answers: Counts[truth][predicted].
type Confusion struct {
	Labels []string `json:"labels"`
	Counts [][]int  `json:"counts"`
}

// NewConfusion returns an empty confusion matrix over labels.
func NewConfusion(labels []string) *Confusion {
	c := &Confusion{Labels: append([]string(nil), labels...), Counts: make([][]int, len(labels))}
	for i := range c.Counts {
		c.Counts[i] = make([]int, len(labels))
	}
	return c
}

// Add counts one clip of class truth predicted as pred.
func (c *Confusion) Add(truth, pred int) { c.Counts[truth][pred]++ }

// Total is the number of clips counted.
func (c *Confusion) Total() int {
	n := 0
	for _, row := range c.Counts {
		for _, v := range row {
			n += v
		}
	}
	return n
}

// Correct is the number of clips predicted as their own class.
func (c *Confusion) Correct() int {
	n := 0
	for i := range c.Counts {
		n += c.Counts[i][i]
	}
	return n
}

// Accuracy is Correct/Total, 0 when nothing was counted.
func (c *Confusion) Accuracy() float64 {
	t := c.Total()
	if t == 0 {
		return 0
	}
	return float64(c.Correct()) / float64(t)
}

// Support is the number of clips of class k.
func (c *Confusion) Support(k int) int {
	n := 0
	for _, v := range c.Counts[k] {
		n += v
	}
	return n
}

// Predicted is the number of clips predicted as class k.
func (c *Confusion) Predicted(k int) int {
	n := 0
	for i := range c.Counts {
		n += c.Counts[i][k]
	}
	return n
}

// Precision of class k: of the clips predicted k, the fraction that are k;
// 0 when none was predicted k.
func (c *Confusion) Precision(k int) float64 {
	p := c.Predicted(k)
	if p == 0 {
		return 0
	}
	return float64(c.Counts[k][k]) / float64(p)
}

// Recall of class k: of the clips of class k, the fraction predicted k; 0
// when there are none.
func (c *Confusion) Recall(k int) float64 {
	s := c.Support(k)
	if s == 0 {
		return 0
	}
	return float64(c.Counts[k][k]) / float64(s)
}

// Report writes the accuracy, a per-class table of precision, recall and
// support, and the matrix (rows true class, columns predicted).
func (c *Confusion) Report(w io.Writer) error {
	lw := len("class")
	for _, l := range c.Labels {
		lw = max(lw, len(l))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "accuracy %.2f%% (%d of %d)\n\n", 100*c.Accuracy(), c.Correct(), c.Total())
	fmt.Fprintf(&b, "%-*s  precision  recall  clips\n", lw, "class")
	for k, l := range c.Labels {
		fmt.Fprintf(&b, "%-*s  %8.1f%%  %5.1f%%  %5d\n", lw, l, 100*c.Precision(k), 100*c.Recall(k), c.Support(k))
	}
	b.WriteString("\nconfusion matrix (rows: true class, columns: predicted)\n")
	cw := 3
	for _, row := range c.Counts {
		for _, v := range row {
			cw = max(cw, len(fmt.Sprint(v)))
		}
	}
	for _, l := range c.Labels {
		cw = max(cw, len(abbrev(l)))
	}
	fmt.Fprintf(&b, "%-*s", lw, "")
	for _, l := range c.Labels {
		fmt.Fprintf(&b, " %*s", cw, abbrev(l))
	}
	b.WriteString("\n")
	for i, row := range c.Counts {
		fmt.Fprintf(&b, "%-*s", lw, c.Labels[i])
		for _, v := range row {
			fmt.Fprintf(&b, " %*d", cw, v)
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// abbrev shortens a label for a column heading.
func abbrev(l string) string {
	l = strings.Trim(l, "_")
	if len(l) > 5 {
		return l[:5]
	}
	return l
}

// Evaluate runs p over every batch of set and counts its answers (the
// class of highest probability). classes is the number of classes; 0 takes
// it from the first batch's output. Labels of the returned matrix are the
// class numbers; callers set real names.
func Evaluate(ctx context.Context, p Predictor, set Set, classes int) (*Confusion, error) {
	var c *Confusion
	var probs []float32
	if classes > 0 {
		c = NewConfusion(numbered(classes))
	}
	for b, err := range set.Batches(ctx) {
		if err != nil {
			return nil, err
		}
		if b.N == 0 {
			continue
		}
		probs = p.Predict(probs, b)
		if len(probs)%b.N != 0 || len(probs) == 0 {
			return nil, fmt.Errorf("train: predictor gave %d values for %d clips", len(probs), b.N)
		}
		k := len(probs) / b.N
		if c == nil {
			c = NewConfusion(numbered(k))
		}
		if k != len(c.Labels) {
			return nil, fmt.Errorf("train: predictor gave %d classes, want %d", k, len(c.Labels))
		}
		for i := range b.N {
			row := probs[i*k : (i+1)*k]
			best := 0
			for j, v := range row {
				if v > row[best] {
					best = j
				}
			}
			y := b.Labels[i]
			if y < 0 || y >= k {
				return nil, fmt.Errorf("train: label %d out of range [0, %d)", y, k)
			}
			c.Add(y, best)
		}
	}
	if c == nil {
		c = NewConfusion(nil)
	}
	return c, nil
}

func numbered(n int) []string {
	l := make([]string, n)
	for i := range l {
		l[i] = fmt.Sprint(i)
	}
	return l
}
