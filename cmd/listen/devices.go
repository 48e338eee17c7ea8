package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/listen-go/listen"
	"github.com/listen-go/listen/audio"
)

func init() {
	register(command{name: "devices", summary: "list the microphones (audio input devices)", run: runDevices})
}

// runDevices lists the input devices listen.Devices sees: the index and
// name that -device accepts, channels, default rate, and which is the
// default.
func runDevices(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("devices", stderr)
	asJSON := fs.Bool("json", false, "print a JSON array of devices")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: listen devices [-json]")
		fmt.Fprintln(stderr, "\nLists the audio input devices. Choose one for listening with -device INDEX or\n"+
			"-device PART-OF-NAME; the one marked * is used by default. Devices that cannot\n"+
			"record at 16 kHz are recorded at their default rate and resampled.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usageError("no arguments expected, got %d", fs.NArg())
	}
	devs, err := listen.Devices()
	switch {
	case err != nil:
		return err
	case *asJSON:
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(append([]audio.Device{}, devs...))
	case len(devs) == 0:
		return fmt.Errorf("%w (is a microphone plugged in, and can this user open it?)", audio.ErrNoDevice)
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\tINDEX\tNAME\tCHANNELS\tDEFAULT RATE")
	for _, d := range devs {
		mark := map[bool]string{true: "*"}[d.Default]
		fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%g Hz\n", mark, d.Index, d.Name, d.Channels, d.DefaultRate)
	}
	return tw.Flush()
}
