package detect

import (
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
