package train

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"time"

	"github.com/listen-go/listen/model"
)

// Batch is N clips of T frames of F features each, clip-major:
// X[(i*T+t)*F+f], with Labels[i] the class of clip i.
type Batch struct {
	X      []float32
	Labels []int
	N, T   int
}

// Features returns F, the number of features per frame.
func (b *Batch) Features() int {
	if b.N == 0 || b.T == 0 {
		return 0
	}
	return len(b.X) / (b.N * b.T)
}

// Source supplies the training batches.
type Source interface {
	// NumBatches reports how many batches one epoch has.
	NumBatches() int
	// Epoch yields the batches of epoch (counted from 0), starting with
	// batch start, in an order and with an augmentation that depend only
	// on the source's seed and epoch. A batch may be reused once the loop
	// body returns. A cancelled ctx may end the sequence with ctx's error.
	Epoch(ctx context.Context, epoch, start int) iter.Seq2[*Batch, error]
}

// Set supplies the batches of an evaluation set (validation or test), the
// same every time, without augmentation.
type Set interface {
	Batches(ctx context.Context) iter.Seq2[*Batch, error]
}

// Predictor gives class probabilities in inference mode (no dropout).
type Predictor interface {
	// Predict writes the class probabilities of b's clips, N rows of
	// classes, into dst (allocated when nil or short) and returns it.
	Predict(dst []float32, b *Batch) []float32
}

// Net is the model being trained: the parts of it the loop needs.
type Net interface {
	Predictor
	// Params returns the weights as one flat slice, which the optimizer
	// updates in place.
	Params() []float32
	// Gradient overwrites grad (len(Params())) with the gradient of the
	// mean cross-entropy loss over b in training mode, drawing dropout
	// masks from seed alone, and returns that mean loss and the number of
	// clips it classified correctly. Results must depend only on the
	// parameters, b and seed (and a worker count fixed at construction).
	Gradient(grad []float32, b *Batch, seed uint64) (loss float64, correct int)
}

// Config sets up a training run. The zero value of each field means the
// default given in its comment.
type Config struct {
	Epochs    int     // passes over the training set; 0 means 40
	Optimizer string  // "adam" (AdamW when WeightDecay > 0) or "sgd" (with momentum); "" means adam
	LR        float64 // peak learning rate; 0 means 1e-3 for adam, 0.05 for sgd
	Momentum  float64 // SGD momentum; 0 means 0.9, negative means none
	// WeightDecay is, for adam, decoupled weight decay (AdamW: each step
	// multiplies the weights by 1 - lr*WeightDecay before the update); for
	// sgd, an L2 penalty added to the gradient (torch.optim.SGD's).
	WeightDecay float64
	// Schedule shapes the learning rate over the run: "constant" (the
	// default) keeps it; "cosine" anneals from LR to LR/100 over Epochs
	// after the warm-up; "step" divides it by 10 at half and at three
	// quarters of Epochs. On the twelve-class clips the constant rate gave
	// the best validation accuracy (docs/experiments.md).
	Schedule string
	// WarmupEpochs ramps the learning rate linearly from LR/steps to LR
	// over this many epochs (fractions allowed); 0 means none.
	WarmupEpochs float64
	// ClipNorm caps the global L2 norm of each step's gradient; 0 means 5,
	// negative means no clipping.
	ClipNorm float64
	// EMA, when in (0, 1), keeps an exponential moving average of the
	// weights, updated after every step with this decay (warmed up as
	// min(EMA, (1+step)/(10+step)), so that the random initial weights
	// fade quickly); validation, the best epoch and the result then use
	// the average instead of the last step's weights. Averaging smooths
	// the noise of the last steps, the way a falling learning rate does,
	// without slowing the steps themselves.
	EMA float64
	// Patience stops training after this many epochs without a better
	// validation accuracy; 0 means never stop early.
	Patience int
	// Seed fixes every random choice train makes.
	Seed uint64

	// Progress receives a bar per epoch and a line per epoch; nil means
	// no report. Live redraws the bar in place with carriage returns (for a
	// terminal); otherwise the bar is printed as a plain line at each
	// quarter of the epoch.
	Progress io.Writer
	Live     bool
	// Checkpoint, if not nil, is called with the run's complete state at
	// the end of each epoch and when ctx is cancelled. The Checkpoint is
	// only valid during the call.
	Checkpoint func(*Checkpoint) error
	// OnEpoch, if not nil, is called after each epoch with the metrics of
	// all epochs so far.
	OnEpoch func(history []Epoch) error
}

// withDefaults returns c with its zero fields set.
func (c Config) withDefaults() (Config, error) {
	if c.Epochs == 0 {
		c.Epochs = 40
	}
	if c.Optimizer == "" {
		c.Optimizer = "adam"
	}
	switch c.Optimizer {
	case "adam":
		if c.LR == 0 {
			c.LR = 1e-3
		}
	case "sgd":
		if c.LR == 0 {
			c.LR = 0.05
		}
		if c.Momentum == 0 {
			c.Momentum = 0.9
		}
		if c.Momentum < 0 {
			c.Momentum = 0
		}
	default:
		return c, fmt.Errorf("train: unknown optimizer %q (want adam or sgd)", c.Optimizer)
	}
	if c.Schedule == "" {
		c.Schedule = "constant"
	}
	switch c.Schedule {
	case "cosine", "step", "constant":
	default:
		return c, fmt.Errorf("train: unknown schedule %q (want cosine, step or constant)", c.Schedule)
	}
	if c.ClipNorm == 0 {
		c.ClipNorm = 5
	}
	switch {
	case c.Epochs < 0:
		return c, fmt.Errorf("train: epochs %d < 0", c.Epochs)
	case c.LR < 0 || math.IsNaN(c.LR) || math.IsInf(c.LR, 0):
		return c, fmt.Errorf("train: bad learning rate %v", c.LR)
	case c.WeightDecay < 0:
		return c, fmt.Errorf("train: weight decay %v < 0", c.WeightDecay)
	case c.WarmupEpochs < 0:
		return c, fmt.Errorf("train: warm-up %v < 0", c.WarmupEpochs)
	case c.EMA < 0 || c.EMA >= 1:
		return c, fmt.Errorf("train: EMA decay %v not in [0, 1)", c.EMA)
	case c.Patience < 0:
		return c, fmt.Errorf("train: patience %d < 0", c.Patience)
	}
	return c, nil
}

// Epoch is the record of one epoch, as written to the metrics file.
type Epoch struct {
	Epoch    int     `json:"epoch"` // counted from 1
	Loss     float64 `json:"loss"`  // mean training loss
	TrainAcc float64 `json:"train_acc"`
	ValAcc   float64 `json:"val_acc"`
	LR       float64 `json:"lr"` // learning rate of the epoch's last step
	ExPerSec float64 `json:"ex_per_s"`
	Seconds  float64 `json:"seconds"` // training time, validation excluded
	Best     bool    `json:"best"`    // best validation accuracy so far
}

// Result is what a finished run leaves, besides the weights: Run copies
// the best epoch's weights into the Net's parameters before it returns.
type Result struct {
	History   []Epoch
	BestEpoch int // counted from 1; 0 if no epoch was run
	BestAcc   float64
	Stopped   bool // early stopping ended the run before Epochs
}

// ErrInterrupted is returned (wrapped) by Run when ctx was cancelled: the
// current batch was finished and a checkpoint written.
var ErrInterrupted = errors.New("training interrupted")

// Run trains net on the batches of data, validating on val after each
// epoch, and leaves the best validation epoch's weights in net.Params().
// With val nil or empty, training accuracy picks the best epoch.
// With from not nil it resumes that checkpoint (its Seed and optimizer
// override cfg's, its parameters are copied into net); the rest of cfg must
// match the interrupted run's for the result to be identical.
//
// When ctx is cancelled Run finishes the batch in progress, calls
// cfg.Checkpoint and returns an error wrapping ErrInterrupted. If that
// batch was the epoch's last, Run first ends the epoch as usual
// (validation, cfg.Checkpoint, cfg.OnEpoch), so the checkpoint resumes at
// the start of the next; if it was the run's last, Run returns its result.
func Run(ctx context.Context, net Net, data Source, val Set, cfg Config, from *Checkpoint) (*Result, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	params := net.Params()
	nb := data.NumBatches()
	if nb <= 0 {
		return nil, errors.New("train: no training batches")
	}
	if from != nil {
		cfg.Optimizer, cfg.Seed = from.Optimizer, from.Seed
	}
	opt := newOptimizer(cfg, len(params))
	st := &Checkpoint{
		Seed:      cfg.Seed,
		Batches:   nb,
		Optimizer: cfg.Optimizer,
		Best:      append([]float32(nil), params...),
		BestAcc:   -1,
	}
	var last []float32 // the last step's weights while the average is validated
	if cfg.EMA > 0 {
		st.EMA = append([]float32(nil), params...)
		last = make([]float32, len(params))
	}
	if from != nil {
		if err := st.restore(from, params, opt); err != nil {
			return nil, err
		}
	}
	st.Params = params
	grad := make([]float32, len(params))
	sched := schedule{cfg: cfg, batches: nb}
	p := &progress{w: cfg.Progress, live: cfg.Live, epochs: cfg.Epochs, batches: nb}

	save := func() error {
		if cfg.Checkpoint == nil {
			return nil
		}
		st.Opt = opt.state()
		st.OptSteps = opt.steps()
		// A checkpoint that cannot be resumed must not replace one that can.
		if err := st.check(); err != nil {
			return fmt.Errorf("checkpoint: %w", err)
		}
		if err := cfg.Checkpoint(st); err != nil {
			return fmt.Errorf("checkpoint: %w", err)
		}
		return nil
	}
	interrupted := func() (*Result, error) {
		p.interrupted(st)
		if err := save(); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("%w at epoch %d batch %d of %d", ErrInterrupted, st.Epoch+1, st.Batch, nb)
	}
	stopped := st.Stopped
	for st.Epoch < cfg.Epochs && !stopped {
		if ctx.Err() != nil {
			return interrupted()
		}
		began := time.Now()
		secs0 := st.Seconds
		p.begin(st)
		want := st.Batch
		var lr float64
		// A checkpoint whose Batch is the epoch's last (Run never writes
		// one, but a checkpoint file may hold it) has only the epoch's end
		// left to do: validation and the epoch's bookkeeping.
		batches := data.Epoch(ctx, st.Epoch, st.Batch)
		if st.Batch == nb {
			batches = func(func(*Batch, error) bool) {}
			lr = sched.at(int64(st.Epoch)*int64(nb) + int64(nb-1))
		}
		for b, err := range batches {
			if err != nil {
				if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
					if st.Batch == nb {
						// The interrupt came after the last batch: the
						// epoch is whole, so it is validated and saved as
						// complete, and the next one starts the resumed run.
						break
					}
					st.Seconds = secs0 + time.Since(began).Seconds()
					return interrupted()
				}
				return nil, fmt.Errorf("epoch %d batch %d: %w", st.Epoch+1, st.Batch+1, err)
			}
			if st.Batch >= nb {
				return nil, fmt.Errorf("epoch %d: source yielded more than its %d batches", st.Epoch+1, nb)
			}
			if b.N < 0 || len(b.Labels) != b.N || b.T <= 0 || b.N > 0 && len(b.X)%(b.N*b.T) != 0 {
				return nil, fmt.Errorf("epoch %d batch %d: malformed batch (N %d, T %d, %d labels, %d values)",
					st.Epoch+1, st.Batch+1, b.N, b.T, len(b.Labels), len(b.X))
			}
			step := int64(st.Epoch)*int64(nb) + int64(st.Batch)
			if b.N == 0 { // every clip of the batch failed to load
				st.Batch++
				p.update(st)
				continue
			}
			loss, correct := net.Gradient(grad, b, mix(cfg.Seed, uint64(step)))
			if math.IsNaN(loss) || math.IsInf(loss, 0) {
				return nil, fmt.Errorf("epoch %d batch %d: loss is %v (try a lower -lr)", st.Epoch+1, st.Batch+1, loss)
			}
			if cfg.ClipNorm > 0 {
				model.ClipGlobalNorm(grad, float32(cfg.ClipNorm))
			}
			lr = sched.at(step)
			opt.step(params, grad, float32(lr))
			if st.EMA != nil {
				d := float32(min(cfg.EMA, float64(1+step)/float64(10+step)))
				for i, v := range params {
					st.EMA[i] = d*st.EMA[i] + (1-d)*v
				}
			}
			st.Batch++
			st.Loss += loss * float64(b.N)
			st.Correct += correct
			st.Seen += b.N
			st.Seconds = secs0 + time.Since(began).Seconds()
			p.update(st)
			// After the last batch the epoch is finished first, so that
			// the checkpoint of an interrupt is at the start of an epoch's
			// batch, never past its last one.
			if ctx.Err() != nil && st.Batch < nb {
				return interrupted()
			}
		}
		if st.Batch != nb {
			if ctx.Err() != nil {
				return interrupted()
			}
			return nil, fmt.Errorf("epoch %d: source yielded %d batches, want %d", st.Epoch+1, st.Batch-want, nb-want)
		}
		// With averaging, validate (and keep as best) the average.
		if st.EMA != nil {
			copy(last, params)
			copy(params, st.EMA)
		}
		conf := NewConfusion(nil)
		if val != nil {
			conf, err = Evaluate(context.WithoutCancel(ctx), net, val, 0)
			if err != nil {
				return nil, fmt.Errorf("validate after epoch %d: %w", st.Epoch+1, err)
			}
		}
		e := Epoch{
			Epoch:    st.Epoch + 1,
			Loss:     st.Loss / float64(max(st.Seen, 1)),
			TrainAcc: float64(st.Correct) / float64(max(st.Seen, 1)),
			ValAcc:   conf.Accuracy(),
			LR:       lr,
			Seconds:  st.Seconds,
		}
		if st.Seconds > 0 {
			e.ExPerSec = float64(st.Seen) / st.Seconds
		}
		// Without validation clips, the training accuracy chooses.
		sel := e.ValAcc
		if conf.Total() == 0 {
			sel = e.TrainAcc
		}
		if sel > st.BestAcc {
			e.Best = true
			st.BestAcc, st.BestEpoch, st.BadEpochs = sel, e.Epoch, 0
			copy(st.Best, params)
		} else {
			st.BadEpochs++
		}
		if st.EMA != nil {
			copy(params, last)
		}
		st.History = append(st.History, e)
		st.Epoch++
		st.Batch, st.Loss, st.Correct, st.Seen, st.Seconds = 0, 0, 0, 0, 0
		if cfg.Patience > 0 && st.BadEpochs >= cfg.Patience && st.Epoch < cfg.Epochs {
			stopped = true
		}
		st.Stopped = stopped
		p.end(e)
		if err := save(); err != nil {
			return nil, err
		}
		if cfg.OnEpoch != nil {
			if err := cfg.OnEpoch(st.History); err != nil {
				return nil, err
			}
		}
	}
	if stopped && cfg.Progress != nil {
		fmt.Fprintf(cfg.Progress, "early stop: no better validation accuracy for %d epochs\n", cfg.Patience)
	}
	if st.BestEpoch > 0 {
		copy(params, st.Best)
	}
	return &Result{History: st.History, BestEpoch: st.BestEpoch, BestAcc: st.BestAcc, Stopped: st.Stopped}, nil
}

// mix is SplitMix64's finaliser over a+b: a well-spread seed from two
// numbers.
func mix(a, b uint64) uint64 {
	z := a + 0x9e3779b97f4a7c15*(b+1)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// schedule gives the learning rate of each step.
type schedule struct {
	cfg     Config
	batches int
}

func (s schedule) at(step int64) float64 {
	base := s.cfg.LR
	total := float64(s.cfg.Epochs) * float64(s.batches)
	warm := s.cfg.WarmupEpochs * float64(s.batches)
	x := float64(step)
	if x < warm {
		return base * (x + 1) / warm
	}
	switch s.cfg.Schedule {
	case "cosine":
		if total <= warm {
			return base
		}
		frac := (x - warm) / (total - warm)
		lo := base / 100
		return lo + (base-lo)*0.5*(1+math.Cos(math.Pi*frac))
	case "step":
		frac := x / total
		switch {
		case frac >= 0.75:
			return base / 100
		case frac >= 0.5:
			return base / 10
		}
	}
	return base
}
