package evaluate

import (
	"bytes"
	"image/png"
	"testing"
)

// Zero false alarms are drawn at the axis's left edge, ticked "0", and no
// decade tick falls between that edge and one false alarm in all the
// negatives.
func TestDETAxisZero(t *testing.T) {
	miss := func(v float64) *float64 { return &v }
	r := &NegativesResult{Model: "m", Seconds: 2 * 3600, Sweep: []Point{
		{Threshold: 0.5, FalseAlarmsPerHour: 30, MissRate: miss(0.1)},
		{Threshold: 0.8, FalseAlarmsPerHour: 0.5, MissRate: miss(0.2)},
		{Threshold: 0.9, FalseAlarmsPerHour: 0, MissRate: miss(0.3)},
	}}
	var buf bytes.Buffer
	if err := r.PlotDET(&buf); err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(&buf); err != nil {
		t.Fatal(err)
	}
	ax := detAxis{one: 0.5, zero: 0.125}
	ticks := ax.Ticks(ax.zero, 100)
	if ticks[0].Value != ax.zero || ticks[0].Label != "0" {
		t.Fatalf("first tick %+v, want 0 at the edge %v", ticks[0], ax.zero)
	}
	labelled := 0
	for _, tk := range ticks[1:] {
		if tk.Value <= ax.edge() {
			t.Errorf("tick %+v left of the line at %v", tk, ax.edge())
		}
		if tk.Label != "" {
			labelled++
		}
	}
	if labelled < 2 {
		t.Errorf("ticks %+v: want the decades 1 to 100 labelled", ticks)
	}
	if !(ax.zero < ax.edge() && ax.edge() < ax.one) {
		t.Errorf("line at %v is not between none (%v) and one false alarm (%v)", ax.edge(), ax.zero, ax.one)
	}
}
