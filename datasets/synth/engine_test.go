package synth

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The fixtures in testdata/synth are the output of espeak-ng 1.51 and flite
// 2.2 from Debian: espeak-ng --voices=en, espeak-ng --voices=variant,
// flite -lv.
func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "synth", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestEspeakVoices(t *testing.T) {
	vs := espeakVoices(readFixture(t, "espeak-ng-voices-en.txt"), readFixture(t, "espeak-ng-voices-variant.txt"))
	accents := []string{"en-029", "en-gb", "en-gb-scotland", "en-gb-x-gbclan", "en-gb-x-gbcwmd", "en-gb-x-rp", "en-us", "en-us-nyc"}
	if len(vs) != len(accents)*len(DefaultVariants) {
		t.Errorf("%d voices, want %d accents x %d variants", len(vs), len(accents), len(DefaultVariants))
	}
	byName := map[string]Voice{}
	speakers := map[string]bool{}
	for _, v := range vs {
		byName[v.Name] = v
		if speakers[v.Speaker] {
			t.Errorf("speaker %s twice", v.Speaker)
		}
		speakers[v.Speaker] = true
		if strings.HasPrefix(v.Name, "en-uk") || strings.Contains(v.Name, "mb-") {
			t.Errorf("MBROLA voice %s listed", v.Name)
		}
	}
	for _, want := range []Voice{
		{"espeak-ng", "en-us", "espeak-ng_en-us"},
		{"espeak-ng", "en-gb-x-rp+m3", "espeak-ng_en-gb-x-rp-m3"},
		{"espeak-ng", "en-029+f4", "espeak-ng_en-029-f4"},
	} {
		if got := byName[want.Name]; got != want {
			t.Errorf("voice %s = %+v, want %+v", want.Name, got, want)
		}
	}
}

func TestFliteVoices(t *testing.T) {
	vs, err := fliteVoices(readFixture(t, "flite-lv.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range vs {
		got = append(got, v.Name+"="+v.Speaker)
	}
	want := "awb=flite_awb kal=flite_kal kal16=flite_kal rms=flite_rms slt=flite_slt"
	if strings.Join(got, " ") != want {
		t.Errorf("got %s, want %s", strings.Join(got, " "), want)
	}
	if _, err := fliteVoices([]byte("nothing")); err == nil {
		t.Error("no error for output without a list")
	}
}

func TestEspeakRowsWithSpaces(t *testing.T) {
	rows := espeakRows([]byte("Pty Language Age/Gender VoiceName File Other Languages\n 5  variant  --/M  Mr_Serious  !v/Mr serious\n 2  en-gb  --/M  English_(Great_Britain) gmw/en  (en 2)\n"))
	if len(rows) != 2 || rows[0][4] != "!v/Mr serious" || rows[1][4] != "gmw/en" {
		t.Errorf("rows %q", rows)
	}
}

func TestSpeakerID(t *testing.T) {
	for in, want := range map[string]string{
		"en-us+m3":      "espeak-ng_en-us-m3",
		"awb_time":      "espeak-ng_awb-time",
		"a/b\\c_nohash": "espeak-ng_abc-nohash",
	} {
		if got := speakerID("espeak-ng", in); got != want {
			t.Errorf("speakerID(%q) = %q, want %q", in, got, want)
		}
	}
}

// pathWith returns a PATH of one new folder holding links to the named
// programs only.
func pathWith(t *testing.T, programs ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, p := range programs {
		real, err := exec.LookPath(p)
		if err != nil {
			t.Fatalf("%s is not installed (sudo apt-get install %s; CI's .ci/run installs it): %v", p, p, err)
		}
		if err := os.Symlink(real, filepath.Join(dir, p)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestFindMissing(t *testing.T) {
	t.Run("none", func(t *testing.T) {
		t.Setenv("PATH", pathWith(t))
		_, _, err := Find(nil)
		var me *MissingError
		if !errors.As(err, &me) {
			t.Fatalf("err = %v, want a *MissingError", err)
		}
		if want := "sudo apt-get install espeak-ng flite"; !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	})
	t.Run("only espeak-ng", func(t *testing.T) {
		t.Setenv("PATH", pathWith(t, "espeak-ng"))
		es, warns, err := Find(nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(es) != 1 || es[0].Name != "espeak-ng" || es[0].Package != "espeak-ng" {
			t.Errorf("engines %+v", es)
		}
		if len(warns) != 1 || !strings.Contains(warns[0], "apt-get install flite") {
			t.Errorf("warnings %q", warns)
		}
	})
	t.Run("only flite", func(t *testing.T) {
		t.Setenv("PATH", pathWith(t, "flite"))
		es, warns, err := Find(nil)
		if err != nil || len(es) != 1 || es[0].Name != "flite" || len(warns) != 1 {
			t.Errorf("Find = %+v, %q, %v", es, warns, err)
		}
	})
	t.Run("named and missing", func(t *testing.T) {
		t.Setenv("PATH", pathWith(t, "espeak-ng"))
		_, _, err := Find([]string{"espeak-ng", "flite"})
		if err == nil || !strings.Contains(err.Error(), "apt-get install flite") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("unknown", func(t *testing.T) {
		if _, _, err := Find([]string{"festival"}); err == nil || !strings.Contains(err.Error(), "unknown") {
			t.Errorf("err = %v", err)
		}
	})
}
