package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEnsembleAveragesModels(t *testing.T) {
	data := toneData(t, threeTones, 8)
	dir := t.TempDir()
	var members []string
	for _, seed := range []string{"1", "2"} {
		out := filepath.Join(dir, "m"+seed+".safetensors")
		if code, _, stderr := runCmd(tinyArgs(data, out, "-seed", seed)...); code != 0 {
			t.Fatalf("train seed %s: exit %d: %s", seed, code, stderr)
		}
		members = append(members, out)
	}
	ens := filepath.Join(dir, "ens.safetensors")
	code, stdout, stderr := runCmd(append([]string{"ensemble", "-out", ens, "-detect", "threshold=0.6"}, members...)...)
	if code != 0 {
		t.Fatalf("ensemble: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "2 networks averaged") {
		t.Errorf("ensemble output: %q", stdout)
	}
	m := readModel(t, ens)
	if n := len(m.Members()); n != 2 {
		t.Errorf("%d networks in the ensemble, want 2", n)
	}
	if m.Meta.Detection["threshold"] != "0.6" || m.Meta.Training["ensemble.2.seed"] != "2" {
		t.Errorf("ensemble metadata %+v", m.Meta)
	}
	if _, ok := m.Meta.Training["test_accuracy"]; ok || m.Meta.Training["ensemble.2.test_accuracy"] != readModel(t, members[1]).Meta.Training["test_accuracy"] {
		t.Errorf("the members' test accuracies are not kept apart: %v", m.Meta.Training)
	}
	for k, v := range m.Meta.Training {
		if strings.Contains(v, dir) {
			t.Errorf("training note %s names a file of this machine: %s", k, v)
		}
	}

	// classify gives the mean of the members' probabilities.
	clip := filepath.Join(data, "mid", "spk000_nohash_0.wav")
	if _, err := os.Stat(clip); err != nil {
		t.Fatal(err)
	}
	probs := func(modelPath string) map[string]float64 {
		code, stdout, stderr := runCmd("classify", "-json", "-top", "3", "-model", modelPath, clip)
		if code != 0 {
			t.Fatalf("classify -model %s: exit %d: %s", modelPath, code, stderr)
		}
		var r struct {
			Top []struct {
				Label string  `json:"label"`
				P     float64 `json:"p"`
			} `json:"top"`
		}
		if err := json.Unmarshal([]byte(stdout), &r); err != nil {
			t.Fatalf("%v: %s", err, stdout)
		}
		p := map[string]float64{}
		for _, e := range r.Top {
			p[e.Label] = e.P
		}
		return p
	}
	a, b, e := probs(members[0]), probs(members[1]), probs(ens)
	for _, l := range []string{"low", "mid", "high"} {
		if want := (a[l] + b[l]) / 2; math.Abs(e[l]-want) > 1e-4 {
			t.Errorf("p(%s) = %.5f from the ensemble, mean of its members %.5f", l, e[l], want)
		}
	}

	// -half stores the same ensemble in half the bytes, with nearly the
	// same probabilities.
	half := filepath.Join(dir, "half.safetensors")
	if code, _, stderr := runCmd(append([]string{"ensemble", "-half", "-out", half, "-detect", "threshold=0.6"}, members...)...); code != 0 {
		t.Fatalf("ensemble -half: exit %d: %s", code, stderr)
	}
	fullInfo, err := os.Stat(ens)
	if err != nil {
		t.Fatal(err)
	}
	halfInfo, err := os.Stat(half)
	if err != nil {
		t.Fatal(err)
	}
	weights := 0
	for _, net := range m.Members() {
		weights += len(net.Params())
	}
	// Two bytes a weight fewer; the headers differ only in their offsets' digits.
	if saved := fullInfo.Size() - halfInfo.Size(); saved < int64(2*weights-64) {
		t.Errorf("the half file is %d bytes, %d fewer than the float32 file's; want about %d fewer", halfInfo.Size(), saved, 2*weights)
	}
	h := probs(half)
	for _, l := range []string{"low", "mid", "high"} {
		if math.Abs(h[l]-e[l]) > 0.01 {
			t.Errorf("p(%s) = %.5f from the half file, %.5f from the float32 file", l, h[l], e[l])
		}
	}

	// An ensemble of ensembles is flattened.
	big := filepath.Join(dir, "big.safetensors")
	if code, _, stderr := runCmd("ensemble", "-out", big, ens, members[0]); code != 0 {
		t.Fatalf("ensemble of an ensemble: exit %d: %s", code, stderr)
	}
	if n := len(readModel(t, big).Members()); n != 3 {
		t.Errorf("%d networks, want 3", n)
	}
}

func TestEnsembleBadInput(t *testing.T) {
	data := toneData(t, threeTones, 8)
	two := toneData(t, map[string]float64{"low": 300, "high": 2500}, 8)
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.safetensors"), filepath.Join(dir, "b.safetensors")
	for _, c := range [][]string{tinyArgs(data, a), tinyArgs(two, b)} {
		if code, _, stderr := runCmd(c...); code != 0 {
			t.Fatalf("train: exit %d: %s", code, stderr)
		}
	}
	out := filepath.Join(dir, "out.safetensors")
	if err := os.WriteFile(out, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	junk := filepath.Join(dir, "junk.safetensors")
	if err := os.WriteFile(junk, []byte("not a model"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"ensemble", "-out", out, a}, 2, "at least two models"},
		{[]string{"ensemble", a, a}, 2, "-out is required"},
		{[]string{"ensemble", "-out", out, a, b}, 1, "a.safetensors and " + b + ": labels differ"},
		{[]string{"ensemble", "-out", out, a, junk}, 1, junk},
		{[]string{"ensemble", "-out", out, "-detect", "threshold=2", a, a}, 2, "-detect"},
	} {
		code, _, stderr := runCmd(tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and one line with %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
	if got, _ := os.ReadFile(out); string(got) != "keep me" {
		t.Errorf("a failed ensemble changed the output file: %q", got)
	}
}
