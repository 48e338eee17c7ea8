package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/listen-go/listen/datasets"
)

func init() {
	register(command{name: "download", summary: "download and unpack Google's Speech Commands dataset", run: runDownload})
}

// runDownload fetches a Speech Commands tarball into DIR, resuming an
// interrupted download, checks its pinned SHA-256 and unpacks it into
// DIR/speech_commands_vX (made to appear complete or not at all).
func runDownload(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("download", stderr)
	version := fs.String("version", "v0.02", "dataset version: v0.01 (64,727 clips, 1.4 GB) or v0.02 (105,829 clips, 2.3 GB)")
	dir := fs.String("dir", ".", "folder to put the dataset in: it goes to DIR/speech_commands_VERSION")
	url := fs.String("url", "", "fetch the tarball from this URL instead (a mirror); -sha256 then says what it must hash to")
	sum := fs.String("sha256", "", "expected SHA-256 of the tarball (hex); default: the pinned one of -version")
	keep := fs.Bool("keep", false, "keep the .tar.gz after unpacking")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: listen download [-version v0.01|v0.02] [-dir DIR] [-keep] [-url URL -sha256 HEX]\n\n"+
			"Downloads the public Speech Commands tarball (Warden 2018, CC BY 4.0) with a progress\n"+
			"bar, resumes an interrupted download when run again, verifies its SHA-256 and unpacks\n"+
			"it safely into DIR/speech_commands_VERSION.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("unexpected argument %q", fs.Arg(0))
	}
	v, err := datasets.LookupVersion(*version)
	if err != nil {
		return usageError("-version %q: want v0.01 or v0.02", *version)
	}
	if *url != "" {
		v.URL = *url
		v.SHA256 = ""
	}
	if *sum != "" {
		if len(*sum) != 64 || strings.Trim(strings.ToLower(*sum), "0123456789abcdef") != "" {
			return usageError("-sha256 %q: want 64 hex digits", *sum)
		}
		v.SHA256 = *sum
	}
	if v.SHA256 == "" {
		return usageError("-url needs -sha256 (the tarball's expected SHA-256)")
	}
	name := "speech_commands_" + v.Name
	out := filepath.Join(*dir, name)
	if _, err := os.Stat(out); err == nil {
		fmt.Fprintf(stdout, "%s already exists: nothing to do (remove it to download again)\n", out)
		return nil
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return err
	}
	tarball := filepath.Join(*dir, name+".tar.gz")
	fmt.Fprintf(stderr, "downloading %s\n", v.URL)
	if err := datasets.Download(ctx, v.URL, v.SHA256, tarball, stderr); err != nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("interrupted: run the same command again to resume")
		}
		return err
	}
	fmt.Fprintf(stderr, "SHA-256 verified; unpacking into %s\n", out)
	if err := datasets.Extract(ctx, tarball, out); err != nil {
		return err
	}
	if !*keep {
		if err := os.Remove(tarball); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "%s\n", out)
	return nil
}
