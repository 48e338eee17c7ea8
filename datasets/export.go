package datasets

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/listen-go/listen/audio"
)

// Export writes the clips of the given splits (none: every split) to dst in
// the official twelve-class layout: one folder per label (_silence_,
// _unknown_, the words), an _unknown_ clip named WORD_FILE as in the
// official test set. Files are symbolic links to the originals (copies where
// links fail); silence clips cut from the noise are written as 16-bit WAVs
// of window samples (having no speaker, they may land in another split when
// the export is scanned and split again). dst must not exist. This lets another tool see exactly
// the same split: for shared/bench/torch_ref.py, export Training and
// Validation (Scan with SplitSpeaker and ValidationPct 15, so that its own
// validation hash picks the same clips) as its TRAIN_DIR and Testing as its
// TEST_DIR.
func (d *Dataset) Export(dst string, window int, splits ...Split) error {
	if _, err := os.Lstat(dst); err == nil {
		return fmt.Errorf("export %s: already exists", dst)
	}
	if window <= 0 {
		window = audio.Rate
	}
	for i := range d.Clips {
		c := &d.Clips[i]
		if len(splits) > 0 && !slices.Contains(splits, c.Split) {
			continue
		}
		folder := filepath.Join(dst, d.Labels[c.Label])
		if err := os.MkdirAll(folder, 0o755); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		if c.Path == "" {
			s := make([]float32, window)
			d.cutNoise(s, c)
			p := filepath.Join(folder, fmt.Sprintf("noise%d_%d_%d.wav", c.Noise, c.Offset, i))
			if err := audio.WriteFile(p, s, audio.Rate); err != nil {
				return fmt.Errorf("export: %w", err)
			}
			continue
		}
		name := filepath.Base(c.Path)
		if d.Labels[c.Label] == UnknownLabel && filepath.Base(filepath.Dir(c.Path)) != UnknownLabel {
			name = c.Word + "_" + name
		}
		if err := linkOrCopy(c.Path, filepath.Join(folder, name)); err != nil {
			return fmt.Errorf("export: %w", err)
		}
	}
	return nil
}

func linkOrCopy(src, dst string) error {
	abs, err := filepath.Abs(src)
	if err != nil {
		return err
	}
	if os.Symlink(abs, dst) == nil {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
