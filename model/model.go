package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/listen-go/listen/mfcc"
	"gonum.org/v1/gonum/mat"
)

// Config is the architecture of a Model. Every field is stored in the model
// file's metadata as JSON.
type Config struct {
	// Inputs is the number of features per frame (40 MFCCs). Required.
	Inputs int `json:"inputs"`
	// Hidden is the LSTM state size of every layer. Required.
	Hidden int `json:"hidden"`
	// Layers is the number of stacked LSTM layers. Required.
	Layers int `json:"layers"`
	// Classes is the number of outputs of the final dense layer. At least 2.
	Classes int `json:"classes"`
	// Dropout is the probability of zeroing an activation between LSTM
	// layers and before the dense layer, during training only. Zero means
	// no dropout; it must be below 1.
	Dropout float32 `json:"dropout"`
	// LabelSmoothing is the share of the training target spread evenly over
	// all classes (Szegedy et al. 2016): the cross-entropy is taken against
	// (1-e) on the label plus e/Classes on every class, so the network is
	// not pushed towards certainty on clips it has already learned. Zero
	// means plain cross-entropy; it must be below 1. Training only.
	LabelSmoothing float32 `json:"label_smoothing,omitempty"`
	// CMN subtracts each clip's per-feature mean over time before anything
	// else (cepstral mean normalisation).
	CMN bool `json:"cmn"`
	// InputMean and InputStd, when set (length Inputs), standardise each
	// feature after CMN: (x - InputMean) / InputStd. Nil means no scaling;
	// InputStd must then be nil too or be positive.
	InputMean []float32 `json:"input_mean,omitempty"`
	InputStd  []float32 `json:"input_std,omitempty"`
}

// DefaultConfig is the reference architecture: 40 inputs, 2 x 128 LSTM,
// 12 classes, no dropout, no normalisation.
func DefaultConfig() Config {
	return Config{Inputs: 40, Hidden: 128, Layers: 2, Classes: 12}
}

// maxParams bounds the size of a model New or Decode will build (1 GiB of
// float32), so a corrupt file cannot ask for a huge allocation.
const maxParams = 1 << 28

func (c Config) validate() error {
	switch {
	case c.Inputs <= 0:
		return fmt.Errorf("model: config: inputs %d must be positive", c.Inputs)
	case c.Hidden <= 0:
		return fmt.Errorf("model: config: hidden %d must be positive", c.Hidden)
	case c.Layers <= 0:
		return fmt.Errorf("model: config: layers %d must be positive", c.Layers)
	case c.Classes < 2:
		return fmt.Errorf("model: config: classes %d must be at least 2", c.Classes)
	case !(c.Dropout >= 0 && c.Dropout < 1):
		return fmt.Errorf("model: config: dropout %v must be in [0, 1)", c.Dropout)
	case !(c.LabelSmoothing >= 0 && c.LabelSmoothing < 1):
		return fmt.Errorf("model: config: label smoothing %v must be in [0, 1)", c.LabelSmoothing)
	}
	if c.Inputs > maxParams || c.Hidden > maxParams || c.Layers > maxParams || c.Classes > maxParams {
		return fmt.Errorf("model: config: too large (%d inputs, %d hidden, %d layers, %d classes)", c.Inputs, c.Hidden, c.Layers, c.Classes)
	}
	if n := c.numParams(); n > maxParams {
		return fmt.Errorf("model: config: %d parameters is more than the limit %d", n, maxParams)
	}
	if c.InputMean != nil && len(c.InputMean) != c.Inputs {
		return fmt.Errorf("model: config: input_mean has %d values, want %d", len(c.InputMean), c.Inputs)
	}
	if c.InputStd != nil && len(c.InputStd) != c.Inputs {
		return fmt.Errorf("model: config: input_std has %d values, want %d", len(c.InputStd), c.Inputs)
	}
	for i, v := range c.InputMean {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return fmt.Errorf("model: config: input_mean[%d] is %v", i, v)
		}
	}
	for i, v := range c.InputStd {
		if !(v > 0) || math.IsInf(float64(v), 0) {
			return fmt.Errorf("model: config: input_std[%d] is %v, must be positive", i, v)
		}
	}
	return nil
}

// numParams is the length of the flat parameter vector, computed in int64
// terms without overflow for validated-size fields, in time that does not
// depend on the layer count (a file's header may claim millions).
func (c Config) numParams() int {
	h, layers := int64(c.Hidden), int64(c.Layers)
	n := int64(c.Classes)*h + int64(c.Classes) // the dense layer
	if layers > 0 {
		n += 4*h*int64(c.Inputs) + 4*h*h + 8*h // layer 0 reads the inputs
	}
	if n > maxParams {
		return maxParams + 1
	}
	if rest := 8*h*h + 8*h; layers > 1 && rest > 0 { // each later layer reads the one below
		if layers-1 > (maxParams-n)/rest {
			return maxParams + 1
		}
		n += (layers - 1) * rest
	}
	return int(n)
}

func (c Config) clone() Config {
	c.InputMean = slices.Clone(c.InputMean)
	c.InputStd = slices.Clone(c.InputStd)
	return c
}

// Metadata describes how a model's inputs are made and what its outputs
// mean. It travels with the weights in the model file.
type Metadata struct {
	// Labels names the classes in output order; empty or length Classes.
	Labels []string
	// Features is the feature extractor's configuration, so that the model
	// is always fed the features it was trained on. A zero Config means
	// unknown (a file written without metadata).
	Features mfcc.Config
	// WindowSamples is the clip length in samples (16000 for one second).
	WindowSamples int
	// Training records how the model was trained (free-form).
	Training map[string]string
	// Detection holds the streaming detection settings the model's maker
	// chose for it, by the names of listen's flags ("threshold": "0.8",
	// "average": "500ms"); package detect reads them (detect.ModelConfig)
	// and a user's flags override them. Nil means detect's defaults.
	Detection map[string]string
}

// Model is a stacked LSTM many-to-one classifier: its weights and metadata.
// A Model is read-only during training steps and prediction, so several
// Workspaces may use it at once; changing its parameters (an optimizer
// step) must not overlap with them.
type Model struct {
	Meta Metadata

	cfg    Config
	params []float32
	layers []layerParams
	fcW    []float32 // Classes x Hidden
	fcB    []float32 // Classes

	members []*Model // the other networks of an ensemble (NewEnsemble)
}

// layerParams are the views of one LSTM layer's parameters into the flat
// vector, and their offsets, in torch.nn.LSTM's layout: gate rows stacked
// i, f, g, o.
type layerParams struct {
	in                             int       // input size of this layer
	wih, whh, bih, bhh             []float32 // 4H x in, 4H x H, 4H, 4H
	offWih, offWhh, offBih, offBhh int
}

// New returns a model with freshly initialised weights:
//
//   - weight_ih and the dense layer U(-1/sqrt(H), 1/sqrt(H)) as PyTorch does;
//   - weight_hh orthogonal, one H x H orthogonal block per gate, so the
//     recurrence neither grows nor shrinks the state at the start;
//   - biases 0 except the forget gate's bias_ih, which is 1 (see initForgetBias).
//
// The same config and seed always give the same weights. New does not keep
// cfg's slices.
func New(cfg Config, seed int64) (*Model, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	m := newModel(cfg, nil)
	m.init(rand.New(rand.NewPCG(uint64(seed), 0x6c697374656e)))
	return m, nil
}

// newModel builds a model around params (len cfg.numParams()), or around
// zero parameters if params is nil; cfg must be valid.
func newModel(cfg Config, params []float32) *Model {
	m := &Model{cfg: cfg.clone(), params: params}
	if params == nil {
		m.params = make([]float32, cfg.numParams())
	}
	H := cfg.Hidden
	off := 0
	take := func(n int) ([]float32, int) {
		s := m.params[off : off+n : off+n]
		o := off
		off += n
		return s, o
	}
	for l := 0; l < cfg.Layers; l++ {
		in := cfg.Inputs
		if l > 0 {
			in = H
		}
		var lp layerParams
		lp.in = in
		lp.wih, lp.offWih = take(4 * H * in)
		lp.whh, lp.offWhh = take(4 * H * H)
		lp.bih, lp.offBih = take(4 * H)
		lp.bhh, lp.offBhh = take(4 * H)
		m.layers = append(m.layers, lp)
	}
	m.fcW, _ = take(cfg.Classes * H)
	m.fcB, _ = take(cfg.Classes)
	return m
}

func (m *Model) init(rng *rand.Rand) {
	H := m.cfg.Hidden
	k := float32(1 / math.Sqrt(float64(H)))
	uniform := func(s []float32) {
		for i := range s {
			s[i] = k * (2*rng.Float32() - 1)
		}
	}
	for _, lp := range m.layers {
		uniform(lp.wih)
		for g := 0; g < 4; g++ {
			orthogonal(lp.whh[g*H*H:(g+1)*H*H], H, rng)
		}
		clear(lp.bih)
		clear(lp.bhh)
		initForgetBias(lp.bih, H)
	}
	uniform(m.fcW)
	uniform(m.fcB)
}

// initForgetBias sets the forget gate's bias (rows H..2H of bias_ih) to 1.
// This is the remedy for vanishing gradients at the start of training: with
// a zero bias the forget gate starts near 0.5, so the cell state, and the
// gradient flowing back through it, shrinks by half at every time step
// (0.5^97 over a clip). With bias 1 it starts near 0.73 and the network can
// learn long dependencies before it learns to open the gate.
// (Jozefowicz, Zaremba, Sutskever 2015.)
func initForgetBias(bih []float32, H int) {
	for j := H; j < 2*H; j++ {
		bih[j] = 1
	}
}

// orthogonal fills dst (n x n, row-major) with a random orthogonal matrix:
// Q of the QR factorisation of a Gaussian matrix, with signs fixed so that
// the distribution is uniform (Haar).
func orthogonal(dst []float32, n int, rng *rand.Rand) {
	a := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			a.Set(i, j, rng.NormFloat64())
		}
	}
	var qr mat.QR
	qr.Factorize(a)
	var q, r mat.Dense
	qr.QTo(&q)
	qr.RTo(&r)
	for j := 0; j < n; j++ {
		s := 1.0
		if r.At(j, j) < 0 {
			s = -1
		}
		for i := 0; i < n; i++ {
			dst[i*n+j] = float32(s * q.At(i, j))
		}
	}
}

// Config returns the model's architecture (a copy).
func (m *Model) Config() Config { return m.cfg.clone() }

// Params returns the flat parameter vector, live: writing to it changes the
// model. Its layout is torch's state_dict order (see Tensors); gradient
// vectors have the same layout and length.
func (m *Model) Params() []float32 { return m.params }

// NumParams is len(m.Params()).
func (m *Model) NumParams() int { return len(m.params) }

// Tensor is a named view into a model's flat parameter vector.
type Tensor struct {
	Name   string // torch state_dict name, e.g. "lstm.weight_ih_l0"
	Shape  []int  // row-major
	Offset int    // into Params()
	Data   []float32
}

// Tensors lists the parameter tensors in file order: for each layer l,
// lstm.weight_ih_l{l} (4H x In), lstm.weight_hh_l{l} (4H x H),
// lstm.bias_ih_l{l} (4H), lstm.bias_hh_l{l} (4H); then fc.weight
// (Classes x H) and fc.bias (Classes).
func (m *Model) Tensors() []Tensor {
	return tensorLayout(m.cfg, m.params)
}

func tensorLayout(cfg Config, params []float32) []Tensor {
	H := cfg.Hidden
	var ts []Tensor
	off := 0
	add := func(name string, shape ...int) {
		n := 1
		for _, d := range shape {
			n *= d
		}
		t := Tensor{Name: name, Shape: shape, Offset: off}
		if params != nil {
			t.Data = params[off : off+n : off+n]
		}
		ts = append(ts, t)
		off += n
	}
	for l := 0; l < cfg.Layers; l++ {
		in := cfg.Inputs
		if l > 0 {
			in = H
		}
		add(fmt.Sprintf("lstm.weight_ih_l%d", l), 4*H, in)
		add(fmt.Sprintf("lstm.weight_hh_l%d", l), 4*H, H)
		add(fmt.Sprintf("lstm.bias_ih_l%d", l), 4*H)
		add(fmt.Sprintf("lstm.bias_hh_l%d", l), 4*H)
	}
	add("fc.weight", cfg.Classes, H)
	add("fc.bias", cfg.Classes)
	return ts
}
