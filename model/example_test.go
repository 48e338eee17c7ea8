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
