package record_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/datasets/record"
)

// Two clips of a phrase from a source that plays two takes holding a word,
// with no countdown; a real program opens a microphone with mic.Open
// (package audio/mic).
func ExampleRecord() {
	dir, err := os.MkdirTemp("", "record")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	play := append(word(24000), word(24000)...)
	open := func() (audio.Source, error) { return &takes{samples: play}, nil }
	opt := record.Options{Dir: dir, Label: "turn on the lights", N: 2, Window: 16000, Speaker: "ann"}
	err = record.Record(context.Background(), open, opt, func(e record.Event) {
		if e.Kind == record.Saved {
			rel, _ := filepath.Rel(dir, e.Path)
			fmt.Printf("clip %d of %d: %s\n", e.Clip, e.N, filepath.ToSlash(rel))
		}
	})
	if err != nil {
		fmt.Println(err)
	}
	labels, _ := os.ReadFile(filepath.Join(dir, "labels.txt"))
	fmt.Printf("labels.txt: %q\n", labels)
	// Output:
	// clip 1 of 2: turn_on_the_lights/ann_nohash_0.wav
	// clip 2 of 2: turn_on_the_lights/ann_nohash_1.wav
	// labels.txt: "# label\tphrase\nturn_on_the_lights\tturn on the lights\n"
}
