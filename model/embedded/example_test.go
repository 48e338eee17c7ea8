package embedded_test

import (
	"fmt"

	"github.com/listen-go/listen/model/embedded"
)

func ExampleDefault() {
	m, err := embedded.Default()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Meta.Labels)
	fmt.Println(m.Meta.WindowSamples, "samples at", m.Meta.Features.SampleRate, "Hz")
	// Output:
	// [_silence_ _unknown_ yes no up down left right on off stop go]
	// 16000 samples at 16000 Hz
}

func ExampleNames() {
	fmt.Println(embedded.Names())
	// Output: [default home]
}

func ExampleSuggest() {
	fmt.Println(embedded.Suggest("Default"))
	fmt.Println(embedded.Suggest("kitchen"))
	// Output:
	// the embedded models are default, home (did you mean "default"?)
	// the embedded models are default, home
}

func ExampleDecodeConfig() {
	_, meta, err := embedded.DecodeConfig("home")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(meta.WindowSamples, "samples,", len(meta.Labels), "labels")
	// Output: 41600 samples, 8 labels
}
