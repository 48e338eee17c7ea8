package train_test

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/listen-go/listen/model"
	"github.com/listen-go/listen/train"
)

// BenchmarkModelNetGradient is a training step's forward and backward pass
// at the reference shape (batch 64 of 97 x 40, 2 x 128 LSTM, dropout 0.3,
// CMN) on one worker and on every core.
func BenchmarkModelNetGradient(b *testing.B) {
	for _, workers := range []int{1, runtime.GOMAXPROCS(0)} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			cfg := model.DefaultConfig()
			cfg.Dropout, cfg.CMN = 0.3, true
			m, err := model.New(cfg, 1)
			if err != nil {
				b.Fatal(err)
			}
			batch := randomBatch(64, 97, 40, 12, 1)
			net := train.NewModelNet(m, workers, 64, 97)
			grad := make([]float32, m.NumParams())
			b.ReportAllocs()
			seed := uint64(0)
			for b.Loop() {
				seed++
				net.Gradient(grad, batch, seed)
			}
			b.ReportMetric(float64(b.N*64)/b.Elapsed().Seconds(), "ex/s")
		})
	}
}
