package listen_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/listen-go/listen"
	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/model"
	"github.com/listen-go/listen/model/detect"
)

// Every broken model file gives one error naming the file, not a panic.
func TestLoadModelBroken(t *testing.T) {
	files, err := filepath.Glob("testdata/model/broken/*.safetensors")
	if err != nil || len(files) == 0 {
		t.Fatalf("no broken models: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			m, err := listen.LoadModel(f)
			if err == nil {
				t.Fatalf("loaded %s", f)
			}
			if m != nil || !strings.Contains(err.Error(), f) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q: want one line naming %s", err, f)
			}
		})
	}
	if _, err := listen.LoadModel(filepath.Join(t.TempDir(), "missing.safetensors")); err == nil {
		t.Error("loaded a missing file")
	}
	if _, err := listen.ReadModel(nil, "x"); err == nil {
		t.Error("read a nil reader")
	}
}

func TestEmbeddedModels(t *testing.T) {
	for _, name := range []string{"", "default", "home"} {
		m, err := listen.LoadModel(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := listen.NewRecognizer(m, nil); err != nil {
			t.Errorf("%q: %v", name, err)
		}
	}
	d, err := listen.DefaultModel()
	if err != nil {
		t.Fatal(err)
	}
	h, err := listen.HomeModel()
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Meta.Labels) == len(h.Meta.Labels) && d.Meta.Labels[len(d.Meta.Labels)-1] == h.Meta.Labels[len(h.Meta.Labels)-1] {
		t.Error("default and home models look the same")
	}
}

// Chunks of any size find what one write finds.
func TestRecognizerChunks(t *testing.T) {
	m, err := listen.DefaultModel()
	if err != nil {
		t.Fatal(err)
	}
	samples, err := audio.ReadFile("testdata/detect/commands.wav")
	if err != nil {
		t.Fatal(err)
	}
	whole := detectAll(t, m, samples, len(samples))
	if len(whole) == 0 {
		t.Fatal("nothing found")
	}
	for _, chunk := range []int{1, 7, 333, 16000} {
		got := detectAll(t, m, samples, chunk)
		if len(got) != len(whole) {
			t.Fatalf("chunks of %d: %d detections, want %d", chunk, len(got), len(whole))
		}
		for i := range got {
			if got[i] != whole[i] {
				t.Errorf("chunks of %d: %+v, want %+v", chunk, got[i], whole[i])
			}
		}
	}
}

func detectAll(t *testing.T, m *listen.Model, samples []float32, chunk int) []listen.Detection {
	t.Helper()
	r, err := listen.NewRecognizer(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	var found []listen.Detection
	for i := 0; i < len(samples); i += chunk {
		if found, err = r.Write(found, samples[i:min(i+chunk, len(samples))]); err != nil {
			t.Fatal(err)
		}
	}
	if found, err = r.Flush(found); err != nil {
		t.Fatal(err)
	}
	return found
}

func TestMisuse(t *testing.T) {
	m, err := listen.DefaultModel()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := listen.NewRecognizer(nil, nil); err == nil {
		t.Error("recognizer of a nil model")
	}
	if _, err := listen.NewRecognizer(m, &listen.Config{Threshold: 2}); err == nil {
		t.Error("threshold 2 accepted")
	}
	var zero listen.Recognizer
	if _, err := zero.Write(nil, []float32{0}); err == nil {
		t.Error("zero Recognizer wrote")
	}
	var nilRec *listen.Recognizer
	if _, err := nilRec.Flush(nil); err == nil {
		t.Error("nil Recognizer flushed")
	}
	r, err := listen.NewRecognizer(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Flush(nil); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Write(nil, []float32{0}); !errors.Is(err, listen.ErrFlushed) {
		t.Errorf("write after flush: %v", err)
	}
	if err := r.Reset(); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Write(nil, []float32{0}); err != nil {
		t.Errorf("write after reset: %v", err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Write(nil, []float32{0}); !errors.Is(err, listen.ErrClosed) {
		t.Errorf("write after close: %v", err)
	}
	if _, err := r.Flush(nil); !errors.Is(err, listen.ErrClosed) {
		t.Errorf("flush after close: %v", err)
	}
	if err := listen.Run(context.Background(), r, nil, nil); !errors.Is(err, listen.ErrClosed) {
		t.Errorf("run with a closed recognizer: %v", err)
	}
	clip := make([]float32, 8000)
	for _, k := range []int{-1, 0, len(m.Meta.Labels) + 1} {
		if _, err := listen.Classify(m, clip, k); err == nil {
			t.Errorf("top %d accepted", k)
		}
	}
	if _, err := listen.Classify(m, nil, 1); err == nil {
		t.Error("empty clip classified")
	}
	if _, err := listen.Classify(m, make([]float32, 16001), 1); err == nil {
		t.Error("clip longer than the window classified")
	}
	if _, err := listen.Classify(nil, clip, 1); err == nil {
		t.Error("nil model classified")
	}
	if top, err := listen.Classify(m, clip, len(m.Meta.Labels)); err != nil || len(top) != len(m.Meta.Labels) {
		t.Errorf("all labels: %v, %v", top, err)
	}
}

// Run reads a source to its end and flushes: a file source finds what
// Write and Flush find on the same samples, at the same times.
func TestRun(t *testing.T) {
	m, err := listen.DefaultModel()
	if err != nil {
		t.Fatal(err)
	}
	samples, err := audio.ReadFile("testdata/detect/commands.wav")
	if err != nil {
		t.Fatal(err)
	}
	r, err := listen.NewRecognizer(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, err := r.Write(nil, samples)
	if err != nil {
		t.Fatal(err)
	}
	if want, err = r.Flush(want); err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 {
		t.Fatal("Write and Flush found no command in commands.wav")
	}
	f, err := os.Open("testdata/detect/commands.wav")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ar, err := audio.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Reset(); err != nil {
		t.Fatal(err)
	}
	var got []listen.Detection
	if err := listen.Run(context.Background(), r, readerSource{ar}, func(d listen.Detection) error { got = append(got, d); return nil }); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Run found %+v, Write and Flush %+v", got, want)
	}
}

// Elapsed is the audio written, in whatever chunks: the silence Flush
// adds to finish the last window (a whole window: 1 s for default, 2.6 s for
// home) is not audio heard, and Reset starts the count again.
func TestElapsed(t *testing.T) {
	for _, tc := range []struct {
		model   string
		samples int
		chunk   int
		want    time.Duration
	}{
		{"default", 13 * listen.SampleRate, 1600, 13 * time.Second},
		{"default", 1, 1, time.Second / listen.SampleRate},
		{"home", listen.SampleRate, 160, time.Second},
		{"home", listen.SampleRate/2 + 7, 1000, 500*time.Millisecond + 7*time.Second/listen.SampleRate},
	} {
		t.Run(fmt.Sprintf("%s %d samples", tc.model, tc.samples), func(t *testing.T) {
			m, err := listen.LoadModel(tc.model)
			if err != nil {
				t.Fatal(err)
			}
			r, err := listen.NewRecognizer(m, nil)
			if err != nil {
				t.Fatal(err)
			}
			buf := make([]float32, tc.chunk)
			for left := tc.samples; left > 0; left -= len(buf) {
				if _, err := r.Write(nil, buf[:min(left, len(buf))]); err != nil {
					t.Fatal(err)
				}
			}
			if got := r.Elapsed(); got != tc.want {
				t.Errorf("after Write: Elapsed %v, want %v", got, tc.want)
			}
			if _, err := r.Flush(nil); err != nil {
				t.Fatal(err)
			}
			if got := r.Elapsed(); got != tc.want {
				t.Errorf("after Flush: Elapsed %v, want %v", got, tc.want)
			}
			if _, err := r.Write(nil, buf); !errors.Is(err, listen.ErrFlushed) {
				t.Fatalf("write after flush: %v", err)
			}
			if got := r.Elapsed(); got != tc.want {
				t.Errorf("after a refused Write: Elapsed %v, want %v", got, tc.want)
			}
			if err := r.Reset(); err != nil {
				t.Fatal(err)
			}
			if got := r.Elapsed(); got != 0 {
				t.Errorf("after Reset: Elapsed %v, want 0", got)
			}
		})
	}
}

type readerSource struct{ r *audio.Reader }

func (s readerSource) Read(dst []float32) (int, error) { return s.r.Read(dst) }
func (s readerSource) Close() error                    { return nil }

// Loading a model, embedded or from a file, allocates little more than its
// weights: the tensors are read into one slice, never grown as read.
func TestLoadModelAllocatesOnce(t *testing.T) {
	d, err := listen.DefaultModel()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "default.safetensors")
	var buf bytes.Buffer
	if err := d.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	size := uint64(buf.Len())
	buf = bytes.Buffer{}
	for _, name := range []string{"default", path} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		m, err := listen.LoadModel(name)
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatal(err)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > size*5/4 {
			t.Errorf("%s: loading a %d-byte model allocated %d bytes", name, size, alloc)
		}
		runtime.KeepAlive(m)
	}
}

// The front door's page is complete on its own: the doc comments of the
// aliases Config, Detection and Model list every field of what they
// alias, with its type, and Config's give detect's defaults as they are.
func TestAliasDocs(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "listen.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string]string{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.TYPE {
			continue
		}
		for _, spec := range g.Specs {
			if ts := spec.(*ast.TypeSpec); ts.Assign.IsValid() {
				docs[ts.Name.Name] = g.Doc.Text()
			}
		}
	}
	// listed returns the fields a doc's bullets name ("- A, B type: ..."),
	// by prefix, with their types.
	listed := func(doc, prefix string) map[string]string {
		got := map[string]string{}
		for _, line := range strings.Split(doc, "\n") {
			item, ok := strings.CutPrefix(strings.TrimSpace(line), "- ")
			if !ok {
				continue
			}
			head, _, _ := strings.Cut(item, ":")
			names := strings.Split(head, ", ")
			last := strings.Fields(names[len(names)-1])
			if len(last) != 2 {
				continue
			}
			names[len(names)-1] = last[0]
			for _, n := range names {
				got[strings.TrimPrefix(n, prefix)] = last[1]
			}
		}
		return got
	}
	for _, tc := range []struct {
		alias, prefix string
		typ           reflect.Type
	}{
		{"Config", "", reflect.TypeFor[detect.Config]()},
		{"Detection", "", reflect.TypeFor[detect.Detection]()},
		{"Model", "Meta.", reflect.TypeFor[model.Metadata]()},
	} {
		doc, ok := docs[tc.alias]
		if !ok {
			t.Errorf("no alias %s in listen.go", tc.alias)
			continue
		}
		got := listed(doc, tc.prefix)
		for i := range tc.typ.NumField() {
			fld := tc.typ.Field(i)
			if !fld.IsExported() {
				continue
			}
			if typ, ok := got[fld.Name]; !ok || typ != fld.Type.String() {
				t.Errorf("%s's doc lists %s%s as %q, want it listed with type %s", tc.alias, tc.prefix, fld.Name, typ, fld.Type)
			}
		}
	}
	for field, def := range map[string]any{
		"Hop": detect.DefaultHop, "AverageWindow": detect.DefaultAverageWindow,
		"Threshold": detect.DefaultThreshold, "Suppression": detect.DefaultSuppression,
		"MinCount": detect.DefaultMinCount, "Gate": detect.DefaultGate,
	} {
		item := docs["Config"][strings.Index(docs["Config"], "- "+field+" "):]
		item, _, _ = strings.Cut(item[2:], "\n  - ")
		item, _, _ = strings.Cut(item, "\n\n")
		if want := fmt.Sprintf("Zero: %v", def); !strings.Contains(item, want) {
			t.Errorf("Config's doc for %s does not say %q:\n%s", field, want, item)
		}
	}
	for _, m := range []string{"default", "home"} {
		mm, err := listen.LoadModel(m)
		if err != nil {
			t.Fatal(err)
		}
		if n := strconv.Itoa(mm.Meta.WindowSamples); !strings.Contains(docs["Model"], n) {
			t.Errorf("Model's doc does not give the %s model's window, %s samples", m, n)
		}
	}
}
