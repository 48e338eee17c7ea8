package datasets

import (
	"crypto/sha1"
	"fmt"
	"math/big"
	"path"
	"strings"
)

// Split names one of the three parts of a dataset.
type Split int

const (
	Training   Split = iota // learned from
	Validation              // model selection, early stopping
	Testing                 // reported, never tuned on
	All                     // every clip; only as LoaderConfig.Split
)

var splitNames = [...]string{"training", "validation", "testing", "all"}

// String returns "training", "validation", "testing" or "all", the names of
// TensorFlow's which_set.
func (s Split) String() string {
	if s < 0 || int(s) >= len(splitNames) {
		return fmt.Sprintf("Split(%d)", int(s))
	}
	return splitNames[s]
}

// ParseSplit accepts the names String returns and the short forms "train",
// "val" and "test".
func ParseSplit(s string) (Split, error) {
	switch strings.ToLower(s) {
	case "training", "train":
		return Training, nil
	case "validation", "val":
		return Validation, nil
	case "testing", "test":
		return Testing, nil
	case "all":
		return All, nil
	}
	return 0, fmt.Errorf("datasets: unknown split %q (want train, validation, test or all)", s)
}

// maxNumWavsPerClass is MAX_NUM_WAVS_PER_CLASS of TensorFlow's
// speech_commands input_data.py, 2^27 - 1.
const maxNumWavsPerClass = 1<<27 - 1

// HashName is the part of a clip's file name that TensorFlow's which_set
// hashes: the base name up to "_nohash_" (the whole base name when there is
// none). Clips of one speaker share it.
func HashName(name string) string {
	base := path.Base(strings.ReplaceAll(name, "\\", "/"))
	if i := strings.Index(base, "_nohash_"); i >= 0 {
		return base[:i]
	}
	return base
}

// PercentageHash is which_set's stable position of a hash name in [0, 100]:
// SHA-1 of the name as a big integer, modulo 2^27, times 100 / (2^27 - 1),
// computed in float64 as Python does.
func PercentageHash(hashName string) float64 {
	sum := sha1.Sum([]byte(hashName))
	// The value modulo 2^27 is the low 27 bits of the big-endian digest.
	v := uint64(sum[16])<<24 | uint64(sum[17])<<16 | uint64(sum[18])<<8 | uint64(sum[19])
	v &= maxNumWavsPerClass
	return float64(v) * (100.0 / maxNumWavsPerClass)
}

// WhichSet assigns a clip to a split exactly as TensorFlow's
// speech_commands input_data.which_set does: the percentage hash of
// HashName(name) below validationPct goes to Validation, below
// validationPct+testPct to Testing, the rest to Training.
func WhichSet(name string, validationPct, testPct float64) Split {
	p := PercentageHash(HashName(name))
	switch {
	case p < validationPct:
		return Validation
	case p < validationPct+testPct:
		return Testing
	}
	return Training
}

// Speaker returns the speaker id of a clip's file name as
// shared/bench/torch_ref.py takes it: the last "_"-separated field of the part
// before "_nohash_", so that WORD_SPEAKER_nohash_N.wav (the _unknown_ clips
// of the twelve-class test set) gives SPEAKER. A name without "_nohash_" is
// its own speaker (its whole base name).
func Speaker(name string) string {
	base := path.Base(strings.ReplaceAll(name, "\\", "/"))
	i := strings.Index(base, "_nohash_")
	if i < 0 {
		return base
	}
	h := base[:i]
	return h[strings.LastIndex(h, "_")+1:]
}

// SpeakerBucket is SHA-1 of prefix+speaker as a big integer, modulo 100: the
// speaker split's hash. torch_ref.py's is_val is
// SpeakerBucket("val:", spk) < pct.
func SpeakerBucket(prefix, speaker string) int {
	sum := sha1.Sum([]byte(prefix + speaker))
	var m big.Int
	m.SetBytes(sum[:])
	return int(m.Mod(&m, big.NewInt(100)).Int64())
}

// SpeakerSplit assigns a speaker to a split by hashes that do not depend
// on TensorFlow's: SpeakerBucket("val:", speaker) < validationPct goes to
// Validation (torch_ref.py's is_val), otherwise
// SpeakerBucket("test:", speaker) < testPct goes to Testing, the rest to
// Training. A speaker's clips never straddle splits. Note that Testing then
// holds about testPct% of the speakers that are not in Validation.
func SpeakerSplit(speaker string, validationPct, testPct float64) Split {
	if float64(SpeakerBucket("val:", speaker)) < validationPct {
		return Validation
	}
	if float64(SpeakerBucket("test:", speaker)) < testPct {
		return Testing
	}
	return Training
}
