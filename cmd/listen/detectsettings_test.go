package main

import (
	"flag"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/listen-go/listen/model"
)

// TestModelDetectionSettings: a model's stored settings replace the
// defaults, and flags the user gives replace the model's.
func TestModelDetectionSettings(t *testing.T) {
	m, err := model.New(model.Config{Inputs: 4, Hidden: 2, Layers: 1, Classes: 3}, 1)
	if err != nil {
		t.Fatal(err)
	}
	m.Meta.Detection = map[string]string{"threshold": "0.85", "average": "500ms"}
	for _, tc := range []struct {
		args      []string
		threshold float32
		average   time.Duration
	}{
		{nil, 0.85, 500 * time.Millisecond},
		{[]string{"-threshold", "0.6"}, 0.6, 500 * time.Millisecond},
		{[]string{"-average", "200ms", "-threshold", "0.7"}, 0.7, 200 * time.Millisecond},
	} {
		fs := flag.NewFlagSet("x", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		det := addDetectFlags(fs)
		if err := fs.Parse(tc.args); err != nil {
			t.Fatal(err)
		}
		if err := det.check(); err != nil {
			t.Fatal(err)
		}
		c, err := det.forModel(m, "m")
		if err != nil {
			t.Fatal(err)
		}
		if c.Threshold != tc.threshold || c.AverageWindow != tc.average {
			t.Errorf("%v: threshold %v average %v, want %v %v", tc.args, c.Threshold, c.AverageWindow, tc.threshold, tc.average)
		}
	}
	m.Meta.Detection = map[string]string{"threshold": "2"}
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	det := addDetectFlags(fs)
	if _, err := det.forModel(m, "bad.safetensors"); err == nil || !strings.Contains(err.Error(), "bad.safetensors") {
		t.Errorf("a model with a bad threshold: %v", err)
	}
}
