package synth

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/listen-go/listen/internal/atomicfile"
)

// OtherOptions configure PickOthers. The zero value of each field means what
// its comment says; PickOthers never changes the caller's options.
type OtherOptions struct {
	// Commands are what the model listens for (words or phrases). None of
	// them is picked, nor any word that sounds exactly like one
	// (Homophone); the confusable share is drawn from the words that
	// sound most like them.
	Commands []string
	N        int // words and phrases to pick

	// ConfusableShare, from 0 to 1, is the share of the single words
	// taken from those most similar to a command (Similarity), in turn
	// for each command; the rest are drawn uniformly. 0 means none; the
	// command's default is DefaultConfusableShare.
	ConfusableShare float64
	// PhraseShare, from 0 to 1, is the share of N that are phrases of two
	// or three of the picked words. 0 means none; the command's default
	// is DefaultPhraseShare.
	PhraseShare float64
	// MaxSyllables bounds a word's or phrase's syllables, so that it fits
	// a one-second window at a slow rate. 0 means 3.
	MaxSyllables int

	Seed uint64 // the uniform draws and the phrases; the same seed, the same picks
}

// The shares of OtherOptions that `listen synth -others` uses by default:
// half the words near a command in sound, a fifth of the items phrases.
const (
	DefaultConfusableShare = 0.5
	DefaultPhraseShare     = 0.2
)

// Kinds of Other.
const (
	KindConfusable = "confusable" // among the words most similar to Other.Near
	KindUniform    = "uniform"    // drawn uniformly from the lexicon
	KindPhrase     = "phrase"     // two or three picked words
)

// An Other is one word or phrase PickOthers picked.
type Other struct {
	Text  string
	Kind  string  // KindConfusable, KindUniform or KindPhrase
	Near  string  // the command it is most similar to ("" without pronunciations)
	Score float64 // Similarity to Near, 0..1
}

// OtherSet is what PickOthers picked and what it left out.
type OtherSet struct {
	Items []Other
	// Homophones lists, for each command, the lexicon's words that sound
	// exactly like it and so were never picked ("no": "know").
	Homophones map[string][]string
	Warnings   []string // a command without a pronunciation, say
}

// PickOthers picks other words and short phrases from lex for a model of
// opt.Commands to learn as _unknown_: a share of them the words that sound
// most like the commands, the rest drawn uniformly, and some phrases of two
// or three of those. It depends only on lex and opt.
//
// A word is a candidate when it is made of letters (and apostrophes), is not
// a command nor a word of one, does not sound exactly like a command
// (Homophone), and has at most MaxSyllables syllables; of candidates with
// the same Label only the first is kept. A word without a pronunciation is
// drawn only uniformly and cannot be checked for homophones; its syllables
// are its spelling's vowel groups.
//
// The confusable words are taken in turns, one per command, each command's
// next most similar candidate not yet taken (ties in a seeded random
// order), so
// every command gets as many. Phrases join two or three of the picked words
// within MaxSyllables.
func PickOthers(lex *Lexicon, opt OtherOptions) (*OtherSet, error) {
	if opt.N <= 0 {
		return nil, fmt.Errorf("synth: pick %d other words", opt.N)
	}
	share, phraseShare := opt.ConfusableShare, opt.PhraseShare
	if !(share >= 0 && share <= 1 && phraseShare >= 0 && phraseShare <= 1) {
		return nil, fmt.Errorf("synth: confusable share %g, phrase share %g: want shares from 0 to 1", share, phraseShare)
	}
	maxSyl := opt.MaxSyllables
	if maxSyl == 0 {
		maxSyl = 3
	}
	set := &OtherSet{Homophones: map[string][]string{}}

	// The commands' pronunciations: a phrase's is its words' first ones in
	// a row.
	type command struct {
		text  string
		prons []Pron
	}
	var cmds []command
	never := map[string]bool{} // labels of commands and their words
	for _, c := range opt.Commands {
		c = strings.ToLower(strings.Join(strings.Fields(c), " "))
		if c == "" {
			continue
		}
		never[Label(c)] = true
		ws := strings.Fields(c)
		var prons []Pron
		if len(ws) == 1 {
			prons = lex.Prons[c]
		} else {
			var p Pron
			for _, w := range ws {
				never[Label(w)] = true
				wp := lex.Prons[w]
				if len(wp) == 0 {
					p = nil
					break
				}
				p = append(p, wp[0]...)
			}
			if p != nil {
				prons = []Pron{p}
			}
		}
		if len(prons) == 0 {
			set.Warnings = append(set.Warnings, fmt.Sprintf("no pronunciation of command %q in the lexicon: no words similar to it, and its homophones are not known", c))
		}
		cmds = append(cmds, command{c, prons})
	}

	// Candidates.
	type cand struct {
		word  string
		prons []Pron
		syl   int
		best  float64 // highest similarity to any command
		near  string
	}
	var cands []cand
	labels := map[string]bool{}
	for _, w := range lex.Words {
		l := Label(w)
		if l == "" || !isWord(w) || never[l] || labels[l] {
			continue
		}
		prons := lex.Prons[w]
		homophone := false
		for _, c := range cmds {
			if homophoneOf(prons, c.prons) {
				set.Homophones[c.text] = append(set.Homophones[c.text], w)
				homophone = true
			}
		}
		if homophone {
			continue
		}
		syl := spellingSyllables(w)
		if len(prons) > 0 {
			syl = syllables(prons[0])
		}
		if syl > maxSyl {
			continue
		}
		labels[l] = true
		cands = append(cands, cand{word: w, prons: prons, syl: syl})
	}
	if len(cands) == 0 {
		return nil, fmt.Errorf("synth: no word of the lexicon is a candidate")
	}

	// Similarities: sim[c][i] for candidate i and command c.
	sim := make([][]float64, len(cmds))
	for ci, c := range cmds {
		sim[ci] = make([]float64, len(cands))
		for i := range cands {
			for _, p := range cands[i].prons {
				for _, q := range c.prons {
					sim[ci][i] = max(sim[ci][i], Similarity(p, q))
				}
			}
			if s := sim[ci][i]; s > cands[i].best {
				cands[i].best, cands[i].near = s, c.text
			}
		}
	}

	nPhrases := int(math.Round(float64(opt.N) * phraseShare))
	nWords := opt.N - nPhrases
	if nWords == 0 && nPhrases > 0 {
		nWords, nPhrases = min(opt.N, 1), opt.N-1
	}
	nWords = min(nWords, len(cands))
	nConf := int(math.Round(float64(nWords) * share))
	rng := rand.New(rand.NewPCG(opt.Seed, 0x07e5))
	taken := make([]bool, len(cands))
	var picked []int
	// Confusable: each command's candidates ranked by similarity.
	type ranking struct {
		ci    int   // the command
		order []int // candidates, most similar first
	}
	var ranks []ranking
	for ci := range cmds {
		if len(cmds[ci].prons) == 0 {
			continue
		}
		r := make([]int, 0, len(cands))
		for i := range cands {
			if sim[ci][i] > 0 {
				r = append(r, i)
			}
		}
		rng.Shuffle(len(r), func(a, b int) { r[a], r[b] = r[b], r[a] })
		slices.SortStableFunc(r, func(a, b int) int { return cmp.Compare(sim[ci][b], sim[ci][a]) })
		ranks = append(ranks, ranking{ci, r})
	}
	next := make([]int, len(ranks))
	for len(picked) < nConf && len(ranks) > 0 {
		progress := false
		for k, rk := range ranks {
			if len(picked) == nConf {
				break
			}
			r := rk.order
			for next[k] < len(r) && taken[r[next[k]]] {
				next[k]++
			}
			if next[k] == len(r) {
				continue
			}
			i := r[next[k]]
			taken[i] = true
			picked = append(picked, i)
			set.Items = append(set.Items, Other{Text: cands[i].word, Kind: KindConfusable, Near: cmds[rk.ci].text, Score: sim[rk.ci][i]})
			progress = true
		}
		if !progress {
			break
		}
	}
	// Uniform: the rest, in a seeded shuffle of those not taken.
	rest := make([]int, 0, len(cands))
	for i := range cands {
		if !taken[i] {
			rest = append(rest, i)
		}
	}
	rng.Shuffle(len(rest), func(a, b int) { rest[a], rest[b] = rest[b], rest[a] })
	for _, i := range rest[:min(len(rest), nWords-len(picked))] {
		picked = append(picked, i)
		set.Items = append(set.Items, Other{Text: cands[i].word, Kind: KindUniform, Near: cands[i].near, Score: cands[i].best})
	}

	// Phrases of the picked words that fit in maxSyl syllables: pick
	// a length of 2 or 3, then words at random until it is reached,
	// restarting when the syllables run over.
	short := slices.DeleteFunc(slices.Clone(picked), func(i int) bool { return cands[i].syl >= maxSyl })
	seenPhrase := map[string]bool{}
	for tries := 0; nPhrases > 0 && len(short) >= 2 && tries < 100*nPhrases; tries++ {
		k := 2 + rng.IntN(2)
		var ws []string
		syl := 0
		for len(ws) < k && syl < maxSyl {
			i := short[rng.IntN(len(short))]
			if syl+cands[i].syl > maxSyl {
				break
			}
			ws = append(ws, cands[i].word)
			syl += cands[i].syl
		}
		if len(ws) < 2 {
			continue
		}
		text := strings.Join(ws, " ")
		if l := Label(text); seenPhrase[l] || never[l] {
			continue
		} else {
			seenPhrase[l] = true
		}
		set.Items = append(set.Items, Other{Text: text, Kind: KindPhrase})
		nPhrases--
	}
	return set, nil
}

// isWord reports whether w is letters with inner apostrophes or hyphens.
func isWord(w string) bool {
	for i, r := range w {
		switch {
		case r >= 'a' && r <= 'z':
		case (r == '\'' || r == '-') && i > 0 && i < len(w)-1:
		default:
			return false
		}
	}
	return w != ""
}

// syllables counts p's vowels.
func syllables(p Pron) int {
	n := 0
	for _, ph := range p {
		if isVowel(base(ph)) {
			n++
		}
	}
	return n
}

// spellingSyllables estimates a word's syllables as its groups of vowel
// letters (y counted as one), at least one.
func spellingSyllables(w string) int {
	n, in := 0, false
	for _, r := range w {
		v := strings.ContainsRune("aeiouy", r)
		if v && !in {
			n++
		}
		in = v
	}
	return max(n, 1)
}

// soundKey is a pronunciation as heard for telling homophones: no stress,
// and aa and ao as one vowel (most American speakers say "cot" and "caught"
// alike, so "awn" would be heard as "on").
func soundKey(p Pron) string {
	return strings.Join(bases(p), " ")
}

// homophoneOf reports whether any of a's pronunciations sounds like any of
// b's (soundKey).
func homophoneOf(a, b []Pron) bool {
	for _, p := range a {
		for _, q := range b {
			if soundKey(p) == soundKey(q) {
				return true
			}
		}
	}
	return false
}

// Homophone reports whether pronunciations p and q sound the same: the same
// phones, stress aside, with aa and ao taken as one vowel. A word that is a
// homophone of a command is the command as heard, so it is never a negative.
func Homophone(p, q Pron) bool { return soundKey(p) == soundKey(q) }

// Similarity scores how alike two pronunciations sound, from 0 to 1 (1 only
// for homophones), over their phones as heard (stress aside, aa and ao as
// one):
//
//	0.6 * (1 - edit distance over phones / the longer one's length)
//	0.2 if the stressed vowels are the same (the first primary-stressed one, else the first vowel)
//	0.1 if the onsets (consonants before the first vowel) are the same
//	0.1 if the codas (consonants after the last vowel) are the same
//
// "snow" and "no", "cup" and "up", "gone" and "on" score 0.7, "though" and
// "go" 0.6: the weight on the edit distance ranks one-syllable neighbours
// above longer words that merely contain the command ("starship" and
// "stop" 0.64).
func Similarity(p, q Pron) float64 {
	a, b := bases(p), bases(q)
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	s := 0.6 * (1 - float64(editDistance(a, b))/float64(max(len(a), len(b))))
	if sv := stressedVowel(p); sv != "" && sv == stressedVowel(q) {
		s += 0.2
	}
	ao, ac := edges(a)
	bo, bc := edges(b)
	if slices.Equal(ao, bo) {
		s += 0.1
	}
	if slices.Equal(ac, bc) {
		s += 0.1
	}
	return s
}

// bases is p's phones as heard: no stress, and ao as aa (see soundKey).
func bases(p Pron) []string {
	out := make([]string, len(p))
	for i, ph := range p {
		out[i] = heard(ph)
	}
	return out
}

// heard is a phone without stress, aa and ao taken as one.
func heard(ph string) string {
	if b := base(ph); b != "ao" {
		return b
	}
	return "aa"
}

func stressedVowel(p Pron) string {
	first := ""
	for _, ph := range p {
		b := heard(ph)
		if !isVowel(b) {
			continue
		}
		if strings.HasSuffix(ph, "1") {
			return b
		}
		if first == "" {
			first = b
		}
	}
	return first
}

// edges returns the consonants before the first vowel and after the last.
func edges(ph []string) (onset, coda []string) {
	first, last := -1, -1
	for i, p := range ph {
		if isVowel(p) {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return ph, nil
	}
	return ph[:first], ph[last+1:]
}

// editDistance is the Levenshtein distance between two phone sequences.
func editDistance(a, b []string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			sub := prev[j-1]
			if a[i-1] != b[j-1] {
				sub++
			}
			cur[j] = min(sub, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// OthersFile is the list of the picked words that WriteOthers writes in a
// data set folder.
const OthersFile = "others.tsv"

// Texts returns the items' texts, in order: the phrases to Generate.
func (set *OtherSet) Texts() []string {
	out := make([]string, len(set.Items))
	for i, o := range set.Items {
		out[i] = o.Text
	}
	return out
}

// WriteOthers writes set's items to dir/OthersFile, making dir if need be,
// as a tab-separated table (text, label, kind, near, score) followed by the
// homophones left out, atomically.
func WriteOthers(dir string, set *OtherSet) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	err := atomicfile.Write(filepath.Join(dir, OthersFile), func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		fmt.Fprintln(bw, "text\tlabel\tkind\tnear\tscore")
		for _, o := range set.Items {
			fmt.Fprintf(bw, "%s\t%s\t%s\t%s\t%.3f\n", o.Text, Label(o.Text), o.Kind, o.Near, o.Score)
		}
		cs := make([]string, 0, len(set.Homophones))
		for c := range set.Homophones {
			cs = append(cs, c)
		}
		slices.Sort(cs)
		for _, c := range cs {
			fmt.Fprintf(bw, "# homophones of %q left out: %s\n", c, strings.Join(set.Homophones[c], " "))
		}
		return bw.Flush()
	})
	if err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	return nil
}
