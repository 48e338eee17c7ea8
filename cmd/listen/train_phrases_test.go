package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/listen-go/listen/audio"
)

// writeTones writes n clips of a tone at hz, secs long, into dir.
func writeTones(t *testing.T, dir string, hz, secs float64, n int, prefix string) {
	t.Helper()
	rng := rand.New(rand.NewPCG(3, uint64(hz)))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for s := range n {
		x := make([]float32, int(secs*audio.Rate))
		for i := range x {
			x[i] = float32(0.02*rng.NormFloat64() + 0.4*math.Sin(2*math.Pi*hz*float64(i)/audio.Rate))
		}
		p := filepath.Join(dir, prefix+string(rune('a'+s%26))+string(rune('a'+s/26))+"_nohash_0.wav")
		if err := audio.WriteFile(p, x, audio.Rate); err != nil {
			t.Fatal(err)
		}
	}
}

// A folder of two "phrases" of 1.45 s with a labels file, other speech from
// a folder: the window comes from the clips (1.5 s), _unknown_ from the
// other folder, and the phrases go into the model's notes.
func TestTrainPhrases(t *testing.T) {
	data, other := t.TempDir(), t.TempDir()
	writeTones(t, filepath.Join(data, "lights_on"), 500, 1.45, 12, "on")
	writeTones(t, filepath.Join(data, "lights_off"), 1500, 1.45, 12, "off")
	if err := os.WriteFile(filepath.Join(data, "labels.txt"), []byte("lights_on\tlights on\nlights_off\tlights off\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	writeTones(t, filepath.Join(other, "hum"), 3000, 1, 12, "hum")
	out := filepath.Join(t.TempDir(), "p.safetensors")
	var stdout, stderr bytes.Buffer
	args := tinyArgs(data, out, "-unknown", other, "-unknown-pct", "50", "-hop", "20ms", "-place", "0.5", "-tight", "0.3")
	if code := run(context.Background(), args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), "window 1.5 s") {
		t.Errorf("stdout does not give the window:\n%s", stdout.String())
	}
	m := readModel(t, out)
	if got := strings.Join(m.Meta.Labels, ","); got != "_unknown_,lights_off,lights_on" {
		t.Errorf("labels %s", got)
	}
	if m.Meta.WindowSamples != 24000 || m.Meta.Features.HopLength != 320 {
		t.Errorf("window %d samples, hop %d: want 24000 and 320", m.Meta.WindowSamples, m.Meta.Features.HopLength)
	}
	var ph map[string]string
	if err := json.Unmarshal([]byte(m.Meta.Training["phrases"]), &ph); err != nil || ph["lights_off"] != "lights off" || len(ph) != 2 {
		t.Errorf("phrases %q: %v", m.Meta.Training["phrases"], err)
	}

	// -window overrides; out of range is a usage error.
	out2 := filepath.Join(t.TempDir(), "w.safetensors")
	if code := run(context.Background(), tinyArgs(data, out2, "-unknown", "-", "-window", "2s"), &stdout, &stderr); code != 0 {
		t.Fatalf("-window 2s: exit %d\n%s", code, stderr.String())
	}
	if w := readModel(t, out2).Meta.WindowSamples; w != 32000 {
		t.Errorf("-window 2s: %d samples", w)
	}
	for _, bad := range [][]string{{"-window", "4s"}, {"-hop", "1s"}} {
		stderr.Reset()
		if code := run(context.Background(), tinyArgs(data, out2, bad...), &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), bad[0]) {
			t.Errorf("%s %s: exit %d, stderr %q", bad[0], bad[1], code, stderr.String())
		}
	}
}
