package progress

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestLine(t *testing.T) {
	b := New(&bytes.Buffer{}, "eval", 200, nil)
	got := b.Line(50, 30*time.Second)
	// A quarter done in 30 s leaves 90 s.
	for _, want := range []string{"eval [======", "50/200", " 25%", "ETA 1:30"} {
		if !strings.Contains(got, want) {
			t.Errorf("Line = %q, missing %q", got, want)
		}
	}
	if got := b.Line(0, time.Second); !strings.Contains(got, "ETA ?") {
		t.Errorf("Line at start = %q, want unknown ETA", got)
	}
}

func TestUpdateNotTerminal(t *testing.T) {
	var out bytes.Buffer
	b := New(&out, "x", 10, nil)
	now := b.start
	b.now = func() time.Time { return now }
	for i := 1; i <= 10; i++ {
		now = now.Add(3 * time.Second)
		b.Update(float64(i))
	}
	b.Finish()
	// 30 s at one line per 10 s: three lines, no carriage returns.
	if n := strings.Count(out.String(), "\n"); n != 3 {
		t.Errorf("%d lines, want 3:\n%s", n, out.String())
	}
	if strings.Contains(out.String(), "\r") {
		t.Error("carriage return written to a non-terminal")
	}
}

func TestClock(t *testing.T) {
	for d, want := range map[time.Duration]string{
		59 * time.Second: "0:59", 61 * time.Second: "1:01", 3723 * time.Second: "1:02:03",
	} {
		if got := Clock(d); got != want {
			t.Errorf("Clock(%v) = %q, want %q", d, got, want)
		}
	}
}
