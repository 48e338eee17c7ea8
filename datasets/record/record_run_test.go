package record_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/datasets"
	"github.com/listen-go/listen/datasets/record"
)

func TestRecord(t *testing.T) {
	const win = 16000
	take := win + audio.Rate/2
	// One second of countdown, a silent take, a second, a word; a second,
	// a word.
	var play []float32
	play = append(play, make([]float32, audio.Rate+take)...)
	play = append(play, make([]float32, audio.Rate)...)
	play = append(play, word(take)...)
	play = append(play, make([]float32, audio.Rate)...)
	play = append(play, word(take)...)
	src := &takes{samples: play}
	dir := t.TempDir()
	var events []string
	opt := record.Options{Dir: dir, Label: "Lights  on!", N: 2, Window: win, Speaker: "Ann Lee", Countdown: 1}
	err := record.Record(context.Background(), func() (audio.Source, error) { return src, nil }, opt, func(e record.Event) {
		events = append(events, [...]string{"prompt", "tick", "now", "silence", "saved"}[e.Kind])
		if e.Kind == record.Saved {
			events[len(events)-1] += " " + filepath.Base(e.Path)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"prompt", "tick", "now", "silence", "prompt", "tick", "now", "saved Ann-Lee_nohash_0.wav",
		"prompt", "tick", "now", "saved Ann-Lee_nohash_1.wav"}
	if !reflect.DeepEqual(events, want) {
		t.Errorf("events %q, want %q", events, want)
	}
	if !src.closed || len(src.samples) != 0 {
		t.Errorf("source closed %v with %d samples left; want closed and all read", src.closed, len(src.samples))
	}
	for k := 0; k < 2; k++ {
		x, err := audio.ReadFile(filepath.Join(dir, "lights_on", "Ann-Lee_nohash_"+string(rune('0'+k))+".wav"))
		if err != nil || len(x) != win {
			t.Errorf("clip %d: %d samples, %v; want %d", k, len(x), err, win)
		}
	}
	labels, err := datasets.ReadLabels(filepath.Join(dir, datasets.LabelsFile))
	if err != nil || labels["lights_on"] != "Lights on!" {
		t.Errorf("labels.txt: %v, %v; want lights_on: Lights on!", labels, err)
	}
}

func TestRecordStops(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	stop := errors.New("device gone")
	src := &takes{samples: word(24000), err: stop}
	saved := 0
	opt := record.Options{Dir: dir, Label: "yes", N: 3, Window: 16000}
	err := record.Record(ctx, func() (audio.Source, error) { return src, nil }, opt, func(e record.Event) {
		if e.Kind == record.Saved {
			saved++
			cancel() // as Ctrl-C would, while the next take is read
		}
	})
	if !errors.Is(err, context.Canceled) || saved != 1 {
		t.Errorf("err %v after %d clips; want context.Canceled after 1", err, saved)
	}
	if files, _ := os.ReadDir(filepath.Join(dir, "yes")); len(files) != 1 {
		t.Errorf("%d files kept, want the 1 saved", len(files))
	}

	src = &takes{err: stop}
	err = record.Record(context.Background(), func() (audio.Source, error) { return src, nil }, opt, nil)
	if !errors.Is(err, stop) || !strings.HasPrefix(err.Error(), "capture: ") || !src.closed {
		t.Errorf("source failing: %v, closed %v; want capture: device gone, closed", err, src.closed)
	}
}

func TestRecordErrors(t *testing.T) {
	noMic := errors.New("no microphone")
	dir := t.TempDir()
	opened := false
	open := func() (audio.Source, error) { opened = true; return nil, noMic }
	for _, opt := range []record.Options{
		{Dir: dir, Label: "?!", N: 1, Window: 16000},
		{Dir: dir, Label: "yes", N: 0, Window: 16000},
		{Dir: dir, Label: "yes", N: 1, Window: 100},
		{Dir: dir, Label: "yes", N: 1, Window: 4 * 16000},
	} {
		if err := record.Record(context.Background(), open, opt, nil); err == nil || opened {
			t.Errorf("%+v: err %v, opened %v; want an error before opening", opt, err, opened)
		}
	}
	// The folder is made before the microphone is opened, so that a bad
	// folder is found first.
	err := record.Record(context.Background(), open, record.Options{Dir: dir, Label: "no", N: 1, Window: 16000}, nil)
	if !errors.Is(err, noMic) {
		t.Errorf("err %v, want %v", err, noMic)
	}
	if fi, err := os.Stat(filepath.Join(dir, "no")); err != nil || !fi.IsDir() {
		t.Errorf("folder no: %v", err)
	}
	if s := record.SpeakerName(""); s == "" || strings.Contains(s, "_") {
		t.Errorf("default speaker %q", s)
	}
}
