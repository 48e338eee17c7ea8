//go:build cgo

package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/listen-go/listen/audio"
)

// The virtual microphone of .ci/virtual-mic.sh (see audio's capture
// tests): a private PulseAudio daemon on a fixed socket whose null sink's
// monitor is the default source, reached by PortAudio through ALSA's pulse
// plugin once PULSE_SERVER names the socket.
const e2ePulseSocket = "/tmp/listen-pulse/native"

// e2eMicErr is why the virtual microphone is unavailable (nil: it runs).
var e2eMicErr error

// TestMain starts the virtual microphone before any test loads PortAudio,
// which reads ALSA's configuration (and so PULSE_SERVER) once.
func TestMain(m *testing.M) {
	e2eMicErr = startE2EMic()
	os.Exit(m.Run())
}

func startE2EMic() error {
	for _, tool := range []string{"pulseaudio", "paplay"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%s is not installed (Debian: apt-get install pulseaudio alsa-utils libasound2-plugins), so there is no virtual microphone", tool)
		}
	}
	out, err := exec.Command("bash", filepath.Join("..", "..", ".ci", "virtual-mic.sh")).CombinedOutput()
	if err != nil {
		return fmt.Errorf(".ci/virtual-mic.sh: %v\n%s", err, out)
	}
	os.Setenv("PULSE_SERVER", "unix:"+e2ePulseSocket)
	return nil
}

// privateSink adds a null sink of the test's own to the virtual
// microphone's daemon and makes its monitor this process's default source
// (PULSE_SOURCE, read by libpulse whenever ALSA's pulse plugin connects), so
// that what other tests play into listen_null at the same time (go test
// runs packages in parallel; audio's capture tests play there) cannot mix
// into the recording. It returns the sink's name; the sink is removed when
// the test ends.
func privateSink(t *testing.T) string {
	t.Helper()
	sink := fmt.Sprintf("listen_e2e_%d", os.Getpid())
	out, err := exec.Command("pactl", "-s", "unix:"+e2ePulseSocket, "load-module", "module-null-sink",
		"sink_name="+sink, "rate=48000", "channels=2").CombinedOutput()
	if err != nil {
		t.Fatalf("pactl load-module module-null-sink: %v\n%s", err, out)
	}
	module := strings.TrimSpace(string(out))
	t.Cleanup(func() {
		if out, err := exec.Command("pactl", "-s", "unix:"+e2ePulseSocket, "unload-module", module).CombinedOutput(); err != nil {
			t.Errorf("pactl unload-module %s: %v\n%s", module, err, out)
		}
	})
	for _, args := range [][]string{
		{"set-sink-volume", sink, "100%"},
		{"set-source-volume", sink + ".monitor", "100%"},
	} {
		if out, err := exec.Command("pactl", append([]string{"-s", "unix:" + e2ePulseSocket}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("pactl %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	t.Setenv("PULSE_SOURCE", sink+".monitor")
	return sink
}

// The end-to-end test through the real audio stack: the listener, with the
// embedded default model, captures the default input through PortAudio
// while a recording of yes, stop, left and go (real Speech Commands clips
// with quiet noise between) is played into the virtual microphone with
// paplay (into a sink of its own, see privateSink); it must print exactly
// those commands, in order.
//
// Start-up latency cannot make it miss a word: playback starts only after
// the listener has said it is listening (capture running), the recording
// begins with a second of noise, and after paplay returns the test waits
// for the last detection (at most 20 s, a cap rather than a timing
// assertion) before stopping the listener as Ctrl-C would.
//
// Without PulseAudio the test is skipped with the reason, except in CI (CI
// set), where .ci/run has installed it and it must work.
func TestListenVirtualMic(t *testing.T) {
	if e2eMicErr != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("no end-to-end test through the audio stack: %v", e2eMicErr)
		}
		t.Fatalf("virtual microphone unavailable in CI: %v", e2eMicErr)
	}
	sink := privateSink(t)
	rec := e2eRecording(t, 1, 1.2)
	rec = append(rec, make([]float32, audio.Rate)...) // a quiet tail
	path := filepath.Join(t.TempDir(), "commands.wav")
	if err := audio.WriteFile(path, rec, audio.Rate); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdout := newSignalWriter(fmt.Sprintf("%q", e2eWords[len(e2eWords)-1]))
	stderr := newSignalWriter("listening on")
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"-json"}, stdout, stderr) }()
	select {
	case <-stderr.ready:
	case code := <-done:
		t.Fatalf("listen exited %d before listening:\n%s", code, stderr.String())
	}

	play := exec.Command("paplay", "--server=unix:"+e2ePulseSocket, "--device="+sink, path)
	if out, err := play.CombinedOutput(); err != nil {
		cancel()
		<-done
		t.Fatalf("paplay: %v\n%s", err, out)
	}
	select {
	case <-stdout.ready:
		// The last word was reported; give a false alarm in the quiet tail
		// the chance to show.
		time.Sleep(500 * time.Millisecond)
	case <-time.After(20 * time.Second):
		t.Errorf("no %q 20 s after playback ended", e2eWords[len(e2eWords)-1])
	case code := <-done:
		t.Fatalf("listen exited %d during playback:\n%s", code, stderr.String())
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("listen exited %d after Ctrl-C, want 0:\n%s", code, stderr.String())
	}
	t.Logf("stderr:\n%s", stderr.String())
	ds := parseDetections(t, stdout.String())
	t.Logf("detections: %+v", ds)
	if got := detectionLabels(ds); strings.Join(got, " ") != strings.Join(e2eWords, " ") {
		t.Errorf("listen printed %q, want %q", got, e2eWords)
	}
	for i := 1; i < len(ds); i++ {
		if !(ds[i].Start > ds[i-1].Start) {
			t.Errorf("detection %d at %.3f s is not after %d at %.3f s", i, ds[i].Start, i-1, ds[i-1].Start)
		}
	}
	if !strings.Contains(stderr.String(), "stopped after") {
		t.Errorf("no clean stop on stderr: %q", stderr.String())
	}
}
