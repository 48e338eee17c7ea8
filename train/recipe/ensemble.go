package recipe

import (
	"encoding/json"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/listen-go/listen/model"
)

// Ensemble returns one model that averages the class probabilities of
// models trained alike (model.NewEnsemble; an ensemble among them counts as
// its networks). The first model's metadata and detection settings are
// kept, and its training notes, which describe the recipe, less its paths;
// each model's own test and validation accuracy, data fingerprint and seed
// are noted as "ensemble.N.NAME", N counted from 1. Models that read other
// features or windows or name other labels are refused (see SameTask).
func Ensemble(models ...*model.Model) (*model.Model, error) {
	if len(models) == 0 {
		return nil, fmt.Errorf("recipe: no models to combine")
	}
	first := models[0]
	var nets []*model.Model
	notes := map[string]string{}
	for i, m := range models {
		if err := SameTask(first, m); err != nil {
			return nil, fmt.Errorf("models 1 and %d: %w", i+1, err)
		}
		nets = append(nets, m.Members()...)
		// Each member is recorded by what it learned from and how well it
		// did, not by its file's name (often a temporary file).
		k := "ensemble." + strconv.Itoa(i+1)
		for _, note := range memberNotes {
			if v, ok := m.Meta.Training[note]; ok {
				notes[k+"."+note] = v
			}
		}
		if seed, ok := recordedFlag(m, "seed"); ok {
			notes[k+".seed"] = seed
		}
	}
	e, err := model.NewEnsemble(nets...)
	if err != nil {
		return nil, err
	}
	// The first model's training notes describe the recipe; its test
	// accuracy is its own, so it moves next to its name, as the others'.
	e.Meta.Training = maps.Clone(first.Meta.Training)
	if e.Meta.Training == nil {
		e.Meta.Training = map[string]string{}
	}
	delete(e.Meta.Training, "test_accuracy")
	portableNotes(e.Meta.Training)
	maps.Copy(e.Meta.Training, notes)
	return e, nil
}

// memberNotes are the training notes kept for each member of an ensemble.
var memberNotes = []string{"test_accuracy", "val_accuracy", "clips_sha256"}

// recordedFlag returns the value of the option named by its flag recorded
// in m's training notes.
func recordedFlag(m *model.Model, name string) (string, bool) {
	var flags map[string]string
	if json.Unmarshal([]byte(m.Meta.Training["flags"]), &flags) != nil {
		return "", false
	}
	v, ok := flags[name]
	return v, ok
}

// SameTask checks that m reads the same features over the same window and
// names the same classes in the same order as first (model.NewEnsemble
// checks the networks' input and output sizes).
func SameTask(first, m *model.Model) error {
	switch {
	case !slices.Equal(first.Meta.Labels, m.Meta.Labels):
		return fmt.Errorf("labels differ (%s; %s)", strings.Join(first.Meta.Labels, ", "), strings.Join(m.Meta.Labels, ", "))
	case first.Meta.Features != m.Meta.Features:
		return fmt.Errorf("features differ (%+v; %+v)", first.Meta.Features, m.Meta.Features)
	case first.Meta.WindowSamples != m.Meta.WindowSamples:
		return fmt.Errorf("windows differ (%d and %d samples)", first.Meta.WindowSamples, m.Meta.WindowSamples)
	}
	return nil
}

// pathFlags are the options that name files or folders (comma-separated
// lists for -unknown and -extra).
var pathFlags = []string{"data", "out", "checkpoint", "metrics", "noise", "unknown", "extra"}

// portableFlags is a run's record (see Options.record) with each file or
// folder cut to its base name, for the model file: a model says what data
// it learned from (with the data's clip count and fingerprint beside it)
// but not where that data was on the machine that trained it. The
// checkpoint keeps the full paths, which resuming needs.
func portableFlags(js string) string {
	var m map[string]string
	if err := json.Unmarshal([]byte(js), &m); err != nil {
		return js
	}
	for _, name := range pathFlags {
		v, ok := m[name]
		if !ok || v == "" {
			continue
		}
		parts := strings.Split(v, ",")
		for i, p := range parts {
			parts[i] = filepath.Base(p)
		}
		m[name] = strings.Join(parts, ",")
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// portableNotes rewrites training notes written before models stopped
// recording paths: the data folder becomes its base name, the flags
// record loses its folders (portableFlags), and an ensemble's notes naming
// its members' files go.
func portableNotes(notes map[string]string) {
	if v, ok := notes["data"]; ok && v != "" {
		notes["data"] = filepath.Base(v)
	}
	if v, ok := notes["flags"]; ok {
		notes["flags"] = portableFlags(v)
	}
	for k := range notes {
		if n, ok := strings.CutPrefix(k, "ensemble."); ok && !strings.Contains(n, ".") {
			delete(notes, k)
		}
	}
}
