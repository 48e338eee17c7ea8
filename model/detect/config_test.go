package detect

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

func TestParseSettingsRoundTrip(t *testing.T) {
	in := map[string]string{"threshold": "0.8", "average": "500ms", "hop": "50ms", "suppress": "1s", "min-count": "3", "gate": "-50"}
	c, err := ParseSettings(in)
	if err != nil {
		t.Fatal(err)
	}
	want := Config{Hop: 50 * time.Millisecond, AverageWindow: 500 * time.Millisecond, Threshold: 0.8,
		Suppression: time.Second, MinCount: 3, Gate: -50}
	if c != want {
		t.Fatalf("ParseSettings = %+v, want %+v", c, want)
	}
	back, err := ParseSettings(c.Settings())
	if err != nil || back != c {
		t.Errorf("round trip through Settings %v: %+v, %v", c.Settings(), back, err)
	}
	if c, err := ParseSettings(nil); err != nil || c != (Config{}) {
		t.Errorf("no settings: %+v, %v", c, err)
	}
}

func TestParseSettingsErrors(t *testing.T) {
	for _, tc := range []struct {
		in   map[string]string
		want string
	}{
		{map[string]string{"treshold": "0.8"}, `unknown setting "treshold"`},
		{map[string]string{"threshold": "high"}, `threshold="high"`},
		{map[string]string{"threshold": "1.5"}, "not in (0, 1)"},
		{map[string]string{"average": "5"}, `average="5"`},
		{map[string]string{"gate": "3"}, "not below 0"},
	} {
		_, err := ParseSettings(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseSettings(%v) = %v, want an error containing %q", tc.in, err, tc.want)
		}
	}
}

// Check refuses each setting out of its range with a *SettingError naming
// the setting and the range, and takes the defaults and the limits.
func TestConfigCheck(t *testing.T) {
	ok := DefaultConfig()
	for _, tc := range []struct {
		name   string
		change func(*Config)
		want   string // "" for no error
	}{
		{"defaults", func(*Config) {}, ""},
		{"zero suppression", func(c *Config) { c.Suppression = 0 }, ""},
		{"shortest hop", func(c *Config) { c.Hop = time.Millisecond }, ""},
		{"longest average", func(c *Config) { c.AverageWindow = 10 * time.Second }, ""},
		{"no gate", func(c *Config) { c.Gate = NoGate }, ""},
		{"min-count all the average holds", func(c *Config) { c.AverageWindow, c.MinCount = 500*time.Millisecond, 6 }, ""},
		{"hop 1ns", func(c *Config) { c.Hop = 1 }, "hop 1ns: must be from 1ms to 100ms"},
		{"hop 0", func(c *Config) { c.Hop = 0 }, "hop 0s: must be from 1ms to 100ms"},
		{"hop 200ms", func(c *Config) { c.Hop = 200 * time.Millisecond }, "hop 200ms: must be from 1ms to 100ms"},
		{"average 100h", func(c *Config) { c.AverageWindow = 100 * time.Hour }, "average 100h0m0s: must be more than 0 and at most 10s"},
		{"average 0", func(c *Config) { c.AverageWindow = 0 }, "average 0s: must be more than 0"},
		{"threshold 1", func(c *Config) { c.Threshold = 1 }, "threshold 1: must be above 0 and below 1 (0 and 1 excluded)"},
		{"threshold 0", func(c *Config) { c.Threshold = 0 }, "threshold 0: must be above 0"},
		{"threshold NaN", func(c *Config) { c.Threshold = float32(math.NaN()) }, "threshold NaN"},
		{"suppress -1s", func(c *Config) { c.Suppression = -time.Second }, "suppress -1s: must be from 0 to 1m (0: 1.5s"},
		{"min-count 0", func(c *Config) { c.MinCount = 0 }, "min-count 0: must be at least 1"},
		{"min-count 1000", func(c *Config) { c.MinCount = 1000 }, "min-count 1000: more than the 4 results an average of 300ms at a 100ms hop holds"},
		{"min-count 7 of 6", func(c *Config) { c.AverageWindow, c.MinCount = 500*time.Millisecond, 7 }, "more than the 6 results"},
		{"gate 10", func(c *Config) { c.Gate = 10 }, "gate 10: must be below 0 dBFS"},
		{"gate 0", func(c *Config) { c.Gate = 0 }, "gate 0: must be below 0 dBFS"},
		{"gate NaN", func(c *Config) { c.Gate = math.NaN() }, "gate NaN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := ok
			tc.change(&c)
			err := c.Check()
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Check() = %v, want nil", err)
				}
				return
			}
			var se *SettingError
			if !errors.As(err, &se) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Check() = %v, want a *SettingError containing %q", err, tc.want)
			}
			if !strings.HasPrefix(tc.name, se.Name+" ") {
				t.Errorf("SettingError names %q, want the setting of %q", se.Name, tc.name)
			}
		})
	}
}

// Holds counts the results an average holds at a hop rounded to samples.
func TestConfigHolds(t *testing.T) {
	for _, tc := range []struct {
		avg, hop time.Duration
		want     int
	}{
		{500 * time.Millisecond, 100 * time.Millisecond, 6},
		{300 * time.Millisecond, 100 * time.Millisecond, 4},
		{100 * time.Millisecond, 100 * time.Millisecond, 2},
		{50 * time.Millisecond, 100 * time.Millisecond, 1},
		{time.Second, 30 * time.Millisecond, 34},
	} {
		if got := (Config{AverageWindow: tc.avg, Hop: tc.hop}).Holds(); got != tc.want {
			t.Errorf("average %v hop %v: Holds() = %d, want %d", tc.avg, tc.hop, got, tc.want)
		}
	}
}
