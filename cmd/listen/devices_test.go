package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/listen-go/listen/audio"
)

// listen devices either lists input devices (a table with a header, one
// marked default at most) or, with no cgo or no device, exits 1 with a
// message saying why. With cgo and PulseAudio, TestMain has started a
// virtual microphone (see listen_e2e_test.go), so there is one.
func TestDevices(t *testing.T) {
	_, devErr := audio.Devices()
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"devices"}, &out, &errb)
	switch {
	case errors.Is(devErr, audio.ErrNoCapture):
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
