package model

import (
	"fmt"
	"slices"
)

// NewEnsemble returns a model whose predictions are the mean of the class
// probabilities of ms, several networks trained alike (the same task from
// different seeds). Averaging independently trained networks cancels much
// of what each learned by chance from a few speakers: on the validation
// streams of the default model, three members made half as many wrong
// reports as one (docs/experiments.md, "Ensembles"). The ensemble has the
// metadata of ms[0]; all
// must take the same inputs, give the same classes and be single networks.
// Its members keep their own architecture config (input standardisation
// included) and share parameter storage with ms.
//
// An ensemble predicts (Workspace.Predict) and saves (Encode) like any
// model; Params, NumParams, Tensors and Config are its first member's, and
// it cannot be trained (train its members, then combine them).
func NewEnsemble(ms ...*Model) (*Model, error) {
	if len(ms) == 0 {
		return nil, fmt.Errorf("model: ensemble of no models")
	}
	first := ms[0].cfg
	for i, m := range ms {
		if len(m.members) > 0 {
			return nil, fmt.Errorf("model: ensemble member %d is itself an ensemble", i+1)
		}
		if m.cfg.Inputs != first.Inputs || m.cfg.Classes != first.Classes {
			return nil, fmt.Errorf("model: ensemble member %d takes %d inputs to %d classes, member 1 %d to %d",
				i+1, m.cfg.Inputs, m.cfg.Classes, first.Inputs, first.Classes)
		}
	}
	e := *ms[0]
	e.members = slices.Clone(ms[1:])
	return &e, nil
}

// Members returns the networks whose probabilities m averages, m's own
// first: one model, m itself, for a model that is not an ensemble.
func (m *Model) Members() []*Model {
	if len(m.members) == 0 {
		return []*Model{m}
	}
	head := *m
	head.members = nil
	return append([]*Model{&head}, m.members...)
}
