package train_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/listen-go/listen/model"
	"github.com/listen-go/listen/train"
)

func tinyModel(t *testing.T, dropout float32) *model.Model {
	t.Helper()
	m, err := model.New(model.Config{Inputs: 6, Hidden: 8, Layers: 2, Classes: 3, Dropout: dropout, CMN: true}, 3)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func randomBatch(n, T, f, k int, seed uint64) *train.Batch {
	rng := rand.New(rand.NewPCG(seed, 0))
	b := &train.Batch{X: make([]float32, n*T*f), Labels: make([]int, n), N: n, T: T}
	for i := range b.X {
		b.X[i] = float32(rng.NormFloat64())
	}
	for i := range b.Labels {
		b.Labels[i] = rng.IntN(k)
	}
	return b
}

// TestModelNetMatchesOneWorkspace checks that splitting a batch over
// workers gives the gradient, loss and predictions of one Workspace on the
// whole batch (to float32 rounding), and that a step depends only on its
// seed.
func TestModelNetMatchesOneWorkspace(t *testing.T) {
	m := tinyModel(t, 0)
	b := randomBatch(7, 5, 6, 3, 1)
	want := make([]float32, m.NumParams())
	wantLoss, wantCorrect := m.NewWorkspace(7, 5).TrainBatch(want, b.X, b.Labels, 7, 5, nil)
	wantProbs := m.NewWorkspace(7, 5).Predict(nil, b.X, 7, 5)
	for _, workers := range []int{1, 2, 3, 8} {
		net := train.NewModelNet(m, workers, 7, 5)
		got := make([]float32, m.NumParams())
		loss, correct := net.Gradient(got, b, 1)
		if math.Abs(loss-wantLoss) > 1e-5 || correct != wantCorrect {
			t.Errorf("%d workers: loss %v correct %d, want %v %d", workers, loss, correct, wantLoss, wantCorrect)
		}
		for i := range got {
			if math.Abs(float64(got[i]-want[i])) > 1e-5 {
				t.Fatalf("%d workers: grad[%d] = %v, want %v", workers, i, got[i], want[i])
			}
		}
		probs := net.Predict(nil, b)
		for i := range probs {
			if math.Abs(float64(probs[i]-wantProbs[i])) > 1e-6 {
				t.Fatalf("%d workers: prob[%d] = %v, want %v", workers, i, probs[i], wantProbs[i])
			}
		}
	}

	md := tinyModel(t, 0.3)
	net := train.NewModelNet(md, 2, 7, 5)
	g1, g2, g3 := make([]float32, md.NumParams()), make([]float32, md.NumParams()), make([]float32, md.NumParams())
	net.Gradient(g1, b, 9)
	net.Gradient(g3, b, 10)
	net.Gradient(g2, b, 9)
	if !reflect.DeepEqual(g1, g2) {
		t.Error("dropout gradient differs for the same seed")
	}
	if reflect.DeepEqual(g1, g3) {
		t.Error("dropout gradient is the same for different seeds")
	}
}

// TestModelNetResumeIsExact: the LSTM with dropout on two workers, resumed
// from a mid-epoch interruption, ends with the weights of a straight run.
func TestModelNetResumeIsExact(t *testing.T) {
	cfg := train.Config{Epochs: 3, LR: 0.01, WeightDecay: 1e-2, Seed: 5}
	val := newBlobs(24, 8)
	val.base = 1
	straight := tinyModel(t, 0.3)
	if _, err := train.Run(context.Background(), train.NewModelNet(straight, 2, 8, 5), newBlobs(48, 2), val, cfg, nil); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	data := newBlobs(48, 2)
	data.cancel, data.cancelAt = cancel, [2]int{1, 2}
	var saved []byte
	cfg1 := cfg
	cfg1.Checkpoint = func(c *train.Checkpoint) error {
		var b bytes.Buffer
		if err := c.Encode(&b); err != nil {
			return err
		}
		saved = b.Bytes()
		return nil
	}
	if _, err := train.Run(ctx, train.NewModelNet(tinyModel(t, 0.3), 2, 8, 5), data, val, cfg1, nil); !errors.Is(err, train.ErrInterrupted) {
		t.Fatalf("got %v, want ErrInterrupted", err)
	}
	c, err := train.DecodeCheckpoint(bytes.NewReader(saved))
	if err != nil {
		t.Fatal(err)
	}
	resumed := tinyModel(t, 0.3)
	if _, err := train.Run(context.Background(), train.NewModelNet(resumed, 2, 8, 5), newBlobs(48, 2), val, cfg, c); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(resumed.Params(), straight.Params()) {
		t.Error("resumed weights differ from the straight run's")
	}
}
