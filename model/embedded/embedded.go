// Package embedded holds the trained models compiled into every program
// that imports it, so that they load without the file system:
//
//   - "default": the twelve-class Speech Commands model (_silence_,
//     _unknown_, yes, no, up, down, left, right, on, off, stop, go), one
//     second of audio.
//   - "home": six home phrases ("turn on the lights", "what time is it",
//     ...), a 2.6 s window.
//
// Each Load decodes the model anew, so callers never share a *model.Model
// unless they choose to. The files that rebuild the models sit beside them:
// default.cmd and home.cmd hold the exact commands, home_check.go makes the
// home model's check set, and README.md says where the figures are.
package embedded

import (
	_ "embed" // the model files
	"fmt"
	"slices"
	"strings"

	"github.com/listen-go/listen/model"
)

// The model files, as strings: a strings.Reader over one decodes it
// without a copy of its bytes on the heap.
var (
	//go:embed default.safetensors
	defaultFile string
	//go:embed home.safetensors
	homeFile string
)

// names lists the models Load accepts, in the order Names gives them.
var names = []string{"default", "home"}

// files maps each name to its file's bytes.
var files = map[string]string{"default": defaultFile, "home": homeFile}

// Names returns the names of the embedded models: "default" and "home".
func Names() []string { return slices.Clone(names) }

// Load decodes the embedded model called name (one of Names).
func Load(name string) (*model.Model, error) {
	file, ok := files[name]
	if !ok {
		return nil, fmt.Errorf("embedded: no model %q (have %v)", name, names)
	}
	m, err := model.Decode(strings.NewReader(file))
	if err != nil {
		return nil, fmt.Errorf("embedded model %s: %w", name, err)
	}
	return m, nil
}

// DecodeConfig reads only the header of the embedded model called name:
// its architecture and metadata (labels, window, detection settings), as
// model.DecodeConfig does, without decoding its weights.
func DecodeConfig(name string) (model.Config, model.Metadata, error) {
	file, ok := files[name]
	if !ok {
		return model.Config{}, model.Metadata{}, fmt.Errorf("embedded: no model %q (have %v)", name, names)
	}
	c, m, err := model.DecodeConfig(strings.NewReader(file))
	if err != nil {
		return model.Config{}, model.Metadata{}, fmt.Errorf("embedded model %s: %w", name, err)
	}
	return c, m, nil
}

// Suggest returns what to tell someone who named a model called name that
// is neither an embedded model nor a file: the embedded models' names, and
// the one name differs from only in case, if any.
func Suggest(name string) string {
	s := "the embedded models are " + strings.Join(names, ", ")
	for _, n := range names {
		if n != name && strings.EqualFold(n, name) {
			s += fmt.Sprintf(" (did you mean %q?)", n)
		}
	}
	return s
}

// Default decodes the twelve-class Speech Commands model.
func Default() (*model.Model, error) { return Load("default") }

// Home decodes the model of the six home phrases.
func Home() (*model.Model, error) { return Load("home") }
