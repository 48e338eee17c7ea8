package model_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"

	"github.com/listen-go/listen/model"
)

// Train a small LSTM to tell rising from falling sequences, then save it
// and load it back.
func Example() {
	const batch, T = 16, 10
	cfg := model.Config{Inputs: 1, Hidden: 8, Layers: 2, Classes: 2}
	m, err := model.New(cfg, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	m.Meta.Labels = []string{"rising", "falling"}
	rng := rand.New(rand.NewPCG(1, 2))
	makeBatch := func() ([]float32, []int) {
		x := make([]float32, batch*T)
		y := make([]int, batch)
		for b := range batch {
			y[b] = rng.IntN(2)
			start, step := rng.Float32()-0.5, 0.1+0.1*rng.Float32()
			if y[b] == 1 {
				step = -step
			}
			for t := range T {
				x[b*T+t] = start + float32(t)*step
			}
		}
		return x, y
	}

	ws := m.NewWorkspace(batch, T)
	grad := make([]float32, m.NumParams())
	opt := model.NewAdam(m.NumParams(), 0.01)
	for range 100 {
		x, y := makeBatch()
		clear(grad)
		ws.TrainBatch(grad, x, y, batch, T, nil)
		model.ClipGlobalNorm(grad, 5)
		opt.Step(m.Params(), grad)
	}

	var file bytes.Buffer
	if err := m.Encode(&file); err != nil {
		fmt.Println(err)
		return
	}
	loaded, err := model.Decode(&file)
	if err != nil {
		fmt.Println(err)
		return
	}
	x, y := makeBatch()
	probs := loaded.NewWorkspace(batch, T).Predict(nil, x, batch, T)
	correct := 0
	for b := range batch {
		if (probs[b*2] > probs[b*2+1]) == (y[b] == 0) {
			correct++
		}
	}
	fmt.Printf("%s vs %s: %d of %d right\n", loaded.Meta.Labels[0], loaded.Meta.Labels[1], correct, batch)
	// Output: rising vs falling: 16 of 16 right
}

func ExampleClipGlobalNorm() {
	grad := []float32{30, 40}
	norm := model.ClipGlobalNorm(grad, 5)
	fmt.Printf("norm %.0f, clipped to %.1f\n", norm, grad)
	// Output: norm 50, clipped to [3.0 4.0]
}

func ExampleModel_Tensors() {
	m, _ := model.New(model.DefaultConfig(), 1)
	for _, t := range m.Tensors() {
		fmt.Println(t.Name, t.Shape)
	}
	fmt.Println(m.NumParams(), "parameters")
	// Output:
	// lstm.weight_ih_l0 [512 40]
	// lstm.weight_hh_l0 [512 128]
	// lstm.bias_ih_l0 [512]
	// lstm.bias_hh_l0 [512]
	// lstm.weight_ih_l1 [512 128]
	// lstm.weight_hh_l1 [512 128]
	// lstm.bias_ih_l1 [512]
	// lstm.bias_hh_l1 [512]
	// fc.weight [12 128]
	// fc.bias [12]
	// 220684 parameters
}

// A Trainer spreads each batch over workers; Seed makes a step's dropout
// depend only on the seed given.
func ExampleTrainer() {
	cfg := model.Config{Inputs: 2, Hidden: 4, Layers: 2, Classes: 2, Dropout: 0.1}
	m, _ := model.New(cfg, 1)
	const batch, T = 8, 5
	tr := m.NewTrainer(2, batch, T, 1)
	x := make([]float32, batch*T*2)
	labels := make([]int, batch)
	for i := range x {
		x[i] = float32(i%7) / 7
	}
	grad := make([]float32, m.NumParams())
	opt := model.NewAdam(m.NumParams(), 1e-3)
	tr.Seed(42)
	loss, _, norm := tr.Step(grad, x, labels, batch, T, 5, opt)
	fmt.Println(tr.Workers(), "workers, loss finite:", loss > 0, "norm finite:", norm > 0)
	// Output: 2 workers, loss finite: true norm finite: true
}

func ExampleDecode() {
	m, _ := model.New(model.Config{Inputs: 3, Hidden: 2, Layers: 1, Classes: 2}, 1)
	var file bytes.Buffer
	if err := m.Encode(&file); err != nil {
		fmt.Println(err)
		return
	}
	_, err := model.Decode(bytes.NewReader(file.Bytes()[:file.Len()-10]))
	fmt.Println(err)
	// Output: model: invalid model file: truncated: tensor data ends after 238 of 248 bytes
}
