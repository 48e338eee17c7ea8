package embedded_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/listen-go/listen/model/embedded"
)

func TestLoadEveryModel(t *testing.T) {
	want := map[string]string{"default": "yes", "home": "turn_on_the_lights"}
	for _, name := range embedded.Names() {
		t.Run(name, func(t *testing.T) {
			m, err := embedded.Load(name)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(m.Meta.Labels, want[name]) {
				t.Errorf("labels %v lack %q", m.Meta.Labels, want[name])
			}
			if m.Meta.WindowSamples <= 0 || m.Meta.Features.SampleRate != 16000 {
				t.Errorf("window %d samples, features %+v", m.Meta.WindowSamples, m.Meta.Features)
			}
			if len(m.Meta.Detection) == 0 {
				t.Error("no detection settings")
			}
		})
	}
}

// TestNoMachinePaths checks that the shipped models' metadata names no
// folder or temporary file of the machine that built them.
func TestNoMachinePaths(t *testing.T) {
	for _, name := range embedded.Names() {
		m, err := embedded.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range m.Meta.Training {
			if strings.Contains(v, "/") || strings.Contains(v, `\`) {
				t.Errorf("%s: training note %s holds a path: %s", name, k, v)
			}
		}
	}
}

func TestLoadUnknown(t *testing.T) {
	if _, err := embedded.Load("kitchen"); err == nil || !strings.Contains(err.Error(), "kitchen") {
		t.Errorf("Load(kitchen): %v", err)
	}
}

func TestLoadIsFresh(t *testing.T) {
	a, err := embedded.Default()
	if err != nil {
		t.Fatal(err)
	}
	b, err := embedded.Default()
	if err != nil {
		t.Fatal(err)
	}
	a.Meta.Labels[2] = "changed"
	if b.Meta.Labels[2] == "changed" {
		t.Error("two loads share their metadata")
	}
}
