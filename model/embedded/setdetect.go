//go:build ignore

// setdetect writes a copy of a model file with other detection settings,
// or with its weights in half precision, all its other metadata unchanged.
// Run from the repository root:
//
//	go run model/embedded/setdetect.go -in IN.safetensors -out OUT.safetensors -detect "threshold=0.95,average=500ms"
//	go run model/embedded/setdetect.go -in IN.safetensors -out OUT.safetensors -half
//
// -detect replaces the whole set, written and checked as listen train
// -detect takes it (recipe.ParseDetect); without it the settings are kept.
// -half writes the tensors as F16 (model.Model.EncodeHalf); without it
// they are written as float32.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"

	"github.com/listen-go/listen/internal/atomicfile"
	"github.com/listen-go/listen/model"
	"github.com/listen-go/listen/train/recipe"
)

func main() {
	in := flag.String("in", "", "model file to read")
	out := flag.String("out", "", "model file to write")
	settings := flag.String("detect", "", "detection settings, key=value,...")
	half := flag.Bool("half", false, "write the weights in half precision")
	flag.Parse()
	if err := run(*in, *out, *settings, *half); err != nil {
		fmt.Fprintln(os.Stderr, "setdetect:", err)
		os.Exit(1)
	}
}

func run(in, out, settings string, half bool) error {
	if in == "" || out == "" || settings == "" && !half {
		return fmt.Errorf("-in, -out and -detect or -half are required")
	}
	b, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	m, err := model.Decode(bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	if settings != "" {
		d, err := recipe.ParseDetect(settings)
		if err != nil {
			return err
		}
		m.Meta.Detection = d
	}
	if half {
		return atomicfile.Write(out, m.EncodeHalf)
	}
	return atomicfile.Write(out, m.Encode)
}
