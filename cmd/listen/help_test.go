package main

import (
	"flag"
	"regexp"
	"strings"
	"testing"
)

// Every registered command's -h has the same shape: a usage line naming
// the command, a description, and a "Flags:" section listing every flag
// the command defines; it exits 0 and prints only to stderr. "listen help
// NAME" prints the same to stdout. So a new command cannot leave its help
// out of shape.
func TestEveryCommandHelp(t *testing.T) {
	var made []*flag.FlagSet
	flagSetMade = func(fs *flag.FlagSet) { made = append(made, fs) }
	defer func() { flagSetMade = nil }()
	for name := range commands {
		t.Run(name, func(t *testing.T) {
			args := []string{name, "-h"}
			if name == "listen" {
				args = []string{"-h"}
			}
			made = nil
			code, stdout, stderr := runCmd(args...)
			if code != 0 || stdout != "" {
				t.Fatalf("%q: exit %d, stdout %q", args, code, stdout)
			}
			if len(made) != 1 {
				t.Fatalf("%q made %d flag sets, want 1", args, len(made))
			}
			checkHelp(t, name, stderr, made[0])
			code, stdout, stderr = runCmd("help", name)
			if code != 0 || stderr != "" || stdout == "" {
				t.Fatalf("listen help %s: exit %d, stderr %q, stdout %.80q", name, code, stderr, stdout)
			}
			checkHelp(t, name, stdout, made[1])
		})
	}
}

// checkHelp checks the shape of one command's help text.
func checkHelp(t *testing.T, name, help string, fs *flag.FlagSet) {
	t.Helper()
	lines := strings.Split(help, "\n")
	usage := "usage: listen " + name + " "
	if name == "listen" {
		usage = "usage: listen [flags]"
	}
	if !strings.HasPrefix(lines[0], usage) {
		t.Errorf("first line %q, want %q...", lines[0], usage)
	}
	flags := -1
	for i, l := range lines {
		if l == "Flags:" {
			flags = i
		}
	}
	if flags < 0 {
		t.Fatalf("no \"Flags:\" line in\n%s", help)
	}
	// The description: after the usage lines and a blank line, some text
	// before the flags.
	desc := ""
	for i := 1; i < flags; i++ {
		if lines[i] == "" {
			desc = strings.TrimSpace(strings.Join(lines[i+1:flags], " "))
			break
		}
	}
	if len(desc) < 20 {
		t.Errorf("no description between the usage line and \"Flags:\" in\n%s", help)
	}
	listed := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^  -([a-z0-9-]+)`).FindAllStringSubmatch(strings.Join(lines[flags:], "\n"), -1) {
		listed[m[1]] = true
	}
	n := 0
	fs.VisitAll(func(f *flag.Flag) {
		n++
		if !listed[f.Name] {
			t.Errorf("-%s is not in the Flags: section", f.Name)
		}
	})
	if n != len(listed) {
		t.Errorf("the Flags: section lists %d flags, the command defines %d", len(listed), n)
	}
}

// "listen help" and "listen -h" list every command and say how to get a
// command's help; an unknown command's help is a usage error.
func TestHelpListsCommands(t *testing.T) {
	code, stdout, stderr := runCmd("help")
	_, _, dashH := runCmd("-h")
	if code != 0 || stderr != "" {
		t.Fatalf("listen help: exit %d, stderr %q", code, stderr)
	}
	for _, help := range []string{stdout, dashH} {
		for name, c := range commands {
			if !regexp.MustCompile(`(?m)^  ` + name + ` +` + regexp.QuoteMeta(c.summary) + `$`).MatchString(help) {
				t.Errorf("%s is not listed in\n%s", name, help)
			}
		}
		if !strings.Contains(help, `"listen help COMMAND"`) {
			t.Errorf("no mention of \"listen help COMMAND\" in\n%s", help)
		}
	}
	if code, _, stderr := runCmd("help", "nosuch"); code != 2 || !strings.Contains(stderr, `unknown command "nosuch"`) {
		t.Errorf("listen help nosuch: exit %d, stderr %q", code, stderr)
	}
}
