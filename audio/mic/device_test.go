//go:build cgo

package mic_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/listen-go/listen"
	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/audio/mic"
	"github.com/listen-go/listen/internal/virtualmic"
)

// vmic is the virtual microphone of these tests (internal/virtualmic): a
// PulseAudio daemon of their own with a null sink whose monitor is the
// default source, which PortAudio reaches through ALSA's pulse plugin.
// micErr is why there is none (nil: it runs).
var (
	vmic   *virtualmic.Mic
	micErr error
)

// TestMain starts the virtual microphone and points this process's
// environment at it before any test initialises PortAudio, which reads
// ALSA's configuration, then stops it after the tests.
func TestMain(m *testing.M) {
	if os.Getenv(alsaHelperEnv) != "" {
		os.Exit(m.Run()) // a child process of TestBadALSAConfig: no microphone
	}
	vmic, micErr = virtualmic.Start()
	if micErr == nil {
		micErr = vmic.Setenv()
	}
	code := m.Run()
	if vmic != nil {
		if err := vmic.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	os.Exit(code)
}

// needMic skips a test on a machine without PulseAudio, except in CI
// (CI set), where the virtual microphone must work.
func needMic(t *testing.T) {
	t.Helper()
	if micErr == nil {
		return
	}
	if errors.Is(micErr, virtualmic.ErrNoPulseAudio) && os.Getenv("CI") == "" {
		t.Skipf("no live capture test: %v", micErr)
	}
	t.Fatalf("virtual microphone unavailable: %v", micErr)
}

func TestDevicesListsVirtualMic(t *testing.T) {
	needMic(t)
	devs, err := mic.Devices()
	if err != nil {
		t.Fatal(err)
	}
	defaults := 0
	for _, d := range devs {
		t.Logf("%+v", d)
		if d.Channels < 1 || d.DefaultRate <= 0 {
			t.Errorf("device %+v: no channels or rate", d)
		}
		if d.Default {
			defaults++
		}
	}
	if defaults != 1 {
		t.Errorf("%d default devices, want 1", defaults)
	}
}

func TestOpenNoSuchDevice(t *testing.T) {
	needMic(t)
	for _, name := range []string{"no such microphone", "9999"} {
		_, err := mic.Open(context.Background(), mic.Config{Device: name})
		if !errors.Is(err, mic.ErrNoDevice) {
			t.Errorf("device %q: %v, want ErrNoDevice", name, err)
		}
	}
}

// Plays testdata/audio/yes.wav into the null sink with paplay while
// capturing the default device through PortAudio, and checks that the
// capture contains the clip: normalised cross-correlation at least 0.9 at
// the best alignment. Captures at 16 kHz directly, then at 44.1 kHz
// resampled (the path taken by devices that cannot do 16 kHz), then from
// a device chosen by part of its name.
func TestCaptureVirtualMic(t *testing.T) {
	needMic(t)
	clipPath := filepath.Join("..", "..", "testdata", "audio", "yes.wav")
	clip, err := audio.ReadFile(clipPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, cfg := range []mic.Config{
		{},
		{SampleRate: 44100},
		{Device: "PULS", BufferFrames: 256}, // ALSA's "pulse" device, not the default
	} {
		t.Run(fmt.Sprintf("%+v", cfg), func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			src, err := mic.Open(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			rate, ch := src.CaptureRate()
			t.Logf("device %+v at %d Hz, %d channels", src.Device(), rate, ch)
			if cfg.SampleRate != 0 && rate != cfg.SampleRate {
				t.Errorf("captured at %d Hz, want %d", rate, cfg.SampleRate)
			}
			// Capture 0.5 s of silence first, then play the clip; keep
			// capturing 0.7 s after paplay returns.
			got := make([]float32, 0, 4*audio.Rate)
			buf := make([]float32, 320)
			read := func(n int) {
				for target := len(got) + n; len(got) < target; {
					k, err := src.Read(buf)
					if err != nil {
						t.Fatal(err)
					}
					got = append(got, buf[:k]...)
				}
			}
			read(audio.Rate / 2)
			play := exec.Command("paplay", "--server="+vmic.Server, "--device="+virtualmic.Sink, clipPath)
			var out strings.Builder
			play.Stdout, play.Stderr = &out, &out
			if err := play.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- play.Wait() }()
		loop:
			for {
				select {
				case err := <-done:
					if err != nil {
						t.Fatalf("paplay: %v\n%s", err, out.String())
					}
					break loop
				default:
					read(320)
				}
			}
			read(audio.Rate * 7 / 10)
			lag, corr := align(got, clip)
			t.Logf("captured %d samples, clip at %d, correlation %.4f, %d overflows", len(got), lag, corr, src.Overflows())
			if corr < 0.9 {
				t.Errorf("normalised cross-correlation %.4f, want >= 0.9", corr)
			}
			// Cancelling stops the capture: Read returns the context's
			// error once what was converted is used up.
			cancel()
			for i := 0; ; i++ {
				_, err := src.Read(buf)
				if errors.Is(err, context.Canceled) {
					break
				}
				if err != nil || i > 100 {
					t.Fatalf("Read after cancel: %v after %d reads", err, i)
				}
			}
			if err := src.Close(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// align finds where clip sits in got: the lag with the largest normalised
// cross-correlation, and that correlation.
func align(got, clip []float32) (lag int, corr float64) {
	var cc float64
	for _, v := range clip {
		cc += float64(v) * float64(v)
	}
	best := math.Inf(-1)
	for l := 0; l+len(clip) <= len(got); l++ {
		var xy, gg float64
		for i, v := range clip {
			g := float64(got[l+i])
			xy += g * float64(v)
			gg += g * g
		}
		if gg == 0 {
			continue
		}
		if c := xy / math.Sqrt(gg*cc); c > best {
			best, lag = c, l
		}
	}
	return lag, best
}

// Once running, the PortAudio read loop allocates nothing per buffer.
func TestCaptureDeviceSteadyStateAllocs(t *testing.T) {
	needMic(t)
	for _, cfg := range []mic.Config{{}, {SampleRate: 48000}} {
		src, err := mic.Open(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		buf := make([]float32, 512)
		for i := 0; i < 10; i++ {
			if _, err := src.Read(buf); err != nil {
				t.Fatal(err)
			}
		}
		if a := testing.AllocsPerRun(30, func() {
			if _, err := src.Read(buf); err != nil {
				t.Fatal(err)
			}
		}); a != 0 {
			t.Errorf("%+v: %v allocations per Read, want 0", cfg, a)
		}
		src.Close()
	}
}

// mic.Listen runs a recognizer on the default microphone: a word played
// into the virtual microphone is reported, and cancelling the context
// after it ends Listen with nil.
func TestListenVirtualMic(t *testing.T) {
	needMic(t)
	m, err := listen.DefaultModel()
	if err != nil {
		t.Fatal(err)
	}
	r, err := listen.NewRecognizer(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	found := make(chan listen.Detection, 10)
	done := make(chan error, 1)
	go func() {
		done <- mic.Listen(ctx, r, "", func(d listen.Detection) error {
			found <- d
			cancel()
			return nil
		})
	}()
	// Play the word until it is heard, at most a few times: the first
	// play may start before the stream is open.
	clip := filepath.Join("..", "..", "testdata", "listen", "yes.wav")
	var got listen.Detection
play:
	for range 5 {
		out, err := exec.Command("paplay", "--server="+vmic.Server, "--device="+virtualmic.Sink, clip).CombinedOutput()
		if err != nil {
			t.Fatalf("paplay: %v\n%s", err, out)
		}
		select {
		case got = <-found:
			break play
		case err := <-done:
			t.Fatalf("Listen returned before a word: %v", err)
		case <-time.After(1500 * time.Millisecond):
		}
	}
	if err := <-done; err != nil {
		t.Fatalf("Listen: %v, want nil after cancel", err)
	}
	if got.Label != "yes" {
		t.Errorf("heard %+v, want yes", got)
	}
	if r.Elapsed() <= 0 {
		t.Errorf("Elapsed %v after listening", r.Elapsed())
	}
}
