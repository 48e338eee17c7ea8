package train_test

import (
	"bytes"
	"context"
	"fmt"
	"iter"
	"math/rand/v2"
	"os"

	"github.com/listen-go/listen/model"
	"github.com/listen-go/listen/train"
)

// sliceSet is an evaluation set held in memory: one batch.
type sliceSet struct{ b *train.Batch }

func (s sliceSet) Batches(ctx context.Context) iter.Seq2[*train.Batch, error] {
	return func(yield func(*train.Batch, error) bool) { yield(s.b, nil) }
}

// Train a small LSTM to tell rising from falling sequences, then evaluate it.
func ExampleRun() {
	m, err := model.New(model.Config{Inputs: 1, Hidden: 8, Layers: 1, Classes: 2}, 1)
	if err != nil {
		panic(err)
	}
	// Sequences of 6 frames with one feature: class 0 rises, class 1 falls.
	ramps := func(n int, seed uint64) *train.Batch {
		rng := rand.New(rand.NewPCG(seed, 0))
		b := &train.Batch{X: make([]float32, n*6), Labels: make([]int, n), N: n, T: 6}
		for i := range n {
			b.Labels[i] = i % 2
			slope := float32(0.5 + rng.Float64())
			if b.Labels[i] == 1 {
				slope = -slope
			}
			for t := range 6 {
				b.X[i*6+t] = slope * float32(t-3)
			}
		}
		return b
	}
	data := &memSource{batches: []*train.Batch{ramps(16, 1), ramps(16, 2), ramps(16, 3)}}
	val := sliceSet{ramps(32, 9)}

	net := train.NewModelNet(m, 2, 16, 6)
	cfg := train.Config{Epochs: 20, LR: 0.05, Seed: 1}
	res, err := train.Run(context.Background(), net, data, val, cfg, nil)
	if err != nil {
		panic(err)
	}
	conf, err := train.Evaluate(context.Background(), net, val, 2)
	if err != nil {
		panic(err)
	}
	fmt.Println("epochs:", len(res.History))
	fmt.Println("validation accuracy of the kept weights is the best:", conf.Accuracy() == res.BestAcc)
	fmt.Println("learned:", res.BestAcc > 0.9)
	// Output:
	// epochs: 20
	// validation accuracy of the kept weights is the best: true
	// learned: true
}

// memSource yields the same batches every epoch, in an order drawn from the
// epoch number.
type memSource struct{ batches []*train.Batch }

func (s *memSource) NumBatches() int { return len(s.batches) }

func (s *memSource) Epoch(ctx context.Context, epoch, start int) iter.Seq2[*train.Batch, error] {
	return func(yield func(*train.Batch, error) bool) {
		order := rand.New(rand.NewPCG(uint64(epoch), 0)).Perm(len(s.batches))
		for _, i := range order[start:] {
			if !yield(s.batches[i], nil) {
				return
			}
		}
	}
}

func ExampleConfusion_Report() {
	c := train.NewConfusion([]string{"yes", "no"})
	c.Add(0, 0)
	c.Add(0, 0)
	c.Add(0, 1)
	c.Add(1, 1)
	c.Report(os.Stdout)
	// Output:
	// accuracy 75.00% (3 of 4)
	//
	// class  precision  recall  clips
	// yes       100.0%   66.7%      3
	// no         50.0%  100.0%      1
	//
	// confusion matrix (rows: true class, columns: predicted)
	//       yes  no
	// yes     2   1
	// no      0   1
}

func ExampleDecodeCheckpoint() {
	c := &train.Checkpoint{Epoch: 3, Batches: 10, Optimizer: "adam", Params: []float32{1, 2}, Best: []float32{1, 2},
		Meta: map[string]string{"flags": `{"hidden":"128"}`}}
	var file bytes.Buffer // a checkpoint file, written atomically by the caller
	if err := c.Encode(&file); err != nil {
		panic(err)
	}
	got, err := train.DecodeCheckpoint(&file)
	if err != nil {
		panic(err)
	}
	fmt.Println(got.Epoch, got.Params, got.Meta["flags"])
	// Output: 3 [1 2] {"hidden":"128"}
}

func ExamplePlotCurves() {
	var png bytes.Buffer
	err := train.PlotCurves(&png, []train.Epoch{{Epoch: 1, Loss: 1.5, TrainAcc: 0.4, ValAcc: 0.5}, {Epoch: 2, Loss: 0.9, TrainAcc: 0.7, ValAcc: 0.72}})
	fmt.Println(err, bytes.HasPrefix(png.Bytes(), []byte("\x89PNG")))
	// Output: <nil> true
}

func ExamplePlotConfusion() {
	c := train.NewConfusion([]string{"yes", "no"})
	c.Add(0, 0)
	c.Add(1, 0)
	var png bytes.Buffer
	err := train.PlotConfusion(&png, c)
	fmt.Println(err, bytes.HasPrefix(png.Bytes(), []byte("\x89PNG")))
	// Output: <nil> true
}
