package synth

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"slices"
	"strconv"
	"strings"
)

// The synthesisers Generate knows, in the order it uses them, with the
// Debian package that provides each. festival is deliberately not among them:
// its voices are kept for checking models trained on these.
var knownEngines = []struct{ name, pkg string }{
	{"espeak-ng", "espeak-ng"},
	{"flite", "flite"},
}

// EngineNames returns the names of the synthesisers Generate can use.
func EngineNames() []string {
	names := make([]string, len(knownEngines))
	for i, e := range knownEngines {
		names[i] = e.name
	}
	return names
}

// An Engine is a speech synthesiser found on the machine.
type Engine struct {
	Name    string // "espeak-ng" or "flite"
	Package string // the Debian package that provides it
	Path    string // the program found on PATH
}

// MissingError reports synthesisers that are not installed.
type MissingError struct {
	Names []string // the programs, which are also their Debian packages' names
}

func (e *MissingError) Error() string {
	verb := "is"
	if len(e.Names) > 1 {
		verb = "are"
	}
	return fmt.Sprintf("synth: %s %s not installed (Debian/Ubuntu: sudo apt-get install %s)",
		strings.Join(e.Names, " and "), verb, strings.Join(e.Names, " "))
}

// ListVoices returns the voices of the named synthesisers (Find) and Find's
// warnings.
func ListVoices(ctx context.Context, names []string) ([]Voice, []string, error) {
	es, warnings, err := Find(names)
	if err != nil {
		return nil, nil, err
	}
	var all []Voice
	for _, e := range es {
		vs, err := e.Voices(ctx)
		if err != nil {
			return nil, nil, err
		}
		all = append(all, vs...)
	}
	return all, warnings, nil
}

// Find looks the named synthesisers up on PATH; nil names means all that
// Generate knows (EngineNames). When names is nil, the ones missing only
// give warnings as long as one is found; a synthesiser named explicitly must
// be installed. A missing one gives a *MissingError naming the package to
// install, an unknown name a plain error.
func Find(names []string) (engines []*Engine, warnings []string, err error) {
	explicit := names != nil
	if !explicit {
		names = EngineNames()
	}
	var missing []string
	for _, n := range names {
		i := slices.IndexFunc(knownEngines, func(e struct{ name, pkg string }) bool { return e.name == n })
		if i < 0 {
			return nil, nil, fmt.Errorf("synth: unknown synthesiser %q (known: %s)", n, strings.Join(EngineNames(), ", "))
		}
		if slices.ContainsFunc(engines, func(e *Engine) bool { return e.Name == n }) {
			continue
		}
		path, err := exec.LookPath(n)
		if err != nil {
			missing = append(missing, n)
			continue
		}
		engines = append(engines, &Engine{Name: n, Package: knownEngines[i].pkg, Path: path})
	}
	if len(missing) > 0 && (explicit || len(engines) == 0) {
		return nil, nil, &MissingError{Names: missing}
	}
	for _, n := range missing {
		warnings = append(warnings, fmt.Sprintf("%s is not installed, using only %s (Debian/Ubuntu: sudo apt-get install %s for more voices)",
			n, engineList(engines), n))
	}
	return engines, warnings, nil
}

func engineList(es []*Engine) string {
	names := make([]string, len(es))
	for i, e := range es {
		names[i] = e.Name
	}
	return strings.Join(names, " and ")
}

// A Voice is one voice of an engine.
type Voice struct {
	Engine  string // "espeak-ng" or "flite"
	Name    string // as the engine takes it: "en-us+m3", "slt"
	Speaker string // the speaker id in file names: "espeak-ng_en-us-m3", "flite_slt"
}

// Prosody is how a voice speaks one clip, relative to the engine's defaults.
// espeak-ng gets -s 175*Rate words a minute and -p 50+100*(Pitch-1) (0..99);
// flite gets duration_stretch 1/Rate and f0_shift Pitch (rms ignores it).
type Prosody struct {
	Rate  float64 // speaking rate, 1 = the engine's default
	Pitch float64 // pitch factor, 1 = the voice's own
}

// DefaultVariants are the espeak-ng voice variants Voices combines with
// each English accent: "" (the accent's own voice), m1..m7 and f1..f4.
var DefaultVariants = []string{"", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "f1", "f2", "f3", "f4"}

// fliteSkip are flite voices that cannot say arbitrary text: awb_time is a
// limited-domain voice that only tells the time.
var fliteSkip = map[string]bool{"awb_time": true}

// Voices lists the engine's English voices, sorted by speaker id. For
// espeak-ng these are its English accents (en-us, en-gb, en-gb-x-rp,
// en-gb-scotland, ...; not the MBROLA ones, which need the mbrola program)
// each with DefaultVariants; for flite its built-in voices except awb_time.
func (e *Engine) Voices(ctx context.Context) ([]Voice, error) {
	var vs []Voice
	switch e.Name {
	case "espeak-ng":
		en, err := e.output(ctx, "--voices=en")
		if err != nil {
			return nil, err
		}
		variants, err := e.output(ctx, "--voices=variant")
		if err != nil {
			return nil, err
		}
		vs = espeakVoices(en, variants)
	case "flite":
		out, err := e.output(ctx, "-lv")
		if err != nil {
			return nil, err
		}
		if vs, err = fliteVoices(out); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("synth: unknown synthesiser %q", e.Name)
	}
	if len(vs) == 0 {
		return nil, fmt.Errorf("synth: %s has no English voice", e.Name)
	}
	return vs, nil
}

// espeakVoices combines the English accents of "espeak-ng --voices=en"
// (output en) with DefaultVariants found in "espeak-ng --voices=variant"
// (output variants), sorted by name.
func espeakVoices(en, variants []byte) []Voice {
	accents := parseEspeakVoices(en, func(lang, file string) bool {
		return strings.HasPrefix(file, "gmw/") && (lang == "en" || strings.HasPrefix(lang, "en-"))
	})
	have := map[string]bool{"": true}
	for _, f := range parseEspeakVoiceFiles(variants) {
		have[strings.TrimPrefix(f, "!v/")] = true
	}
	var vs []Voice
	for _, a := range accents {
		for _, v := range DefaultVariants {
			if !have[v] {
				continue
			}
			name := a
			if v != "" {
				name += "+" + v
			}
			vs = append(vs, Voice{Engine: "espeak-ng", Name: name, Speaker: speakerID("espeak-ng", name)})
		}
	}
	slices.SortFunc(vs, func(a, b Voice) int { return strings.Compare(a.Name, b.Name) })
	return vs
}

// fliteVoices parses "flite -lv" ("Voices available: kal awb_time kal16
// awb rms slt"), sorted by name.
func fliteVoices(out []byte) ([]Voice, error) {
	_, list, ok := strings.Cut(string(out), ":")
	if !ok {
		return nil, fmt.Errorf("synth: flite -lv: unexpected output %q", out)
	}
	var vs []Voice
	for _, n := range strings.Fields(list) {
		if fliteSkip[n] {
			continue
		}
		sp := n
		if n == "kal16" { // the same recorded speaker as kal, at 16 kHz
			sp = "kal"
		}
		vs = append(vs, Voice{Engine: "flite", Name: n, Speaker: speakerID("flite", sp)})
	}
	slices.SortFunc(vs, func(a, b Voice) int { return strings.Compare(a.Name, b.Name) })
	return vs, nil
}

// Synthesize has voice v say text with prosody p and writes the engine's
// own WAV (22.05 kHz for espeak-ng, 8 or 16 kHz for flite) to wavPath.
func (e *Engine) Synthesize(ctx context.Context, text string, v Voice, p Prosody, wavPath string) error {
	if v.Engine != e.Name {
		panic("synth: voice " + v.Speaker + " given to " + e.Name)
	}
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', 3, 64) }
	var cmd *exec.Cmd
	switch e.Name {
	case "espeak-ng":
		rate := int(175*p.Rate + 0.5)
		pitch := min(max(int(50+100*(p.Pitch-1)+0.5), 0), 99)
		cmd = exec.CommandContext(ctx, e.Path, "-v", v.Name, "-s", strconv.Itoa(rate), "-p", strconv.Itoa(pitch), "-w", wavPath)
		cmd.Stdin = strings.NewReader(text) // text on stdin: never taken for an option
	case "flite":
		cmd = exec.CommandContext(ctx, e.Path, "-voice", v.Name,
			"--setf", "duration_stretch="+f(1/p.Rate), "--setf", "f0_shift="+f(p.Pitch),
			"-t", text, "-o", wavPath)
	default:
		return fmt.Errorf("synth: unknown synthesiser %q", e.Name)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("synth: %s voice %s: %w%s", e.Name, v.Name, err, stderrSuffix(stderr.Bytes()))
	}
	return nil
}

func (e *Engine) output(ctx context.Context, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, e.Path, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("synth: %s %s: %w%s", e.Name, strings.Join(args, " "), err, stderrSuffix(stderr.Bytes()))
	}
	return out, nil
}

func stderrSuffix(b []byte) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if s == "" {
		return ""
	}
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return ": " + s
}

// parseEspeakVoices returns the distinct language codes of the rows of an
// "espeak-ng --voices" table that keep accepts, in table order.
func parseEspeakVoices(out []byte, keep func(lang, file string) bool) []string {
	var langs []string
	for _, row := range espeakRows(out) {
		lang, file := row[1], row[4]
		if keep(lang, file) && !slices.Contains(langs, lang) {
			langs = append(langs, lang)
		}
	}
	return langs
}

// parseEspeakVoiceFiles returns the File column of an "espeak-ng --voices"
// table.
func parseEspeakVoiceFiles(out []byte) []string {
	var files []string
	for _, row := range espeakRows(out) {
		files = append(files, row[4])
	}
	return files
}

// espeakRows splits an "espeak-ng --voices" table
//
//	Pty Language       Age/Gender VoiceName          File                 Other Languages
//	 2  en-gb           --/M      English_(Great_Britain) gmw/en               (en 2)
//
// into its first five columns, skipping the header. Voice names have no
// spaces except in the File column of a few variants ("!v/Mr serious"),
// which is why the File column is the rest of the line up to "(".
func espeakRows(out []byte) [][]string {
	var rows [][]string
	for _, line := range strings.Split(string(out), "\n") {
		fs := strings.Fields(line)
		if len(fs) < 5 || fs[0] == "Pty" {
			continue
		}
		if _, err := strconv.Atoi(fs[0]); err != nil {
			continue
		}
		file := fs[4]
		for _, w := range fs[5:] {
			if strings.HasPrefix(w, "(") {
				break
			}
			file += " " + w
		}
		rows = append(rows, []string{fs[0], fs[1], fs[2], fs[3], file})
	}
	return rows
}

// speakerID makes a file-name-safe speaker id from an engine and voice name:
// "+" becomes "-" and anything but letters, digits, "-" and "." is dropped,
// so the id never contains "_nohash_" or a path separator.
func speakerID(engine, voice string) string {
	var b strings.Builder
	for _, r := range voice {
		switch {
		case r == '+' || r == ' ' || r == '_':
			b.WriteByte('-')
		case r == '-' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		}
	}
	return engine + "_" + b.String()
}

// errNoSpeech is returned when a synthesiser produced only silence.
var errNoSpeech = errors.New("synthesiser produced no speech")
