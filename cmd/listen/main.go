// Command listen recognises spoken commands: live from a microphone, offline
// from WAV files, and it trains its own models on Google's Speech Commands
// dataset or on a user's recordings.
//
// Usage:
//
//	listen [flags]              listen on the default microphone
//	listen COMMAND [flags] ...  see "listen help" and "listen help COMMAND"
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
)

// command is one subcommand of listen. run gets the arguments after the
// command's name and returns an error rather than exiting, so that it can be
// tested without a process.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

var commands = map[string]command{}

// register adds a subcommand; each subcommand's file calls it from init.
func register(c command) {
	if _, dup := commands[c.name]; dup {
		panic("listen: command registered twice: " + c.name)
	}
	commands[c.name] = c
}

// errUsage marks an error caused by how the command was called; it exits 2.
var errUsage = errors.New("usage")

// usageError wraps a message so that run exits with status 2.
func usageError(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errUsage}, a...)...)
}

// errBadFlags is returned when the flag package already printed what was
// wrong with the flags; it exits 2.
var errBadFlags = errors.New("bad flags")

// errSilent is returned when the command already reported what went wrong
// (classify's per-file errors, say) and only the exit status remains.
var errSilent = errors.New("failed")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes listen with args (without the program name) and returns the
// exit status: 0 on success, 1 on failure, 2 on a usage error.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	name := "listen"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	help := name == "help"
	if help && len(args) == 0 {
		printHelp(stdout)
		return 0
	}
	if help { // listen help COMMAND: the command's -h, on stdout
		name, args = args[0], []string{"-h"}
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "listen: unknown command %q (run \"listen help\")\n", name)
		return 2
	}
	if help {
		stderr = stdout
	}
	err := c.run(ctx, args, stdout, stderr)
	prefix := "listen " + name
	if name == "listen" {
		prefix = "listen"
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errSilent):
		return 1
	case errors.Is(err, errBadFlags):
		return 2
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "%s: %s\n", prefix, strings.TrimPrefix(err.Error(), errUsage.Error()+": "))
		return 2
	default:
		fmt.Fprintf(stderr, "%s: %s\n", prefix, oneLine(err.Error()))
		return 1
	}
}

// oneLine keeps an error message on one line whatever it wraps.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// printHelp prints listen's usage and its commands, for "listen help" and
// "listen -h".
func printHelp(w io.Writer) {
	fmt.Fprintln(w, "usage: listen [flags]\n       listen COMMAND [flags] [args]")
	fmt.Fprintln(w, "\nWith no command, listen listens on the default microphone and prints each\ncommand as it is spoken: time since start, label, confidence. Ctrl-C stops.\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun \"listen help COMMAND\" (or \"listen COMMAND -h\") for a command's flags.")
}

// flagSetMade, when not nil, is called with each flag set newFlagSet makes
// (the help test lists the flags a command defines with it).
var flagSetMade func(*flag.FlagSet)

// newFlagSet returns a flag set that reports errors to stderr and does not
// exit, for a subcommand called name.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("listen "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	if flagSetMade != nil {
		flagSetMade(fs)
	}
	return fs
}

// parseFlags parses args into fs, turning a flag error into a usage error.
// Flags may come after the other arguments too ("listen classify a.wav
// -top 1"), as users expect; "--" ends the flags, so that every argument
// after it is taken as it is ("listen classify -- -odd-name.wav").
// fs.Args() returns the other arguments, in order.
func parseFlags(fs *flag.FlagSet, args []string) error {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return err
			}
			return fmt.Errorf("%w: %v", errBadFlags, err)
		}
		left := fs.Args()
		if used := len(args) - len(left); used > 0 && args[used-1] == "--" || len(left) == 0 {
			rest = append(rest, left...)
			break
		}
		rest = append(rest, left[0])
		args = left[1:]
	}
	// Parse once more with "--" alone before them, so that fs.Args() is
	// the other arguments and nothing in them is read as a flag.
	return fs.Parse(append([]string{"--"}, rest...))
}
