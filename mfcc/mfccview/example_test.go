package mfccview_test

import (
	"fmt"
	"math"
	"os"

	"github.com/listen-go/listen/mfcc"
	"github.com/listen-go/listen/mfcc/mfccview"
)

// The first four MFCCs of the two frames of a 440 Hz tone, as a table.
func ExampleFrames_WriteTable() {
	x := make([]float32, 672) // two frames of 512 samples, 160 apart
	for i := range x {
		x[i] = float32(0.5 * math.Sin(2*math.Pi*440*float64(i)/16000))
	}
	cfg := mfcc.DefaultConfig()
	cfg.NumCoeffs = 4
	f, err := mfccview.Compute(cfg, x)
	if err != nil {
		fmt.Println(err)
		return
	}
	f.WriteTable(os.Stdout, "tone")
	// Output:
	// # tone: 2 frames x 4 MFCCs, one frame every 10 ms; first column: frame start (s)
	//  0.000  -57.262   29.206    3.108  -13.717
	//  0.010  -57.246   29.211    3.105  -13.703
}
