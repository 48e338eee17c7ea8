package train_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/png"
	"io"
	"iter"
	"reflect"
	"strings"
	"testing"

	"github.com/listen-go/listen/train"
)

func baseConfig() train.Config {
	return train.Config{Epochs: 4, LR: 0.05, WeightDecay: 1e-3, WarmupEpochs: 0.5, Seed: 42}
}

func TestRunLearns(t *testing.T) {
	for _, opt := range []string{"adam", "sgd"} {
		t.Run(opt, func(t *testing.T) {
			net := newSoftmaxNet(6, 3)
			cfg := baseConfig()
			cfg.Optimizer = opt
			cfg.Epochs = 6
			var out bytes.Buffer
			cfg.Progress = &out
			val := newBlobs(60, 99)
			val.base = 1
			res, err := train.Run(context.Background(), net, newBlobs(120, 1), val, cfg, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.History) != 6 || res.BestEpoch == 0 {
				t.Fatalf("history %d epochs, best %d", len(res.History), res.BestEpoch)
			}
			if res.BestAcc < 0.8 {
				t.Errorf("best validation accuracy %.2f, want >= 0.8\n%s", res.BestAcc, out.String())
			}
			conf, err := train.Evaluate(context.Background(), net, val, 3)
			if err != nil {
				t.Fatal(err)
			}
			if conf.Accuracy() != res.BestAcc {
				t.Errorf("weights left are not the best epoch's: accuracy %v, best %v", conf.Accuracy(), res.BestAcc)
			}
			s := out.String()
			for _, want := range []string{"epoch 1/6 [", "ETA", "epoch 6/6 loss", "val ", "ex/s", "lr "} {
				if !strings.Contains(s, want) {
					t.Errorf("progress lacks %q:\n%s", want, s)
				}
			}
		})
	}
}

func TestLiveBarUsesCarriageReturns(t *testing.T) {
	var out bytes.Buffer
	cfg := baseConfig()
	cfg.Epochs, cfg.Progress, cfg.Live = 1, &out, true
	if _, err := train.Run(context.Background(), newSoftmaxNet(6, 3), newBlobs(64, 1), newBlobs(16, 2), cfg, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "\repoch 1/1 [") || !strings.HasSuffix(out.String(), "\n") {
		t.Errorf("live output %q", out.String())
	}
}

// strip zeroes the timings, which differ between runs.
func strip(h []train.Epoch) []train.Epoch {
	h = append([]train.Epoch(nil), h...)
	for i := range h {
		h[i].Seconds, h[i].ExPerSec = 0, 0
	}
	return h
}

// TestResumeIsExact interrupts a run in the middle of an epoch (as Ctrl-C
// does), resumes it from the encoded checkpoint and also resumes a copy
// from the checkpoint of an earlier epoch (as after kill -9): both end with
// the same weights, bit for bit, as a run straight through.
func TestResumeIsExact(t *testing.T) {
	for _, tc := range []struct {
		opt string
		ema float64
	}{{"adam", 0}, {"sgd", 0}, {"adam", 0.9}} {
		t.Run(fmt.Sprintf("%s-ema%v", tc.opt, tc.ema), func(t *testing.T) {
			cfg := baseConfig()
			cfg.Optimizer, cfg.EMA = tc.opt, tc.ema
			val := newBlobs(30, 5)
			val.base = 1

			straight := newSoftmaxNet(6, 3)
			want, err := train.Run(context.Background(), straight, newBlobs(100, 1), val, cfg, nil)
			if err != nil {
				t.Fatal(err)
			}

			// Interrupted in epoch 3 after batch 4; keep every checkpoint.
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			data := newBlobs(100, 1)
			data.cancel, data.cancelAt = cancel, [2]int{2, 4}
			var saved [][]byte
			cfg1 := cfg
			cfg1.Checkpoint = func(c *train.Checkpoint) error {
				c.Meta = map[string]string{"model": "softmax"}
				var b bytes.Buffer
				if err := c.Encode(&b); err != nil {
					return err
				}
				saved = append(saved, b.Bytes())
				return nil
			}
			_, err = train.Run(ctx, newSoftmaxNet(6, 3), data, val, cfg1, nil)
			if !errors.Is(err, train.ErrInterrupted) {
				t.Fatalf("interrupted run: %v, want ErrInterrupted", err)
			}
			if len(saved) != 3 {
				t.Fatalf("%d checkpoints, want 2 epochs + 1 interruption", len(saved))
			}
			last, err := train.DecodeCheckpoint(bytes.NewReader(saved[2]))
			if err != nil {
				t.Fatal(err)
			}
			if last.Epoch != 2 || last.Batch != 6 || last.Meta["model"] != "softmax" {
				t.Fatalf("checkpoint at epoch %d batch %d meta %v, want 2, 6, model", last.Epoch, last.Batch, last.Meta)
			}

			for i, ck := range [][]byte{saved[2], saved[0]} {
				c, err := train.DecodeCheckpoint(bytes.NewReader(ck))
				if err != nil {
					t.Fatal(err)
				}
				net := newSoftmaxNet(6, 3)
				got, err := train.Run(context.Background(), net, newBlobs(100, 1), val, cfg, c)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(net.Params(), straight.Params()) {
					t.Errorf("resume %d: weights differ from the straight run", i)
				}
				if !reflect.DeepEqual(strip(got.History), strip(want.History)) || got.BestEpoch != want.BestEpoch {
					t.Errorf("resume %d: history\n%+v\nwant\n%+v", i, strip(got.History), strip(want.History))
				}
			}
		})
	}
}

// TestEMAIsKept checks that with weight averaging the run leaves the
// average, not the last step's weights, and that the average moved.
func TestEMAIsKept(t *testing.T) {
	cfg := baseConfig()
	cfg.Epochs, cfg.EMA = 1, 0.9
	var last *train.Checkpoint
	cfg.Checkpoint = func(c *train.Checkpoint) error {
		last = &train.Checkpoint{Params: append([]float32(nil), c.Params...), EMA: append([]float32(nil), c.EMA...)}
		return nil
	}
	net := newSoftmaxNet(6, 3)
	init := append([]float32(nil), net.Params()...)
	if _, err := train.Run(context.Background(), net, newBlobs(100, 1), nil, cfg, nil); err != nil {
		t.Fatal(err)
	}
	if last == nil || len(last.EMA) != len(init) {
		t.Fatal("the checkpoint carries no average")
	}
	if !reflect.DeepEqual(net.Params(), last.EMA) {
		t.Error("the weights left are not the average")
	}
	if reflect.DeepEqual(last.EMA, last.Params) || reflect.DeepEqual(last.EMA, init) {
		t.Error("the average equals the last or the initial weights")
	}
	cfg.EMA = 1
	if _, err := train.Run(context.Background(), newSoftmaxNet(6, 3), newBlobs(100, 1), nil, cfg, nil); err == nil {
		t.Error("EMA decay 1 accepted")
	}
}

func TestEarlyStopping(t *testing.T) {
	cfg := baseConfig()
	cfg.Epochs, cfg.Patience, cfg.LR = 30, 2, 1e-9 // nothing learns: accuracy never improves
	var out bytes.Buffer
	cfg.Progress = &out
	res, err := train.Run(context.Background(), newSoftmaxNet(6, 3), newBlobs(40, 1), newBlobs(20, 3), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Stopped || len(res.History) >= 30 || len(res.History) != res.BestEpoch+2 {
		t.Errorf("stopped %v after %d epochs, best %d", res.Stopped, len(res.History), res.BestEpoch)
	}
	if !strings.Contains(out.String(), "early stop") {
		t.Errorf("no early-stop message:\n%s", out.String())
	}
}

func TestNoValidationUsesTrainingAccuracy(t *testing.T) {
	cfg := baseConfig()
	cfg.Epochs = 2
	res, err := train.Run(context.Background(), newSoftmaxNet(6, 3), newBlobs(40, 1), nil, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.BestEpoch == 0 || res.BestAcc != res.History[res.BestEpoch-1].TrainAcc {
		t.Errorf("best %d %v, history %+v", res.BestEpoch, res.BestAcc, res.History)
	}
}

func TestCancelledBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	n := 0
	cfg := baseConfig()
	cfg.Checkpoint = func(c *train.Checkpoint) error { n++; return nil }
	_, err := train.Run(ctx, newSoftmaxNet(6, 3), newBlobs(40, 1), nil, cfg, nil)
	if !errors.Is(err, train.ErrInterrupted) || n != 1 {
		t.Errorf("err %v, %d checkpoints", err, n)
	}
}

func TestResumeMismatch(t *testing.T) {
	cfg := baseConfig()
	cfg.Epochs = 1
	var ck *train.Checkpoint
	cfg.Checkpoint = func(c *train.Checkpoint) error {
		var b bytes.Buffer
		c.Encode(&b)
		var err error
		ck, err = train.DecodeCheckpoint(&b)
		return err
	}
	if _, err := train.Run(context.Background(), newSoftmaxNet(6, 3), newBlobs(40, 1), nil, cfg, nil); err != nil {
		t.Fatal(err)
	}
	cfg.Checkpoint = nil
	if _, err := train.Run(context.Background(), newSoftmaxNet(6, 3), newBlobs(80, 1), nil, cfg, ck); err == nil {
		t.Error("resuming with a different number of batches: no error")
	}
	if _, err := train.Run(context.Background(), newSoftmaxNet(6, 4), newBlobs(40, 1), nil, cfg, ck); err == nil {
		t.Error("resuming into a different model: no error")
	}
}

func TestDecodeCheckpointErrors(t *testing.T) {
	c := &train.Checkpoint{Batches: 3, Optimizer: "adam", Params: []float32{1, 2}, Best: []float32{3, 4},
		Opt: map[string][]float32{"m": {0, 0}, "v": {0, 0}}, History: []train.Epoch{{Epoch: 1, Loss: 0.5}}}
	var b bytes.Buffer
	if err := c.Encode(&b); err != nil {
		t.Fatal(err)
	}
	got, err := train.DecodeCheckpoint(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Params, c.Params) || !reflect.DeepEqual(got.Best, c.Best) ||
		!reflect.DeepEqual(got.Opt, c.Opt) || !reflect.DeepEqual(got.History, c.History) {
		t.Errorf("round trip: %+v", got)
	}
	full := b.Bytes()
	for _, n := range []int{0, 4, 8, 20, len(full) - 1} {
		if _, err := train.DecodeCheckpoint(bytes.NewReader(full[:n])); err == nil {
			t.Errorf("truncated to %d bytes: no error", n)
		}
	}
	huge := append([]byte{0, 0, 0, 0, 1, 0, 0, 0}, full[8:]...) // claims a 4 GB header
	if _, err := train.DecodeCheckpoint(bytes.NewReader(huge)); err == nil {
		t.Error("4 GB header: no error")
	}
	c.Meta = map[string]string{"train": "x"}
	if err := c.Encode(io.Discard); err == nil {
		t.Error("reserved meta key accepted")
	}
}

func TestConfusion(t *testing.T) {
	c := train.NewConfusion([]string{"yes", "no", "_unknown_"})
	for _, p := range [][2]int{{0, 0}, {0, 0}, {0, 1}, {1, 1}, {2, 0}, {2, 2}} {
		c.Add(p[0], p[1])
	}
	if c.Total() != 6 || c.Correct() != 4 {
		t.Fatalf("total %d correct %d", c.Total(), c.Correct())
	}
	for _, tt := range []struct {
		name string
		got  float64
		want float64
	}{
		{"accuracy", c.Accuracy(), 4.0 / 6}, {"precision yes", c.Precision(0), 2.0 / 3}, {"recall yes", c.Recall(0), 2.0 / 3},
		{"precision no", c.Precision(1), 0.5}, {"recall no", c.Recall(1), 1}, {"recall unknown", c.Recall(2), 0.5},
	} {
		if tt.got != tt.want {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	var out bytes.Buffer
	if err := c.Report(&out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "accuracy 66.67% (4 of 6)") || !strings.Contains(out.String(), "_unknown_") {
		t.Errorf("report:\n%s", out.String())
	}
	if train.NewConfusion([]string{"a"}).Accuracy() != 0 {
		t.Error("empty matrix accuracy not 0")
	}
}

func TestPlots(t *testing.T) {
	h := []train.Epoch{{Epoch: 1, Loss: 2, TrainAcc: 0.3, ValAcc: 0.35}, {Epoch: 2, Loss: 1.2, TrainAcc: 0.6, ValAcc: 0.55}, {Epoch: 3, Loss: 0.8, TrainAcc: 0.75, ValAcc: 0.7}}
	var b bytes.Buffer
	if err := train.PlotCurves(&b, h); err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(&b); err != nil {
		t.Errorf("curves: %v", err)
	}
	b.Reset()
	if err := train.PlotCurves(&b, h[:1]); err != nil {
		t.Errorf("one epoch: %v", err)
	}
	c := train.NewConfusion([]string{"yes", "no", "up"})
	c.Add(0, 0)
	c.Add(1, 2)
	c.Add(2, 2)
	b.Reset()
	if err := train.PlotConfusion(&b, c); err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(&b); err != nil {
		t.Errorf("confusion: %v", err)
	}
	if err := train.PlotCurves(io.Discard, nil); err == nil {
		t.Error("no epochs: no error")
	}
}

// holes empties every third batch, as when all of a batch's clips fail to
// load.
type holes struct{ *blobs }

func (h holes) Epoch(ctx context.Context, epoch, start int) iter.Seq2[*train.Batch, error] {
	return func(yield func(*train.Batch, error) bool) {
		i := start
		for b, err := range h.blobs.Epoch(ctx, epoch, start) {
			if i%3 == 1 {
				b = &train.Batch{T: b.T}
			}
			i++
			if !yield(b, err) {
				return
			}
		}
	}
}

func TestEmptyBatchesAreSkipped(t *testing.T) {
	cfg := baseConfig()
	cfg.Epochs = 2
	res, err := train.Run(context.Background(), newSoftmaxNet(6, 3), holes{newBlobs(48, 1)}, newBlobs(12, 2), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.History) != 2 || res.History[0].ExPerSec <= 0 {
		t.Errorf("%+v", res.History)
	}
}
