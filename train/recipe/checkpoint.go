package recipe

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"

	"github.com/listen-go/listen/internal/atomicfile"
	"github.com/listen-go/listen/train"
)

// Saved is a checkpoint read back: the state of an interrupted run and the
// options it ran with.
type Saved struct {
	Path   string
	State  *train.Checkpoint
	record map[string]string // flag name -> value
}

// ReadCheckpoint reads the checkpoint a run wrote to path.
func ReadCheckpoint(path string) (*Saved, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("resume: %w", err)
	}
	c, err := train.DecodeCheckpoint(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("resume %s: %w", path, err)
	}
	s := &Saved{Path: path, State: c}
	if err := json.Unmarshal([]byte(c.Meta["flags"]), &s.record); err != nil {
		return nil, fmt.Errorf("checkpoint %s: no flags recorded: %w", path, err)
	}
	// A checkpoint written before an option existed ran as laterFlags
	// says, whatever its default is now.
	for name, v := range laterFlags {
		if _, ok := s.record[name]; !ok {
			s.record[name] = v
		}
	}
	return s, nil
}

// frozenFlags are the options that define a run (data, model, optimizer,
// order): a resumed run must keep them.
var frozenFlags = []string{"data", "words", "noise", "batch", "hidden", "layers", "lr", "wd", "dropout", "smooth",
	"warmup", "clip", "momentum", "optimizer", "schedule", "seed", "cmn", "specaug", "augment", "val-pct", "test-pct",
	"shift", "noise-prob", "noise-max", "speed", "warp", "ema", "join"}

// laterFlags are the frozen options added after checkpoints were first
// written, with the value that reproduces a run from before them.
var laterFlags = map[string]string{"warp": "0", "join": "0"}

// Options returns the options that continue the saved run: o's, with every
// option named in given (by flag name) kept and the others taken from the
// checkpoint, and Resume set. Where and what the run writes and reports
// (Out, Checkpoint, Metrics, the callbacks) stay o's. A given option that
// would change the run (the data, the model, the optimizer, the order) and
// differs from the checkpoint's is an *OptionError.
func (s *Saved) Options(o Options, given []string) (Options, error) {
	cur := flag.NewFlagSet("given", flag.ContinueOnError)
	o.RegisterFlags(cur)
	res := o
	fs := flag.NewFlagSet("saved", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	res.RegisterFlags(fs)
	names := make([]string, 0, len(s.record))
	for k := range s.record {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		switch name {
		case "checkpoint", "out", "metrics":
			continue
		}
		fl := fs.Lookup(name)
		if fl == nil {
			continue
		}
		if slices.Contains(given, name) {
			if v := cur.Lookup(name).Value.String(); v != s.record[name] && slices.Contains(frozenFlags, name) {
				return o, optionError("-%s %s differs from the checkpoint's %s (resuming needs the same run)", name, v, s.record[name])
			}
			continue
		}
		if err := fs.Set(name, s.record[name]); err != nil {
			return o, fmt.Errorf("checkpoint %s: flag -%s: %w", s.Path, name, err)
		}
	}
	res.Resume = s.State
	return res, nil
}

// saveCheckpoint writes c to path with the run's record: to a temporary
// file, read back and compared with c, then renamed over path.
func saveCheckpoint(path string, c *train.Checkpoint, record string) error {
	c.Meta = map[string]string{"flags": record}
	return atomicfile.WriteChecked(path, c.Encode, func(r io.Reader) error { return train.VerifyCheckpoint(r, c) })
}
