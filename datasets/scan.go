package datasets

import (
	"bufio"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/listen-go/listen/audio"
)

// Reserved folder and label names of the Speech Commands dataset.
const (
	SilenceLabel = "_silence_"
	UnknownLabel = "_unknown_"
	NoiseFolder  = "_background_noise_"
)

// DefaultWords are the ten words of the twelve-class benchmark, in the order
// of TensorFlow's and shared/bench/torch_ref.py's label lists.
var DefaultWords = []string{"yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go"}

// Layout is the kind of folder Scan found.
type Layout int

const (
	// SpeechCommands is the dataset's own layout: one folder per word,
	// _background_noise_/, optional testing_list.txt and validation_list.txt.
	SpeechCommands Layout = iota
	// TwelveClass is the official twelve-class test-set layout: the wanted
	// words' folders plus _silence_/ and _unknown_/ (whose files are named
	// WORD_SPEAKER_nohash_N.wav).
	TwelveClass
	// Folders is any folder of folders of WAV files, one folder per label.
	Folders
)

func (l Layout) String() string {
	switch l {
	case SpeechCommands:
		return "speech-commands"
	case TwelveClass:
		return "twelve-class"
	case Folders:
		return "folders"
	}
	return fmt.Sprintf("Layout(%d)", int(l))
}

// SplitMethod is how clips were assigned to splits.
type SplitMethod string

const (
	SplitAuto    SplitMethod = ""        // Options only: lists, else hash, else speaker
	SplitLists   SplitMethod = "lists"   // testing_list.txt / validation_list.txt
	SplitHash    SplitMethod = "hash"    // TensorFlow's which_set
	SplitSpeaker SplitMethod = "speaker" // SpeakerSplit
)

// Options control Scan. The zero value is the standard twelve-class setup
// (for the dataset's layouts) with TensorFlow's percentages.
type Options struct {
	// Words are the wanted words, each a folder of DIR; the labels are
	// _silence_, _unknown_, then Words in this order. nil means
	// DefaultWords in the SpeechCommands and TwelveClass layouts, and every
	// folder (sorted, no _unknown_) in the Folders layout.
	Words []string

	// SilencePct and UnknownPct size the _silence_ and _unknown_ classes
	// of each split as a percentage of the wanted-word clips in that split,
	// rounded up, as TensorFlow does. 0 means 10; a negative value means
	// none. Clips already in _silence_/ or _unknown_/ folders are all kept
	// and these percentages do not apply to them.
	SilencePct, UnknownPct float64
	// AllUnknown keeps every clip of a non-wanted word as _unknown_
	// instead of drawing UnknownPct (for evaluating on every clip).
	AllUnknown bool

	// UnknownDirs are folders of other speech (a Speech Commands folder,
	// listen synth's output of other phrases) whose clips join the
	// non-wanted-word clips from which _unknown_ is drawn: each folder's
	// WAVs and its subfolders' (one level), except _silence_/,
	// _background_noise_/ and folders named like a wanted word. Their
	// clips are split by speaker (SpeakerSplit), whatever SplitBy says.
	UnknownDirs []string

	// ExtraDirs are folders of more clips of the wanted words, laid out one
	// folder per word as DIR is (listen synth's output, another Speech
	// Commands folder): their clips join the Training split only, so
	// validation and test stay the real recordings of DIR. Folders of other
	// words are ignored, and so are the clips of speakers who have clips in
	// DIR's validation or test split, so those speakers stay unheard. Extra
	// clips count towards the wanted-word clips that size _silence_ and
	// _unknown_.
	//
	// In UnknownDirs and ExtraDirs alike, the clips a folder's own
	// testing_list.txt names are left out: the dataset keeps them, and
	// their speakers, for testing.
	ExtraDirs []string

	// ValidationPct and TestPct are the split percentages for SplitHash
	// and SplitSpeaker. 0 means 10; a negative value means none.
	ValidationPct, TestPct float64
	// SplitBy chooses the split method; SplitAuto uses the lists when DIR
	// has them, else which_set, and falls back to the speaker split (with a
	// warning) when which_set would leave Training or Validation with less
	// than half of its share of the clips.
	SplitBy SplitMethod

	// Seed drives which unknown clips are drawn and where silence clips
	// are cut from the noise.
	Seed int64

	// NoiseDir holds the background-noise WAVs used for silence clips and
	// noise augmentation. "" means DIR/_background_noise_ when it exists;
	// "-" means none.
	NoiseDir string

	// CacheBytes bounds the memory the Dataset's loaders spend keeping
	// decoded clips (as 16-bit PCM) so that later epochs skip decoding.
	// 0 means DefaultCacheBytes (1 GiB); a negative value means no cache.
	CacheBytes int64
}

func (o Options) pct(v float64) float64 {
	switch {
	case v == 0:
		return 10
	case v < 0:
		return 0
	}
	return v
}

// Clip is one example of a Dataset.
type Clip struct {
	Path    string // WAV file; "" for a silence clip cut from a noise recording
	Label   int    // index into Dataset.Labels
	Word    string // the folder's word (the WORD of an _unknown_/WORD_... file), or SilenceLabel
	Speaker string // Speaker(file name)
	Split   Split

	// A silence clip cut from the noise (Path == "") is
	// Dataset.Noise[Noise][Offset:Offset+window] times Gain.
	Noise  int
	Offset int
	Gain   float32
}

// Dataset is a scanned folder: its labels and clips, each assigned to a
// split. It holds the noise recordings decoded (a few MB) but no clip audio.
// A Dataset is not modified by its Loaders and may be shared between them.
type Dataset struct {
	Dir         string
	Layout      Layout
	Labels      []string
	Clips       []Clip // sorted by split, label, path
	SplitMethod SplitMethod
	NoisePaths  []string    // the noise WAVs, sorted
	Noise       [][]float32 // their samples, 16 kHz
	// Warnings describe what Scan chose or found odd (a fallback split, a
	// class without clips); the CLI prints them.
	Warnings []string
	// Options as resolved (percentages filled in, Words set).
	Options Options
	// Phrases maps a label to the phrase it stands for, from DIR's
	// labels.txt (LabelsFile) when there is one; empty otherwise.
	Phrases map[string]string

	state // shared by the loaders: clip cache, failed clips
}

// MinNoiseSamples is the shortest noise recording Scan keeps: silence clips
// and noise augmentation cut a window of up to this many samples.
const MinNoiseSamples = audio.Rate

// Scan reads the folder structure of dir (not the audio, except the noise
// recordings), detects its Layout, assigns every clip a label and a split,
// and draws the _silence_ and _unknown_ examples. See the package
// documentation for the rules.
func Scan(dir string, opt Options) (*Dataset, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("scan %s: %w", dir, err)
	}
	d := &Dataset{Dir: dir}
	folders := map[string][]string{} // folder -> wav base names, sorted
	var names []string
	hasLists := false
	for _, e := range ents {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		if name == "testing_list.txt" || name == "validation_list.txt" {
			hasLists = true
		}
		if !isDir(dir, e) || name == NoiseFolder {
			continue
		}
		wavs, err := listWAVs(filepath.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("scan %s: %w", dir, err)
		}
		if len(wavs) > 0 {
			folders[name] = wavs
			names = append(names, name)
		}
	}
	slices.Sort(names)
	if len(names) == 0 {
		return nil, fmt.Errorf("scan %s: no folders of .wav or .flac files (want one folder per word)", dir)
	}
	_, hasSil := folders[SilenceLabel]
	_, hasUnk := folders[UnknownLabel]
	st, err := os.Stat(filepath.Join(dir, NoiseFolder))
	hasNoise := err == nil && st.IsDir()
	noiseDir := opt.NoiseDir
	if noiseDir == "" && hasNoise {
		noiseDir = filepath.Join(dir, NoiseFolder)
	}
	switch {
	case hasSil || hasUnk:
		d.Layout = TwelveClass
	case hasLists || hasNoise || containsAll(names, DefaultWords):
		d.Layout = SpeechCommands
	default:
		d.Layout = Folders
	}

	// Labels.
	words := opt.Words
	if words == nil {
		if d.Layout == Folders {
			words = names
		} else {
			words = DefaultWords
		}
	}
	if len(words) == 0 {
		return nil, fmt.Errorf("scan %s: no wanted words", dir)
	}
	seen := map[string]bool{}
	for _, w := range words {
		if w == SilenceLabel || w == UnknownLabel || w == "" {
			return nil, fmt.Errorf("scan %s: %q cannot be a wanted word", dir, w)
		}
		if seen[w] {
			return nil, fmt.Errorf("scan %s: word %q given twice", dir, w)
		}
		seen[w] = true
		if _, ok := folders[w]; !ok {
			return nil, fmt.Errorf("scan %s: no folder of .wav or .flac files for word %q", dir, w)
		}
	}
	o := opt
	o.Words = slices.Clone(words)
	o.SilencePct, o.UnknownPct = o.pct(opt.SilencePct), o.pct(opt.UnknownPct)
	o.ValidationPct, o.TestPct = o.pct(opt.ValidationPct), o.pct(opt.TestPct)
	o.NoiseDir = noiseDir
	if noiseDir == "-" {
		o.NoiseDir = ""
	}
	d.Options = o

	if o.NoiseDir != "" {
		if err := d.loadNoise(o.NoiseDir); err != nil {
			return nil, err
		}
	}
	var others []string // non-wanted word folders
	for _, n := range names {
		if !seen[n] && n != SilenceLabel && n != UnknownLabel {
			others = append(others, n)
		}
	}
	// Labels: _silence_ and _unknown_ first (when there can be such
	// clips in the Folders layout, always otherwise), then the words.
	d.Labels = nil
	if d.Layout != Folders || len(d.Noise) > 0 {
		d.Labels = append(d.Labels, SilenceLabel)
	}
	if d.Layout != Folders || len(others) > 0 || len(o.UnknownDirs) > 0 {
		d.Labels = append(d.Labels, UnknownLabel)
	}
	d.Labels = append(d.Labels, words...)
	label := func(name string) int { return slices.Index(d.Labels, name) }
	silLab, unkLab := label(SilenceLabel), label(UnknownLabel)
	if silLab < 0 && o.SilencePct > 0 {
		o.SilencePct = 0
	}
	if unkLab < 0 {
		o.UnknownPct = 0
	}

	// Every clip from a folder, before the split.
	var clips, unknowns []Clip
	for _, n := range names {
		for _, f := range folders[n] {
			c := Clip{Path: filepath.Join(dir, n, f), Word: n, Speaker: Speaker(f)}
			switch {
			case n == SilenceLabel:
				if silLab < 0 {
					continue
				}
				c.Label = silLab
			case n == UnknownLabel:
				if unkLab < 0 {
					continue
				}
				c.Label = unkLab
				if i := strings.Index(f, "_"); i > 0 && strings.Contains(f, "_nohash_") {
					c.Word = f[:i]
				}
			case seen[n]:
				c.Label = label(n)
			default:
				if unkLab < 0 {
					continue
				}
				c.Label = unkLab
				if !o.AllUnknown {
					unknowns = append(unknowns, c)
					continue
				}
			}
			clips = append(clips, c)
		}
	}

	// Splits.
	if err := d.split(dir, hasLists, clips, unknowns); err != nil {
		return nil, err
	}
	if len(o.UnknownDirs) > 0 {
		more, notes, err := otherSpeech(o.UnknownDirs, seen, unkLab, d.Options)
		if err != nil {
			return nil, fmt.Errorf("scan %s: %w", dir, err)
		}
		d.Warnings = append(d.Warnings, notes...)
		if o.AllUnknown {
			clips = append(clips, more...)
		} else {
			unknowns = append(unknowns, more...)
		}
	}
	if len(o.ExtraDirs) > 0 {
		held := map[string]bool{} // speakers DIR validates or tests on
		for _, cs := range [][]Clip{clips, unknowns} {
			for _, c := range cs {
				if c.Split != Training && c.Word != SilenceLabel {
					held[c.Speaker] = true
				}
			}
		}
		for _, x := range o.ExtraDirs {
			more, n, err := extraClips(x, words, label, held)
			if err != nil {
				return nil, fmt.Errorf("scan %s: %w", dir, err)
			}
			if n > 0 {
				d.Warnings = append(d.Warnings, fmt.Sprintf(
					"extra clips %s: left out %d of speakers in validation or test", x, n))
			}
			clips = append(clips, more...)
		}
	}
	if d.Phrases, err = ReadLabels(filepath.Join(dir, LabelsFile)); err != nil {
		return nil, fmt.Errorf("scan %s: %w", dir, err)
	}
	d.Options = o
	return d, d.finish(clips, unknowns, silLab, unkLab, hasSil)
}

// extraClips lists the training clips of Options.ExtraDirs folder dir: the
// WAVs of its folders named like the wanted words, but for those its
// testing_list.txt names. It returns how many it left out because their
// speaker is in held.
func extraClips(dir string, words []string, label func(string) int, held map[string]bool) ([]Clip, int, error) {
	if _, err := os.Stat(dir); err != nil {
		return nil, 0, fmt.Errorf("extra clips: %w", err)
	}
	test, err := readList(filepath.Join(dir, "testing_list.txt"))
	if err != nil {
		return nil, 0, fmt.Errorf("extra clips: %w", err)
	}
	var out []Clip
	found, heldOut := 0, 0
	for _, w := range words {
		sub := filepath.Join(dir, w)
		if st, err := os.Stat(sub); err != nil || !st.IsDir() {
			continue
		}
		wavs, err := listWAVs(sub)
		if err != nil {
			return nil, 0, fmt.Errorf("extra clips: %w", err)
		}
		for _, f := range wavs {
			found++
			c := Clip{Path: filepath.Join(sub, f), Label: label(w), Word: w, Speaker: Speaker(f), Split: Training}
			switch {
			case test[w+"/"+f]:
			case held[c.Speaker]:
				heldOut++
			default:
				out = append(out, c)
			}
		}
	}
	if found == 0 {
		return nil, 0, fmt.Errorf("extra clips %s: no .wav or .flac files in folders named like the words (%s)", dir, strings.Join(words, ", "))
	}
	return out, heldOut, nil
}

// split assigns Split to clips and unknowns in place.
func (d *Dataset) split(dir string, hasLists bool, clips, unknowns []Clip) error {
	o := d.Options
	method := o.SplitBy
	all := func(f func(c *Clip)) {
		for i := range clips {
			f(&clips[i])
		}
		for i := range unknowns {
			f(&unknowns[i])
		}
	}
	switch method {
	case SplitAuto:
		if hasLists {
			method = SplitLists
			break
		}
		method = SplitHash
		counts := [3]int{}
		n := 0
		all(func(c *Clip) {
			if c.Word == SilenceLabel {
				return
			}
			counts[WhichSet(hashNameOf(c), o.ValidationPct, o.TestPct)]++
			n++
		})
		trainShare := (100 - o.ValidationPct - o.TestPct) / 100
		lowTrain := float64(counts[Training]) < 0.5*trainShare*float64(n)
		lowVal := float64(counts[Validation]) < 0.5*o.ValidationPct/100*float64(n)
		if lowTrain || lowVal {
			method = SplitSpeaker
			d.Warnings = append(d.Warnings, fmt.Sprintf(
				"TensorFlow's which_set would put %d clips in training, %d in validation and %d in testing "+
					"(these clips likely come from one official split): splitting by speaker instead "+
					"(SHA-1 of \"val:\"+speaker mod 100 < %g -> validation, of \"test:\"+speaker < %g -> testing)",
				counts[Training], counts[Validation], counts[Testing], o.ValidationPct, o.TestPct))
		}
	case SplitLists:
		if !hasLists {
			return fmt.Errorf("scan %s: split by lists: no testing_list.txt or validation_list.txt", dir)
		}
	case SplitHash, SplitSpeaker:
	default:
		return fmt.Errorf("scan %s: unknown split method %q", dir, method)
	}
	d.SplitMethod = method
	switch method {
	case SplitLists:
		test, err := readList(filepath.Join(dir, "testing_list.txt"))
		if err != nil {
			return err
		}
		val, err := readList(filepath.Join(dir, "validation_list.txt"))
		if err != nil {
			return err
		}
		all(func(c *Clip) {
			rel, _ := filepath.Rel(dir, c.Path)
			rel = filepath.ToSlash(rel)
			switch {
			case test[rel]:
				c.Split = Testing
			case val[rel]:
				c.Split = Validation
			default:
				c.Split = Training
			}
		})
	case SplitHash:
		all(func(c *Clip) { c.Split = WhichSet(hashNameOf(c), o.ValidationPct, o.TestPct) })
	case SplitSpeaker:
		all(func(c *Clip) { c.Split = SpeakerSplit(c.Speaker, o.ValidationPct, o.TestPct) })
	}
	return nil
}

// hashNameOf is the which_set name of a clip: an _unknown_/WORD_SPEAKER_...
// file hashes as the SPEAKER_... it was in the original dataset.
func hashNameOf(c *Clip) string {
	base := filepath.Base(c.Path)
	if filepath.Base(filepath.Dir(c.Path)) == UnknownLabel && c.Word != UnknownLabel {
		base = strings.TrimPrefix(base, c.Word+"_")
	}
	return HashName(base)
}

// finish draws the unknown and silence examples of each split, sorts the
// clips and checks that there is something to learn.
func (d *Dataset) finish(clips, unknowns []Clip, silLab, unkLab int, hasSil bool) error {
	o := d.Options
	rng := rand.New(rand.NewPCG(uint64(o.Seed), 0x5eed_da7a))
	wanted := [3]int{}
	for _, c := range clips {
		if c.Label != silLab && c.Label != unkLab {
			wanted[c.Split]++
		}
	}
	for s := Training; s <= Testing; s++ {
		if unkLab >= 0 && o.UnknownPct > 0 && !o.AllUnknown {
			var pool []Clip
			for _, c := range unknowns {
				if c.Split == s {
					pool = append(pool, c)
				}
			}
			n := int(math.Ceil(float64(wanted[s]) * o.UnknownPct / 100))
			rng.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
			clips = append(clips, pool[:min(n, len(pool))]...)
		}
		if silLab >= 0 && !hasSil && o.SilencePct > 0 && len(d.Noise) > 0 {
			n := int(math.Ceil(float64(wanted[s]) * o.SilencePct / 100))
			for range n {
				k := rng.IntN(len(d.Noise))
				clips = append(clips, Clip{
					Label: silLab, Word: SilenceLabel, Split: s,
					Speaker: fmt.Sprintf("noise%d", k),
					Noise:   k, Offset: rng.IntN(len(d.Noise[k]) - MinNoiseSamples + 1),
					Gain: rng.Float32(),
				})
			}
		}
	}
	slices.SortStableFunc(clips, func(a, b Clip) int {
		if a.Split != b.Split {
			return int(a.Split) - int(b.Split)
		}
		if a.Label != b.Label {
			return a.Label - b.Label
		}
		return strings.Compare(a.Path, b.Path)
	})
	d.Clips = clips

	counts := make([]int, len(d.Labels))
	for _, c := range clips {
		counts[c.Label]++
	}
	nonEmpty := 0
	for i, n := range counts {
		if n > 0 {
			nonEmpty++
			continue
		}
		why := ""
		if i == silLab && len(d.Noise) == 0 {
			why = ": no _silence_ folder and no noise recordings (give a noise folder)"
		}
		d.Warnings = append(d.Warnings, fmt.Sprintf("label %s has no clips%s", d.Labels[i], why))
	}
	if nonEmpty < 2 {
		return fmt.Errorf("scan %s: %d class(es) with clips: need at least two", d.Dir, nonEmpty)
	}
	for s := Training; s <= Testing; s++ {
		if n := d.Count(s); n == 0 && (s == Training || s == Validation && o.ValidationPct > 0) {
			d.Warnings = append(d.Warnings, fmt.Sprintf("the %s split is empty", s))
		}
	}
	return nil
}

// Count returns the number of clips in split s (All: every clip).
func (d *Dataset) Count(s Split) int {
	n := 0
	for _, c := range d.Clips {
		if s == All || c.Split == s {
			n++
		}
	}
	return n
}

// Indices returns the indices into d.Clips of split s (All: every clip),
// in d.Clips order.
func (d *Dataset) Indices(s Split) []int {
	var idx []int
	for i, c := range d.Clips {
		if s == All || c.Split == s {
			idx = append(idx, i)
		}
	}
	return idx
}

// ByLabel returns, for each label, the indices into d.Clips of split s
// (All: every split).
func (d *Dataset) ByLabel(s Split) [][]int {
	out := make([][]int, len(d.Labels))
	for i, c := range d.Clips {
		if s == All || c.Split == s {
			out[c.Label] = append(out[c.Label], i)
		}
	}
	return out
}

// Summary is a table of clip counts per label and split, one line per label.
func (d *Dataset) Summary() string {
	var b strings.Builder
	by := [3][][]int{d.ByLabel(Training), d.ByLabel(Validation), d.ByLabel(Testing)}
	fmt.Fprintf(&b, "%-12s %8s %10s %8s\n", "label", "training", "validation", "testing")
	for i, l := range d.Labels {
		fmt.Fprintf(&b, "%-12s %8d %10d %8d\n", l, len(by[0][i]), len(by[1][i]), len(by[2][i]))
	}
	fmt.Fprintf(&b, "%-12s %8d %10d %8d\n", "total", d.Count(Training), d.Count(Validation), d.Count(Testing))
	return b.String()
}

// Samples returns clip i's audio at 16 kHz: the decoded file, or for a
// silence clip its cut of the noise (window samples). It allocates; the
// Loader has a faster path.
func (d *Dataset) Samples(i, window int) ([]float32, error) {
	c := &d.Clips[i]
	if c.Path != "" {
		return audio.ReadFile(c.Path)
	}
	out := make([]float32, window)
	d.cutNoise(out, c)
	return out, nil
}

// cutNoise writes silence clip c into dst.
func (d *Dataset) cutNoise(dst []float32, c *Clip) {
	n := d.Noise[c.Noise]
	off := min(c.Offset, max(len(n)-len(dst), 0))
	k := copy(dst, n[off:])
	for i := range k {
		dst[i] *= c.Gain
	}
	clear(dst[k:])
}

// loadNoise decodes every WAV of dir.
func (d *Dataset) loadNoise(dir string) error {
	wavs, err := listWAVs(dir)
	if err != nil {
		return fmt.Errorf("noise: %w", err)
	}
	if len(wavs) == 0 {
		return fmt.Errorf("noise %s: no .wav or .flac files", dir)
	}
	for _, f := range wavs {
		p := filepath.Join(dir, f)
		s, err := audio.ReadFile(p)
		if err != nil {
			d.Warnings = append(d.Warnings, fmt.Sprintf("skipping noise recording: %v", err))
			continue
		}
		if len(s) < MinNoiseSamples {
			d.Warnings = append(d.Warnings, fmt.Sprintf("skipping noise recording %s: shorter than 1 s", p))
			continue
		}
		d.NoisePaths = append(d.NoisePaths, p)
		d.Noise = append(d.Noise, s)
	}
	if len(d.Noise) == 0 {
		return fmt.Errorf("noise %s: no usable recording", dir)
	}
	return nil
}

// LoadNoise decodes the WAV files of dir (sorted by name), for callers that
// need noise without a Dataset (the streaming-test builder, say).
func LoadNoise(dir string) (paths []string, noise [][]float32, err error) {
	var d Dataset
	if err := d.loadNoise(dir); err != nil {
		return nil, nil, err
	}
	if len(d.Warnings) > 0 {
		return d.NoisePaths, d.Noise, errors.New(strings.Join(d.Warnings, "; "))
	}
	return d.NoisePaths, d.Noise, nil
}

func isDir(dir string, e os.DirEntry) bool {
	if e.IsDir() {
		return true
	}
	if e.Type()&os.ModeSymlink != 0 {
		st, err := os.Stat(filepath.Join(dir, e.Name()))
		return err == nil && st.IsDir()
	}
	return false
}

// listWAVs returns the sorted base names of the audio files (.wav and
// .flac: audio.Decodable) in dir.
func listWAVs(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		n := e.Name()
		// A symbolic link named *.wav or *.flac is taken for a file without a stat
		// (a folder of 100,000 links would cost as many system calls).
		if !strings.HasPrefix(n, ".") && audio.Decodable(n) && !e.IsDir() {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out, nil
}

func readList(path string) (map[string]bool, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read list: %w", err)
	}
	defer f.Close()
	m := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			m[filepath.ToSlash(l)] = true
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read list %s: %w", path, err)
	}
	return m, nil
}

func containsAll(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}
