package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/listen-go/listen/audio/mic"
)

func init() {
	register(command{name: "devices", summary: "list the microphones (audio input devices)", run: runDevices})
}

// listDevices is how listen devices asks for the input devices; tests
// replace it to give the command a machine with none.
var listDevices = mic.Devices

// runDevices lists the input devices mic.Devices sees: the index and
// name that -device accepts, channels, default rate, and which is the
// default. With no device to list (none plugged in, or no live capture in
// this build) it exits 1 with the reason on stderr, as a table or as
// JSON; -json still prints an array ([]) on stdout, so that a script
// always has one to parse.
func runDevices(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("devices", stderr)
	asJSON := fs.Bool("json", false, "print a JSON array of devices ([] and exit status 1 when there is none)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: listen devices [-json]")
		fmt.Fprintln(stderr, "\nLists the audio input devices. Choose one for listening with -device INDEX or\n"+
			"-device PART-OF-NAME; the one marked * is used by default. Devices that cannot\n"+
			"record at 16 kHz are recorded at their default rate and resampled. The exit\n"+
			"status is 1 when there is no device to list.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usageError("no arguments expected, got %d", fs.NArg())
	}
	devs, err := listDevices()
	if err == nil && len(devs) == 0 {
		err = fmt.Errorf("%w (is a microphone plugged in, and can this user open it?)", mic.ErrNoDevice)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if werr := enc.Encode(append([]mic.Device{}, devs...)); werr != nil {
			return werr
		}
		return err // the reason there is none, on stderr
	}
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\tINDEX\tNAME\tCHANNELS\tDEFAULT RATE")
	for _, d := range devs {
		mark := map[bool]string{true: "*"}[d.Default]
		fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%g Hz\n", mark, d.Index, d.Name, d.Channels, d.DefaultRate)
	}
	return tw.Flush()
}
