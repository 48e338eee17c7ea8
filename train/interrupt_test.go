package train_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"iter"
	"math"
	"reflect"
	"testing"

	"github.com/listen-go/listen/train"
)

// cancelNet cancels while its at-th gradient (counted from 1) is computed:
// a Ctrl-C landing while a batch is trained.
type cancelNet struct {
	train.Net
	at, n  int
	cancel func()
}

func (c *cancelNet) Gradient(grad []float32, b *train.Batch, seed uint64) (float64, int) {
	c.n++
	if c.n == c.at {
		c.cancel()
	}
	return c.Net.Gradient(grad, b, seed)
}

// endCancel cancels when epoch's batches have all been yielded, before the
// sequence ends: a Ctrl-C between the last batch and validation. With
// report it then yields ctx's error, as a Source may.
type endCancel struct {
	train.Source
	epoch  int
	report bool
	cancel func()
}

func (s *endCancel) Epoch(ctx context.Context, epoch, start int) iter.Seq2[*train.Batch, error] {
	inner := s.Source.Epoch(ctx, epoch, start)
	return func(yield func(*train.Batch, error) bool) {
		for b, err := range inner {
			if !yield(b, err) {
				return
			}
		}
		if epoch == s.epoch {
			s.cancel()
			if s.report {
				yield(nil, ctx.Err())
			}
		}
	}
}

// valCancel cancels as its at-th validation (counted from 1) begins.
type valCancel struct {
	train.Set
	at, n  int
	cancel func()
}

func (v *valCancel) Batches(ctx context.Context) iter.Seq2[*train.Batch, error] {
	v.n++
	if v.n == v.at {
		v.cancel()
	}
	return v.Set.Batches(ctx)
}

// TestInterruptAnywhere interrupts a small run at every point: while each
// batch of each epoch is trained (the last one included), between an
// epoch's last batch and its validation (with and without the source
// reporting the cancellation), and during validation. Every checkpoint
// written is one that resumes, and the run resumed from the last one ends
// with the weights and history of a run straight through, bit for bit.
func TestInterruptAnywhere(t *testing.T) {
	const epochs, n = 3, 24
	for _, tc := range []struct {
		opt string
		ema float64
	}{{"adam", 0}, {"sgd", 0}, {"adam", 0.9}} {
		t.Run(fmt.Sprintf("%s-ema%v", tc.opt, tc.ema), func(t *testing.T) {
			cfg := baseConfig()
			cfg.Epochs, cfg.Optimizer, cfg.EMA = epochs, tc.opt, tc.ema
			val := newBlobs(16, 5)
			val.base = 1
			nb := newBlobs(n, 1).NumBatches()

			straight := newSoftmaxNet(6, 3)
			want, err := train.Run(context.Background(), straight, newBlobs(n, 1), val, cfg, nil)
			if err != nil {
				t.Fatal(err)
			}

			type point struct {
				name       string
				epoch      int // counted from 0
				batch      int // while this batch (counted from 1) is trained; 0 for none
				end, valid bool
				report     bool
			}
			var points []point
			for e := range epochs {
				for k := 1; k <= nb; k++ {
					points = append(points, point{name: fmt.Sprintf("epoch %d batch %d", e+1, k), epoch: e, batch: k})
				}
				points = append(points,
					point{name: fmt.Sprintf("epoch %d end", e+1), epoch: e, end: true},
					point{name: fmt.Sprintf("epoch %d end reported", e+1), epoch: e, end: true, report: true},
					point{name: fmt.Sprintf("epoch %d validation", e+1), epoch: e, valid: true})
			}
			for _, pt := range points {
				ctx, cancel := context.WithCancel(context.Background())
				var net train.Net = newSoftmaxNet(6, 3)
				var data train.Source = newBlobs(n, 1)
				var set train.Set = val
				switch {
				case pt.batch > 0:
					net = &cancelNet{Net: net, at: pt.epoch*nb + pt.batch, cancel: cancel}
				case pt.end:
					data = &endCancel{Source: data, epoch: pt.epoch, report: pt.report, cancel: cancel}
				case pt.valid:
					set = &valCancel{Set: set, at: pt.epoch + 1, cancel: cancel}
				}
				var last []byte
				cfg1 := cfg
				cfg1.Checkpoint = func(c *train.Checkpoint) error {
					if c.Batch >= c.Batches {
						return fmt.Errorf("checkpoint at epoch %d batch %d of %d", c.Epoch, c.Batch, c.Batches)
					}
					var b bytes.Buffer
					if err := c.Encode(&b); err != nil {
						return err
					}
					last = b.Bytes()
					return train.VerifyCheckpoint(bytes.NewReader(last), c)
				}
				_, err := train.Run(ctx, net, data, set, cfg1, nil)
				cancel()
				// Where the checkpoint must be: mid-epoch only when a batch
				// other than the last was interrupted.
				wantEpoch, wantBatch := pt.epoch+1, 0
				if pt.batch > 0 && pt.batch < nb {
					wantEpoch, wantBatch = pt.epoch, pt.batch
				}
				if wantEpoch == epochs {
					// Interrupted after the run's last batch: it ends.
					if err != nil {
						t.Errorf("%s: %v, want the run to end", pt.name, err)
					} else if !reflect.DeepEqual(net.Params(), straight.Params()) {
						t.Errorf("%s: weights differ from the straight run's", pt.name)
					}
					continue
				}
				if !errors.Is(err, train.ErrInterrupted) {
					t.Errorf("%s: %v, want ErrInterrupted", pt.name, err)
					continue
				}
				c, err := train.DecodeCheckpoint(bytes.NewReader(last))
				if err != nil {
					t.Fatalf("%s: %v", pt.name, err)
				}
				if c.Epoch != wantEpoch || c.Batch != wantBatch {
					t.Errorf("%s: checkpoint at epoch %d batch %d, want %d, %d", pt.name, c.Epoch, c.Batch, wantEpoch, wantBatch)
				}
				resumed := newSoftmaxNet(6, 3)
				got, err := train.Run(context.Background(), resumed, newBlobs(n, 1), val, cfg, c)
				if err != nil {
					t.Errorf("%s: resume: %v", pt.name, err)
					continue
				}
				if !reflect.DeepEqual(resumed.Params(), straight.Params()) {
					t.Errorf("%s: resumed weights differ from the straight run's", pt.name)
				}
				if !reflect.DeepEqual(strip(got.History), strip(want.History)) || got.BestEpoch != want.BestEpoch {
					t.Errorf("%s: resumed history\n%+v\nwant\n%+v", pt.name, strip(got.History), strip(want.History))
				}
			}
		})
	}
}

// TestResumeAfterLastBatch resumes a checkpoint taken after the last batch
// of an epoch and before its validation, as Run wrote when Ctrl-C landed
// during that batch: the run validates that epoch and goes on, ending with
// the weights of a run straight through. The checkpoint is assembled from
// the straight run's: the bookkeeping of the end of epoch 1, the weights
// and optimizer state of the end of epoch 2, epoch 2's sums.
func TestResumeAfterLastBatch(t *testing.T) {
	const n = 24
	cfg := baseConfig()
	cfg.Epochs, cfg.EMA = 3, 0.9
	val := newBlobs(16, 5)
	val.base = 1
	var saved []*train.Checkpoint
	cfg1 := cfg
	cfg1.Checkpoint = func(c *train.Checkpoint) error {
		var b bytes.Buffer
		if err := c.Encode(&b); err != nil {
			return err
		}
		d, err := train.DecodeCheckpoint(&b)
		saved = append(saved, d)
		return err
	}
	straight := newSoftmaxNet(6, 3)
	want, err := train.Run(context.Background(), straight, newBlobs(n, 1), val, cfg1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(saved) != 3 {
		t.Fatalf("%d checkpoints, want 3", len(saved))
	}
	c, after := saved[0], saved[1]
	e := after.History[1]
	c.Batch = c.Batches
	c.Params, c.EMA, c.Opt, c.OptSteps = after.Params, after.EMA, after.Opt, after.OptSteps
	c.Seen = n
	c.Correct = int(math.Round(e.TrainAcc * n))
	c.Loss = e.Loss * n
	c.Seconds = 1

	net := newSoftmaxNet(6, 3)
	got, err := train.Run(context.Background(), net, newBlobs(n, 1), val, cfg, c)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(net.Params(), straight.Params()) {
		t.Error("weights differ from the straight run's")
	}
	h, w := strip(got.History), strip(want.History)
	if len(h) == 3 && math.Abs(h[1].Loss-w[1].Loss) < 1e-9 {
		h[1].Loss = w[1].Loss // rebuilt from the mean: equal to rounding
	}
	if !reflect.DeepEqual(h, w) || got.BestEpoch != want.BestEpoch {
		t.Errorf("history\n%+v\nwant\n%+v", h, w)
	}
}

// TestVerifyCheckpoint: what Encode wrote passes; a changed bit, a cut
// file, a position past the epoch and a different state do not.
func TestVerifyCheckpoint(t *testing.T) {
	c := &train.Checkpoint{Epoch: 1, Batch: 2, Batches: 3, Optimizer: "adam", OptSteps: 5,
		Params: []float32{1, 2}, Best: []float32{3, 4},
		Opt:     map[string][]float32{"m": {0.5, 0}, "v": {0, 0.25}},
		History: []train.Epoch{{Epoch: 1, Loss: 0.5}}, Meta: map[string]string{"flags": "{}"}}
	encode := func(c *train.Checkpoint) []byte {
		var b bytes.Buffer
		if err := c.Encode(&b); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	good := encode(c)
	if err := train.VerifyCheckpoint(bytes.NewReader(good), c); err != nil {
		t.Fatalf("good checkpoint: %v", err)
	}
	flipped := append([]byte(nil), good...)
	flipped[len(flipped)-1] ^= 1
	past := *c
	past.Batch = 4
	other := *c
	other.Seen = 7
	for _, tc := range []struct {
		name string
		file []byte
		want *train.Checkpoint
	}{
		{"flipped bit", flipped, c},
		{"cut", good[:len(good)-3], c},
		{"position past the epoch", encode(&past), &past},
		{"different state", good, &other},
	} {
		if err := train.VerifyCheckpoint(bytes.NewReader(tc.file), tc.want); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}
