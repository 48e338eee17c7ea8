package synth

import (
	"fmt"
	"strings"
	"unicode"
)

// Label returns the folder name for a phrase: lower case, letters and digits
// kept, punctuation dropped, runs of spaces (and hyphens, which separate
// words) turned into one underscore. "Hey, what is the temperature?" gives
// "hey_what_is_the_temperature" and "what's on" gives "whats_on". It returns
// "" for a phrase with no letter or digit.
func Label(phrase string) string {
	var b strings.Builder
	pendingSep := false
	for _, r := range strings.ToLower(phrase) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if pendingSep && b.Len() > 0 {
				b.WriteByte('_')
			}
			pendingSep = false
			b.WriteRune(r)
		case unicode.IsSpace(r) || r == '-' || r == '_' || r == '/':
			pendingSep = true
		}
	}
	return b.String()
}

// ParsePhrases splits a list of phrases separated by semicolons or new
// lines, as the -phrases flag gives them, trimming space around each and
// skipping empty ones and collapsing runs of space. It fails when there is no
// phrase, when a phrase has no letter or digit, or when two phrases have the
// same label. (Label never begins with an underscore, so a phrase cannot
// collide with the dataset's _unknown_ and _silence_.)
func ParsePhrases(s string) ([]string, error) {
	var out []string
	seen := map[string]string{}
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '\n' }) {
		p = strings.Join(strings.Fields(p), " ")
		if p == "" {
			continue
		}
		l := Label(p)
		if l == "" {
			return nil, fmt.Errorf("phrase %q has no letter or digit", p)
		}
		if q, dup := seen[l]; dup {
			return nil, fmt.Errorf("phrases %q and %q have the same label %q", q, p, l)
		}
		seen[l] = p
		out = append(out, p)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no phrases in %q", s)
	}
	return out, nil
}
