package synth

import (
	"strings"
	"testing"
)

func TestLabel(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"hey, what is the temperature", "hey_what_is_the_temperature"},
		{"Turn ON the lights!", "turn_on_the_lights"},
		{"  what's   on  ", "whats_on"},
		{"play some-music", "play_some_music"},
		{"stop_the_music", "stop_the_music"},
		{"set a timer for 10 minutes", "set_a_timer_for_10_minutes"},
		{"café au lait", "café_au_lait"},
		{"...", ""},
		{"", ""},
		{"_silence_", "silence"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := Label(tc.in); got != tc.want {
				t.Errorf("Label(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestParsePhrases(t *testing.T) {
	got, err := ParsePhrases(" hey, what is the temperature;turn on  the lights ;\n what time is it;; ")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"hey, what is the temperature", "turn on the lights", "what time is it"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q, want %q", got, want)
	}
	for _, bad := range []string{"", " ; ;", "yes; ?!", "turn on; Turn on!"} {
		if _, err := ParsePhrases(bad); err == nil {
			t.Errorf("ParsePhrases(%q): no error", bad)
		}
	}
}
