package mfcc_test

import (
	"encoding/json"
	"fmt"
	"math"
	"os"

	"github.com/listen-go/listen/mfcc"
)

// tone returns seconds of a sine wave at hz, amplitude 0.5, 16 kHz.
func tone(hz, seconds float64) []float32 {
	x := make([]float32, int(seconds*16000))
	for i := range x {
		x[i] = float32(0.5 * math.Sin(2*math.Pi*hz*float64(i)/16000))
	}
	return x
}

// Features of a one-second clip: 97 frames of 40 MFCCs, frame after frame.
func Example() {
	e, err := mfcc.New(mfcc.DefaultConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	samples := tone(440, 1) // in practice audio.ReadFile("yes.wav"); torchaudio gives the same, c0 -57.246, c1 29.211
	feats, err := e.Compute(nil, samples)
	if err != nil {
		fmt.Println(err)
		return
	}
	frames, coeffs := e.NumFrames(len(samples)), e.NumCoeffs()
	fmt.Println(frames, "frames of", coeffs, "=", len(feats), "values")
	last := feats[(frames-1)*coeffs : frames*coeffs]
	fmt.Printf("last frame starts %.2f s in: c0 %.1f, c1 %.1f\n",
		float64((frames-1)*e.Config().HopLength)/16000, last[0], last[1])
	// Output:
	// 97 frames of 40 = 3880 values
	// last frame starts 0.96 s in: c0 -57.2, c1 29.2
}

// A Stream turns audio arriving in pieces into the same frames as Compute.
func ExampleExtractor_NewStream() {
	e, err := mfcc.New(mfcc.DefaultConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	s := e.NewStream()
	samples := tone(440, 1)
	batch, _ := e.Compute(nil, samples)

	frames, same := 0, true
	emit := func(frame []float32) { // frame is reused: copy what you keep
		for k, v := range frame {
			same = same && v == batch[frames*len(frame)+k]
		}
		frames++
	}
	for len(samples) > 0 { // 10 ms at a time, as from a microphone
		n := min(160, len(samples))
		if err := s.Write(samples[:n], emit); err != nil {
			fmt.Println(err)
			return
		}
		samples = samples[n:]
	}
	fmt.Println(frames, "frames, identical to Compute:", same)
	// Output:
	// 97 frames, identical to Compute: true
}

// The Config is stored with a model as JSON.
func ExampleDefaultConfig() {
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	enc.Encode(mfcc.DefaultConfig())
	// Output:
	// {
	//  "sample_rate": 16000,
	//  "window_length": 480,
	//  "hop_length": 160,
	//  "fft_size": 512,
	//  "num_mels": 40,
	//  "min_freq": 20,
	//  "max_freq": 4000,
	//  "num_coeffs": 40,
	//  "log_mel": false
	// }
}

// A clip shorter than one frame (FFTSize samples) has no frames.
func ExampleExtractor_NumFrames() {
	e, _ := mfcc.New(mfcc.DefaultConfig())
	for _, n := range []int{100, 511, 512, 16000} {
		fmt.Println(n, "samples:", e.NumFrames(n), "frames")
	}
	// Output:
	// 100 samples: 0 frames
	// 511 samples: 0 frames
	// 512 samples: 1 frames
	// 16000 samples: 97 frames
}
