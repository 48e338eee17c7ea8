package mkstream_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/datasets/mkstream"
)

// Build a 20-second stream from a folder with two words and one other
// word, keeping it in memory (no Out or Truth file).
func ExampleMake() {
	data, err := os.MkdirTemp("", "mkstream-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(data)
	for _, word := range []string{"yes", "no", "tree"} {
		clip := make([]float32, audio.Rate/2)
		for i := range clip {
			clip[i] = 0.1
		}
		if err := os.MkdirAll(filepath.Join(data, word), 0o755); err != nil {
			log.Fatal(err)
		}
		if err := audio.WriteFile(filepath.Join(data, word, "speaker1_nohash_0.wav"), clip, audio.Rate); err != nil {
			log.Fatal(err)
		}
	}

	opt := mkstream.DefaultOptions()
	opt.Data, opt.Words, opt.Duration = data, []string{"yes", "no"}, 20*time.Second
	s, err := mkstream.Make(context.Background(), opt)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.Duration())
	for _, e := range s.Truth[:3] {
		fmt.Println(e.Time, e.Label)
	}
	// Output:
	// 20s
	// 1.595s no
	// 4.117s yes
	// 7.563s _unknown_
}
