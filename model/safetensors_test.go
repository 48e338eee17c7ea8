package model

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/listen-go/listen/mfcc"
)

func smallModel(t testing.TB) *Model {
	t.Helper()
	cfg := Config{Inputs: 40, Hidden: 4, Layers: 2, Classes: 3, Dropout: 0.25, CMN: true}
	m, err := New(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	m.Meta = Metadata{
		Labels:        []string{"yes", "no", "_unknown_"},
		Features:      mfcc.DefaultConfig(),
		WindowSamples: 16000,
		Training:      map[string]string{"epochs": "3", "optimizer": "adam"},
		Detection:     map[string]string{"threshold": "0.8"},
	}
	return m
}

func encode(t testing.TB, m *Model) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := m.Encode(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	m := smallModel(t)
	data := encode(t, m)
	if hl := binary.LittleEndian.Uint64(data); hl%8 != 0 {
		t.Errorf("header length %d is not a multiple of 8", hl)
	}
	got, err := Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Params(), m.Params()) {
		t.Error("parameters differ after a round trip")
	}
	gc, wc := got.Config(), m.Config()
	if fmt.Sprint(gc) != fmt.Sprint(wc) {
		t.Errorf("config %+v, want %+v", gc, wc)
	}
	if fmt.Sprint(got.Meta) != fmt.Sprint(m.Meta) {
		t.Errorf("metadata %+v, want %+v", got.Meta, m.Meta)
	}
	cfg, meta, err := DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Hidden != 4 || meta.WindowSamples != 16000 {
		t.Errorf("DecodeConfig = %+v, %+v, %v", cfg, meta, err)
	}
	// Encoding is deterministic.
	if !bytes.Equal(encode(t, got), data) {
		t.Error("re-encoding a decoded model gives different bytes")
	}
}

// rewriteHeader decodes the JSON header of a valid file, lets edit change
// it, and reassembles the file with the same tensor data.
func rewriteHeader(t *testing.T, data []byte, edit func(h map[string]any)) []byte {
	t.Helper()
	hl := binary.LittleEndian.Uint64(data)
	var h map[string]any
	if err := json.Unmarshal(data[8:8+hl], &h); err != nil {
		t.Fatal(err)
	}
	edit(h)
	hb, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	out := binary.LittleEndian.AppendUint64(nil, uint64(len(hb)))
	out = append(out, hb...)
	return append(out, data[8+hl:]...)
}

func meta(h map[string]any) map[string]any { return h["__metadata__"].(map[string]any) }

func TestEncodeHalf(t *testing.T) {
	a, b := smallModel(t), smallModel(t)
	for i := range b.params {
		b.params[i] = float32(i)*0.37 - 100 // beyond the initial weights' range
	}
	e, err := NewEnsemble(a, b)
	if err != nil {
		t.Fatal(err)
	}
	e.Meta = a.Meta
	var full, half bytes.Buffer
	if err := e.Encode(&full); err != nil {
		t.Fatal(err)
	}
	if err := e.EncodeHalf(&half); err != nil {
		t.Fatal(err)
	}
	hl := int(binary.LittleEndian.Uint64(half.Bytes()))
	if !strings.Contains(string(half.Bytes()[8:8+hl]), `"dtype":"F16"`) || strings.Contains(string(half.Bytes()[8:8+hl]), "F32") {
		t.Errorf("header of the half file: %s", half.Bytes()[8:8+hl])
	}
	n := len(a.params) + len(b.params)
	if got := half.Len() - 8 - hl; got != 2*n {
		t.Errorf("half file holds %d bytes of tensors, want %d", got, 2*n)
	}
	got, err := Decode(bytes.NewReader(half.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	ms := got.Members()
	if len(ms) != 2 || !slices.Equal(ms[0].Meta.Labels, a.Meta.Labels) {
		t.Fatalf("decoded %d networks, labels %v", len(ms), got.Meta.Labels)
	}
	for k, want := range [][]float32{a.params, b.params} {
		for i, v := range want {
			h, _ := halfBits(v)
			if g := ms[k].params[i]; g != halfValue(h) {
				t.Fatalf("network %d weight %d: %v after a half round trip of %v, want %v", k+1, i, g, v, halfValue(h))
			}
			if d := math.Abs(float64(ms[k].params[i] - v)); d > 1e-3*math.Abs(float64(v))+1e-7 {
				t.Fatalf("network %d weight %d: %v is %g from %v", k+1, i, ms[k].params[i], d, v)
			}
		}
	}
	// A half file read by a plain io.Reader, in pieces, decodes the same.
	got2, err := Decode(io.MultiReader(bytes.NewReader(half.Bytes()[:1000]), bytes.NewReader(half.Bytes()[1000:])))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got2.Members()[1].params, ms[1].params) {
		t.Error("decoding from a plain reader gives other weights")
	}
	// Cut short, it names what is missing in bytes of the half file.
	if _, err := Decode(bytes.NewReader(half.Bytes()[:half.Len()-3])); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("of %d bytes", 2*n)) {
		t.Errorf("truncated half file: %v", err)
	}
}

func TestEncodeHalfOverflow(t *testing.T) {
	m := smallModel(t)
	m.params[5] = 70000
	var b bytes.Buffer
	err := m.EncodeHalf(&b)
	if err == nil || !strings.Contains(err.Error(), "70000") {
		t.Fatalf("EncodeHalf with a weight of 70000: %v", err)
	}
	if b.Len() != 0 {
		t.Errorf("wrote %d bytes before failing", b.Len())
	}
}

func TestDecodeErrors(t *testing.T) {
	valid := encode(t, smallModel(t))
	hl := binary.LittleEndian.Uint64(valid)
	huge := binary.LittleEndian.AppendUint64(nil, 200<<20)
	claim := binary.LittleEndian.AppendUint64(nil, 50<<20) // plausible, but the file is short
	claim = append(claim, `{"a":`...)
	cases := []struct {
		name string
		data []byte
		want string // in the error message
		typ  any
	}{
		{"empty", nil, "truncated", FormatError("")},
		{"short length", valid[:5], "truncated", FormatError("")},
		{"header cut", valid[:8+hl/2], "truncated: header claims", FormatError("")},
		{"data cut", valid[:len(valid)-3], "truncated: tensor data", FormatError("")},
		{"no data", valid[:8+hl], "truncated: tensor data", FormatError("")},
		{"header over limit", huge, "over the", FormatError("")},
		{"header over file", claim, "truncated: header claims 52428800 bytes", FormatError("")},
		{"not json", append(binary.LittleEndian.AppendUint64(nil, 4), "abcd"...), "not a model file (safetensors): its header is not a JSON object", FormatError("")},
		{"json cut", append(binary.LittleEndian.AppendUint64(nil, 4), `{"a"`...), "invalid model file: header is not a JSON object", FormatError("")},
		{"text file", []byte("# notes on the lights model\n"), `not a model file (safetensors): it starts with text ("# notes "), not a header length`, FormatError("")},
		{"wav file", append([]byte("RIFF\x24\x7d\x00\x00WAVE"), make([]byte, 40)...), "not a model file (safetensors): its header length", FormatError("")},
		{"metadata not strings", rewriteHeader(t, valid, func(h map[string]any) { meta(h)["window_samples"] = 5 }), "__metadata__", FormatError("")},
		{"newer version", rewriteHeader(t, valid, func(h map[string]any) { meta(h)["format_version"] = "2" }), "newer", UnsupportedError("")},
		{"bad version", rewriteHeader(t, valid, func(h map[string]any) { meta(h)["format_version"] = "x" }), "format_version", FormatError("")},
		{"dtype", rewriteHeader(t, valid, func(h map[string]any) { h["fc.bias"].(map[string]any)["dtype"] = "BF16" }), `dtype "BF16"`, UnsupportedError("")},
		{"mixed dtypes", rewriteHeader(t, valid, func(h map[string]any) { h["fc.bias"].(map[string]any)["dtype"] = "F16" }), "one dtype", UnsupportedError("")},
		{"shape", rewriteHeader(t, valid, func(h map[string]any) {
			h["lstm.weight_hh_l1"].(map[string]any)["shape"] = []int{4, 16}
		}), "shape [4 16], want [16 4]", FormatError("")},
		{"offsets", rewriteHeader(t, valid, func(h map[string]any) {
			h["fc.bias"].(map[string]any)["data_offsets"] = []int{0, 12}
		}), "gap or overlap", FormatError("")},
		{"offsets length", rewriteHeader(t, valid, func(h map[string]any) {
			h["fc.bias"].(map[string]any)["data_offsets"] = []int{0, 4, 8}
		}), "data_offsets has 3", FormatError("")},
		{"missing tensor", rewriteHeader(t, valid, func(h map[string]any) { delete(h, "lstm.bias_hh_l1") }), "missing tensor lstm.bias_hh_l1", FormatError("")},
		{"extra tensor", rewriteHeader(t, valid, func(h map[string]any) {
			h["lstm.weight_ih_l0_reverse"] = h["fc.bias"]
		}), "unexpected tensor lstm.weight_ih_l0_reverse", FormatError("")},
		{"unknown tensor field", rewriteHeader(t, valid, func(h map[string]any) { h["fc.bias"].(map[string]any)["x"] = 1 }), "unknown field", FormatError("")},
		{"labels vs fc", rewriteHeader(t, valid, func(h map[string]any) { meta(h)["labels"] = `["a","b"]` }), "2 labels but fc has 3 outputs", FormatError("")},
		{"labels not json", rewriteHeader(t, valid, func(h map[string]any) { meta(h)["labels"] = `a,b,c` }), "labels", FormatError("")},
		{"duplicate label", rewriteHeader(t, valid, func(h map[string]any) { meta(h)["labels"] = `["a","b","a"]` }), "twice", FormatError("")},
		{"architecture vs shapes", rewriteHeader(t, valid, func(h map[string]any) {
			meta(h)["architecture"] = `{"inputs":40,"hidden":5,"layers":2,"classes":3}`
		}), "shape", FormatError("")},
		{"architecture invalid", rewriteHeader(t, valid, func(h map[string]any) {
			meta(h)["architecture"] = `{"inputs":40,"hidden":4,"layers":2,"classes":3,"dropout":1.5}`
		}), "dropout", FormatError("")},
		{"architecture huge", rewriteHeader(t, valid, func(h map[string]any) {
			meta(h)["architecture"] = `{"inputs":40,"hidden":1000000,"layers":1000,"classes":3}`
		}), "limit", FormatError("")},
		{"features vs inputs", rewriteHeader(t, valid, func(h map[string]any) {
			meta(h)["features"] = `{"sample_rate":16000,"window_length":400,"num_mels":20}`
		}), "features give 20 values", FormatError("")},
		{"features huge", rewriteHeader(t, valid, func(h map[string]any) {
			meta(h)["features"] = `{"sample_rate":16000,"window_length":400,"num_mels":1000000000,"num_coeffs":40}`
		}), "mel filters", FormatError("")},
		{"features invalid", rewriteHeader(t, valid, func(h map[string]any) { meta(h)["features"] = `{"sample_rate":-1}` }), "features", FormatError("")},
		{"window", rewriteHeader(t, valid, func(h map[string]any) { meta(h)["window_samples"] = "-3" }), "window_samples", FormatError("")},
		{"training", rewriteHeader(t, valid, func(h map[string]any) { meta(h)["training"] = `[1]` }), "training", FormatError("")},
		{"nan weight", func() []byte {
			d := slices.Clone(valid)
			binary.LittleEndian.PutUint32(d[len(d)-4:], math.Float32bits(float32(math.NaN())))
			return d
		}(), "fc.bias holds NaN", FormatError("")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Decode(bytes.NewReader(tc.data))
			if err == nil {
				t.Fatalf("Decode succeeded (%v)", m.Config())
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not mention %q", err, tc.want)
			}
			switch tc.typ.(type) {
			case FormatError:
				var fe FormatError
				if !errors.As(err, &fe) {
					t.Errorf("error %q is not a FormatError", err)
				}
			case UnsupportedError:
				var ue UnsupportedError
				if !errors.As(err, &ue) {
					t.Errorf("error %q is not an UnsupportedError", err)
				}
			}
		})
	}
}

type failReader struct{}

func (failReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestDecodeReadError(t *testing.T) {
	valid := encode(t, smallModel(t))
	_, err := Decode(io.MultiReader(bytes.NewReader(valid[:100]), failReader{}))
	if err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("error %v does not pass on the read error", err)
	}
}

// TestDecodeWithoutMetadata reads a plain state_dict file, as
// safetensors.torch.save_file writes it without metadata, with tensors in
// another order.
func TestDecodeWithoutMetadata(t *testing.T) {
	m := smallModel(t)
	valid := encode(t, m)
	// Reverse the tensor data order.
	ts := m.Tensors()
	var data []byte
	h := map[string]any{}
	for i := len(ts) - 1; i >= 0; i-- {
		lo := len(data)
		for _, v := range ts[i].Data {
			data = binary.LittleEndian.AppendUint32(data, math.Float32bits(v))
		}
		h[ts[i].Name] = map[string]any{"dtype": "F32", "shape": ts[i].Shape, "data_offsets": []int{lo, len(data)}}
	}
	hb, _ := json.Marshal(h)
	file := binary.LittleEndian.AppendUint64(nil, uint64(len(hb)))
	file = append(append(file, hb...), data...)
	got, err := Decode(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Params(), m.Params()) {
		t.Error("parameters differ")
	}
	if c := got.Config(); c.Inputs != 40 || c.Hidden != 4 || c.Layers != 2 || c.Classes != 3 {
		t.Errorf("inferred config %+v", c)
	}
	_ = valid
}

func TestEncodeNoLabels(t *testing.T) {
	m := smallModel(t)
	m.Meta = Metadata{Labels: []string{}}
	got, err := Decode(bytes.NewReader(encode(t, m)))
	if err != nil {
		t.Fatal(err)
	}
	if got.Meta.Labels != nil || got.Meta.Features != (mfcc.Config{}) || got.Meta.WindowSamples != 0 || got.Meta.Training != nil || got.Meta.Detection != nil {
		t.Errorf("metadata %+v, want empty", got.Meta)
	}
}

func TestEncodeLabelsMismatch(t *testing.T) {
	m := smallModel(t)
	m.Meta.Labels = m.Meta.Labels[:2]
	if err := m.Encode(io.Discard); err == nil {
		t.Error("Encode accepted 2 labels for 3 classes")
	}
}

// TestTestdataBroken decodes the broken files kept in
// ../testdata/model/broken: each must give an error, never a panic.
func TestTestdataBroken(t *testing.T) {
	files, _ := filepath.Glob("../testdata/model/broken/*.safetensors")
	if len(files) == 0 {
		t.Fatal("no broken model files in ../testdata/model/broken")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		_, err = Decode(bytes.NewReader(data))
		var fe FormatError
		var ue UnsupportedError
		if !errors.As(err, &fe) && !errors.As(err, &ue) {
			t.Errorf("%s: error %v, want a FormatError or UnsupportedError", f, err)
		}
	}
}

// TestDecodeClaimsManyLayers decodes headers of about 100 bytes whose
// architecture claims 100000 LSTM layers (and an ensemble of three such
// networks): Decode names the first missing tensor without building a
// layout of the claimed size, which took 333 MB and a second for 100000
// layers, and 3 GB for a million, before it compared the claim with the
// tensors the file names. Both files are in the fuzz corpus too.
func TestDecodeClaimsManyLayers(t *testing.T) {
	for _, name := range []string{"layers_claim", "ensemble_layers_claim"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("..", "testdata", "model", "broken", name+".safetensors"))
			if err != nil {
				t.Fatal(err)
			}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err = Decode(bytes.NewReader(data))
			runtime.ReadMemStats(&after)
			var fe FormatError
			if !errors.As(err, &fe) || !strings.Contains(err.Error(), "missing tensor lstm.weight_ih_l0 for the architecture 1 inputs") {
				t.Errorf("error %v, want a FormatError naming the missing tensor lstm.weight_ih_l0", err)
			}
			if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
				t.Errorf("Decode of %d bytes allocated %d bytes", len(data), n)
			}
		})
	}
}

func TestNumParamsManyLayers(t *testing.T) {
	for _, c := range []Config{
		{Inputs: 3, Hidden: 2, Layers: 1, Classes: 2},
		{Inputs: 3, Hidden: 2, Layers: 5, Classes: 4},
		{Inputs: 1, Hidden: 1, Layers: 1 << 20, Classes: 2},
	} {
		// The sum layer by layer, as tensorLayout lays them out.
		var want int64
		for _, ts := range tensorLayout(Config{Inputs: c.Inputs, Hidden: c.Hidden, Layers: min(c.Layers, 2), Classes: c.Classes}, nil) {
			want += int64(ts.size())
		}
		if c.Layers > 2 {
			want += int64(c.Layers-2) * int64(8*c.Hidden*c.Hidden+8*c.Hidden)
		}
		if got := c.numParams(); int64(got) != want {
			t.Errorf("%+v: numParams %d, want %d", c, got, want)
		}
	}
	if got := (Config{Inputs: 1, Hidden: 1, Layers: maxParams, Classes: 2}).numParams(); got <= maxParams {
		t.Errorf("%d layers: numParams %d, want more than the limit", maxParams, got)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(encode(f, smallModel(f)))
	m2, err := New(smallModel(f).Config(), 2)
	if err != nil {
		f.Fatal(err)
	}
	ens, err := NewEnsemble(smallModel(f), m2)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(encode(f, ens))
	var half bytes.Buffer
	if err := ens.EncodeHalf(&half); err != nil {
		f.Fatal(err)
	}
	f.Add(half.Bytes())
	if data, err := os.ReadFile("testdata/torch_written.safetensors"); err == nil {
		f.Add(data)
	}
	files, _ := filepath.Glob("../testdata/model/broken/*.safetensors")
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Decode(bytes.NewReader(data))
		if err != nil {
			return
		}
		// A file that decodes must round-trip.
		var b bytes.Buffer
		if err := m.Encode(&b); err != nil {
			t.Fatalf("decoded model does not encode: %v", err)
		}
		m2, err := Decode(&b)
		if err != nil {
			t.Fatalf("re-encoded model does not decode: %v", err)
		}
		if len(m.Members()) != len(m2.Members()) {
			t.Fatalf("round trip changed the ensemble from %d to %d networks", len(m.Members()), len(m2.Members()))
		}
		for i, n := range m.Members() {
			if !slices.Equal(n.Params(), m2.Members()[i].Params()) {
				t.Fatalf("round trip changed the parameters of network %d", i+1)
			}
		}
	})
}

// A reader that holds the whole file gets its tensors in one allocation:
// decoding a model of 3.3 MB of weights from a bytes.Reader allocates
// little more than those weights; a reader that hides its length still
// decodes the same model.
func TestDecodeAllocatesOnceFromBytes(t *testing.T) {
	m, err := New(Config{Inputs: 40, Hidden: 256, Layers: 2, Classes: 3}, 1)
	if err != nil {
		t.Fatal(err)
	}
	m.Meta = smallModel(t).Meta
	data := encode(t, m)
	weights := 4 * m.Config().numParams()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	got, err := Decode(bytes.NewReader(data))
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > uint64(weights)*5/4 {
		t.Errorf("decoding %d bytes of weights allocated %d bytes", weights, alloc)
	}
	hidden, err := Decode(io.MultiReader(bytes.NewReader(data)))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.params, m.params) || !slices.Equal(hidden.params, m.params) {
		t.Error("decoded weights differ from those encoded")
	}
}
