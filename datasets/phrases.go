package datasets

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/internal/atomicfile"
)

// Limits and defaults of the window a phrase model reads (ChooseWindow).
const (
	MinWindow     = audio.Rate     // 1 s: no model reads less
	MaxWindow     = 3 * audio.Rate // 3 s: the longest command a model reads
	WindowStep    = audio.Rate / 10
	WindowPercent = 99 // the clip-length percentile the window covers
)

// LabelsFile is the optional file of a data folder that gives each label
// folder the phrase it holds, "label TAB phrase" a line (listen synth writes
// it; a user may write it for recordings).
const LabelsFile = "labels.txt"

// ClipLengths returns the length in samples at 16 kHz of each clip of split
// s (All: every split) whose label is a wanted word (not _silence_ or
// _unknown_), in d.Clips order, measured from the WAV headers alone
// (audio.DecodeConfig): no audio is decoded, so a folder of thousands of
// clips costs one small read per clip. A clip whose header cannot be read
// has no length in the list; its error is among those returned (joined),
// which the caller may ignore as the Loader skips such clips too.
func (d *Dataset) ClipLengths(s Split) ([]int, error) {
	var out []int
	var errs []error
	for _, c := range d.Clips {
		if c.Path == "" || (s != All && c.Split != s) {
			continue
		}
		if l := d.Labels[c.Label]; l == SilenceLabel || l == UnknownLabel {
			continue
		}
		n, err := wavSamples(c.Path)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, n)
	}
	return out, errors.Join(errs...)
}

// wavSamples is the length of a WAV file once decoded at 16 kHz.
func wavSamples(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("clip length: %w", err)
	}
	defer f.Close()
	cfg, err := audio.DecodeConfig(bufio.NewReaderSize(f, 512))
	if err != nil {
		return 0, fmt.Errorf("clip length %s: %w", path, err)
	}
	return int(math.Ceil(float64(cfg.Frames) * audio.Rate / float64(cfg.SampleRate))), nil
}

// ChooseWindow returns the window, in samples, that a model of clips of
// these lengths should read: the WindowPercent-th percentile of the lengths
// (nearest rank), rounded up to a multiple of WindowStep (100 ms), and kept
// within [MinWindow, MaxWindow]. A percentile rather than the longest clip,
// so that one stray long recording does not lengthen every window (and the
// cost of every step, which is linear in the window); the few longer clips
// are cut at the end, as the Loader cuts them. No lengths gives MinWindow.
func ChooseWindow(lengths []int) int {
	if len(lengths) == 0 {
		return MinWindow
	}
	s := slices.Clone(lengths)
	slices.Sort(s)
	rank := int(math.Ceil(WindowPercent / 100.0 * float64(len(s))))
	n := s[max(rank-1, 0)]
	n = (n + WindowStep - 1) / WindowStep * WindowStep
	return min(max(n, MinWindow), MaxWindow)
}

// Window is ChooseWindow of the lengths of every wanted-word clip of d (all
// splits: the window is part of the model, not something to tune). Clips
// whose header cannot be read are left out, as the Loader leaves them out.
func (d *Dataset) Window() int {
	l, _ := d.ClipLengths(All)
	return ChooseWindow(l)
}

// ReadLabels reads a labels file: "label TAB phrase" lines; blank lines and
// lines starting with # are skipped. A missing file gives an empty map and
// no error.
func ReadLabels(path string) (map[string]string, error) {
	m := map[string]string{}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read labels: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for ln := 1; sc.Scan(); ln++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		label, phrase, ok := strings.Cut(line, "\t")
		if !ok || strings.TrimSpace(label) == "" {
			return nil, fmt.Errorf("read labels %s:%d: want label TAB phrase, got %q", path, ln, line)
		}
		m[strings.TrimSpace(label)] = strings.TrimSpace(phrase)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read labels %s: %w", path, err)
	}
	return m, nil
}

// MergeLabels adds labels (label -> phrase) to dir's labels file, keeping
// its other entries, and rewrites it sorted by label, atomically.
func MergeLabels(dir string, labels map[string]string) error {
	path := filepath.Join(dir, LabelsFile)
	m, err := ReadLabels(path)
	if err != nil {
		return err
	}
	for l, p := range labels {
		if strings.ContainsAny(l+p, "\t\n") {
			return fmt.Errorf("labels %s: label %q or phrase %q holds a tab or a new line", path, l, p)
		}
		m[l] = p
	}
	err = atomicfile.Write(path, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		fmt.Fprintln(bw, "# label\tphrase")
		for _, k := range slices.Sorted(maps.Keys(m)) {
			fmt.Fprintf(bw, "%s\t%s\n", k, m[k])
		}
		return bw.Flush()
	})
	if err != nil {
		return fmt.Errorf("write labels: %w", err)
	}
	return nil
}

// otherSpeech lists the clips of the folders of other speech
// (Options.UnknownDirs) as _unknown_ clips: each folder's WAVs and those of
// its subfolders (one level, a Speech Commands folder or listen synth's
// output), leaving out _silence_/, _background_noise_/ and any subfolder
// named like a wanted word, so a Speech Commands folder can serve as
// other speech for a model of some of its own words. Each clip's Word is
// its subfolder (or the WORD of an _unknown_/WORD_..._nohash_ file) and its
// split is SpeakerSplit's: these folders' file names need not hash the way
// the data folder's do (the official test set's all hash into which_set's
// test bucket), and the speaker split keeps a speaker on one side. Clips
// named in a folder's testing_list.txt are left out; notes says how many.
func otherSpeech(dirs []string, wanted map[string]bool, label int, o Options) ([]Clip, []string, error) {
	var out []Clip
	var notes []string
	listed := 0 // clips of the folder being read that its testing_list.txt names
	// test is the testing_list.txt of the folder being read; rel is dir as
	// its paths name it, "" or "WORD/".
	var test map[string]bool
	add := func(dir, word, rel string) error {
		wavs, err := listWAVs(dir)
		if err != nil {
			return fmt.Errorf("other speech: %w", err)
		}
		for _, f := range wavs {
			if test[rel+f] {
				listed++
				continue
			}
			c := Clip{Path: filepath.Join(dir, f), Label: label, Word: word, Speaker: Speaker(f)}
			if word == UnknownLabel {
				if i := strings.Index(f, "_"); i > 0 && strings.Contains(f, "_nohash_") {
					c.Word = f[:i]
				}
			}
			c.Split = SpeakerSplit(c.Speaker, o.ValidationPct, o.TestPct)
			out = append(out, c)
		}
		return nil
	}
	for _, dir := range dirs {
		ents, err := os.ReadDir(dir)
		if err != nil {
			return nil, nil, fmt.Errorf("other speech: %w", err)
		}
		if test, err = readList(filepath.Join(dir, "testing_list.txt")); err != nil {
			return nil, nil, fmt.Errorf("other speech: %w", err)
		}
		listed = 0
		if err := add(dir, filepath.Base(dir), ""); err != nil {
			return nil, nil, err
		}
		for _, e := range ents {
			n := e.Name()
			if strings.HasPrefix(n, ".") || n == SilenceLabel || n == NoiseFolder || wanted[n] || !isDir(dir, e) {
				continue
			}
			if err := add(filepath.Join(dir, n), n, n+"/"); err != nil {
				return nil, nil, err
			}
		}
		if listed > 0 {
			notes = append(notes, fmt.Sprintf("other speech %s: left out the %d clips its testing_list.txt names", dir, listed))
		}
	}
	if len(out) == 0 {
		return nil, nil, fmt.Errorf("other speech %s: no .wav or .flac files", strings.Join(dirs, ", "))
	}
	return out, notes, nil
}
