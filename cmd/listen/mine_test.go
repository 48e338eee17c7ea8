package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/listen-go/listen/audio"
)

func TestMineCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "mined")
	neg := filepath.Join("..", "..", "testdata", "detect", "commands.wav")
	code, stdout, stderr := runCmd("mine", "-out", out, "-level", "0.6", "-hop", "100ms", "-random", "6", neg)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.HasPrefix(stdout, "mined ") || !strings.Contains(stdout, "(random)") {
		t.Errorf("summary %q", stdout)
	}
	f, err := os.Open(filepath.Join(out, "mined.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 3 || strings.Join(rows[0], ",") != "file,source,start_ms,label,p" {
		t.Fatalf("mined.csv: %v", rows)
	}
	mined := 0
	for _, r := range rows[1:] {
		// Named for the recording's speaker (its folder), as listen
		// train's split names speakers.
		if !strings.HasPrefix(r[0], "detect_nohash_mined") || r[1] != neg {
			t.Errorf("row %v", r)
		}
		x, err := audio.ReadFile(filepath.Join(out, r[0]))
		if err != nil || len(x) != audio.Rate {
			t.Errorf("%s: %d samples, %v", r[0], len(x), err)
		}
		if r[3] != "" {
			mined++
		}
	}
	if mined == 0 {
		t.Error("no window of the commands' recording scored 0.6")
	}

	for _, args := range [][]string{
		{"mine", neg},
		{"mine", "-out", out},
		{"mine", "-out", out, "-level", "1", neg},
		{"mine", "-out", out, "-random", "-1", neg},
		{"mine", "-out", out, "-workers", "0", neg},
		{"mine", "-out", out, "-snr", "5", neg},
		{"mine", "-out", out, "-noise", out, "-snr", "100", neg},
	} {
		if code, _, stderr := runCmd(args...); code != 2 || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, %q; want a one-line usage error", args, code, stderr)
		}
	}
	if code, _, stderr := runCmd("mine", "-out", out, "no-such.wav"); code != 1 || !strings.Contains(stderr, "no-such.wav") {
		t.Errorf("missing file: exit %d, %q", code, stderr)
	}
	empty := t.TempDir()
	if code, _, stderr := runCmd("mine", "-out", filepath.Join(empty, "out"), "-noise", empty, neg); code != 1 || !strings.Contains(stderr, empty) || strings.Count(stderr, "\n") != 1 {
		t.Errorf("noise folder without audio: exit %d, %q; want one line naming it", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(empty, "out")); !os.IsNotExist(err) {
		t.Errorf("a failed run left its output folder: %v", err)
	}
}
