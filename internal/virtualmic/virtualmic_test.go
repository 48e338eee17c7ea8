package virtualmic

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// start starts a microphone whose directory is made in a temporary
// directory of the test's own, returned too, so that the test can see
// what is left there. Without PulseAudio the test is skipped, except in
// CI (CI set), where it must be installed.
func start(t *testing.T) (*Mic, string) {
	t.Helper()
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	m, err := Start()
	if errors.Is(err, ErrNoPulseAudio) && os.Getenv("CI") == "" {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Stop() })
	return m, tmp
}

// clientEnv is the environment of a PulseAudio or ALSA client of m whose
// home directory is home.
func clientEnv(m *Mic, home string) []string {
	env := append(os.Environ(), m.Env()...)
	return append(env, "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"))
}

// alive reports whether a process with the given pid exists.
func alive(pid int) bool {
	return syscall.Kill(pid, 0) == nil
}

func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// The daemon runs with the null sink's monitor as the default source, a
// client that uses Env writes nothing in its home directory, and Stop
// leaves no process and no file.
func TestStartStop(t *testing.T) {
	m, tmp := start(t)
	pid := m.Pid()
	if !alive(pid) {
		t.Fatalf("daemon %d not running after Start", pid)
	}
	if !strings.HasPrefix(m.Dir, tmp+string(filepath.Separator)) {
		t.Errorf("Dir %s is not in the temporary directory %s", m.Dir, tmp)
	}

	home := t.TempDir()
	info := exec.Command("pactl", "info")
	info.Env = clientEnv(m, home)
	out, err := info.CombinedOutput()
	if err != nil {
		t.Fatalf("pactl info: %v\n%s", err, out)
	}
	for _, want := range []string{"Server String: " + m.Server, "Default Sink: " + Sink, "Default Source: " + Sink + ".monitor"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("pactl info has no %q:\n%s", want, out)
		}
	}
	if names := entries(t, home); len(names) != 0 {
		t.Errorf("a client wrote %v in its home directory", names)
	}
	// The daemon's own state went to the home directory it was given.
	if _, err := os.Stat(filepath.Join(m.Dir, "home", ".config", "pulse")); err != nil {
		t.Errorf("no daemon state in Dir: %v", err)
	}

	if err := m.Stop(); err != nil {
		t.Fatal(err)
	}
	if alive(pid) {
		t.Errorf("daemon %d still running after Stop", pid)
	}
	if _, err := os.Stat(m.Dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Dir %s after Stop: %v, want it gone", m.Dir, err)
	}
	if names := entries(t, tmp); len(names) != 0 {
		t.Errorf("left in the temporary directory: %v", names)
	}
	if err := m.Stop(); err != nil {
		t.Errorf("second Stop: %v", err)
	}
}

// ALSA's default device is the microphone even where the user's own
// configuration names another one: arecord records from it with a
// ~/.asoundrc whose default device does not exist. PULSE_SERVER names no
// daemon here, so that Debian's own hook (/etc/alsa/conf.d/99-pulse.conf,
// which makes PulseAudio the default when PULSE_SERVER's daemon runs)
// cannot be what routes it.
func TestALSADefault(t *testing.T) {
	m, _ := start(t)
	if _, err := exec.LookPath("arecord"); err != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("arecord is not installed (Debian: apt-get install alsa-utils): %v", err)
		}
		t.Fatal(err)
	}
	home := t.TempDir()
	rc := "pcm.!default { type hw card 99 }\nctl.!default { type hw card 99 }\n"
	if err := os.WriteFile(filepath.Join(home, ".asoundrc"), []byte(rc), 0o644); err != nil {
		t.Fatal(err)
	}
	wav := filepath.Join(t.TempDir(), "rec.wav")
	rec := exec.Command("arecord", "-v", "-D", "default", "-d", "1", "-f", "S16_LE", "-r", "16000", "-c", "1", wav)
	rec.Env = append(clientEnv(m, home), "PULSE_SERVER=unix:"+filepath.Join(home, "no-daemon"))
	out, err := rec.CombinedOutput()
	if err != nil {
		t.Fatalf("arecord: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "PulseAudio") {
		t.Errorf("arecord did not record through PulseAudio:\n%s", out)
	}
	// 1 s of 16-bit mono after a 44-byte header.
	if fi, err := os.Stat(wav); err != nil || fi.Size() != 44+2*16000 {
		t.Errorf("recording: %v, %v; want %d bytes", fi, err, 44+2*16000)
	}
}

// A daemon that dies while in use is reported by Stop, which still
// removes its files.
func TestStopAfterDaemonDied(t *testing.T) {
	m, tmp := start(t)
	if err := m.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-m.exited
	err := m.Stop()
	if err == nil || !strings.Contains(err.Error(), "exited while in use") {
		t.Errorf("Stop: %v, want the daemon's death reported", err)
	}
	if names := entries(t, tmp); len(names) != 0 {
		t.Errorf("left in the temporary directory: %v", names)
	}
}

// A daemon that cannot start gives an error and leaves nothing behind. The
// test binary stands in for it: it exits at once on PulseAudio's flags.
func TestStartFails(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	m, err := startDaemon(self)
	if err == nil || !strings.Contains(err.Error(), "exited before listening") {
		t.Errorf("startDaemon(%s): %v, want an error", self, err)
	}
	if m != nil {
		t.Errorf("startDaemon returned a microphone on error")
	}
	if names := entries(t, tmp); len(names) != 0 {
		t.Errorf("left in the temporary directory: %v", names)
	}
}
