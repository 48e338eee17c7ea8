package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/listen-go/listen/model/detect"
	"github.com/listen-go/listen/model/embedded"
)

var (
	yesWAV      = filepath.Join("..", "..", "testdata", "listen", "yes.wav")
	commandsWAV = filepath.Join("..", "..", "testdata", "detect", "commands.wav")
	commandsTxt = filepath.Join("..", "..", "testdata", "detect", "commands.txt")
)

// Every flag out of its range is a usage error (exit 2) in one line that
// says the range, whichever command takes it, and before any audio is read.
func TestFlagOutOfRange(t *testing.T) {
	data := t.TempDir()
	stream := []string{"-stream", commandsWAV, "-truth", commandsTxt}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"classify", "-hop", "1ns", commandsWAV}, "-hop 1ns: must be from 1ms to 100ms"},
		{[]string{"classify", "-hop", "200ms", commandsWAV}, "-hop 200ms: must be from 1ms to 100ms"},
		{[]string{"classify", "-gate", "10", commandsWAV}, "-gate 10: must be below 0 dBFS"},
		{[]string{"classify", "-threshold", "1", commandsWAV}, "-threshold 1: must be above 0 and below 1 (0 and 1 excluded)"},
		{[]string{"classify", "-threshold", "0", commandsWAV}, "-threshold 0: must be above 0 and below 1"},
		{[]string{"classify", "-average", "100h", commandsWAV}, "-average 100h0m0s: must be more than 0 and at most 10s"},
		{[]string{"classify", "-suppress", "-1s", commandsWAV}, "-suppress -1s: must be from 0 to 1m"},
		{[]string{"classify", "-min-count", "0", commandsWAV}, "-min-count 0: must be at least 1"},
		{[]string{"classify", "-min-count", "1000", commandsWAV}, "-min-count 1000: more than the 6 results an average of 500ms (the model's) at a 100ms hop (the model's) holds"},
		{[]string{"classify", "-min-count", "5", "-average", "300ms", commandsWAV}, "-min-count 5: more than the 4 results an average of 300ms at a 100ms hop (the model's) holds"},
		{[]string{"classify", "-average", "100ms", commandsWAV}, "the model's min-count 3 is more than the 2 results an average of 100ms at a 100ms hop (the model's) holds"},
		{[]string{"classify", "-top", "0", yesWAV}, "-top 0: want 1 to the model's number of labels"},
		{[]string{"classify", "-top", "100", yesWAV}, "-top 100: the model has 12 labels; want 1 to 12"},
		{[]string{"classify", "-model", "home", "-top", "9", yesWAV}, "-top 9: the model has 8 labels; want 1 to 8"},
		{[]string{"-threshold", "1", "-input", commandsWAV}, "-threshold 1: must be above 0 and below 1"},
		{[]string{"-hop", "1ns", "-input", commandsWAV}, "-hop 1ns: must be from 1ms to 100ms"},
		{append([]string{"eval", "-gate", "10"}, stream...), "-gate 10: must be below 0 dBFS"},
		{append([]string{"eval", "-tolerance", "-1s"}, stream...), "-tolerance -1s: must be more than 0 and at most 10s"},
		{append([]string{"eval", "-tolerance", "1h"}, stream...), "-tolerance 1h0m0s: must be more than 0 and at most 10s"},
		{append([]string{"eval", "-workers", "-1"}, stream...), "-workers -1: must be at least 1"},
		{[]string{"eval", "-data", data, "-workers", "0"}, "-workers 0: must be at least 1"},
		{[]string{"eval", "-data", data, "-threshold", "0.5"}, "-threshold: only with -stream or -negatives"},
		{[]string{"eval", "-negatives", commandsWAV, "-min-count", "1000"}, "-min-count 1000: more than the 6 results"},
		{[]string{"train", "-data", data, "-workers", "-1"}, "-workers -1: must be at least 1"},
		{[]string{"synth", "-phrases", "lights on", "-dir", data, "-workers", "-1"}, "-workers -1: want 0 (one per core) or more"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, stdout, stderr := runCmd(tc.args...)
			if code != 2 || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and one line containing %q", code, stdout, stderr, tc.want)
			}
		})
	}
}

// The detection settings a model stores are what it runs at: no flag, no
// change; each flag given replaces only its own setting.
func TestDetectionFlagsDefaultToTheModel(t *testing.T) {
	for _, tc := range []struct {
		model string
		args  []string
		want  func(c *detect.Config)
	}{
		{"default", nil, func(*detect.Config) {}},
		{"home", nil, func(*detect.Config) {}},
		{"default", []string{"-threshold", "0.6"}, func(c *detect.Config) { c.Threshold = 0.6 }},
		{"home", []string{"-hop", "50ms", "-suppress", "2s"}, func(c *detect.Config) { c.Hop, c.Suppression = 50*time.Millisecond, 2*time.Second }},
	} {
		m, err := embedded.Load(tc.model)
		if err != nil {
			t.Fatal(err)
		}
		stored, err := detect.ModelConfig(m)
		if err != nil {
			t.Fatal(err)
		}
		want := stored.WithDefaults()
		want.Suppression = stored.Suppression
		tc.want(&want)
		fs := newFlagSet("x", &strings.Builder{})
		det := addDetectFlags(fs)
		if err := parseFlags(fs, tc.args); err != nil {
			t.Fatal(err)
		}
		_, got, err := det.load(tc.model)
		if err != nil || got != want {
			t.Errorf("%s %q: %+v, %v; want %+v", tc.model, tc.args, got, err, want)
		}
	}
}

// The help of every command with detection flags says, for each, that the
// default is the model's own setting, and gives the embedded models'
// values as they are stored in them, and the fallback of a model that
// stores none.
func TestDetectionFlagsHelp(t *testing.T) {
	fallback := detect.DefaultConfig()
	want := map[string][]string{ // setting -> what its help must hold
		"threshold": {"0.7 for a model file that sets none"},
		"average":   {fallback.AverageWindow.String() + " for a model file that sets none"},
		"min-count": {strconv.Itoa(fallback.MinCount) + " for a model file that sets none"},
		"hop":       {"100ms"},
		"gate":      {"-60"},
		"suppress":  {"1.5s or the model's window for a model file that sets none"},
	}
	for _, name := range embedded.Names() {
		m, err := embedded.Load(name) // the weights too: not the path the help reads
		if err != nil {
			t.Fatal(err)
		}
		c, err := detect.ModelConfig(m)
		if err != nil {
			t.Fatal(err)
		}
		full := c.WithDefaults()
		win := detect.SamplesToDuration(int64(m.Meta.WindowSamples))
		want["threshold"] = append(want["threshold"], strconv.FormatFloat(float64(full.Threshold), 'g', -1, 32)+" for -model "+name)
		want["average"] = append(want["average"], full.AverageWindow.String()+" for -model "+name)
		want["min-count"] = append(want["min-count"], strconv.Itoa(full.MinCount)+" for -model "+name)
		want["suppress"] = append(want["suppress"], max(detect.DefaultSuppression, win).String()+" for -model "+name)
	}
	for _, args := range [][]string{{"-h"}, {"help", "classify"}, {"help", "eval"}} {
		_, stdout, stderr := runCmd(args...)
		help := stdout + stderr
		for setting, parts := range want {
			m := regexp.MustCompile(`(?m)^  -` + setting + ` .*\n\s+(.*)$`).FindStringSubmatch(help)
			if m == nil {
				t.Errorf("%q: no -%s in\n%s", args, setting, help)
				continue
			}
			if !strings.Contains(m[1], "(default: the model's own") || strings.Contains(m[1], "(default 0") {
				t.Errorf("%q: -%s does not say the default is the model's own: %s", args, setting, m[1])
			}
			for _, p := range parts {
				if !strings.Contains(m[1], p) {
					t.Errorf("%q: -%s's help lacks %q: %s", args, setting, p, m[1])
				}
			}
		}
	}
}

// Flags may follow the file arguments; "--" ends the flags.
func TestFlagsAfterArguments(t *testing.T) {
	code, stdout, stderr := runCmd("classify", yesWAV, "-top", "1", "-json")
	var res clipResult
	if code != 0 || json.Unmarshal([]byte(stdout), &res) != nil || len(res.Top) != 1 || res.Top[0].Label != "yes" {
		t.Errorf("classify FILE -top 1 -json: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	dir := t.TempDir()
	odd := filepath.Join(dir, "-top")
	b, err := os.ReadFile(yesWAV)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(odd, b, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	code, stdout, stderr = runCmd("classify", "-json", "--", "-top")
	if code != 0 || json.Unmarshal([]byte(stdout), &res) != nil || res.File != "-top" || len(res.Top) != 3 {
		t.Errorf("classify -json -- -top: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	code, _, stderr = runCmd("features", "-top")
	if code != 2 || !strings.Contains(stderr, "flag provided but not defined: -top") {
		t.Errorf("features -top: exit %d, stderr %q", code, stderr)
	}
}

// A model that is neither embedded nor a model file is refused in one line
// that says what it is and names the embedded models.
func TestModelNotFound(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(text, []byte("the lights model, trained on Monday\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		model, want string
	}{
		{"Default", `no model file "Default"; the embedded models are default, home (did you mean "default"?)`},
		{"kitchen", `no model file "kitchen"; the embedded models are default, home`},
		{dir, dir + ": a directory, not a model file"},
		{text, text + `: model: not a model file (safetensors): it starts with text ("the ligh"), not a header length`},
	} {
		for _, args := range [][]string{{"classify", "-model", tc.model, yesWAV}, {"-model", tc.model, "-input", yesWAV}} {
			code, _, stderr := runCmd(args...)
			if code != 1 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, tc.want) {
				t.Errorf("%q: exit %d, stderr %q; want one line containing %q", args, code, stderr, tc.want)
			}
		}
	}
}
