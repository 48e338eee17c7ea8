package main

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/listen-go/listen/audio"
)

// A recording longer than the window with no command in it prints no
// detection, and says so on stderr; the exit status is still success.
func TestClassifyLongNoCommands(t *testing.T) {
	path := filepath.Join(t.TempDir(), "quiet.wav")
	x := make([]float32, 3*audio.Rate)
	for i := range x {
		x[i] = 0.001 * float32(math.Sin(float64(i)*0.05))
	}
	if err := audio.WriteFile(path, x, audio.Rate); err != nil {
		t.Fatal(err)
	}
	for _, json := range []bool{false, true} {
		args := []string{"classify", path}
		if json {
			args = []string{"classify", "-json", path}
		}
		code, stdout, stderr := runCmd(args...)
		if code != 0 || stdout != "" || stderr != "listen classify: "+path+": no commands in 3s\n" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
}
