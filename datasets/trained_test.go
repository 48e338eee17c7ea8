package datasets

import (
	"slices"
	"testing"
)

func TestTrainedOptions(t *testing.T) {
	labels := []string{SilenceLabel, UnknownLabel, "yes", "no"}
	opt, err := TrainedOptions(labels, map[string]string{"flags": `{"val-pct":"0","test-pct":"15","seed":"7","noise":"-"}`})
	if err != nil {
		t.Fatal(err)
	}
	// A flag's 0 percent is none (-1 in Options); the seed and "-" noise carry over.
	if !slices.Equal(opt.Words, []string{"yes", "no"}) || opt.ValidationPct != -1 || opt.TestPct != 15 || opt.Seed != 7 || opt.NoiseDir != "-" {
		t.Errorf("options %+v", opt)
	}
	// A noise folder that is gone is not used.
	if opt, err := TrainedOptions(labels, map[string]string{"flags": `{"noise":"/nonexistent/noise"}`}); err != nil || opt.NoiseDir != "" {
		t.Errorf("gone noise folder: %q, %v", opt.NoiseDir, err)
	}
	if opt, err := TrainedOptions(labels, nil); err != nil || opt.ValidationPct != 0 || len(opt.Words) != 2 {
		t.Errorf("no training record: %+v, %v", opt, err)
	}
	for _, bad := range []string{`{`, `{"val-pct":"x"}`, `{"seed":"1.5"}`} {
		if _, err := TrainedOptions(labels, map[string]string{"flags": bad}); err == nil {
			t.Errorf("flags %s: no error", bad)
		}
	}
}
