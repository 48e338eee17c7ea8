package main

import (
	"math"
	"testing"
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
	padClip(dst, background(15200))
	for i, v := range dst[15200:] {
		if v != 0 {
			t.Fatalf("50 ms short: padding sample %d is %v, want 0", i, v)
		}
	}
	// 500 ms short: the clip's own background.
	padClip(dst, background(8000))
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
