// Package virtualmic gives tests a microphone on a machine without a sound
// card: a private PulseAudio daemon with a null sink whose monitor is the
// default source, so that whatever is played into the sink (paplay) is what
// a capture of ALSA's default device records. PortAudio reaches it through
// ALSA's pulse plugin (libasound2-plugins).
//
// Everything the microphone uses lives in one temporary directory: the
// daemon's socket, its runtime, state and home directories, its log, the
// PulseAudio cookie and an ALSA configuration of its own. Nothing is
// written to /etc, $HOME or a fixed path, and only the test process and the
// children it starts with its environment use the microphone: Env names the
// daemon (PULSE_SERVER), the cookie (PULSE_COOKIE) and the ALSA
// configuration (ALSA_CONFIG_PATH) for them. Stop ends the daemon and
// removes the directory; on Linux the daemon is also killed if the test
// process dies first.
//
// The package is test support: it starts processes and writes files, so
// only tests import it. A test package's TestMain starts the microphone,
// calls Setenv before anything initialises PortAudio (which reads ALSA's
// configuration), runs the tests and stops the microphone.
package virtualmic

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Sink is the null sink tests play into; its monitor, Sink+".monitor", is
// the daemon's default source.
const Sink = "listen_null"

// ErrNoPulseAudio is returned by Start when PulseAudio is not installed.
var ErrNoPulseAudio = errors.New("virtual microphone: PulseAudio is not installed (Debian: apt-get install pulseaudio alsa-utils libasound2-plugins)")

// How long Start waits for the daemon to listen and Stop waits for it to
// exit after SIGTERM before killing it. Both are caps on a wait that
// normally takes milliseconds.
const (
	startWait = 10 * time.Second
	stopWait  = 5 * time.Second
)

// Mic is a running virtual microphone. It is not safe for concurrent use.
type Mic struct {
	// Dir is the temporary directory holding everything the microphone
	// uses; Stop removes it.
	Dir string
	// Server is the daemon's address for PulseAudio clients
	// (paplay --server, PULSE_SERVER): "unix:" and the socket's path.
	Server string

	cmd     *exec.Cmd
	log     *os.File
	exited  chan struct{} // closed when the daemon has exited and been reaped
	waitErr error         // the daemon's exit, valid once exited is closed
	stopped bool
}

// Start starts a virtual microphone in a new temporary directory. It returns
// once the daemon accepts connections, its default source being the
// monitor of Sink. Without PulseAudio installed the error is
// ErrNoPulseAudio. On any error nothing is left running or on disk.
func Start() (*Mic, error) {
	daemon, err := exec.LookPath("pulseaudio")
	if err != nil {
		return nil, ErrNoPulseAudio
	}
	return startDaemon(daemon)
}

// startDaemon is Start with the daemon's executable given.
func startDaemon(daemon string) (*Mic, error) {
	dir, err := os.MkdirTemp("", "listen-mic-")
	if err != nil {
		return nil, fmt.Errorf("virtual microphone: %w", err)
	}
	m := &Mic{Dir: dir, Server: "unix:" + filepath.Join(dir, "native")}
	if err := m.start(daemon); err != nil {
		m.Stop()
		return nil, err
	}
	return m, nil
}

func (m *Mic) start(daemon string) error {
	// The path goes unquoted into PulseAudio's module arguments and
	// quoted into ALSA's configuration, and a Unix socket's path has at
	// most 107 bytes.
	if strings.ContainsAny(m.Dir, " \t\n\"'\\") {
		return fmt.Errorf("virtual microphone: temporary directory %q: spaces, quotes and backslashes cannot be passed to PulseAudio and ALSA (set TMPDIR)", m.Dir)
	}
	sock := strings.TrimPrefix(m.Server, "unix:")
	if len(sock) > 107 {
		return fmt.Errorf("virtual microphone: socket path %s is longer than a Unix socket allows (set TMPDIR to a shorter directory)", sock)
	}
	for _, d := range []string{"home", "runtime"} {
		if err := os.Mkdir(filepath.Join(m.Dir, d), 0o700); err != nil {
			return fmt.Errorf("virtual microphone: %w", err)
		}
	}
	for name, text := range m.files() {
		if err := os.WriteFile(filepath.Join(m.Dir, name), []byte(text), 0o600); err != nil {
			return fmt.Errorf("virtual microphone: %w", err)
		}
	}
	log, err := os.Create(filepath.Join(m.Dir, "pulseaudio.log"))
	if err != nil {
		return fmt.Errorf("virtual microphone: %w", err)
	}
	m.log = log

	// In the foreground (--daemonize=no), so that the daemon is this
	// process's child: Stop signals and reaps it by its pid. -n skips
	// default.pa, which would probe hardware; startup.pa loads exactly the
	// null sink and the socket. No pid file (the runtime directory is
	// private anyway), no real-time scheduling (it asks rtkit over D-Bus).
	m.cmd = exec.Command(daemon,
		"--daemonize=no", "--use-pid-file=no", "--system=no",
		"--exit-idle-time=-1", "--disallow-exit", "--disable-shm=yes",
		"--realtime=no", "--high-priority=no",
		"--log-target=stderr", "-n", "--file="+filepath.Join(m.Dir, "startup.pa"))
	m.cmd.Dir = m.Dir
	m.cmd.Env = m.daemonEnv()
	m.cmd.Stdout, m.cmd.Stderr = log, log
	m.cmd.SysProcAttr = sysProcAttr()
	if err := m.cmd.Start(); err != nil {
		return fmt.Errorf("virtual microphone: start %s: %w", daemon, err)
	}
	m.exited = make(chan struct{})
	go func() {
		m.waitErr = m.cmd.Wait()
		close(m.exited)
	}()

	// startup.pa loads the socket last, so once it accepts a connection
	// the sink exists and the defaults are set (a failing command in it
	// makes the daemon exit).
	deadline := time.Now().Add(startWait)
	for {
		c, err := net.Dial("unix", sock)
		if err == nil {
			c.Close()
			return nil
		}
		select {
		case <-m.exited:
			return fmt.Errorf("virtual microphone: pulseaudio exited before listening (%v)%s", m.waitErr, m.logTail())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("virtual microphone: pulseaudio not listening on %s after %v%s", sock, startWait, m.logTail())
		}
	}
}

// files are the files Start writes in Dir, by name.
func (m *Mic) files() map[string]string {
	sock := strings.TrimPrefix(m.Server, "unix:")
	return map[string]string{
		// The daemon's startup script. The null sink runs at 48 kHz
		// stereo like common hardware, so that captures at 16 kHz go
		// through resampling. Volumes at 100 %: what is played is what is
		// captured. Anonymous access and no cookie: only this machine's
		// processes that know the socket's path reach it, and the daemon
		// writes no cookie file.
		"startup.pa": fmt.Sprintf(`load-module module-null-sink sink_name=%[1]s rate=48000 channels=2 sink_properties=device.description=listen-virtual-mic
set-default-sink %[1]s
set-default-source %[1]s.monitor
set-sink-volume %[1]s 0x10000
set-source-volume %[1]s.monitor 0x10000
load-module module-native-protocol-unix socket=%[2]s auth-anonymous=1 auth-cookie-enabled=0
`, Sink, sock),

		// ALSA_CONFIG_PATH replaces the system's top configuration file,
		// so this one includes it first: its hook 0 loads
		// /etc/alsa/conf.d (the pulse plugin's devices), /etc/asound.conf
		// and ~/.asoundrc. Hook 1 runs after that (ALSA runs @hooks in
		// index order) and loads default.conf, so the virtual microphone
		// is the default device even where those files name another one.
		"asound.conf": fmt.Sprintf(`# ALSA configuration of a listen test's virtual microphone (internal/virtualmic)
<confdir:alsa.conf>
@hooks.1 {
	func load
	files [ "%s" ]
	errors true
}
`, filepath.Join(m.Dir, "default.conf")),

		"default.conf": fmt.Sprintf(`pcm.!default { type pulse server "%[1]s" }
ctl.!default { type pulse server "%[1]s" }
`, m.Server),
	}
}

// daemonEnv is the daemon's environment: this process's, with the home,
// configuration, state and runtime directories inside Dir, so that the
// daemon writes nowhere else, and with no D-Bus session bus, so that it
// neither starts one nor meets a desktop's own sound server there.
func (m *Mic) daemonEnv() []string {
	home := filepath.Join(m.Dir, "home")
	set := map[string]string{
		"HOME":                     home,
		"XDG_CONFIG_HOME":          filepath.Join(home, ".config"),
		"XDG_STATE_HOME":           filepath.Join(home, ".local", "state"),
		"XDG_RUNTIME_DIR":          filepath.Join(m.Dir, "runtime"),
		"PULSE_RUNTIME_PATH":       filepath.Join(m.Dir, "runtime", "pulse"),
		"PULSE_STATE_PATH":         filepath.Join(home, ".config", "pulse"),
		"DBUS_SESSION_BUS_ADDRESS": "unix:path=" + filepath.Join(m.Dir, "no-dbus"),
	}
	drop := map[string]bool{"DISPLAY": true, "WAYLAND_DISPLAY": true, "PULSE_SERVER": true,
		"PULSE_COOKIE": true, "PULSE_CONFIG_PATH": true, "PULSE_CLIENTCONFIG": true}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if _, ok := set[k]; !ok && !drop[k] {
			env = append(env, kv)
		}
	}
	for k, v := range set {
		env = append(env, k+"="+v)
	}
	return env
}

// Env is what a process needs in its environment to use the microphone:
// PULSE_SERVER (the daemon, for PulseAudio clients and ALSA's pulse
// plugin; it also keeps libpulse from starting a daemon of its own),
// PULSE_COOKIE (a client creates the cookie there, not in
// ~/.config/pulse) and ALSA_CONFIG_PATH (ALSA's default device is the
// microphone). Append it to a child's environment, or use Setenv.
func (m *Mic) Env() []string {
	return []string{
		"PULSE_SERVER=" + m.Server,
		"PULSE_COOKIE=" + filepath.Join(m.Dir, "cookie"),
		"ALSA_CONFIG_PATH=" + filepath.Join(m.Dir, "asound.conf"),
	}
}

// Setenv sets Env in this process's environment, and so in that of the
// children it starts. Call it before PortAudio is first initialised.
func (m *Mic) Setenv() error {
	for _, kv := range m.Env() {
		k, v, _ := strings.Cut(kv, "=")
		if err := os.Setenv(k, v); err != nil {
			return fmt.Errorf("virtual microphone: %w", err)
		}
	}
	return nil
}

// Pid is the daemon's process id.
func (m *Mic) Pid() int { return m.cmd.Process.Pid }

// Stop ends the daemon (SIGTERM, then SIGKILL if it has not exited within
// a few seconds), waits for it and removes Dir. It reports a daemon that
// had exited before Stop, and still cleans up. Calling it again does
// nothing.
func (m *Mic) Stop() error {
	if m.stopped {
		return nil
	}
	m.stopped = true
	var errs []error
	if m.exited != nil {
		select {
		case <-m.exited:
			errs = append(errs, fmt.Errorf("virtual microphone: pulseaudio exited while in use (%v)%s", m.waitErr, m.logTail()))
		default:
			m.cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-m.exited:
			case <-time.After(stopWait):
				m.cmd.Process.Kill()
				<-m.exited
			}
		}
	}
	if m.log != nil {
		m.log.Close()
	}
	if err := os.RemoveAll(m.Dir); err != nil {
		errs = append(errs, fmt.Errorf("virtual microphone: %w", err))
	}
	return errors.Join(errs...)
}

// logTail is the end of the daemon's log, for an error message.
func (m *Mic) logTail() string {
	b, err := os.ReadFile(filepath.Join(m.Dir, "pulseaudio.log"))
	b = bytes.TrimSpace(b)
	if err != nil || len(b) == 0 {
		return ""
	}
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return "; its log:\n" + string(b)
}
