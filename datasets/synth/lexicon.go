package synth

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

// A Pron is one pronunciation: ARPAbet phones in lower case, each vowel
// carrying its stress digit ("ah1", "p" for "up"; 1 primary, 2 secondary,
// 0 none). Festival's reduced vowel "ax" is written "ah0", as the plain CMU
// dictionary writes it.
type Pron []string

// A Lexicon holds words and their pronunciations.
type Lexicon struct {
	Words []string          // lower case, each once, in the order read
	Prons map[string][]Pron // a word's pronunciations; none for a word of a plain word list
	// Prons may hold words that Words does not (see Only): those are only
	// looked up, for the pronunciation of a command, say.
}

// Only returns a lexicon of list's words, in list's order, pronounced as
// list says or else as lex does; its Prons also keep all of lex's, to look
// other words up in. Neither lexicon is changed.
func (lex *Lexicon) Only(list *Lexicon) *Lexicon {
	out := &Lexicon{Words: slices.Clone(list.Words), Prons: make(map[string][]Pron, len(lex.Prons))}
	for w, p := range lex.Prons {
		out.Prons[w] = p
	}
	for w, p := range list.Prons {
		if len(p) > 0 {
			out.Prons[w] = p
		}
	}
	return out
}

// DefaultLexicon is where Debian's festlex-cmu package installs the CMU
// pronouncing dictionary in Festival's format.
const DefaultLexicon = "/usr/share/festival/dicts/cmu/cmudict-0.4.out"

// CommonWords is where Debian's festlex-poslex package installs Festival's
// part-of-speech lexicon: about 33,000 words of newspaper text, commoner
// than many of the CMU dictionary's, for ReadLexiconFile's wordsPath.
const CommonWords = "/usr/share/festival/dicts/wsj.wp39.poslexR"

// ReadLexiconFile reads the lexicon at path (ReadLexicon) and, when wordsPath
// is not "", keeps only the words of the list at wordsPath (Lexicon.Only).
// Errors name the file.
func ReadLexiconFile(path, wordsPath string) (*Lexicon, error) {
	read := func(path string) (*Lexicon, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("synth: %w", err)
		}
		defer f.Close()
		lex, err := ReadLexicon(f)
		if err != nil {
			return nil, fmt.Errorf("synth: %s: %w", path, err)
		}
		return lex, nil
	}
	lex, err := read(path)
	if err != nil || wordsPath == "" {
		return lex, err
	}
	list, err := read(wordsPath)
	if err != nil {
		return nil, err
	}
	return lex.Only(list), nil
}

// ReadLexicon reads a word list in any of four forms, line by line:
// Festival's lexicon entries (festlex-cmu's cmudict-0.4.out),
//
//	("snow" nil (((s n ow) 1)))
//
// the plain CMU dictionary ("SNOW  S N OW1", "READ(2)  R EH1 D"), bare
// words, one a line, or Festival's part-of-speech lexicon (festlex-poslex's
// wsj.wp39.poslexR, `("snow" ((nn -10.648) (nnp -11.403) ) () )`, the words
// of a year of the Wall Street Journal); the last two give words without
// pronunciations. Blank lines, comments
// (";" or "#" first) and Festival's "MNCL" header are skipped. Words are
// lower-cased; a word given twice gathers its pronunciations. Every error
// names the line.
func ReadLexicon(r io.Reader) (*Lexicon, error) {
	lex := &Lexicon{Prons: map[string][]Pron{}}
	seen := map[string]bool{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == ';' || line[0] == '#' || line == "MNCL" {
			continue
		}
		var word string
		var pron Pron
		var err error
		if line[0] == '(' {
			word, pron, err = parseFestivalEntry(line)
		} else {
			word, pron, err = parsePlainEntry(line)
		}
		if err != nil {
			return nil, fmt.Errorf("lexicon line %d: %w", n, err)
		}
		if !seen[word] {
			seen[word] = true
			lex.Words = append(lex.Words, word)
		}
		if pron != nil {
			lex.Prons[word] = append(lex.Prons[word], pron)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("lexicon: %w", err)
	}
	if len(lex.Words) == 0 {
		return nil, fmt.Errorf("lexicon: no words")
	}
	return lex, nil
}

// parseFestivalEntry parses `("word" pos (((p h o n e s) 1) ((...) 0)))`.
func parseFestivalEntry(line string) (string, Pron, error) {
	rest, ok := strings.CutPrefix(line, `("`)
	if !ok {
		return "", nil, fmt.Errorf("want (\"word\" ...: %q", clip(line))
	}
	end := strings.IndexByte(rest, '"')
	if end <= 0 {
		return "", nil, fmt.Errorf("no word in %q", clip(line))
	}
	word := strings.ToLower(rest[:end])
	toks := lispTokens(rest[end+1:])
	// toks: pos ( syllables... ) ) where a syllable is ( ( phones ) stress );
	// a part-of-speech entry has a list, not an atom, after the word.
	if len(toks) > 0 && toks[0] == "(" {
		return word, nil, nil
	}
	if len(toks) < 4 || toks[0] == "(" || toks[0] == ")" || toks[1] != "(" {
		return "", nil, fmt.Errorf("%q: want a part of speech and a list of syllables", word)
	}
	var pron Pron
	i := 2
	for i < len(toks) && toks[i] == "(" {
		if i+1 >= len(toks) || toks[i+1] != "(" {
			return "", nil, fmt.Errorf("%q: bad syllable", word)
		}
		j := i + 2
		start := len(pron)
		for j < len(toks) && toks[j] != ")" && toks[j] != "(" {
			pron = append(pron, toks[j])
			j++
		}
		if j+2 >= len(toks) || toks[j] != ")" || toks[j+2] != ")" {
			return "", nil, fmt.Errorf("%q: bad syllable", word)
		}
		stress, err := strconv.Atoi(toks[j+1])
		if err != nil || stress < 0 || stress > 2 {
			return "", nil, fmt.Errorf("%q: bad stress %q", word, toks[j+1])
		}
		for k := start; k < len(pron); k++ {
			if pron[k] == "ax" {
				pron[k] = "ah0"
			} else if isVowel(pron[k]) {
				pron[k] += strconv.Itoa(stress)
			}
		}
		i = j + 3
	}
	if i+2 != len(toks) || toks[i] != ")" || toks[i+1] != ")" || len(pron) == 0 {
		return "", nil, fmt.Errorf("%q: bad syllable list", word)
	}
	return word, pron, nil
}

// parsePlainEntry parses "WORD" or "WORD(2)  P1 P2 ...".
func parsePlainEntry(line string) (string, Pron, error) {
	f := strings.Fields(line)
	word := strings.ToLower(f[0])
	if i := strings.IndexByte(word, '('); i > 0 && strings.HasSuffix(word, ")") {
		word = word[:i]
	}
	if len(f) == 1 {
		return word, nil, nil
	}
	pron := make(Pron, 0, len(f)-1)
	for _, p := range f[1:] {
		p = strings.ToLower(p)
		base := strings.TrimRight(p, "012")
		if !isVowel(base) && !isConsonant(base) {
			return "", nil, fmt.Errorf("%q: unknown phone %q", word, p)
		}
		if isVowel(base) && base == p {
			p += "0"
		}
		pron = append(pron, p)
	}
	return word, pron, nil
}

func lispTokens(s string) []string {
	s = strings.ReplaceAll(s, "(", " ( ")
	s = strings.ReplaceAll(s, ")", " ) ")
	return strings.Fields(s)
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return s
}

// The ARPAbet phones of the CMU dictionary ("ax" is Festival's).
var (
	vowels     = map[string]bool{"aa": true, "ae": true, "ah": true, "ao": true, "aw": true, "ax": true, "ay": true, "eh": true, "er": true, "ey": true, "ih": true, "iy": true, "ow": true, "oy": true, "uh": true, "uw": true}
	consonants = map[string]bool{"b": true, "ch": true, "d": true, "dh": true, "f": true, "g": true, "hh": true, "jh": true, "k": true, "l": true, "m": true, "n": true, "ng": true, "p": true, "r": true, "s": true, "sh": true, "t": true, "th": true, "v": true, "w": true, "y": true, "z": true, "zh": true}
)

func isVowel(p string) bool     { return vowels[p] }
func isConsonant(p string) bool { return consonants[p] }

// base is a phone without its stress digit.
func base(p string) string { return strings.TrimRight(p, "012") }
