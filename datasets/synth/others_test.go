package synth

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/listen-go/listen/datasets"
)

func pick(t *testing.T, lex *Lexicon, opt OtherOptions) *OtherSet {
	t.Helper()
	if opt.Commands == nil {
		opt.Commands = datasets.DefaultWords
	}
	set, err := PickOthers(lex, opt)
	if err != nil {
		t.Fatal(err)
	}
	return set
}

func texts(set *OtherSet, kind string) []string {
	var out []string
	for _, o := range set.Items {
		if kind == "" || o.Kind == kind {
			out = append(out, o.Text)
		}
	}
	return out
}

func TestSimilarity(t *testing.T) {
	lex := readExcerpt(t)
	p := func(w string) Pron { return lex.Prons[w][0] }
	for _, tc := range []struct {
		a, b      string
		homophone bool
		atLeast   float64
	}{
		{"know", "no", true, 1},
		{"write", "right", true, 1},
		{"aune", "on", true, 1}, // ao heard as aa
		{"snow", "no", false, 0.7},
		{"gone", "on", false, 0.7},
		{"of", "off", false, 0}, // ah v and ao f
	} {
		if got := Homophone(p(tc.a), p(tc.b)); got != tc.homophone {
			t.Errorf("Homophone(%s, %s) = %v", tc.a, tc.b, got)
		}
		if s := Similarity(p(tc.a), p(tc.b)); (s == 1) != tc.homophone || s < tc.atLeast {
			t.Errorf("Similarity(%s, %s) = %.2f", tc.a, tc.b, s)
		}
	}
	// Neighbours in sound score above words that merely share a phone.
	for _, tc := range [][3]string{
		{"no", "snow", "window"}, {"up", "cup", "computer"}, {"down", "town", "table"},
		{"off", "cough", "of"}, {"stop", "top", "table"}, {"go", "though", "hello"},
	} {
		if near, far := Similarity(p(tc[1]), p(tc[0])), Similarity(p(tc[2]), p(tc[0])); near <= far {
			t.Errorf("%s: %s scores %.2f, not above %s's %.2f", tc[0], tc[1], near, tc[2], far)
		}
	}
}

func TestPickOthersHomophones(t *testing.T) {
	lex := readExcerpt(t)
	set := pick(t, lex, OtherOptions{N: 1000, ConfusableShare: 0.5, Seed: 1})
	picked := texts(set, "")
	want := map[string][]string{"no": {"know", "nau"}, "right": {"rite", "wright", "write"}, "on": {"aune"}, "up": {"upp"}, "go": {"goe"}}
	if len(set.Homophones) != len(want) {
		t.Errorf("homophones %v, want %v", set.Homophones, want)
	}
	for c, ws := range want {
		if !slices.Equal(set.Homophones[c], ws) {
			t.Errorf("homophones of %s: %v, want %v", c, set.Homophones[c], ws)
		}
		for _, w := range append(ws, c) {
			if slices.Contains(picked, w) {
				t.Errorf("picked %q", w)
			}
		}
	}
	// Every other word of at most three syllables is picked, "of" (ah v,
	// not off's ao f) among them, and "abalone" (four) is not.
	if n := len(picked); n != 28 {
		t.Errorf("picked %d words, want the 28 candidates (47 less 10 commands, 8 homophones and abalone): %q", n, picked)
	}
	for _, w := range []string{"of", "snow", "though", "elephant", "agha", "a"} {
		if !slices.Contains(picked, w) {
			t.Errorf("%q not picked", w)
		}
	}
	if slices.Contains(picked, "abalone") {
		t.Error("picked abalone, of four syllables")
	}
	if len(set.Warnings) != 0 {
		t.Errorf("warnings %q", set.Warnings)
	}
	// A command the dictionary lacks gives a warning, and a phrase's
	// words are commands too.
	set = pick(t, lex, OtherOptions{Commands: []string{"zorblax", "stop", "snow window"}, N: 1000, Seed: 1})
	if len(set.Warnings) != 1 || !strings.Contains(set.Warnings[0], `"zorblax"`) {
		t.Errorf("warnings %q", set.Warnings)
	}
	picked = texts(set, "")
	for _, w := range []string{"snow", "window", "stop"} {
		if slices.Contains(picked, w) {
			t.Errorf("picked %q of a command", w)
		}
	}
	if !slices.Contains(picked, "know") || !slices.Contains(picked, "no") {
		t.Error("no and know, no commands now, were not picked")
	}
}

func TestPickOthersWeighting(t *testing.T) {
	lex := readExcerpt(t)
	cmds := datasets.DefaultWords
	// One word per command, all confusable: each is the candidate most
	// like its command.
	set := pick(t, lex, OtherOptions{N: len(cmds), ConfusableShare: 1, Seed: 3})
	if len(set.Items) != len(cmds) {
		t.Fatalf("%d items, want %d", len(set.Items), len(cmds))
	}
	cands := texts(pick(t, lex, OtherOptions{N: 1000, Seed: 1}), "")
	for i, o := range set.Items {
		if o.Kind != KindConfusable || o.Near != cmds[i] {
			t.Errorf("item %d: %+v, want one confusable with %s", i, o, cmds[i])
		}
		best := 0.0
		for _, w := range cands {
			best = max(best, Similarity(lex.Prons[w][0], lex.Prons[cmds[i]][0]))
		}
		if o.Score != best {
			t.Errorf("%s: picked %s at %.2f, the best candidate scores %.2f", cmds[i], o.Text, o.Score, best)
		}
	}
	for _, w := range []string{"noah", "cup", "town", "cough", "gone", "though"} {
		if !slices.Contains(texts(set, ""), w) {
			t.Errorf("%s not picked: %q", w, texts(set, ""))
		}
	}
	// Half confusable: those score above the uniform ones.
	set = pick(t, lex, OtherOptions{N: 20, ConfusableShare: 0.5, Seed: 1})
	mean := map[string]float64{}
	count := map[string]int{}
	for _, o := range set.Items {
		mean[o.Kind] += o.Score
		count[o.Kind]++
	}
	if count[KindConfusable] != 10 || count[KindUniform] != 10 {
		t.Fatalf("kinds %v, want 10 confusable and 10 uniform", count)
	}
	if c, u := mean[KindConfusable]/10, mean[KindUniform]/10; c <= u+0.1 {
		t.Errorf("mean similarity %.2f confusable, %.2f uniform", c, u)
	}
	// None confusable: all uniform.
	set = pick(t, lex, OtherOptions{N: 20, Seed: 1})
	if n := len(texts(set, KindUniform)); n != 20 {
		t.Errorf("%d uniform of 20 with no confusable share", n)
	}
}

func TestPickOthersPhrases(t *testing.T) {
	lex := readExcerpt(t)
	set := pick(t, lex, OtherOptions{N: 20, ConfusableShare: 0.5, PhraseShare: 0.5, Seed: 1})
	words := texts(set, KindConfusable)
	words = append(words, texts(set, KindUniform)...)
	phrases := texts(set, KindPhrase)
	if len(words) != 10 || len(phrases) != 10 {
		t.Fatalf("%d words and %d phrases, want 10 each", len(words), len(phrases))
	}
	seen := map[string]bool{}
	for _, p := range phrases {
		ws := strings.Fields(p)
		syl := 0
		for _, w := range ws {
			if !slices.Contains(words, w) {
				t.Errorf("phrase %q: %q was not picked", p, w)
			}
			syl += syllables(lex.Prons[w][0])
		}
		if len(ws) < 2 || len(ws) > 3 || syl > 3 || seen[p] {
			t.Errorf("phrase %q: %d words, %d syllables", p, len(ws), syl)
		}
		seen[p] = true
	}
}

func TestPickOthersDeterministic(t *testing.T) {
	lex := readExcerpt(t)
	opt := OtherOptions{N: 16, ConfusableShare: 0.5, PhraseShare: 0.25, Seed: 7}
	a, b := pick(t, lex, opt), pick(t, lex, opt)
	if !slices.Equal(a.Items, b.Items) {
		t.Errorf("seed 7 twice:\n%v\n%v", a.Items, b.Items)
	}
	opt.Seed = 8
	if c := pick(t, lex, opt); slices.Equal(a.Items, c.Items) {
		t.Errorf("seeds 7 and 8 picked the same: %v", a.Items)
	}
}

func TestPickOthersErrors(t *testing.T) {
	lex := readExcerpt(t)
	for _, opt := range []OtherOptions{
		{N: 0},
		{N: -1},
		{N: 5, ConfusableShare: 1.5},
		{N: 5, PhraseShare: -0.1},
		{N: 5, Commands: lex.Words}, // every word a command
	} {
		if _, err := PickOthers(lex, opt); err == nil || !strings.HasPrefix(err.Error(), "synth: ") {
			t.Errorf("%+v: error %v", opt, err)
		}
	}
}

func TestWriteOthers(t *testing.T) {
	lex := readExcerpt(t)
	set := pick(t, lex, OtherOptions{N: 6, ConfusableShare: 0.5, PhraseShare: 0.5, Seed: 1})
	dir := filepath.Join(t.TempDir(), "new")
	if err := WriteOthers(dir, set); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, OthersFile))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if lines[0] != "text\tlabel\tkind\tnear\tscore" || len(lines) != 1+6+5 {
		t.Fatalf("%d lines:\n%s", len(lines), b)
	}
	for i, o := range set.Items {
		f := strings.Split(lines[1+i], "\t")
		if len(f) != 5 || f[0] != o.Text || f[1] != Label(o.Text) || f[2] != o.Kind || f[3] != o.Near {
			t.Errorf("row %d %q for %+v", i, f, o)
		}
	}
	if got := lines[len(lines)-1]; got != `# homophones of "up" left out: upp` {
		t.Errorf("last line %q", got)
	}
	if !slices.Equal(set.Texts(), texts(set, "")) {
		t.Errorf("Texts %q", set.Texts())
	}
}
