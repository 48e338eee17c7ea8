//go:build cgo && linux

package mic_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/listen-go/listen/audio/mic"
)

// alsaHelperEnv marks the child process TestBadALSAConfig starts.
const alsaHelperEnv = "LISTEN_ALSA_HELPER"

// TestBadALSAConfig lists devices in a child process whose ALSA
// configuration is broken. PortAudio alone fails there with an empty
// message or aborts the process on an assertion; Devices must return an
// error that says what is wrong.
func TestBadALSAConfig(t *testing.T) {
	if os.Getenv(alsaHelperEnv) != "" {
		_, err := mic.Devices()
		fmt.Printf("devices: %v\n", err)
		return
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "asound.conf")
	if err := os.WriteFile(bad, []byte("pcm.!default {{{ not ALSA's syntax\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ conf, want string }{
		{bad, "devices: mic: ALSA cannot read its configuration"},
		{filepath.Join(dir, "missing.conf"), "devices: mic: ALSA's configuration defines no devices"},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestBadALSAConfig$", "-test.v")
		cmd.Env = append(os.Environ(), alsaHelperEnv+"=1", "ALSA_CONFIG_PATH="+tc.conf)
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), tc.want) {
			t.Errorf("ALSA_CONFIG_PATH=%s: %v, output:\n%s\nwant %q", tc.conf, err, firstLines(string(out), 5), tc.want)
		}
	}
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}
