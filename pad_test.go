package listen_test

import (
	"math"
	"testing"

	"github.com/listen-go/listen"
)

func TestPadClip(t *testing.T) {
	background := func(n int) []float32 {
		x := make([]float32, n)
		for i := range x {
			x[i] = 0.01 * float32(math.Sin(float64(i)))
		}
		for i := n / 3; i < n/2; i++ {
			x[i] = 0.5 // the word
		}
		return x
	}
	dst := make([]float32, 16000)
	// 50 ms short: zeros, as training padded its clips.
	listen.PadClip(dst, background(15200))
	for i, v := range dst[15200:] {
		if v != 0 {
			t.Fatalf("50 ms short: padding sample %d is %v, want 0", i, v)
		}
	}
	// 500 ms short: the clip's own background.
	listen.PadClip(dst, background(8000))
	quiet := 0
	for _, v := range dst[8000:] {
		if v != 0 && math.Abs(float64(v)) <= 0.01 {
			quiet++
		}
	}
	if quiet < 7000 {
		t.Errorf("500 ms short: %d of 8000 padding samples are background, want nearly all", quiet)
	}
}

func TestPadClipPlaced(t *testing.T) {
	clip := make([]float32, 16000)
	for i := range clip {
		clip[i] = 0.01 * float32(math.Sin(float64(i)))
		if i > 4000 && i < 12000 {
			clip[i] = 0.5
		}
	}
	dst := make([]float32, 41600) // a 2.6 s phrase window
	listen.PadClip(dst, clip)
	k := len(dst) - len(clip)
	for i, v := range clip {
		if dst[k+i] != v {
			t.Fatalf("sample %d of the clip not at the end of the window", i)
		}
	}
	for i, v := range dst[:k] {
		if v == 0 || math.Abs(float64(v)) > 0.01 {
			t.Fatalf("padding sample %d is %v, want the clip's background", i, v)
		}
	}
	// A clip within 100 ms of the window is padded with zeros at the end,
	// placed or not.
	near := make([]float32, len(dst)-800)
	for i := range near {
		near[i] = 0.3
	}
	listen.PadClip(dst, near)
	if dst[0] != 0.3 {
		t.Errorf("a clip 50 ms short does not start the window")
	}
	for i, v := range dst[len(dst)-800:] {
		if v != 0 {
			t.Fatalf("padding sample %d is %v, want 0", i, v)
		}
	}
}
