package evaluate

import (
	"context"
	"errors"
	"io"
	"slices"
	"sync"

	"github.com/listen-go/listen/model/detect"
)

// recordParallel records the Trace of the stream src yields, in pieces of
// pieceLen handed to the recorders, one goroutine each, and returns it with
// the number of samples streamed. progress sees the samples done, from
// this goroutine.
func recordParallel(ctx context.Context, src sampleReader, recs []*detect.Recorder, progress func(samples int64)) (*detect.Trace, int64, error) {
	hop, lead := recs[0].Hop(), recs[0].Lead()
	// Pieces start at multiples of the hop, and each is at least its lead
	// long, so that a piece's lead lies within the piece before it.
	piece := max(detect.HopSamples(pieceLen)/hop*hop, (lead+hop-1)/hop*hop)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	type job struct {
		i       int
		samples []float32 // the piece after its lead
		start   int64
		n       int // samples of the piece itself
		last    bool
	}
	type result struct {
		i   int
		tr  *detect.Trace
		n   int
		err error
	}
	jobs := make(chan job)
	results := make(chan result, len(recs))
	var wg sync.WaitGroup
	for _, r := range recs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				tr, err := r.Record(j.samples, j.start, j.last)
				results <- result{j.i, tr, j.n, err}
			}
		}()
	}
	// The reader: it alone calls src, and hands out the pieces in order.
	var readErr error
	var total int64
	go func() {
		defer close(jobs)
		readPiece := func() ([]float32, bool, error) {
			buf := make([]float32, piece)
			n := 0
			for n < piece {
				k, err := src.Read(buf[n:])
				n += k
				if errors.Is(err, io.EOF) {
					return buf[:n], true, nil
				}
				if err != nil {
					return nil, true, err
				}
			}
			return buf, false, nil
		}
		cur, ended, err := readPiece()
		var tail []float32 // the lead before cur
		var start int64
		for i := 0; err == nil; i++ {
			var next []float32
			if !ended {
				if next, ended, err = readPiece(); err != nil {
					break
				}
			}
			last := len(next) == 0
			samples := append(tail, cur...)
			select {
			case jobs <- job{i, samples, start, len(cur), last}:
			case <-ctx.Done():
				return
			}
			total += int64(len(cur))
			if last {
				return
			}
			tail = slices.Clone(samples[len(samples)-lead:])
			start += int64(len(cur))
			cur = next
		}
		readErr = err
	}()
	go func() {
		wg.Wait()
		close(results)
	}()
	var pieces []*detect.Trace
	var done int64
	var firstErr error
	for r := range results {
		if r.err != nil && firstErr == nil {
			firstErr = r.err
			cancel()
		}
		if firstErr != nil {
			continue
		}
		for len(pieces) <= r.i {
			pieces = append(pieces, nil)
		}
		pieces[r.i] = r.tr
		done += int64(r.n)
		progress(done)
	}
	// The reader and the workers have stopped: results is closed.
	if firstErr == nil {
		firstErr = readErr
	}
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	if firstErr != nil {
		return nil, 0, firstErr
	}
	tr, err := detect.JoinTraces(pieces)
	if err != nil {
		return nil, 0, err
	}
	return tr, total, nil
}
