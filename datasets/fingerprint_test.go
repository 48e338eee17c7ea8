package datasets

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestFingerprint(t *testing.T) {
	spk := speakers(12, func(Split) bool { return true })
	words := append(slices.Clone(DefaultWords), otherWords...)
	scan := func(dir string, seed int64) string {
		t.Helper()
		d, err := Scan(dir, Options{Seed: seed, SplitBy: SplitSpeaker})
		if err != nil {
			t.Fatal(err)
		}
		return d.Fingerprint()
	}
	a := makeSpeechCommands(t, words, spk, 800)
	b := makeSpeechCommands(t, words, spk, 800) // the same clips in another folder
	fa := scan(a, 1)
	if len(fa) != 64 {
		t.Fatalf("fingerprint %q: want 64 hex digits", fa)
	}
	if fb := scan(b, 1); fb != fa {
		t.Errorf("the same clips elsewhere: fingerprint %s, want %s", fb, fa)
	}
	if f := scan(a, 1); f != fa {
		t.Errorf("a second scan: fingerprint %s, want %s", f, fa)
	}
	if f := scan(a, 2); f == fa {
		t.Error("another seed draws other unknown and silence clips but keeps the fingerprint")
	}
	if err := os.Remove(filepath.Join(b, "yes", spk[0]+"_nohash_0.wav")); err != nil {
		t.Fatal(err)
	}
	if f := scan(b, 1); f == fa {
		t.Error("a clip removed keeps the fingerprint")
	}
}
