package train

import (
	"fmt"
	"io"
	"strings"
	"time"

	bar "github.com/listen-go/listen/internal/progress"
)

// progress draws the per-epoch bar and prints the per-epoch lines.
type progress struct {
	w       io.Writer
	live    bool
	epochs  int
	batches int
	last    time.Time // last live redraw
	quarter int       // quarters of the epoch already printed (plain mode)
	width   int       // length of the last live line
}

const barWidth = 24

func (p *progress) begin(st *Checkpoint) {
	p.quarter = 4 * st.Batch / p.batches
	p.last = time.Time{}
}

func (p *progress) update(st *Checkpoint) {
	if p.w == nil {
		return
	}
	done := st.Batch == p.batches
	if p.live {
		if !done && time.Since(p.last) < 100*time.Millisecond {
			return
		}
		p.last = time.Now()
		line := p.bar(st)
		pad := ""
		if n := p.width - len(line); n > 0 {
			pad = strings.Repeat(" ", n)
		}
		p.width = len(line)
		fmt.Fprintf(p.w, "\r%s%s", line, pad)
		return
	}
	if q := 4 * st.Batch / p.batches; q > p.quarter && !done {
		p.quarter = q
		fmt.Fprintln(p.w, p.bar(st))
	}
}

// bar renders "epoch 3/40 [=====>     ] 120/380 loss 0.812 acc 72.1% 610 ex/s ETA 0:42".
func (p *progress) bar(st *Checkpoint) string {
	frac := float64(st.Batch) / float64(p.batches)
	n := int(frac * barWidth)
	b := strings.Repeat("=", n)
	if n < barWidth {
		b += ">" + strings.Repeat(" ", barWidth-n-1)
	}
	s := fmt.Sprintf("epoch %d/%d [%s] %d/%d", st.Epoch+1, p.epochs, b, st.Batch, p.batches)
	if st.Seen > 0 {
		s += fmt.Sprintf(" loss %.3f acc %.1f%%", st.Loss/float64(st.Seen), 100*float64(st.Correct)/float64(st.Seen))
	}
	if st.Seconds > 0 && st.Seen > 0 {
		rate := float64(st.Seen) / st.Seconds
		perBatch := st.Seconds / float64(st.Batch)
		eta := time.Duration(perBatch * float64(p.batches-st.Batch) * float64(time.Second))
		s += fmt.Sprintf(" %.0f ex/s ETA %s", rate, bar.Clock(eta))
	}
	return s
}

func (p *progress) clearLive() {
	if p.live && p.width > 0 {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", p.width))
		p.width = 0
	}
}

func (p *progress) end(e Epoch) {
	if p.w == nil {
		return
	}
	p.clearLive()
	mark := ""
	if e.Best {
		mark = "  *"
	}
	fmt.Fprintf(p.w, "epoch %d/%d loss %.4f train %.2f%% val %.2f%% lr %.3g %.0f ex/s %s%s\n",
		e.Epoch, p.epochs, e.Loss, 100*e.TrainAcc, 100*e.ValAcc, e.LR, e.ExPerSec, bar.Clock(time.Duration(e.Seconds*float64(time.Second))), mark)
}

func (p *progress) interrupted(st *Checkpoint) {
	if p.w == nil {
		return
	}
	p.clearLive()
	fmt.Fprintf(p.w, "interrupted after batch %d/%d of epoch %d; saving a checkpoint\n", st.Batch, p.batches, st.Epoch+1)
}
