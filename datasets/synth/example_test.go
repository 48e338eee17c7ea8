package synth_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/listen-go/listen/datasets/synth"
)

func ExampleLabel() {
	fmt.Println(synth.Label("Hey, what is the temperature?"))
	fmt.Println(synth.Label("what's on"))
	// Output:
	// hey_what_is_the_temperature
	// whats_on
}

func ExampleParsePhrases() {
	phrases, err := synth.ParsePhrases("turn on the lights; turn off the lights;")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%q\n", phrases)
	// Output:
	// ["turn on the lights" "turn off the lights"]
}

// Generate needs espeak-ng or flite (Debian: sudo apt-get install espeak-ng
// flite).
func ExampleGenerate() {
	dir, err := os.MkdirTemp("", "synth-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	res, err := synth.Generate(context.Background(), synth.Options{
		Phrases:   []string{"turn on the lights", "turn off the lights"},
		Dir:       dir,
		PerPhrase: 4,
		Seed:      1,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(res.Clips), "clips")
	c := res.Clips[1]
	fmt.Println(c.Label, c.Voice.Engine)
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*.wav"))
	fmt.Println(len(files), "files")
	// Output:
	// 8 clips
	// turn_on_the_lights flite
	// 8 files
}
