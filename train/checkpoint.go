package train

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"sort"
	"strings"
)

// Checkpoint is the complete state of a training run: enough to continue
// it exactly where it stopped. Encode writes it as a safetensors file
// (tensors "params", "best", "ema" when averaging and "opt.NAME", the rest as JSON in the
// "train" metadata entry, Meta's entries beside it).
type Checkpoint struct {
	Epoch     int    `json:"epoch"`   // epochs completed
	Batch     int    `json:"batch"`   // batches of the next epoch completed, less than Batches (Batches: all of them, not yet validated)
	Batches   int    `json:"batches"` // batches per epoch
	Seed      uint64 `json:"seed"`
	Optimizer string `json:"optimizer"`
	OptSteps  int64  `json:"opt_steps"`

	BestAcc   float64 `json:"best_acc"`   // best validation accuracy, -1 before the first epoch
	BestEpoch int     `json:"best_epoch"` // counted from 1
	BadEpochs int     `json:"bad_epochs"` // epochs since the best
	Stopped   bool    `json:"stopped"`    // early stopping ended the run

	// Sums over the batches of the unfinished epoch.
	Loss    float64 `json:"loss"`
	Correct int     `json:"correct"`
	Seen    int     `json:"seen"`
	Seconds float64 `json:"seconds"`

	History []Epoch `json:"history"`

	Params []float32            `json:"-"` // current weights
	Best   []float32            `json:"-"` // weights of the best epoch
	EMA    []float32            `json:"-"` // moving average of the weights (Config.EMA), nil without
	Opt    map[string][]float32 `json:"-"` // optimizer state
	// Meta holds the caller's entries (the model's configuration, the
	// command's flags); the key "train" is reserved.
	Meta map[string]string `json:"-"`
}

// check reports what in c, taken alone, would stop Run from resuming it.
// A position of Batches batches into an epoch is accepted: Run resumes it
// by ending that epoch.
func (c *Checkpoint) check() error {
	switch {
	case c.Batches <= 0:
		return fmt.Errorf("%d batches per epoch", c.Batches)
	case c.Optimizer != "adam" && c.Optimizer != "sgd":
		return fmt.Errorf("unknown optimizer %q", c.Optimizer)
	case c.Epoch < 0 || c.Batch < 0 || c.Batch > c.Batches:
		return fmt.Errorf("position epoch %d batch %d of %d is out of range", c.Epoch, c.Batch, c.Batches)
	case len(c.Best) != len(c.Params):
		return fmt.Errorf("%d best weights for %d weights", len(c.Best), len(c.Params))
	case c.EMA != nil && len(c.EMA) != len(c.Params):
		return fmt.Errorf("%d averaged weights for %d weights", len(c.EMA), len(c.Params))
	}
	return nil
}

// restore copies c into st and into the live params and optimizer.
func (st *Checkpoint) restore(c *Checkpoint, params []float32, opt optimizer) error {
	switch {
	case c.Batches != st.Batches:
		return fmt.Errorf("resume: checkpoint has %d batches per epoch, data now has %d (same data, -batch and -seed needed)", c.Batches, st.Batches)
	case c.Optimizer != st.Optimizer:
		return fmt.Errorf("resume: checkpoint used optimizer %s, not %s", c.Optimizer, st.Optimizer)
	case len(c.Params) != len(params) || len(c.Best) != len(params):
		return fmt.Errorf("resume: checkpoint has %d weights, model has %d", len(c.Params), len(params))
	}
	if err := c.check(); err != nil {
		return fmt.Errorf("resume: checkpoint %w", err)
	}
	if err := restoreState(opt, c.Opt); err != nil {
		return fmt.Errorf("resume: %w", err)
	}
	opt.setSteps(c.OptSteps)
	if len(c.EMA) != len(st.EMA) { // both none, or both the model's size
		return fmt.Errorf("resume: the checkpoint's weight averaging (-ema) differs from this run's")
	}
	copy(params, c.Params)
	best, ema := st.Best, st.EMA
	*st = *c
	st.Best, st.EMA = best, ema
	copy(st.Best, c.Best)
	copy(st.EMA, c.EMA)
	st.History = append([]Epoch(nil), c.History...)
	st.Meta = c.Meta
	return nil
}

// VerifyCheckpoint reads back a checkpoint that want.Encode wrote to r and
// reports whether it holds want's state exactly, bit for bit, and Run
// could resume it. A writer calls it on the file it has written before that
// file replaces the previous checkpoint, so that a checkpoint that cannot
// be resumed never takes the place of one that can.
func VerifyCheckpoint(r io.Reader, want *Checkpoint) error {
	got, err := DecodeCheckpoint(r)
	if err != nil {
		return err
	}
	if err := got.check(); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	opt := newOptimizer(Config{Optimizer: got.Optimizer}, len(got.Params))
	if err := restoreState(opt, got.Opt); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	gs, err := json.Marshal(got)
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	ws, err := json.Marshal(want)
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	if !bytes.Equal(gs, ws) {
		return errors.New("checkpoint: the training state read back differs from the one written")
	}
	if !maps.Equal(got.Meta, want.Meta) {
		return errors.New("checkpoint: the metadata read back differs from the one written")
	}
	vecs := map[string][2][]float32{"params": {got.Params, want.Params}, "best": {got.Best, want.Best}, "ema": {got.EMA, want.EMA}}
	if len(got.Opt) != len(want.Opt) {
		return fmt.Errorf("checkpoint: %d optimizer vectors read back, %d written", len(got.Opt), len(want.Opt))
	}
	for k, v := range want.Opt {
		vecs["opt."+k] = [2][]float32{got.Opt[k], v}
	}
	for name, v := range vecs {
		if !sameBits(v[0], v[1]) {
			return fmt.Errorf("checkpoint: tensor %s read back differs from the one written", name)
		}
	}
	return nil
}

// sameBits reports whether a and b hold the same float32 bit patterns.
func sameBits(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return false
		}
	}
	return true
}

type tensorInfo struct {
	DType   string `json:"dtype"`
	Shape   []int  `json:"shape"`
	Offsets [2]int `json:"data_offsets"`
}

// Encode writes c to w in the safetensors format.
func (c *Checkpoint) Encode(w io.Writer) error {
	state, err := json.Marshal(c)
	if err != nil {
		return err
	}
	meta := map[string]string{"train": string(state)}
	for k, v := range c.Meta {
		if k == "train" {
			return errors.New("train: checkpoint meta key \"train\" is reserved")
		}
		meta[k] = v
	}
	names := []string{"params", "best"}
	vecs := map[string][]float32{"params": c.Params, "best": c.Best}
	if c.EMA != nil {
		names = append(names, "ema")
		vecs["ema"] = c.EMA
	}
	var optNames []string
	for k, v := range c.Opt {
		optNames = append(optNames, "opt."+k)
		vecs["opt."+k] = v
	}
	sort.Strings(optNames)
	names = append(names, optNames...)
	header := map[string]any{"__metadata__": meta}
	off := 0
	for _, n := range names {
		size := 4 * len(vecs[n])
		header[n] = tensorInfo{DType: "F32", Shape: []int{len(vecs[n])}, Offsets: [2]int{off, off + size}}
		off += size
	}
	h, err := json.Marshal(header)
	if err != nil {
		return err
	}
	for len(h)%8 != 0 {
		h = append(h, ' ')
	}
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(h)))
	if _, err := w.Write(n[:]); err != nil {
		return err
	}
	if _, err := w.Write(h); err != nil {
		return err
	}
	buf := make([]byte, 0, 1<<16)
	for _, name := range names {
		for _, x := range vecs[name] {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(x))
			if len(buf) == cap(buf) {
				if _, err := w.Write(buf); err != nil {
					return err
				}
				buf = buf[:0]
			}
		}
	}
	_, err = w.Write(buf)
	return err
}

// maxHeader bounds the JSON header a checkpoint may claim.
const maxHeader = 64 << 20

// DecodeCheckpoint reads a checkpoint written by Encode.
func DecodeCheckpoint(r io.Reader) (*Checkpoint, error) {
	var n [8]byte
	if _, err := io.ReadFull(r, n[:]); err != nil {
		return nil, fmt.Errorf("checkpoint header: %w", noEOF(err))
	}
	size := binary.LittleEndian.Uint64(n[:])
	if size == 0 || size > maxHeader {
		return nil, fmt.Errorf("checkpoint: header size %d out of range", size)
	}
	h := make([]byte, size)
	if _, err := io.ReadFull(r, h); err != nil {
		return nil, fmt.Errorf("checkpoint header: %w", noEOF(err))
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(h, &raw); err != nil {
		return nil, fmt.Errorf("checkpoint header: %w", err)
	}
	var meta map[string]string
	if err := json.Unmarshal(raw["__metadata__"], &meta); err != nil {
		return nil, fmt.Errorf("checkpoint metadata: %w", err)
	}
	state, ok := meta["train"]
	if !ok {
		return nil, errors.New("checkpoint: no \"train\" metadata (not a training checkpoint)")
	}
	c := new(Checkpoint)
	if err := json.Unmarshal([]byte(state), c); err != nil {
		return nil, fmt.Errorf("checkpoint state: %w", err)
	}
	delete(meta, "train")
	c.Meta = meta
	type entry struct {
		name string
		info tensorInfo
	}
	var entries []entry
	for k, v := range raw {
		if k == "__metadata__" {
			continue
		}
		var ti tensorInfo
		if err := json.Unmarshal(v, &ti); err != nil {
			return nil, fmt.Errorf("checkpoint tensor %s: %w", k, err)
		}
		if ti.DType != "F32" || len(ti.Shape) != 1 || ti.Offsets[1]-ti.Offsets[0] != 4*ti.Shape[0] || ti.Shape[0] < 0 || ti.Shape[0] > 1<<28 {
			return nil, fmt.Errorf("checkpoint tensor %s: unexpected layout", k)
		}
		entries = append(entries, entry{k, ti})
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].info.Offsets[0] < entries[j].info.Offsets[0] })
	pos := 0
	c.Opt = map[string][]float32{}
	for _, e := range entries {
		if e.info.Offsets[0] != pos {
			return nil, fmt.Errorf("checkpoint tensor %s: data not contiguous", e.name)
		}
		b := make([]byte, 4*e.info.Shape[0])
		if _, err := io.ReadFull(r, b); err != nil {
			return nil, fmt.Errorf("checkpoint tensor %s: %w", e.name, noEOF(err))
		}
		pos += len(b)
		v := make([]float32, e.info.Shape[0])
		for i := range v {
			v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
		}
		switch {
		case e.name == "params":
			c.Params = v
		case e.name == "best":
			c.Best = v
		case e.name == "ema":
			c.EMA = v
		case strings.HasPrefix(e.name, "opt."):
			c.Opt[strings.TrimPrefix(e.name, "opt.")] = v
		default:
			return nil, fmt.Errorf("checkpoint: unknown tensor %s", e.name)
		}
	}
	if c.Params == nil || c.Best == nil {
		return nil, errors.New("checkpoint: missing params or best tensors")
	}
	return c, nil
}

func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
