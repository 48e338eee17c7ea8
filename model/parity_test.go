package model

import (
	"bytes"
	"encoding/json"
	"flag"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/listen-go/listen/mfcc"
)

var update = flag.Bool("update", false, "rewrite testdata/go_written.safetensors and parity_input.json (then run testdata/torch_golden.py)")

type parityInput struct {
	Shape []int     `json:"shape"` // batch, T, Inputs
	X     []float32 `json:"x"`
}

type parityProbs struct {
	TorchVersion string    `json:"torch_version"`
	Command      string    `json:"command"`
	Shape        []int     `json:"shape"`
	Probs        []float32 `json:"probs"`
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// writeParityInputs makes the Go side of the goldens: a model with CMN,
// standardisation and dropout (which evaluation must ignore), its weights
// moved off their initial values, and an input batch.
func writeParityInputs(t *testing.T) {
	cfg := Config{Inputs: 40, Hidden: 16, Layers: 2, Classes: 5, Dropout: 0.2, CMN: true,
		InputMean: make([]float32, 40), InputStd: make([]float32, 40)}
	rng := rand.New(rand.NewPCG(11, 11))
	for i := range cfg.InputMean {
		cfg.InputMean[i] = 0.1 * float32(rng.NormFloat64())
		cfg.InputStd[i] = 0.5 + rng.Float32()
	}
	m, err := New(cfg, 11)
	if err != nil {
		t.Fatal(err)
	}
	for i := range m.params {
		m.params[i] += 0.2 * float32(rng.NormFloat64())
	}
	m.Meta = Metadata{Labels: []string{"yes", "no", "up", "down", "_unknown_"},
		Features: mfcc.DefaultConfig(), WindowSamples: 16000,
		Training: map[string]string{"note": "random weights for the PyTorch parity golden"}}
	var b bytes.Buffer
	if err := m.Encode(&b); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("testdata/go_written.safetensors", b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	in := parityInput{Shape: []int{3, 30, 40}}
	in.X = make([]float32, 3*30*40)
	for i := range in.X {
		in.X[i] = 2*float32(rng.NormFloat64()) + 1 // an offset for CMN to remove
	}
	data, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("testdata/parity_input.json", append(data, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Log("now run: /usr/bin/python3 model/testdata/torch_golden.py model/testdata")
}

// TestTorchParity checks (a) that weights written by this package give, in
// torch.nn.LSTM + nn.Linear, the probabilities Predict gives, and (b) that
// a safetensors file written from PyTorch loads and predicts what PyTorch
// predicted, both within 1e-4. The goldens come from
// testdata/torch_golden.py (see testdata/README.md).
func TestTorchParity(t *testing.T) {
	if *update {
		writeParityInputs(t)
	}
	var in parityInput
	readJSON(t, "testdata/parity_input.json", &in)
	B, T := in.Shape[0], in.Shape[1]
	for _, tc := range []struct{ model, probs string }{
		{"go_written.safetensors", "go_written_probs.json"},
		{"torch_written.safetensors", "torch_written_probs.json"},
	} {
		t.Run(tc.model, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tc.model))
			if err != nil {
				t.Fatal(err)
			}
			m, err := Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if tc.model == "go_written.safetensors" {
				// It is what this package writes.
				var b bytes.Buffer
				if err := m.Encode(&b); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(b.Bytes(), data) {
					t.Error("re-encoding gives different bytes")
				}
			}
			var want parityProbs
			readJSON(t, filepath.Join("testdata", tc.probs), &want)
			got := m.NewWorkspace(B, T).Predict(nil, in.X, B, T)
			if len(got) != len(want.Probs) {
				t.Fatalf("%d probabilities, golden has %d", len(got), len(want.Probs))
			}
			var worst float64
			for i := range got {
				d := math.Abs(float64(got[i] - want.Probs[i]))
				worst = math.Max(worst, d)
				if d > 1e-4 {
					t.Errorf("prob %d: %v, torch %s %v", i, got[i], want.TorchVersion, want.Probs[i])
				}
			}
			t.Logf("largest difference from torch %s: %.2g", want.TorchVersion, worst)
		})
	}
}
