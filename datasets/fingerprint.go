package datasets

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"path/filepath"
	"slices"
)

// Fingerprint identifies the clip list of d without naming the machine it
// was scanned on: the hex SHA-256 of one line per clip (split, label, the
// clip's folder and file name; for a silence clip, the noise file's name,
// offset and gain), sorted. The same folders scanned with the same options
// give the same fingerprint wherever they are; a clip added, removed,
// relabelled or moved to another split changes it. It hashes names, not
// audio.
func (d *Dataset) Fingerprint() string {
	lines := make([]string, len(d.Clips))
	for i, c := range d.Clips {
		var what string
		if c.Path != "" {
			what = filepath.Base(filepath.Dir(c.Path)) + "/" + filepath.Base(c.Path)
		} else {
			noise := ""
			if c.Noise >= 0 && c.Noise < len(d.NoisePaths) {
				noise = filepath.Base(d.NoisePaths[c.Noise])
			}
			what = fmt.Sprintf("noise %s@%d*%08x", noise, c.Offset, math.Float32bits(c.Gain))
		}
		lines[i] = fmt.Sprintf("%s\t%s\t%s\n", c.Split, d.Labels[c.Label], what)
	}
	slices.Sort(lines)
	h := sha256.New()
	for _, l := range lines {
		h.Write([]byte(l))
	}
	return hex.EncodeToString(h.Sum(nil))
}
