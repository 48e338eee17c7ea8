// Package progress draws a progress line with an ETA for long work
// (downloads, evaluation over thousands of files, hours of audio).
//
// On a terminal the line is redrawn in place; on anything else (a log file,
// a pipe, CI) a plain line is written at most every Interval, so logs stay
// short.
package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// Interval is how often a non-terminal writer gets a line.
const Interval = 10 * time.Second

// Bar reports the progress of one piece of work. It is not safe for
// concurrent use.
type Bar struct {
	w     io.Writer
	label string
	total float64
	unit  func(float64) string
	tty   bool
	start time.Time
	last  time.Time
	now   func() time.Time
	drawn bool
}

// New returns a Bar for work of size total, labelled label, drawn on w.
// format prints an amount of work (nil prints it as an integer).
func New(w io.Writer, label string, total float64, format func(float64) string) *Bar {
	if format == nil {
		format = func(v float64) string { return fmt.Sprintf("%.0f", v) }
	}
	b := &Bar{w: w, label: label, total: total, unit: format, tty: IsTerminal(w), now: time.Now}
	b.start = b.now()
	return b
}

// IsTerminal reports whether w is a terminal (a character device).
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// Update reports that done of the total is finished, redrawing when due.
func (b *Bar) Update(done float64) {
	now := b.now()
	every := Interval
	if b.tty {
		every = 200 * time.Millisecond
	}
	if now.Sub(b.last) < every {
		return
	}
	b.last = now
	line := b.Line(done, now.Sub(b.start))
	if b.tty {
		fmt.Fprintf(b.w, "\r%s\x1b[K", line)
		b.drawn = true
	} else {
		fmt.Fprintln(b.w, line)
	}
}

// Finish ends the bar: it clears a terminal line so that what follows
// starts on a clean line.
func (b *Bar) Finish() {
	if b.tty && b.drawn {
		fmt.Fprint(b.w, "\r\x1b[K")
	}
}

// Line formats the progress after elapsed: label, a bar, done/total, the
// percentage and the ETA estimated from the rate so far.
func (b *Bar) Line(done float64, elapsed time.Duration) string {
	frac := 0.0
	if b.total > 0 {
		frac = min(1, max(0, done/b.total))
	}
	const width = 24
	fill := int(frac * width)
	eta := "?"
	if done > 0 && frac > 0 {
		rem := time.Duration(float64(elapsed) * (1 - frac) / frac)
		eta = Clock(rem)
	}
	return fmt.Sprintf("%s [%s%s] %s/%s %3.0f%% ETA %s", b.label,
		strings.Repeat("=", fill), strings.Repeat(" ", width-fill),
		b.unit(done), b.unit(b.total), 100*frac, eta)
}

// Clock formats d as h:mm:ss or m:ss.
func Clock(d time.Duration) string {
	s := int(d.Round(time.Second).Seconds())
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
