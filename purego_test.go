package listen_test

import (
	"go/parser"
	"go/token"
	"maps"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// pureGo are the packages that must build without cgo's C libraries:
// the front door and everything but live capture (audio/mic) and the
// command, which imports it.
var pureGo = []string{".", "./audio", "./mfcc/...", "./model/...", "./datasets/...", "./train/..."}

const module = "github.com/listen-go/listen"

// The front door and the packages it stands on import neither PortAudio
// nor any package with cgo files outside the standard library (whose cgo
// packages, net and os/user, fall back to Go), so they build where Go
// builds. `go list -deps` gives the whole graph, third-party packages
// included; audio/mic is listed too, to show that the check sees
// PortAudio where it is.
func TestFrontDoorPureGo(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH; TestFrontDoorImportsNoCgo checks the module's own imports")
	}
	list := func(pkgs ...string) map[string]string { // import path -> its cgo files
		cmd := exec.Command(goCmd, append([]string{"list", "-deps", "-f", "{{.ImportPath}}\t{{.Standard}}\t{{join .CgoFiles \" \"}}"}, pkgs...)...)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
		out, err := cmd.Output()
		if err != nil {
			msg := ""
			if ee, ok := err.(*exec.ExitError); ok {
				msg = string(ee.Stderr)
			}
			t.Fatalf("go list: %v\n%s", err, msg)
		}
		cgo := map[string]string{}
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			f := strings.Split(line, "\t")
			if len(f) == 3 && f[1] == "false" {
				cgo[f[0]] = f[2]
			}
		}
		return cgo
	}
	deps := list(pureGo...)
	if _, ok := deps[module]; !ok {
		t.Fatalf("go list did not list %s itself: %v", module, deps)
	}
	for p, files := range deps {
		if strings.Contains(p, "portaudio") {
			t.Errorf("%s is a dependency of the front door or the packages under it", p)
		}
		if files != "" {
			t.Errorf("%s has cgo files (%s) and is a dependency of the front door or the packages under it", p, files)
		}
	}
	mic := list("./audio/mic")
	if _, ok := mic["github.com/gordonklaus/portaudio"]; !ok || mic[module+"/audio/mic"] == "" {
		t.Errorf("go list does not show audio/mic's PortAudio and cgo files: the check above sees nothing")
	}
}

// The same without the go command: the module's own packages that the
// front door imports, followed through their source, import neither "C"
// nor PortAudio. (Third-party packages are go list's to check.)
func TestFrontDoorImportsNoCgo(t *testing.T) {
	imports := func(dir string) (map[string]bool, error) {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			return nil, err
		}
		imp := map[string]bool{}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			af, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
			if err != nil {
				return nil, err
			}
			for _, s := range af.Imports {
				p, _ := strconv.Unquote(s.Path.Value)
				imp[p] = true
			}
		}
		return imp, nil
	}
	// walk follows the module's packages from dir and returns, for each
	// import path reached, the package that imports it.
	walk := func(start string) map[string]string {
		from := map[string]string{start: ""}
		queue := []string{start}
		for len(queue) > 0 {
			p := queue[0]
			queue = queue[1:]
			imp, err := imports(filepath.FromSlash("./" + strings.TrimPrefix(strings.TrimPrefix(p, module), "/")))
			if err != nil {
				t.Fatal(err)
			}
			for q := range imp {
				if _, seen := from[q]; seen {
					continue
				}
				from[q] = p
				if strings.HasPrefix(q, module+"/") {
					queue = append(queue, q)
				}
			}
		}
		return from
	}
	for _, start := range []string{module, module + "/audio", module + "/model/detect", module + "/train", module + "/datasets"} {
		from := walk(start)
		for p, by := range from {
			if p == "C" || strings.Contains(p, "portaudio") {
				t.Errorf("%s reaches %q (imported by %s)", start, p, by)
			}
		}
	}
	// The walk does see cgo where it is.
	mic := walk(module + "/audio/mic")
	if _, ok := mic["C"]; !ok {
		t.Error(`the walk from audio/mic does not reach "C": the check above sees nothing`)
	}
	if !slices.ContainsFunc(slices.Collect(maps.Keys(mic)), func(p string) bool { return path.Base(p) == "portaudio" }) {
		t.Error("the walk from audio/mic does not reach PortAudio")
	}
}
