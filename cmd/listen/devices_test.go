package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/listen-go/listen/audio/mic"
)

// listen devices either lists input devices (a table with a header, one
// marked default at most) or, with no cgo or no device, exits 1 with a
// message saying why. With cgo and PulseAudio, TestMain has started a
// virtual microphone (see listen_e2e_test.go), so there is one.
func TestDevices(t *testing.T) {
	_, devErr := mic.Devices()
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"devices"}, &out, &errb)
	switch {
	case errors.Is(devErr, mic.ErrNoCapture):
		if code != 1 || !strings.Contains(errb.String(), "CGO_ENABLED=1") {
			t.Fatalf("exit %d, stderr %q: want 1 and how to get live capture", code, errb.String())
		}
		return
	case code == 1:
		if !strings.Contains(errb.String(), "no input device") {
			t.Fatalf("exit 1, stderr %q", errb.String())
		}
		return
	case code != 0:
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if !strings.Contains(lines[0], "INDEX") || !strings.Contains(lines[0], "DEFAULT RATE") {
		t.Errorf("no header: %q", lines[0])
	}
	marked := 0
	for _, l := range lines[1:] {
		if strings.HasPrefix(l, "*") {
			marked++
		}
	}
	if marked > 1 {
		t.Errorf("%d devices marked default:\n%s", marked, out.String())
	}

	// -json gives the same devices.
	out.Reset()
	if code := run(context.Background(), []string{"devices", "-json"}, &out, &errb); code != 0 {
		t.Fatalf("-json: exit %d, %s", code, errb.String())
	}
	var devs []struct {
		Index   int    `json:"index"`
		Name    string `json:"name"`
		Default bool   `json:"default"`
	}
	if err := json.Unmarshal(out.Bytes(), &devs); err != nil {
		t.Fatalf("-json: %v\n%s", err, out.String())
	}
	if len(devs) != len(lines)-1 {
		t.Errorf("-json lists %d devices, the table %d", len(devs), len(lines)-1)
	}
}

func TestDevicesUsage(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"devices", "extra"}, &out, &errb); code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
}

// With no device to list, the table and -json agree: exit 1 with the
// reason on stderr, and -json still prints an array on stdout. With
// devices, both list them and exit 0.
func TestDevicesNoneOrSome(t *testing.T) {
	two := []mic.Device{
		{Index: 0, Name: "pulse", Channels: 32, DefaultRate: 44100},
		{Index: 3, Name: "USB mic", Channels: 1, DefaultRate: 48000, Default: true},
	}
	broken := errors.New("audio: ALSA cannot read its configuration")
	for _, tc := range []struct {
		name   string
		devs   []mic.Device
		err    error
		json   bool
		code   int
		stdout string // a line stdout must contain ("" for empty stdout)
		stderr string // what stderr must contain ("" for empty stderr)
	}{
		{"none", nil, nil, false, 1, "", "no input device (is a microphone plugged in"},
		{"none json", nil, nil, true, 1, "[]", "no input device (is a microphone plugged in"},
		{"empty list json", []mic.Device{}, nil, true, 1, "[]", "no input device"},
		{"no capture", nil, mic.ErrNoCapture, false, 1, "", "CGO_ENABLED=1"},
		{"no capture json", nil, mic.ErrNoCapture, true, 1, "[]", "CGO_ENABLED=1"},
		{"broken", nil, broken, false, 1, "", "ALSA cannot read"},
		{"broken json", nil, broken, true, 1, "[]", "ALSA cannot read"},
		{"two", two, nil, false, 0, "*  3      USB mic", ""},
		{"two json", two, nil, true, 0, `"name": "USB mic"`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func(f func() ([]mic.Device, error)) { listDevices = f }(listDevices)
			listDevices = func() ([]mic.Device, error) { return tc.devs, tc.err }
			args := []string{"devices"}
			if tc.json {
				args = append(args, "-json")
			}
			var out, errb bytes.Buffer
			code := run(context.Background(), args, &out, &errb)
			if code != tc.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tc.code, errb.String())
			}
			if tc.stdout == "" && out.Len() != 0 || !strings.Contains(out.String(), tc.stdout) {
				t.Errorf("stdout %q, want %q", out.String(), tc.stdout)
			}
			if tc.stderr == "" && errb.Len() != 0 || !strings.Contains(errb.String(), tc.stderr) {
				t.Errorf("stderr %q, want %q", errb.String(), tc.stderr)
			}
			if lines := strings.Count(errb.String(), "\n"); lines > 1 {
				t.Errorf("stderr has %d lines, want at most one: %q", lines, errb.String())
			}
			if tc.json {
				var got []mic.Device
				if err := json.Unmarshal(out.Bytes(), &got); err != nil || len(got) != len(tc.devs) {
					t.Errorf("-json: %d devices (%v), want %d:\n%s", len(got), err, len(tc.devs), out.String())
				}
			}
		})
	}
}
