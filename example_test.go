package listen_test

import (
	"context"
	"fmt"
	"log"

	"github.com/listen-go/listen"
	"github.com/listen-go/listen/audio"
)

// Find the commands in a WAV file with the default model.
func Example() {
	m, err := listen.DefaultModel()
	if err != nil {
		log.Fatal(err)
	}
	samples, err := audio.ReadFile("testdata/detect/commands.wav")
	if err != nil {
		log.Fatal(err)
	}
	r, err := listen.NewRecognizer(m, nil) // the model's own settings
	if err != nil {
		log.Fatal(err)
	}
	found, err := r.Write(nil, samples)
	if err != nil {
		log.Fatal(err)
	}
	found, err = r.Flush(found)
	if err != nil {
		log.Fatal(err)
	}
	for _, d := range found {
		fmt.Printf("%v-%v %s %.2f\n", d.Start, d.End, d.Label, d.P)
	}
	// Output:
	// 2.6s-3.6s stop 0.83
	// 4s-5s yes 0.78
}

// Stream samples through a recognizer in chunks of any size, as they
// arrive from a microphone or a network.
func ExampleRecognizer_Write() {
	m, err := listen.DefaultModel()
	if err != nil {
		log.Fatal(err)
	}
	samples, err := audio.ReadFile("testdata/detect/commands.wav")
	if err != nil {
		log.Fatal(err)
	}
	r, err := listen.NewRecognizer(m, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	var found []listen.Detection
	for len(samples) > 0 {
		n := min(len(samples), 1000) // a chunk of 62.5 ms
		if found, err = r.Write(found[:0], samples[:n]); err != nil {
			log.Fatal(err)
		}
		for _, d := range found {
			fmt.Println(d.Label, "ends at", d.End)
		}
		samples = samples[n:]
	}
	if found, err = r.Flush(found[:0]); err != nil {
		log.Fatal(err)
	}
	for _, d := range found {
		fmt.Println(d.Label, "ends at", d.End)
	}
	// Output:
	// stop ends at 3.6s
	// yes ends at 5s
}

// Classify one clip: its three most likely labels.
func ExampleClassify() {
	m, err := listen.DefaultModel()
	if err != nil {
		log.Fatal(err)
	}
	clip, err := audio.ReadFile("testdata/listen/left.wav")
	if err != nil {
		log.Fatal(err)
	}
	top, err := listen.Classify(m, clip, 3)
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range top {
		fmt.Printf("%s %.2f\n", s.Label, s.P)
	}
	// Output:
	// left 1.00
	// yes 0.00
	// _unknown_ 0.00
}

// Run a recognizer on a source of live audio until it ends: here a WAV
// file played as a microphone would be (with realtime false, as fast as
// it decodes). A microphone is package audio/mic's: mic.Open gives a
// source, and mic.Listen opens one and calls Run.
func ExampleRun() {
	m, err := listen.DefaultModel()
	if err != nil {
		log.Fatal(err)
	}
	r, err := listen.NewRecognizer(m, nil)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background() // cancel it to stop a live source
	src, err := audio.OpenFileSource(ctx, "testdata/detect/commands.wav", false)
	if err != nil {
		log.Fatal(err)
	}
	defer src.Close()
	err = listen.Run(ctx, r, src, func(d listen.Detection) error {
		fmt.Printf("%s at %v\n", d.Label, d.End)
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("heard", r.Elapsed())
	// Output:
	// stop at 3.6s
	// yes at 5s
	// heard 9s
}

// The detection settings a model carries, and those in effect once the
// fields it leaves zero take detect's defaults.
func ExampleModelConfig() {
	m, err := listen.HomeModel()
	if err != nil {
		log.Fatal(err)
	}
	cfg, err := listen.ModelConfig(m)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("stored: threshold %v, average %v, hop %v\n", cfg.Threshold, cfg.AverageWindow, cfg.Hop)
	r, err := listen.NewRecognizer(m, &cfg)
	if err != nil {
		log.Fatal(err)
	}
	in := r.Config()
	fmt.Printf("in effect: threshold %v, average %v, hop %v, min-count %d\n", in.Threshold, in.AverageWindow, in.Hop, in.MinCount)
	// Output:
	// stored: threshold 0.75, average 500ms, hop 0s
	// in effect: threshold 0.75, average 500ms, hop 100ms, min-count 2
}
