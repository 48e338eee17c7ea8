package record

import (
	"math"
	"path/filepath"
	"strings"
	"testing"
)

func tone(n, from, to int, amp float64) []float32 {
	x := make([]float32, n)
	for i := from; i < to; i++ {
		x[i] = float32(amp * math.Sin(2*math.Pi*440*float64(i)/16000))
	}
	return x
}

func TestTrimToWindow(t *testing.T) {
	const win = 16000
	cases := []struct {
		name      string
		x         []float32
		ok        bool
		wantStart int // where the speech starts in the clip, approximately
	}{
		// 0.4 s of tone at 0.5 s in a 1.5 s take: centred in the window.
		{"middle word", tone(24000, 8000, 14400, 0.3), true, 4800},
		// A word near the end cannot be centred: the window ends with the take.
		{"late word", tone(24000, 16000, 22400, 0.3), true, 8000},
		// A word at the very start stays at the start.
		{"early word", tone(24000, 0, 4000, 0.3), true, 0},
		// Longer than the window: keep its beginning.
		{"long", tone(24000, 2000, 23000, 0.3), true, 0},
		{"silence", make([]float32, 24000), false, 0},
		{"room noise only", tone(24000, 0, 24000, 0.001), false, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			clip, ok := TrimToWindow(c.x, win)
			if ok != c.ok {
				t.Fatalf("ok = %v, want %v", ok, c.ok)
			}
			if !ok {
				return
			}
			if len(clip) != win {
				t.Fatalf("len = %d, want %d", len(clip), win)
			}
			first := -1
			for i, v := range clip {
				if v != 0 {
					first = i
					break
				}
			}
			if d := first - c.wantStart; d < -800 || d > 800 {
				t.Errorf("speech starts at %d, want about %d", first, c.wantStart)
			}
		})
	}
}

func TestNextClipPath(t *testing.T) {
	dir := t.TempDir()
	p, err := nextClipPath(dir, "ann")
	if err != nil || p != filepath.Join(dir, "ann_nohash_0.wav") {
		t.Fatalf("got %q, %v", p, err)
	}
	if got := SpeakerName("Ann Lee_2"); got != "Ann-Lee-2" {
		t.Errorf("SpeakerName = %q", got)
	}
}

func TestRecordLabel(t *testing.T) {
	for _, tc := range []struct{ in, folder, phrase string }{
		{"yes", "yes", ""},
		{"_unknown_", "_unknown_", ""},
		{"lights-on", "lights-on", ""},
		{"turn on the lights", "turn_on_the_lights", "turn on the lights"},
		{" Hey,  what is the temperature? ", "hey_what_is_the_temperature", "Hey, what is the temperature?"},
	} {
		f, p, err := Folder(tc.in)
		if err != nil || f != tc.folder || p != tc.phrase {
			t.Errorf("Folder(%q) = %q, %q, %v; want %q, %q", tc.in, f, p, err, tc.folder, tc.phrase)
		}
	}
	for _, bad := range []string{"", "?!", "../x"} {
		if f, _, err := Folder(bad); err == nil && (f == "" || strings.Contains(f, "/") || strings.HasPrefix(f, ".")) {
			t.Errorf("Folder(%q) gave folder %q", bad, f)
		}
	}
}
