package evaluate_test

import (
	"context"
	"fmt"
	"log"

	"github.com/listen-go/listen/model/embedded"
	"github.com/listen-go/listen/train/evaluate"
)

// Score the default model's streaming detector on a recording with its
// ground truth, as listen eval -stream does.
func ExampleStream() {
	m, err := embedded.Default()
	if err != nil {
		log.Fatal(err)
	}
	truth, err := evaluate.ReadTruthFile("../../testdata/detect/commands.txt", m.Meta.Labels)
	if err != nil {
		log.Fatal(err)
	}
	res, err := evaluate.Stream(context.Background(), m, "../../testdata/detect/commands.wav", truth, evaluate.StreamOptions{})
	if err != nil {
		log.Fatal(err)
	}
	for _, d := range res.Found {
		fmt.Println(d.Label)
	}
	fmt.Printf("%d of %d commands correct\n", res.Stats.Correct, res.Stats.Words)
	// Output:
	// stop
	// yes
	// 2 of 4 commands correct
}
