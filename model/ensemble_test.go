package model

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// smallEnsemble returns three networks of smallModel's task, from different
// seeds, the second with input standardisation of its own.
func smallEnsemble(t *testing.T) (*Model, []*Model) {
	t.Helper()
	base := smallModel(t)
	ms := []*Model{base}
	for seed := int64(2); seed <= 3; seed++ {
		cfg := base.Config()
		if seed == 2 {
			cfg.InputMean = make([]float32, cfg.Inputs)
			cfg.InputStd = make([]float32, cfg.Inputs)
			for i := range cfg.InputStd {
				cfg.InputMean[i] = float32(i) / 10
				cfg.InputStd[i] = 1 + float32(i)/20
			}
		}
		m, err := New(cfg, seed)
		if err != nil {
			t.Fatal(err)
		}
		ms = append(ms, m)
	}
	e, err := NewEnsemble(ms...)
	if err != nil {
		t.Fatal(err)
	}
	return e, ms
}

func randomInput(n int, seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 1))
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	return x
}

func TestEnsemblePredictIsMeanOfMembers(t *testing.T) {
	e, ms := smallEnsemble(t)
	const B, T = 3, 7
	x := randomInput(B*T*40, 9)
	want := make([]float64, B*3)
	for _, m := range ms {
		p := m.NewWorkspace(B, T).Predict(nil, x, B, T)
		for i, v := range p {
			want[i] += float64(v) / float64(len(ms))
		}
	}
	got := e.NewWorkspace(B, T).Predict(nil, x, B, T)
	for i := range got {
		if math.Abs(float64(got[i])-want[i]) > 1e-6 {
			t.Fatalf("ensemble probability %d = %v, mean of members %v", i, got[i], want[i])
		}
	}
	for b := 0; b < B; b++ {
		var s float32
		for _, v := range got[b*3 : b*3+3] {
			s += v
		}
		if math.Abs(float64(s)-1) > 1e-5 {
			t.Errorf("clip %d: probabilities sum to %v", b, s)
		}
	}
	if n := len(e.Members()); n != 3 {
		t.Errorf("%d members, want 3", n)
	}
	if n := len(ms[0].Members()); n != 1 || ms[0].Members()[0] != ms[0] {
		t.Errorf("a single model's members are not itself")
	}
}

func TestEnsembleRoundTrip(t *testing.T) {
	e, _ := smallEnsemble(t)
	data := encode(t, e)
	if !bytes.Contains(data, []byte(`"member3.fc.bias"`)) {
		t.Error("no member3.fc.bias tensor in the file")
	}
	got, err := Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	gm, wm := got.Members(), e.Members()
	if len(gm) != len(wm) {
		t.Fatalf("%d members after a round trip, want %d", len(gm), len(wm))
	}
	for i := range gm {
		if !slices.Equal(gm[i].Params(), wm[i].Params()) {
			t.Errorf("member %d: parameters differ after a round trip", i+1)
		}
		if !slices.Equal(gm[i].Config().InputStd, wm[i].Config().InputStd) {
			t.Errorf("member %d: input standardisation differs after a round trip", i+1)
		}
	}
	if got.Meta.Labels[0] != "yes" || got.Meta.Detection["threshold"] != "0.8" {
		t.Errorf("metadata %+v after a round trip", got.Meta)
	}
	x := randomInput(5*40, 4)
	a := e.NewWorkspace(1, 5).Predict(nil, x, 1, 5)
	b := got.NewWorkspace(1, 5).Predict(nil, x, 1, 5)
	if !slices.Equal(a, b) {
		t.Errorf("predictions %v after a round trip, want %v", b, a)
	}
	if !bytes.Equal(encode(t, got), data) {
		t.Error("re-encoding a decoded ensemble gives different bytes")
	}
}

func TestNewEnsembleErrors(t *testing.T) {
	m := smallModel(t)
	other, err := New(Config{Inputs: 40, Hidden: 4, Layers: 1, Classes: 4}, 1)
	if err != nil {
		t.Fatal(err)
	}
	e, _ := smallEnsemble(t)
	for name, ms := range map[string][]*Model{
		"none":          nil,
		"other classes": {m, other},
		"nested":        {m, e},
	} {
		if _, err := NewEnsemble(ms...); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestDecodeEnsembleErrors(t *testing.T) {
	e, _ := smallEnsemble(t)
	valid := encode(t, e)
	for _, tc := range []struct {
		name string
		edit func(h map[string]any)
		want string
	}{
		{"member tensors missing", func(h map[string]any) { delete(h, "member2.fc.bias") }, "missing tensor member2.fc.bias"},
		{"not an array", func(h map[string]any) { meta(h)["ensemble"] = `{"x":1}` }, "ensemble must be a JSON array"},
		{"other classes", func(h map[string]any) {
			meta(h)["ensemble"] = strings.Replace(meta(h)["ensemble"].(string), `"classes":3`, `"classes":5`, 1)
		}, "member 2 takes 40 inputs to 5 classes"},
		{"bad architecture", func(h map[string]any) {
			meta(h)["ensemble"] = strings.Replace(meta(h)["ensemble"].(string), `"hidden":4`, `"hidden":0`, 1)
		}, "ensemble member 2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode(bytes.NewReader(rewriteHeader(t, valid, tc.edit)))
			var fe FormatError
			if !errors.As(err, &fe) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want a FormatError containing %q", err, tc.want)
			}
		})
	}
}

func TestEnsembleCannotTrain(t *testing.T) {
	e, _ := smallEnsemble(t)
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "ensemble") {
			t.Errorf("training an ensemble: panic %v, want one naming the ensemble", r)
		}
	}()
	w := e.NewWorkspace(1, 2)
	grad := make([]float32, e.NumParams())
	w.TrainBatch(grad, randomInput(2*40, 1), []int{0}, 1, 2, rand.New(rand.NewPCG(1, 2)))
}
