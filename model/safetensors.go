package model

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/listen-go/listen/mfcc"
)

// FormatVersion is the version of the model file layout this package
// writes, stored as __metadata__["format_version"]. Decode refuses files
// with a larger version.
const FormatVersion = 1

// MaxHeaderSize is the largest safetensors JSON header Decode accepts
// (100 MB, the limit of the reference safetensors implementation).
const MaxHeaderSize = 100 << 20

// maxMels bounds the mel filter count of a file's feature config, so that
// checking it cannot allocate much.
const maxMels = 1 << 10

// Metadata keys in the safetensors header. All values are strings, as the
// safetensors format requires; structured values are JSON text.
const (
	metaFormatVersion = "format_version" // decimal integer
	metaLabels        = "labels"         // JSON array of strings, in output order
	metaFeatures      = "features"       // JSON mfcc.Config
	metaArchitecture  = "architecture"   // JSON Config
	metaWindow        = "window_samples" // decimal integer
	metaTraining      = "training"       // JSON object of strings
	metaDetection     = "detection"      // JSON object of strings
	metaEnsemble      = "ensemble"       // JSON array of the Configs of an ensemble's other networks
)

// maxMembers bounds the networks of an ensemble file.
const maxMembers = 64

// A FormatError reports that the input is not a valid model file.
type FormatError string

func (e FormatError) Error() string {
	if strings.HasPrefix(string(e), notModel) {
		return "model: " + string(e)
	}
	return "model: invalid model file: " + string(e)
}

// notModel starts the FormatError of an input that is no safetensors file
// at all (a text file, a WAV), rather than a damaged one.
const notModel = "not a model file (safetensors): "

// An UnsupportedError reports that the input uses a valid but unsupported
// feature (a dtype other than F32 and F16, a newer format version).
type UnsupportedError string

func (e UnsupportedError) Error() string { return "model: unsupported model file: " + string(e) }

// Encode writes the model as a safetensors file: an 8-byte little-endian
// header length, a JSON header (padded with spaces to a multiple of 8 bytes)
// naming every tensor with dtype F32, its shape and byte range, and
// __metadata__; then the float32 little-endian data in Tensors order.
// torch and the safetensors Python package read it directly:
//
//	net.load_state_dict(safetensors.torch.load_file(path))
//
// for a module with nn.LSTM named lstm and nn.Linear named fc. An ensemble
// (NewEnsemble) writes its first network so, and each other network k
// (from 2) with its tensor names prefixed "member{k}." and its architecture
// in __metadata__["ensemble"]. Encode writes to w only; to save atomically,
// write through internal/atomicfile.
func (m *Model) Encode(w io.Writer) error { return m.encode(w, false) }

// EncodeHalf writes the model as Encode does, but with every tensor in IEEE
// half precision (dtype F16, ties rounded to even): half the bytes, and
// weights within about 0.05 % of their float32 values. Decode reads the
// file back into float32. It fails if a weight's magnitude is over 65504,
// the largest half.
func (m *Model) EncodeHalf(w io.Writer) error { return m.encode(w, true) }

func (m *Model) encode(w io.Writer, half bool) error {
	if n := len(m.Meta.Labels); n != 0 && n != m.cfg.Classes {
		return fmt.Errorf("model: encode: %d labels for %d classes", n, m.cfg.Classes)
	}
	meta := map[string]string{metaFormatVersion: strconv.Itoa(FormatVersion)}
	put := func(key string, v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("model: encode %s: %w", key, err)
		}
		meta[key] = string(b)
		return nil
	}
	if err := put(metaArchitecture, m.cfg); err != nil {
		return err
	}
	if len(m.Meta.Labels) > 0 {
		if err := put(metaLabels, m.Meta.Labels); err != nil {
			return err
		}
	}
	if m.Meta.Features != (mfcc.Config{}) {
		if err := put(metaFeatures, m.Meta.Features); err != nil {
			return err
		}
	}
	if m.Meta.WindowSamples != 0 {
		meta[metaWindow] = strconv.Itoa(m.Meta.WindowSamples)
	}
	if m.Meta.Training != nil {
		if err := put(metaTraining, m.Meta.Training); err != nil {
			return err
		}
	}
	if m.Meta.Detection != nil {
		if err := put(metaDetection, m.Meta.Detection); err != nil {
			return err
		}
	}
	members := m.Members()
	// Check every weight fits before the first byte is written.
	if half {
		for k, o := range members {
			for i, v := range o.params {
				if _, ok := halfBits(v); !ok {
					return fmt.Errorf("model: encode: network %d's weight %d is %v, beyond half precision", k+1, i, v)
				}
			}
		}
	}
	cfgs := make([]Config, len(members))
	for i, o := range members {
		cfgs[i] = o.cfg
	}
	if len(members) > 1 {
		if err := put(metaEnsemble, cfgs[1:]); err != nil {
			return err
		}
	}
	var h bytes.Buffer
	h.WriteString(`{"__metadata__":`)
	mb, err := json.Marshal(meta) // sorted keys
	if err != nil {
		return fmt.Errorf("model: encode metadata: %w", err)
	}
	h.Write(mb)
	dtype, width := "F32", 4
	if half {
		dtype, width = "F16", 2
	}
	off := 0
	for _, t := range fileLayout(cfgs, nil) {
		n := width * t.size()
		name, _ := json.Marshal(t.Name)
		shape, _ := json.Marshal(t.Shape)
		fmt.Fprintf(&h, `,%s:{"dtype":"%s","shape":%s,"data_offsets":[%d,%d]}`, name, dtype, shape, off, off+n)
		off += n
	}
	h.WriteByte('}')
	for h.Len()%8 != 0 {
		h.WriteByte(' ')
	}
	var pre [8]byte
	binary.LittleEndian.PutUint64(pre[:], uint64(h.Len()))
	if _, err := w.Write(pre[:]); err != nil {
		return fmt.Errorf("model: encode: %w", err)
	}
	if _, err := w.Write(h.Bytes()); err != nil {
		return fmt.Errorf("model: encode: %w", err)
	}
	buf := make([]byte, 0, 64<<10)
	flush := func() error {
		if _, err := w.Write(buf); err != nil {
			return fmt.Errorf("model: encode: %w", err)
		}
		buf = buf[:0]
		return nil
	}
	for _, o := range members {
		for _, v := range o.params {
			if half {
				hb, _ := halfBits(v)
				buf = binary.LittleEndian.AppendUint16(buf, hb)
			} else {
				buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
			}
			if len(buf) >= cap(buf)-4 {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	if len(buf) > 0 {
		return flush()
	}
	return nil
}

// fileLayout lists the tensors of a file holding networks of cfgs (an
// ensemble's, the first without a prefix), in file order, with Offsets into
// their concatenated parameters, which params is when it is not nil.
func fileLayout(cfgs []Config, params []float32) []Tensor {
	var ts []Tensor
	off := 0
	for k, c := range cfgs {
		n := c.numParams()
		var p []float32
		if params != nil {
			p = params[off : off+n : off+n]
		}
		for _, t := range tensorLayout(c, p) {
			if k > 0 {
				t.Name = fmt.Sprintf("member%d.%s", k+1, t.Name)
			}
			t.Offset += off
			ts = append(ts, t)
		}
		off += n
	}
	return ts
}

func (t Tensor) size() int {
	n := 1
	for _, d := range t.Shape {
		n *= d
	}
	return n
}

// tensorInfo is one tensor's entry in a safetensors header.
type tensorInfo struct {
	Dtype       string  `json:"dtype"`
	Shape       []int64 `json:"shape"`
	DataOffsets []int64 `json:"data_offsets"`
}

type header struct {
	cfg     Config
	members []Config // an ensemble's other networks
	meta    Metadata
	tensors map[string]tensorInfo
	width   int64 // bytes per value: 4 for F32, 2 for F16
	size    int64 // bytes of tensor data
}

// Decode reads a model written by Encode, or by PyTorch as a safetensors
// state_dict of nn.LSTM "lstm" and nn.Linear "fc" (the architecture is then
// read from the tensor shapes). It checks everything and returns a
// FormatError or UnsupportedError (or a wrapped read error) rather than
// trust the input: the header's length, JSON and metadata, every tensor's
// dtype, shape and byte range, the labels against the dense layer, the
// feature config against the input size, and that the weights are finite.
// It allocates in proportion to the bytes actually read or held by r, never
// to what a header claims.
func Decode(r io.Reader) (*Model, error) {
	h, err := readHeader(r)
	if err != nil {
		return nil, err
	}
	w := h.width
	n := h.size / w
	// A reader that says how much it holds (bytes.Reader, strings.Reader)
	// gets its tensors in one allocation when it holds them all; any other
	// grows with what is read.
	c := min(n, 1<<18)
	if lr, ok := r.(interface{ Len() int }); ok && int64(lr.Len()) >= h.size {
		c = n
	}
	params := make([]float32, 0, c)
	buf := make([]byte, 64<<10)
	for int64(len(params)) < n {
		k := min(int64(len(buf)), w*(n-int64(len(params))))
		if got, err := io.ReadFull(r, buf[:k]); err != nil {
			return nil, readErr(err, fmt.Sprintf("tensor data ends after %d of %d bytes", w*int64(len(params))+int64(got), h.size))
		}
		for i := int64(0); i < k; i += w {
			if w == 2 {
				params = append(params, halfValue(binary.LittleEndian.Uint16(buf[i:])))
			} else {
				params = append(params, math.Float32frombits(binary.LittleEndian.Uint32(buf[i:])))
			}
		}
	}
	// Put each tensor where the model's layout wants it: a file may order
	// its byte ranges differently.
	flat := params
	reorder := !inLayoutOrder(h)
	if reorder {
		flat = make([]float32, n)
	}
	cfgs := h.cfgs()
	for _, t := range fileLayout(cfgs, flat) {
		if reorder {
			ti := h.tensors[t.Name]
			copy(t.Data, params[ti.DataOffsets[0]/h.width:ti.DataOffsets[1]/h.width])
		}
		for _, v := range t.Data {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return nil, FormatError(fmt.Sprintf("tensor %s holds %v", t.Name, v))
			}
		}
	}
	ms := make([]*Model, len(cfgs))
	off := 0
	for i, c := range cfgs {
		k := c.numParams()
		ms[i] = newModel(c, flat[off:off+k:off+k])
		off += k
	}
	ms[0].Meta = h.meta
	if len(ms) == 1 {
		return ms[0], nil
	}
	return NewEnsemble(ms...)
}

// cfgs returns the architectures of the file's networks, in file order.
func (h *header) cfgs() []Config {
	return append([]Config{h.cfg}, h.members...)
}

// DecodeConfig reads only the header of a model file: the architecture and
// metadata, checked as Decode checks them.
func DecodeConfig(r io.Reader) (Config, Metadata, error) {
	h, err := readHeader(r)
	if err != nil {
		return Config{}, Metadata{}, err
	}
	return h.cfg, h.meta, nil
}

func inLayoutOrder(h *header) bool {
	for _, t := range fileLayout(h.cfgs(), nil) {
		if h.tensors[t.Name].DataOffsets[0] != h.width*int64(t.Offset) {
			return false
		}
	}
	return true
}

// readErr turns an unexpected end of input into a FormatError saying what
// was cut short, and wraps any other read error.
func readErr(err error, what string) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return FormatError("truncated: " + what)
	}
	return fmt.Errorf("model: read: %w", err)
}

// isText reports whether b is printable ASCII or white space only: the
// start of a text file, which as a header length would claim petabytes.
func isText(b []byte) bool {
	for _, c := range b {
		if (c < ' ' || c > '~') && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}

func readHeader(r io.Reader) (*header, error) {
	var pre [8]byte
	if _, err := io.ReadFull(r, pre[:]); err != nil {
		return nil, readErr(err, "no 8-byte header length")
	}
	hlen := binary.LittleEndian.Uint64(pre[:])
	if hlen > MaxHeaderSize {
		if isText(pre[:]) {
			return nil, FormatError(fmt.Sprintf("%sit starts with text (%q), not a header length", notModel, pre[:]))
		}
		return nil, FormatError(fmt.Sprintf("%sits header length %d is over the %d-byte limit", notModel, hlen, MaxHeaderSize))
	}
	if hlen < 2 {
		return nil, FormatError(fmt.Sprintf("header length %d is too short", hlen))
	}
	var hb bytes.Buffer // grows with what is read, not with what hlen claims
	if _, err := io.CopyN(&hb, r, int64(hlen)); err != nil {
		return nil, readErr(err, fmt.Sprintf("header claims %d bytes, input has %d", hlen, hb.Len()))
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(hb.Bytes(), &raw); err != nil {
		if hb.Bytes()[0] != '{' { // Encode's and every safetensors writer's first byte
			return nil, FormatError(fmt.Sprintf("%sits header is not a JSON object: %v", notModel, err))
		}
		return nil, FormatError(fmt.Sprintf("header is not a JSON object: %v", err))
	}
	h := &header{tensors: make(map[string]tensorInfo, len(raw)), width: 4}
	var meta map[string]string
	for k, v := range raw {
		if k == "__metadata__" {
			if err := json.Unmarshal(v, &meta); err != nil {
				return nil, FormatError(fmt.Sprintf("__metadata__ must map strings to strings: %v", err))
			}
			continue
		}
		var ti tensorInfo
		d := json.NewDecoder(bytes.NewReader(v))
		d.DisallowUnknownFields()
		if err := d.Decode(&ti); err != nil {
			return nil, FormatError(fmt.Sprintf("tensor %q: %v", k, err))
		}
		h.tensors[k] = ti
	}
	if v, ok := meta[metaFormatVersion]; ok {
		ver, err := strconv.Atoi(v)
		if err != nil || ver < 1 {
			return nil, FormatError(fmt.Sprintf("format_version %q is not a positive integer", v))
		}
		if ver > FormatVersion {
			return nil, UnsupportedError(fmt.Sprintf("format version %d is newer than this program's %d; upgrade listen to load it", ver, FormatVersion))
		}
	}
	dtype := ""
	for name, ti := range h.tensors {
		switch ti.Dtype {
		case "F32":
			h.width = 4
		case "F16":
			h.width = 2
		default:
			return nil, UnsupportedError(fmt.Sprintf("tensor %s has dtype %q; only F32 and F16 are supported", name, ti.Dtype))
		}
		if dtype != "" && ti.Dtype != dtype {
			return nil, UnsupportedError(fmt.Sprintf("tensor %s is %s but others are %s; a file must hold one dtype", name, ti.Dtype, dtype))
		}
		dtype = ti.Dtype
		if len(ti.DataOffsets) != 2 {
			return nil, FormatError(fmt.Sprintf("tensor %s: data_offsets has %d values, want 2", name, len(ti.DataOffsets)))
		}
	}
	if a, ok := meta[metaArchitecture]; ok {
		d := json.NewDecoder(strings.NewReader(a))
		d.DisallowUnknownFields()
		if err := d.Decode(&h.cfg); err != nil {
			return nil, FormatError(fmt.Sprintf("architecture: %v", err))
		}
	} else {
		cfg, err := inferConfig(h.tensors)
		if err != nil {
			return nil, err
		}
		h.cfg = cfg
	}
	if err := h.cfg.validate(); err != nil {
		return nil, FormatError(fmt.Sprintf("architecture: %v", strings.TrimPrefix(err.Error(), "model: config: ")))
	}
	if v, ok := meta[metaEnsemble]; ok {
		if err := h.readMembers(v); err != nil {
			return nil, err
		}
	}
	// The header's tensors bound the work: an architecture that claims
	// more tensors than the file names (a few bytes can claim millions of
	// layers) is refused before its layout, a name and shape per tensor, is
	// built.
	if h.tensorCount() > int64(len(h.tensors)) {
		return nil, FormatError(fmt.Sprintf("missing tensor %s for the architecture %s", h.missingTensor(), h.cfg.summary()))
	}
	if err := h.checkTensors(); err != nil {
		return nil, err
	}
	if err := h.readMeta(meta); err != nil {
		return nil, err
	}
	return h, nil
}

// inferConfig reads the architecture of a file without metadata from its
// tensor shapes.
func inferConfig(ts map[string]tensorInfo) (Config, error) {
	var c Config
	w0, ok := ts["lstm.weight_ih_l0"]
	if !ok || len(w0.Shape) != 2 {
		return c, FormatError("no architecture metadata and no 2-d tensor lstm.weight_ih_l0")
	}
	fc, ok := ts["fc.weight"]
	if !ok || len(fc.Shape) != 2 {
		return c, FormatError("no architecture metadata and no 2-d tensor fc.weight")
	}
	if w0.Shape[0]%4 != 0 || w0.Shape[0] <= 0 || w0.Shape[0]/4 > maxParams || w0.Shape[1] > maxParams || fc.Shape[0] > maxParams {
		return c, FormatError(fmt.Sprintf("lstm.weight_ih_l0 shape %v, fc.weight shape %v: not an LSTM", w0.Shape, fc.Shape))
	}
	c.Hidden = int(w0.Shape[0] / 4)
	c.Inputs = int(w0.Shape[1])
	c.Classes = int(fc.Shape[0])
	for c.Layers < len(ts) {
		if _, ok := ts[fmt.Sprintf("lstm.weight_ih_l%d", c.Layers)]; !ok {
			break
		}
		c.Layers++
	}
	return c, nil
}

// tensorCount is how many tensors the file's networks have: four for each
// LSTM layer and two for the dense layer.
func (h *header) tensorCount() int64 {
	var n int64
	for _, c := range h.cfgs() {
		n += 4*int64(c.Layers) + 2
	}
	return n
}

// missingTensor names the first tensor of the layout that the file lacks,
// in layout order. When the layout has more tensors than the file, it looks
// at no more than len(h.tensors)+1 names.
func (h *header) missingTensor() string {
	for k, c := range h.cfgs() {
		prefix := ""
		if k > 0 {
			prefix = fmt.Sprintf("member%d.", k+1)
		}
		var names []string
		for l := 0; l < c.Layers; l++ {
			names = append(names[:0], fmt.Sprintf("lstm.weight_ih_l%d", l), fmt.Sprintf("lstm.weight_hh_l%d", l),
				fmt.Sprintf("lstm.bias_ih_l%d", l), fmt.Sprintf("lstm.bias_hh_l%d", l))
			for _, n := range names {
				if _, ok := h.tensors[prefix+n]; !ok {
					return prefix + n
				}
			}
		}
		for _, n := range []string{"fc.weight", "fc.bias"} {
			if _, ok := h.tensors[prefix+n]; !ok {
				return prefix + n
			}
		}
	}
	return ""
}

// checkTensors checks that the file holds exactly the model's tensors with
// the right shapes, and that their byte ranges tile the data without gaps
// or overlaps.
func (h *header) checkTensors() error {
	want := fileLayout(h.cfgs(), nil)
	names := make(map[string]bool, len(want))
	type span struct{ lo, hi int64 }
	var spans []span
	for _, t := range want {
		names[t.Name] = true
		ti, ok := h.tensors[t.Name]
		if !ok {
			return FormatError(fmt.Sprintf("missing tensor %s for the architecture %s", t.Name, h.cfg.summary()))
		}
		if !slices.Equal(ti.Shape, toInt64(t.Shape)) {
			return FormatError(fmt.Sprintf("tensor %s has shape %v, want %v for the architecture %s", t.Name, ti.Shape, t.Shape, h.cfg.summary()))
		}
		n := int64(t.size())
		lo, hi := ti.DataOffsets[0], ti.DataOffsets[1]
		if lo < 0 || hi < lo || hi-lo != h.width*n {
			return FormatError(fmt.Sprintf("tensor %s: data_offsets [%d, %d] do not hold %d %s values", t.Name, lo, hi, n, ti.Dtype))
		}
		spans = append(spans, span{lo, hi})
		h.size += h.width * n
	}
	for name := range h.tensors {
		if !names[name] {
			return FormatError(fmt.Sprintf("unexpected tensor %s for the architecture %s", name, h.cfg.summary()))
		}
	}
	slices.SortFunc(spans, func(a, b span) int { return int(a.lo - b.lo) })
	var at int64
	for _, s := range spans {
		if s.lo != at {
			return FormatError(fmt.Sprintf("tensor data has a gap or overlap at byte %d", at))
		}
		at = s.hi
	}
	return nil
}

// readMembers reads the architectures of an ensemble's other networks.
func (h *header) readMembers(v string) error {
	d := json.NewDecoder(strings.NewReader(v))
	d.DisallowUnknownFields()
	if err := d.Decode(&h.members); err != nil {
		return FormatError(fmt.Sprintf("ensemble must be a JSON array of architectures: %v", err))
	}
	if len(h.members)+1 > maxMembers {
		return FormatError(fmt.Sprintf("ensemble of %d networks is more than %d", len(h.members)+1, maxMembers))
	}
	for i, c := range h.members {
		if err := c.validate(); err != nil {
			return FormatError(fmt.Sprintf("ensemble member %d: %v", i+2, strings.TrimPrefix(err.Error(), "model: config: ")))
		}
		if c.Inputs != h.cfg.Inputs || c.Classes != h.cfg.Classes {
			return FormatError(fmt.Sprintf("ensemble member %d takes %d inputs to %d classes, member 1 %d to %d", i+2, c.Inputs, c.Classes, h.cfg.Inputs, h.cfg.Classes))
		}
	}
	return nil
}

func toInt64(s []int) []int64 {
	d := make([]int64, len(s))
	for i, v := range s {
		d[i] = int64(v)
	}
	return d
}

func (c Config) summary() string {
	return fmt.Sprintf("%d inputs, %d x %d LSTM, %d classes", c.Inputs, c.Layers, c.Hidden, c.Classes)
}

func (h *header) readMeta(meta map[string]string) error {
	if v, ok := meta[metaLabels]; ok {
		if err := json.Unmarshal([]byte(v), &h.meta.Labels); err != nil {
			return FormatError(fmt.Sprintf("labels must be a JSON array of strings: %v", err))
		}
		if len(h.meta.Labels) != h.cfg.Classes {
			return FormatError(fmt.Sprintf("%d labels but fc has %d outputs", len(h.meta.Labels), h.cfg.Classes))
		}
		seen := make(map[string]bool, len(h.meta.Labels))
		for _, l := range h.meta.Labels {
			if seen[l] {
				return FormatError(fmt.Sprintf("label %q appears twice", l))
			}
			seen[l] = true
		}
	}
	if v, ok := meta[metaFeatures]; ok {
		d := json.NewDecoder(strings.NewReader(v))
		d.DisallowUnknownFields()
		if err := d.Decode(&h.meta.Features); err != nil {
			return FormatError(fmt.Sprintf("features: %v", err))
		}
		// Check the sizes before mfcc.New builds filter banks for them.
		f := h.meta.Features
		n := f.NumCoeffs
		if f.LogMel || n == 0 {
			n = f.NumMels
		}
		if n != h.cfg.Inputs {
			return FormatError(fmt.Sprintf("features give %d values per frame but the LSTM takes %d", n, h.cfg.Inputs))
		}
		if f.NumMels > maxMels {
			return FormatError(fmt.Sprintf("features: %d mel filters is more than %d", f.NumMels, maxMels))
		}
		e, err := mfcc.New(f)
		if err != nil {
			return FormatError(fmt.Sprintf("features: %v", err))
		}
		if e.NumCoeffs() != h.cfg.Inputs {
			return FormatError(fmt.Sprintf("features give %d values per frame but the LSTM takes %d", e.NumCoeffs(), h.cfg.Inputs))
		}
	}
	if v, ok := meta[metaWindow]; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return FormatError(fmt.Sprintf("window_samples %q is not a non-negative integer", v))
		}
		h.meta.WindowSamples = n
	}
	if v, ok := meta[metaTraining]; ok {
		if err := json.Unmarshal([]byte(v), &h.meta.Training); err != nil {
			return FormatError(fmt.Sprintf("training must be a JSON object of strings: %v", err))
		}
	}
	if v, ok := meta[metaDetection]; ok {
		if err := json.Unmarshal([]byte(v), &h.meta.Detection); err != nil {
			return FormatError(fmt.Sprintf("detection must be a JSON object of strings: %v", err))
		}
	}
	return nil
}
