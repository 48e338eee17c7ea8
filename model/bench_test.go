package model

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// The reference training step: batch 64 of 97 frames x 40 MFCCs, a 2 x 128
// LSTM, 12 classes, forward + backward + clip at 5 + Adam, as
// the peer script torch_step_bench.py (shared/bench, beside the repository) times it for PyTorch.
const (
	benchBatch = 64
	benchT     = 97
)

type benchStep struct {
	m      *Model
	tr     *Trainer
	x      []float32
	labels []int
	grad   []float32
	opt    *Adam
}

func newBenchStep(tb testing.TB, workers int) *benchStep {
	m, err := New(DefaultConfig(), 1)
	if err != nil {
		tb.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	s := &benchStep{m: m, tr: m.NewTrainer(workers, benchBatch, benchT, 1),
		x: randInput(rng, benchBatch*benchT*40, 1), labels: make([]int, benchBatch),
		grad: make([]float32, m.NumParams()), opt: NewAdam(m.NumParams(), 1e-3)}
	for i := range s.labels {
		s.labels[i] = rng.IntN(12)
	}
	return s
}

func (s *benchStep) step() {
	s.tr.Step(s.grad, s.x, s.labels, benchBatch, benchT, 5, s.opt)
}

func BenchmarkTrainStep(b *testing.B) {
	for _, workers := range []int{1, runtime.GOMAXPROCS(0)} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			s := newBenchStep(b, workers)
			s.step()
			b.ReportAllocs()
			cpu0 := cpuSeconds()
			for b.Loop() {
				s.step()
			}
			b.ReportMetric(float64(b.N*benchBatch)/b.Elapsed().Seconds(), "ex/s")
			if cpu := cpuSeconds() - cpu0; cpu > 0 {
				// Examples per second of CPU time this process got: on a
				// busy machine, what the step would do with the cores to
				// itself (workers=N divides by N cores' time).
				b.ReportMetric(float64(b.N*benchBatch)/cpu, "ex/cpu-s")
			}
		})
	}
}

// BenchmarkTrainBatch is one worker's forward + backward alone, over a range
// of hidden sizes.
func BenchmarkTrainBatch(b *testing.B) {
	for _, h := range []int{32, 64, 128, 256} {
		b.Run(fmt.Sprintf("H=%d", h), func(b *testing.B) {
			cfg := DefaultConfig()
			cfg.Hidden = h
			m, _ := New(cfg, 1)
			rng := rand.New(rand.NewPCG(1, 2))
			x := randInput(rng, benchBatch*benchT*40, 1)
			labels := make([]int, benchBatch)
			ws := m.NewWorkspace(benchBatch, benchT)
			grad := make([]float32, m.NumParams())
			b.ReportAllocs()
			for b.Loop() {
				ws.TrainBatch(grad, x, labels, benchBatch, benchT, nil)
			}
			b.ReportMetric(float64(b.N*benchBatch)/b.Elapsed().Seconds(), "ex/s")
		})
	}
}

// BenchmarkPredict is inference of one 1-second clip (97 frames), model
// only.
func BenchmarkPredict(b *testing.B) {
	m, _ := New(DefaultConfig(), 1)
	rng := rand.New(rand.NewPCG(1, 2))
	x := randInput(rng, benchT*40, 1)
	ws := m.NewWorkspace(1, benchT)
	probs := make([]float32, 12)
	b.ReportAllocs()
	cpu0 := cpuSeconds()
	for b.Loop() {
		ws.Predict(probs, x, 1, benchT)
	}
	b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/clip")
	if cpu := cpuSeconds() - cpu0; cpu > 0 {
		b.ReportMetric(cpu*1000/float64(b.N), "cpu-ms/clip")
	}
}

// BenchmarkTrainMemory reports the memory of training at batch 64 with
// GOMAXPROCS workers: the Go heap in use (model, gradients, Adam state,
// every worker's BPTT caches) and, on Linux, the process's peak resident
// set size.
func BenchmarkTrainMemory(b *testing.B) {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	s := newBenchStep(b, runtime.GOMAXPROCS(0))
	for b.Loop() {
		s.step()
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapInuse-before.HeapInuse)/(1<<20), "heap-MB")
	if kb, ok := procStatus("VmHWM"); ok {
		b.ReportMetric(float64(kb)/1024, "peak-RSS-MB")
	}
	runtime.KeepAlive(s)
}

// procStatus reads a kB field of /proc/self/status (Linux only).
func procStatus(key string) (int, bool) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && k == key {
			n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return n, err == nil
		}
	}
	return 0, false
}
