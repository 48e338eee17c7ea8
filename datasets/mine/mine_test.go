package mine_test

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/datasets/mine"
	"github.com/listen-go/listen/model/embedded"
)

// files writes a silent file and a file of four commands, one second
// apart, and returns their paths.
func files(t *testing.T) []string {
	t.Helper()
	dir := t.TempDir()
	var long []float32
	for _, w := range []string{"yes", "stop", "left", "go"} {
		x, err := audio.ReadFile(filepath.Join("..", "..", "testdata", "listen", w+".wav"))
		if err != nil {
			t.Fatal(err)
		}
		long = append(long, x...)
		long = append(long, make([]float32, audio.Rate)...)
	}
	paths := []string{filepath.Join(dir, "quiet.wav"), filepath.Join(dir, "words.wav")}
	for i, x := range [][]float32{make([]float32, 3*audio.Rate), long} {
		if err := audio.WriteFile(paths[i], x, audio.Rate); err != nil {
			t.Fatal(err)
		}
	}
	return paths
}

func collect(t *testing.T, paths []string, opt mine.Options) []mine.Window {
	t.Helper()
	m, err := embedded.Default()
	if err != nil {
		t.Fatal(err)
	}
	var got []mine.Window
	if err := mine.Mine(context.Background(), m, paths, opt, func(w mine.Window) error {
		got = append(got, w)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return got
}

func TestMineFindsWhatFires(t *testing.T) {
	paths := files(t)
	got := collect(t, paths, mine.Options{Level: 0.8, Hop: 100 * time.Millisecond, Workers: 1})
	labels := map[string]bool{}
	for i, w := range got {
		if w.File != 1 {
			t.Errorf("window %d mined from the silent file", i)
		}
		if len(w.Samples) != audio.Rate || w.End-w.Start != time.Second {
			t.Errorf("window %d: %d samples from %v to %v, want one second", i, len(w.Samples), w.Start, w.End)
		}
		if w.P < 0.8 || w.Label == "" || strings.HasPrefix(w.Label, "_") {
			t.Errorf("window %d: %s at %v, want a command at 0.8 or more", i, w.Label, w.P)
		}
		if i > 0 && w.Start-got[i-1].Start < 500*time.Millisecond {
			t.Errorf("windows %d and %d are %v apart: one stretch of speech mined twice", i-1, i, w.Start-got[i-1].Start)
		}
		labels[w.Label] = true
	}
	for _, want := range []string{"yes", "go"} {
		if !labels[want] {
			t.Errorf("no window scored as %q; mined %v", want, labels)
		}
	}
	// The workers change nothing; a cap keeps the strongest.
	if again := collect(t, paths, mine.Options{Level: 0.8, Hop: 100 * time.Millisecond, Workers: 3}); !reflect.DeepEqual(again, got) {
		t.Error("three workers mined other windows than one")
	}
	capped := collect(t, paths, mine.Options{Level: 0.8, Hop: 100 * time.Millisecond, PerFile: 1})
	if len(capped) != 1 {
		t.Fatalf("-per-file 1 kept %d windows", len(capped))
	}
	for _, w := range got {
		if w.P > capped[0].P {
			t.Errorf("the cap kept %v, not the strongest %v", capped[0].P, w.P)
		}
	}
}

func TestMineRandomWindows(t *testing.T) {
	paths := files(t)
	// 3 s of silence and 8 s of words: 60 a minute is 3 and 8.
	got := collect(t, paths, mine.Options{Level: 0.999, Hop: 100 * time.Millisecond, Random: 60, Seed: 4})
	per := map[int]int{}
	for _, w := range got {
		if w.Label != "" {
			continue
		}
		per[w.File]++
		if w.End <= 0 || w.Start >= 11*time.Second {
			t.Errorf("random window %v to %v holds none of file %d", w.Start, w.End, w.File)
		}
	}
	if per[0] != 3 || per[1] != 8 {
		t.Errorf("random windows per file %v, want 3 and 8", per)
	}
	if again := collect(t, paths, mine.Options{Level: 0.999, Hop: 100 * time.Millisecond, Random: 60, Seed: 4}); !reflect.DeepEqual(again, got) {
		t.Error("the same seed cut other windows")
	}
}

func TestMineErrors(t *testing.T) {
	m, err := embedded.Default()
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "bad.wav")
	if err := os.WriteFile(bad, []byte("not audio"), 0o644); err != nil {
		t.Fatal(err)
	}
	err = mine.Mine(context.Background(), m, []string{bad}, mine.Options{}, func(mine.Window) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "bad.wav") {
		t.Errorf("unreadable file: %v, want an error naming it", err)
	}
	noise := [][]float32{make([]float32, 100)}
	for _, opt := range []mine.Options{{Level: 1}, {Level: -0.5}, {Hop: time.Hour}, {Random: -1}, {PerFile: -1}, {Noise: noise, SNR: math.NaN()}} {
		if err := mine.Mine(context.Background(), m, nil, opt, nil); err == nil {
			t.Errorf("%+v accepted", opt)
		}
	}
	stop := errors.New("stop")
	paths := files(t)
	if err := mine.Mine(context.Background(), m, paths, mine.Options{Random: 60}, func(mine.Window) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("emit's error: got %v", err)
	}
}

// A hum that fires nothing gets a command as its background noise: what
// fires is found only when the noise is mixed in, the same for a seed
// whatever the workers, and the windows hold the noise.
func TestMineInNoise(t *testing.T) {
	yes, err := audio.ReadFile(filepath.Join("..", "..", "testdata", "listen", "yes.wav"))
	if err != nil {
		t.Fatal(err)
	}
	hum := make([]float32, 4*audio.Rate)
	for i := range hum {
		hum[i] = float32(0.05 * math.Sin(2*math.Pi*150*float64(i)/audio.Rate))
	}
	path := filepath.Join(t.TempDir(), "hum.wav")
	if err := audio.WriteFile(path, hum, audio.Rate); err != nil {
		t.Fatal(err)
	}
	opt := mine.Options{Level: 0.7, Hop: 100 * time.Millisecond, Workers: 1, Seed: 3}
	if got := collect(t, []string{path}, opt); len(got) != 0 {
		t.Fatalf("the hum alone fired %d windows (%s at %v): no test of the noise", len(got), got[0].Label, got[0].P)
	}
	opt.Noise, opt.SNR = [][]float32{yes}, -10
	got := collect(t, []string{path}, opt)
	found := false
	for _, w := range got {
		found = found || w.Label == "yes"
		quiet := true
		for _, v := range w.Samples {
			if v > 0.06 || v < -0.06 {
				quiet = false
			}
		}
		if quiet {
			t.Errorf("window at %v holds the hum alone, not the noise that fired", w.Start)
		}
	}
	if !found {
		t.Errorf("with a yes as its noise, the hum gave %d windows and none of yes", len(got))
	}
	opt.Workers = 2
	if again := collect(t, []string{path, path}, opt); len(again) < len(got) || !reflect.DeepEqual(again[:len(got)], got) {
		t.Error("the same seed mixed other noise into the first file")
	}
}
