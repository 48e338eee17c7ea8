package synth

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const excerpt = "testdata/cmudict-excerpt.out"

func readExcerpt(t *testing.T) *Lexicon {
	t.Helper()
	lex, err := ReadLexiconFile(excerpt, "")
	if err != nil {
		t.Fatal(err)
	}
	return lex
}

func pron(s string) Pron { return Pron(strings.Fields(s)) }

func TestReadLexiconFestival(t *testing.T) {
	lex := readExcerpt(t)
	if len(lex.Words) != 47 {
		t.Errorf("%d words, want 47 (50 entries, three words twice)", len(lex.Words))
	}
	for _, tc := range []struct {
		word  string
		prons []Pron
	}{
		{"a", []Pron{pron("ah0"), pron("ey1")}}, // two entries; Festival's ax is ah0
		{"agha", []Pron{pron("aa1 g ah0")}},     // lower-cased
		{"noah", []Pron{pron("n ow1 ah0")}},     // stress per syllable
		{"live", []Pron{pron("l ay1 v"), pron("l ih1 v")}},
		{"present", []Pron{pron("p r eh1 z ah0 n t"), pron("p r iy0 z eh1 n t")}},
		{"stopper", []Pron{pron("s t aa1 p er0")}},
	} {
		if got := lex.Prons[tc.word]; !slices.EqualFunc(got, tc.prons, slices.Equal) {
			t.Errorf("%s: %v, want %v", tc.word, got, tc.prons)
		}
	}
	if lex.Words[0] != "a" || !slices.Contains(lex.Words, "yes") {
		t.Errorf("words %v", lex.Words)
	}
}

func TestReadLexiconForms(t *testing.T) {
	in := `;;; plain CMU, bare words and Festival's part-of-speech lexicon
# a comment
SNOW  S N OW1
READ  R IY1 D
READ(2)  R EH1 D
THE  DH AH0

banana
("cough" ((nn -9.667) (vb -10.141) ) () )
`
	lex, err := ReadLexicon(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"snow", "read", "the", "banana", "cough"}; !slices.Equal(lex.Words, want) {
		t.Errorf("words %q, want %q", lex.Words, want)
	}
	if got := lex.Prons["read"]; !slices.EqualFunc(got, []Pron{pron("r iy1 d"), pron("r eh1 d")}, slices.Equal) {
		t.Errorf("read: %v", got)
	}
	if p := lex.Prons["banana"]; p != nil {
		t.Errorf("banana has pronunciations %v", p)
	}
	if p := lex.Prons["cough"]; p != nil {
		t.Errorf("cough (part of speech only) has pronunciations %v", p)
	}
}

func TestReadLexiconErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "no words"},
		{";; only a comment\nMNCL\n", "no words"},
		{"SNOW S N OW1\nFOO  F QQ1\n", "line 2: \"foo\": unknown phone \"qq1\""},
		{`("snow" nil (((s n ow) 7)))`, "line 1: \"snow\": bad stress \"7\""},
		{`("snow" nil (((s n ow) 1))`, "line 1: \"snow\""},
		{`("snow" nil)`, "line 1: \"snow\": want a part of speech"},
		{`(snow nil (((s n ow) 1)))`, "line 1: want (\"word\""},
	} {
		_, err := ReadLexicon(strings.NewReader(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ReadLexicon(%q): error %v, want one with %q", tc.in, err, tc.want)
		}
	}
}

func TestReadLexiconFile(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "cmudict-0.4.out")
	_, err := ReadLexiconFile(missing, "")
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) || strings.Contains(err.Error(), "\n") {
		t.Errorf("missing dictionary: %v, want one line naming %s", err, missing)
	}
	words := writeFile(t, "words.txt", "snow\nlift\nunheard\n")
	lex, err := ReadLexiconFile(excerpt, words)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"snow", "lift", "unheard"}; !slices.Equal(lex.Words, want) {
		t.Errorf("words %q, want %q", lex.Words, want)
	}
	// The commands are still looked up in the dictionary.
	if len(lex.Prons["no"]) != 1 || len(lex.Prons["snow"]) != 1 || lex.Prons["unheard"] != nil {
		t.Errorf("prons of no %v, snow %v, unheard %v", lex.Prons["no"], lex.Prons["snow"], lex.Prons["unheard"])
	}
	bad := writeFile(t, "bad.out", "SNOW S N OW1\nFOO  F QQ1\n")
	if _, err := ReadLexiconFile(excerpt, bad); err == nil || !strings.Contains(err.Error(), bad+": lexicon line 2") {
		t.Errorf("bad word list: %v", err)
	}
}

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
