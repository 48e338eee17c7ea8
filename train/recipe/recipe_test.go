package recipe_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/train"
	"github.com/listen-go/listen/train/recipe"
)

// writeTones writes a tiny data set into dir: for each class a folder of
// one-second clips of a distinct tone in faint noise, one clip per speaker.
func writeTones(dir string, classes map[string]float64, speakers int) error {
	rng := rand.New(rand.NewPCG(1, 2))
	for name, hz := range classes {
		if err := os.MkdirAll(filepath.Join(dir, name), 0o755); err != nil {
			return err
		}
		for s := range speakers {
			x := make([]float32, audio.Rate)
			f := hz * (1 + 0.05*rng.Float64())
			for i := range x {
				x[i] = float32(0.02 * rng.NormFloat64())
				if i >= audio.Rate/4 && i < 3*audio.Rate/4 {
					x[i] += float32(0.4 * math.Sin(2*math.Pi*f*float64(i)/audio.Rate))
				}
			}
			if err := audio.WriteFile(filepath.Join(dir, name, fmt.Sprintf("spk%03d_nohash_0.wav", s)), x, audio.Rate); err != nil {
				return err
			}
		}
	}
	return nil
}

// tiny is a fast recipe for the tone data.
func tiny(data string) recipe.Options {
	o := recipe.Default()
	o.Data, o.Hidden, o.Layers, o.Epochs, o.Batch, o.Workers, o.LR = data, 8, 1, 2, 8, 2, 0.02
	o.ValPct, o.TestPct = 20, 20
	return o
}

func TestTrainReports(t *testing.T) {
	data := t.TempDir()
	if err := writeTones(data, map[string]float64{"low": 300, "mid": 1000, "high": 2500}, 12); err != nil {
		t.Fatal(err)
	}
	o := tiny(data)
	var msgs []recipe.Message
	o.Report = func(m recipe.Message) { msgs = append(msgs, m) }
	res, err := recipe.Train(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(res.Model.Meta.Labels, ","); got != "high,low,mid" {
		t.Errorf("labels %s", got)
	}
	if n := res.Training + res.Validation + res.Testing; n != 36 || res.Testing == 0 || res.Test == nil || res.Test.Total() != res.Testing {
		t.Errorf("clips %d+%d+%d, test %v", res.Training, res.Validation, res.Testing, res.Test)
	}
	if len(res.History) != 2 || res.BestEpoch < 1 || res.Model.Meta.Training["test_accuracy"] == "" {
		t.Errorf("history %d epochs, best %d, notes %v", len(res.History), res.BestEpoch, res.Model.Meta.Training)
	}
	if len(msgs) == 0 || msgs[0].Warning || !strings.HasPrefix(msgs[0].Text, "data "+data) {
		t.Errorf("first message %+v", msgs)
	}
	// No paths, no files: nothing was written beside the data.
	entries, _ := os.ReadDir(data)
	if len(entries) != 3 {
		t.Errorf("the data folder holds %d entries, want its 3 folders", len(entries))
	}
}

// Options out of range are *OptionErrors, named by their flags, found
// before any work.
func TestTrainBadOptions(t *testing.T) {
	for _, tc := range []struct {
		set  func(*recipe.Options)
		want string
	}{
		{func(o *recipe.Options) { o.Data = "" }, "-data DIR is required"},
		{func(o *recipe.Options) { o.Smooth = 1 }, "-smooth 1 must be in [0, 1)"},
		{func(o *recipe.Options) { o.Optimizer = "lbfgs" }, "adam or sgd"},
		{func(o *recipe.Options) { o.Window = 4e9 }, "-window 4s"},
		{func(o *recipe.Options) { o.Hop = 1e9 }, "-hop 1s"},
		{func(o *recipe.Options) { o.Detect = "threshold=2" }, "-detect"},
		{func(o *recipe.Options) { o.Join = 1.5 }, "-join 1.5"},
	} {
		o := tiny(filepath.Join(t.TempDir(), "none"))
		tc.set(&o)
		_, err := recipe.Train(context.Background(), o)
		var oe *recipe.OptionError
		if !errors.As(err, &oe) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v", tc.want, err)
		}
	}
}

func TestParseDetect(t *testing.T) {
	got, err := recipe.ParseDetect(" threshold=0.8, average=500ms ")
	if err != nil || got["threshold"] != "0.8" || got["average"] != "500ms" || len(got) != 2 {
		t.Errorf("ParseDetect = %v, %v", got, err)
	}
	if got, err := recipe.ParseDetect(""); got != nil || err != nil {
		t.Errorf("empty: %v, %v", got, err)
	}
	for _, bad := range []string{"threshold", "threshold=x", "speed=2"} {
		if _, err := recipe.ParseDetect(bad); err == nil {
			t.Errorf("ParseDetect(%q) accepted", bad)
		}
	}
}

// writeCheckpoint writes a checkpoint whose record is flags.
func writeCheckpoint(t *testing.T, flags string) string {
	t.Helper()
	c := &train.Checkpoint{Batches: 1, Optimizer: "adam", BestAcc: -1, Params: []float32{0}, Best: []float32{0},
		Meta: map[string]string{"flags": flags}}
	path := filepath.Join(t.TempDir(), "m.ckpt")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Encode(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// A checkpoint written before -warp existed resumes without warp, whatever
// its default is now; a recorded warp is kept; options not given come from
// the checkpoint, and a given one that would change the run is refused.
func TestSavedOptions(t *testing.T) {
	if recipe.Default().Warp == 0 {
		t.Fatal("test needs a non-zero Warp default")
	}
	for _, tc := range []struct {
		saved string
		want  float64
	}{
		{`{"data":"d","seed":"1"}`, 0},
		{`{"data":"d","seed":"1","warp":"0.15"}`, 0.15},
	} {
		s, err := recipe.ReadCheckpoint(writeCheckpoint(t, tc.saved))
		if err != nil {
			t.Fatal(err)
		}
		o, err := s.Options(recipe.Default(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if o.Warp != tc.want || o.Data != "d" || o.Resume != s.State {
			t.Errorf("checkpoint %s: warp %v data %q, want warp %v", tc.saved, o.Warp, o.Data, tc.want)
		}
	}
	s, err := recipe.ReadCheckpoint(writeCheckpoint(t, `{"data":"d","hidden":"128","epochs":"80"}`))
	if err != nil {
		t.Fatal(err)
	}
	o := recipe.Default()
	o.Epochs = 90
	if o, err = s.Options(o, []string{"epochs"}); err != nil || o.Epochs != 90 {
		t.Errorf("more epochs on resume: %v, %d", err, o.Epochs)
	}
	o.Hidden = 9
	var oe *recipe.OptionError
	if _, err := s.Options(o, []string{"hidden"}); !errors.As(err, &oe) || !strings.Contains(err.Error(), "differs from the checkpoint") {
		t.Errorf("changed hidden on resume: %v", err)
	}
	if _, err := recipe.ReadCheckpoint(filepath.Join(t.TempDir(), "none.ckpt")); err == nil || !strings.Contains(err.Error(), "resume") {
		t.Errorf("missing checkpoint: %v", err)
	}
}

// cancelAt is a Progress writer that cancels its run the first time what
// it was written contains match, as a user pressing Ctrl-C there.
type cancelAt struct {
	buf    strings.Builder
	match  string
	cancel context.CancelFunc
}

func (w *cancelAt) Write(p []byte) (int, error) {
	w.buf.Write(p)
	if w.cancel != nil && strings.Contains(w.buf.String(), w.match) {
		w.cancel()
		w.cancel = nil
	}
	return len(p), nil
}

// A run cancelled in its second epoch and resumed from Go, with the
// options ReadCheckpoint gives back, ends with the weights of a run
// straight through.
func TestTrainResume(t *testing.T) {
	t.Run("plain", func(t *testing.T) { testTrainResume(t, 0) })
	// Joined examples need an _unknown_ label: "mid" is not a command.
	t.Run("join", func(t *testing.T) { testTrainResume(t, 0.5) })
}

func testTrainResume(t *testing.T, join float64) {
	data := t.TempDir()
	classes := map[string]float64{"low": 300, "high": 2500}
	if join > 0 {
		classes["mid"] = 1000
	}
	if err := writeTones(data, classes, 10); err != nil {
		t.Fatal(err)
	}
	o := tiny(data)
	o.Epochs, o.Batch = 3, 4
	if join > 0 {
		o.Words, o.Join, o.UnknownPct = "low,high", join, 50
	}
	straight, err := recipe.Train(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}

	o.Checkpoint = filepath.Join(t.TempDir(), "m.ckpt")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	o.Progress = &cancelAt{match: "epoch 2/3 [", cancel: cancel}
	if _, err := recipe.Train(ctx, o); !recipe.Interrupted(err) {
		t.Fatalf("cancelled run: %v", err)
	}
	s, err := recipe.ReadCheckpoint(o.Checkpoint)
	if err != nil {
		t.Fatal(err)
	}
	if s.State.Epoch != 1 || s.State.Batch == 0 || s.State.Batch == s.State.Batches {
		t.Fatalf("checkpoint at epoch %d batch %d of %d, want inside the second epoch", s.State.Epoch, s.State.Batch, s.State.Batches)
	}
	// Only where the checkpoint is: the rest comes from it.
	fresh := recipe.Default()
	fresh.Checkpoint = o.Checkpoint
	r, err := s.Options(fresh, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Data != data || r.Hidden != 8 || r.Epochs != 3 || r.Join != join {
		t.Fatalf("resumed options: data %q hidden %d epochs %d join %v", r.Data, r.Hidden, r.Epochs, r.Join)
	}
	resumed, err := recipe.Train(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(resumed.Model.Params(), straight.Model.Params()) {
		t.Error("resumed weights differ from the straight run's")
	}
}
