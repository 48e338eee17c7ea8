package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/internal/atomicfile"
	"github.com/listen-go/listen/mfcc"
	"github.com/listen-go/listen/mfcc/mfccview"
)

func init() {
	register(command{name: "features", summary: "print MFCC frames of a WAV file", run: runFeatures})
}

// runFeatures prints, or draws (mfccview), the features the models read for
// one WAV file: mfcc.DefaultConfig, the torchaudio-matching MFCCs.
func runFeatures(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("features", stderr)
	asJSON := fs.Bool("json", false, `print {"frames": N, "coeffs": C, "data": [[...], ...]}`)
	asCSV := fs.Bool("csv", false, "print one frame per line, values separated by commas")
	pngPath := fs.String("png", "", "draw the frames to this PNG file instead (time across, coefficient up)")
	logMel := fs.Bool("logmel", false, "log mel energies (40 bands) instead of MFCCs")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: listen features [-json | -csv | -png out.png] [-logmel] FILE.wav")
		fmt.Fprintln(stderr, "\nPrints the features the models read: 40 MFCCs every 10 ms (30 ms Hann window,\n"+
			"40 HTK mel bands 20-4000 Hz), as torchaudio 0.13's MFCC computes them. The\n"+
			"default output is a table, one frame per line with its start time.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError("want one WAV file, got %d arguments", fs.NArg())
	}
	formats := 0
	for _, on := range []bool{*asJSON, *asCSV, *pngPath != ""} {
		if on {
			formats++
		}
	}
	if formats > 1 {
		return usageError("choose one of -json, -csv and -png")
	}
	path := fs.Arg(0)

	cfg := mfcc.DefaultConfig()
	cfg.LogMel = *logMel
	samples, err := audio.ReadFile(path)
	if err != nil {
		return err
	}
	f, err := mfccview.Compute(cfg, samples)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}

	switch {
	case *pngPath != "":
		if f.Len() < 2 {
			return fmt.Errorf("%s: %d samples give %d frames, too few to draw (a frame is %d samples)",
				path, len(samples), f.Len(), cfg.FFTSize)
		}
		title := filepath.Base(path)
		if err := atomicfile.Write(*pngPath, func(w io.Writer) error { return f.WritePNG(w, title) }); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: %d frames x %d %s\n", *pngPath, f.Len(), f.Coeffs, f.What())
		return nil
	case *asJSON:
		return f.WriteJSON(stdout)
	case *asCSV:
		return f.WriteCSV(stdout)
	default:
		return f.WriteTable(stdout, path)
	}
}
