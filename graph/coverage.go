package graph

import (
	"cmp"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// CoverageTriggers are the words that make a sentence need annotation: the
// vocabulary of the ontology's statements (claims, blame, condemnation,
// criticism, warnings, downplaying) and of attacks and their toll. Matching
// ignores case and is by whole word; a trailing * matches any ending
// ("accuse*" matches accused, accuses, accusing, accusation), and a pattern
// of several words matches them in sequence.
var CoverageTriggers = []string{
	// CLAIMED
	"claim", "claimed", "claims", "claiming", "responsibility", "responsible",
	// BLAMED
	"blame", "blamed", "blames", "blaming", "accuse*", "behind", "culprit*", "perpetrat*",
	// CONDEMNED, CRITICISED
	"condemn*", "denounce*", "rebuke*", "criticis*", "criticiz*",
	// WARNED, THREATENED, DOWNPLAYED
	"warn*", "threat*", "vow*", "dismiss*", "downplay*",
	// attacks and their toll (CARRIED_OUT, TARGETED, KILLED, REPORTED)
	"attack*", "bomb*", "assault*", "stormed", "gunman", "gunmen", "carried out",
	"kill", "killed", "killing*", "dead", "death*", "wounded", "injured", "injuries",
	"casualt*", "fatalit*", "detonat*", "suicide", "explosion*", "blast*", "exploded",
}

// CoverageReport says which sentences of each document that need annotation
// are covered by an evidence quote or a waiver. Its JSON shape is stable.
type CoverageReport struct {
	Documents []DocumentCoverage `json:"documents"`
	// Needing, Covered and Waived sum the documents' counts.
	Needing int `json:"needing"`
	Covered int `json:"covered"`
	Waived  int `json:"waived"`
	// Percent is (Covered+Waived)/Needing in percent, rounded down to one
	// decimal (so 100 means every sentence); 100 when nothing needs
	// annotation.
	Percent float64 `json:"percent"`
}

// DocumentCoverage is the coverage of one document.
type DocumentCoverage struct {
	ID   string `json:"id"`
	File string `json:"file"` // the text file, as the annotation resolves it
	// Sentences counts all sentences; Needing those with a trigger word or
	// a known name; Covered those of them an evidence quote overlaps;
	// Waived those of them only a waiver overlaps.
	Sentences int     `json:"sentences"`
	Needing   int     `json:"needing"`
	Covered   int     `json:"covered"`
	Waived    int     `json:"waived"`
	Percent   float64 `json:"percent"`
	// Uncovered lists the sentences needing annotation that nothing covers,
	// in text order.
	Uncovered []UncoveredSentence `json:"uncovered"`
	// UnknownNames lists capitalised names matching no entity name or
	// alias: candidates for new entities or aliases. Most frequent first.
	UnknownNames []NameCount `json:"unknownNames"`
}

// UncoveredSentence is a sentence needing annotation that no quote or
// waiver overlaps.
type UncoveredSentence struct {
	// Line and Col locate the sentence's start in the text file; both count
	// from 1 and Col counts characters.
	Line int    `json:"line"`
	Col  int    `json:"col"`
	Text string `json:"text"`
	// Reasons say why the sentence needs annotation, in text order:
	// "trigger: claimed", "mention: Isil".
	Reasons []string `json:"reasons"`
}

// NameCount is a name with how often a document uses it.
type NameCount struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// Sentence is a sentence of a text: its byte offsets [Start, End) and its
// text, without surrounding white space.
type Sentence struct {
	Start, End int
	Text       string
}

// Coverage measures how much of each document's text the annotations cover.
// Call it after Check, which sets the quotes' offsets; quotes that were not
// found cover nothing. The ontology is not consulted yet: triggers are
// CoverageTriggers.
func Coverage(c *Corpus, o *Ontology) CoverageReport {
	m := newMentionMatcher(c.Entities)
	spans := map[string][]quoteSpan{}
	for _, r := range c.Relations {
		if r.Evidence.End > r.Evidence.Start {
			spans[r.Evidence.Document] = append(spans[r.Evidence.Document], quoteSpan{r.Evidence.Start, r.Evidence.End, false})
		}
	}
	for _, w := range c.Waivers {
		if w.End > w.Start {
			spans[w.Document] = append(spans[w.Document], quoteSpan{w.Start, w.End, true})
		}
	}
	rep := CoverageReport{Documents: []DocumentCoverage{}}
	for _, d := range c.Documents {
		dc := documentCoverage(d, spans[d.ID], m)
		rep.Documents = append(rep.Documents, dc)
		rep.Needing += dc.Needing
		rep.Covered += dc.Covered
		rep.Waived += dc.Waived
	}
	rep.Percent = percent(rep.Covered+rep.Waived, rep.Needing)
	return rep
}

type quoteSpan struct {
	start, end int
	waiver     bool
}

// percent is n/d in percent, rounded down to one decimal; 100 when d is 0.
func percent(n, d int) float64 {
	if d == 0 {
		return 100
	}
	return float64(n*1000/d) / 10
}

func documentCoverage(d *Document, quotes []quoteSpan, m *mentionMatcher) DocumentCoverage {
	file := d.Path
	if file == "" {
		file = d.File
	}
	dc := DocumentCoverage{ID: d.ID, File: file, Uncovered: []UncoveredSentence{}, UnknownNames: []NameCount{}}
	sentences := SplitSentences(d.Text)
	dc.Sentences = len(sentences)

	type analysed struct {
		tokens   []token
		mentions []span
	}
	all := make([]analysed, len(sentences))
	// Words written capitalised other than at a sentence's start: a
	// sentence-initial word is a name only if it is also one of these.
	midCaps := map[string]bool{}
	for i, s := range sentences {
		all[i] = analysed{tokens: tokenize(s.Text), mentions: m.find(s.Text)}
		for _, t := range all[i].tokens {
			if !t.initial && t.capitalised {
				midCaps[t.text] = true
			}
		}
	}
	unknown := map[string]int{}
	lines := lineStarts(d.Text)
	for i, s := range sentences {
		a := all[i]
		for _, n := range unknownNames(s.Text, a.tokens, a.mentions, midCaps) {
			unknown[n]++
		}
		reasons := needReasons(s.Text, a.tokens, a.mentions)
		if len(reasons) == 0 {
			continue
		}
		dc.Needing++
		covered, waived := false, false
		for _, q := range quotes {
			if q.start < s.End && q.end > s.Start {
				if q.waiver {
					waived = true
				} else {
					covered = true
				}
			}
		}
		switch {
		case covered:
			dc.Covered++
		case waived:
			dc.Waived++
		default:
			line, col := lineCol(d.Text, lines, s.Start)
			dc.Uncovered = append(dc.Uncovered, UncoveredSentence{Line: line, Col: col, Text: s.Text, Reasons: reasons})
		}
	}
	dc.Percent = percent(dc.Covered+dc.Waived, dc.Needing)
	for n, k := range unknown {
		dc.UnknownNames = append(dc.UnknownNames, NameCount{n, k})
	}
	slices.SortFunc(dc.UnknownNames, func(a, b NameCount) int {
		return cmp.Or(b.Count-a.Count, strings.Compare(a.Name, b.Name))
	})
	return dc
}

// lineStarts returns the byte offset at which each line of text starts.
func lineStarts(text string) []int {
	starts := []int{0}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// lineCol turns a byte offset into a 1-based line and character column.
func lineCol(text string, starts []int, off int) (line, col int) {
	i, found := slices.BinarySearch(starts, off)
	if !found {
		i--
	}
	return i + 1, utf8.RuneCountInString(text[starts[i]:off]) + 1
}

// --- sentences ---

// titles are abbreviations that never end a sentence: a name follows.
var titles = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "st": true, "gen": true, "lt": true,
	"col": true, "maj": true, "sgt": true, "capt": true, "cmdr": true, "adm": true, "gov": true,
	"sen": true, "rep": true, "rev": true, "pres": true, "hon": true, "fr": true,
}

// abbreviations end a sentence only when a typical sentence opener follows,
// as do dotted acronyms such as "U.S." and "e.g.".
var abbreviations = map[string]bool{
	"jr": true, "sr": true, "inc": true, "ltd": true, "co": true, "corp": true, "vs": true, "etc": true,
	"no": true, "nos": true, "approx": true, "est": true, "dept": true, "govt": true, "mt": true, "ft": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true,
	"sep": true, "sept": true, "oct": true, "nov": true, "dec": true,
}

// SplitSentences splits text into sentences. Every line is split on its
// own, so headings and lines without final punctuation are sentences of
// their own. Within a line a sentence ends at ".", "!", "?" or "…" (with any
// closing quotes or brackets) followed by white space and a capital, a digit
// or an opening quote; not after a title ("Mr.", "Dr."), an initial ("J.")
// and, unless a common sentence opener follows, not after an abbreviation
// or a dotted acronym ("U.S.").
func SplitSentences(text string) []Sentence {
	var out []Sentence
	for lineStart := 0; lineStart <= len(text); {
		lineEnd := strings.IndexByte(text[lineStart:], '\n')
		if lineEnd < 0 {
			lineEnd = len(text)
		} else {
			lineEnd += lineStart
		}
		out = splitLine(text, lineStart, lineEnd, out)
		lineStart = lineEnd + 1
	}
	return out
}

func splitLine(text string, start, end int, out []Sentence) []Sentence {
	from := start
	for i := start; i < end; {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !isTerminator(r) {
			i += n
			continue
		}
		j := i + n
		single := r == '.'
		for j < end {
			r2, n2 := utf8.DecodeRuneInString(text[j:])
			if !isTerminator(r2) && !isCloser(r2) {
				break
			}
			single = false // "..." or a quote's end: not an abbreviation
			j += n2
		}
		k := j
		for k < end {
			r2, n2 := utf8.DecodeRuneInString(text[k:])
			if !unicode.IsSpace(r2) {
				break
			}
			k += n2
		}
		if k == j || k == end { // no space after it, or the line ends anyway
			i = j
			continue
		}
		next, _ := utf8.DecodeRuneInString(text[k:])
		if !unicode.IsUpper(next) && !unicode.IsDigit(next) && !isOpener(next) {
			i = j
			continue
		}
		if single && !endsSentenceAfter(text[from:i], text[k:end]) {
			i = j
			continue
		}
		out = appendTrimmed(out, text, from, j)
		from, i = k, k
	}
	return appendTrimmed(out, text, from, end)
}

// endsSentenceAfter decides whether a full stop after before ends the
// sentence, when after is what follows the space.
func endsSentenceAfter(before, after string) bool {
	w := before[strings.LastIndexFunc(before, func(r rune) bool {
		return !unicode.IsLetter(r) && r != '.'
	})+1:]
	lw := strings.ToLower(w)
	switch {
	case w == "":
		return true
	case titles[lw]:
		return false
	case utf8.RuneCountInString(w) == 1 && unicode.IsUpper([]rune(w)[0]):
		return false // an initial
	case abbreviations[lw] || strings.Contains(w, "."):
		first := after[:len(after)-len(strings.TrimLeftFunc(after, unicode.IsLetter))]
		return stopwords[strings.ToLower(first)]
	}
	return true
}

func appendTrimmed(out []Sentence, text string, start, end int) []Sentence {
	s := text[start:end]
	t := strings.TrimLeftFunc(s, unicode.IsSpace)
	start += len(s) - len(t)
	t = strings.TrimRightFunc(t, unicode.IsSpace)
	if t == "" {
		return out
	}
	return append(out, Sentence{Start: start, End: start + len(t), Text: t})
}

func isTerminator(r rune) bool { return r == '.' || r == '!' || r == '?' || r == '…' }

func isCloser(r rune) bool {
	return r == '"' || r == '\'' || r == ')' || r == ']' || r == '”' || r == '’' || r == '»'
}

func isOpener(r rune) bool {
	return r == '"' || r == '\'' || r == '(' || r == '[' || r == '“' || r == '‘' || r == '«'
}

// --- words ---

type token struct {
	start, end  int // byte offsets in the sentence, without a possessive 's
	text        string
	capitalised bool
	// initial is set on words that open the sentence or a quotation, where
	// common words are capitalised too.
	initial bool
}

var wordPattern = regexp.MustCompile(`(?:\p{Lu}\.){2,}|[\p{L}\p{N}]+(?:['’\-][\p{L}\p{N}]+)*`)

func tokenize(s string) []token {
	var out []token
	for _, loc := range wordPattern.FindAllStringIndex(s, -1) {
		t := token{start: loc[0], end: loc[1]}
		for _, p := range []string{"'s", "’s", "'S", "’S"} {
			if strings.HasSuffix(s[t.start:t.end], p) && t.end-len(p) > t.start {
				t.end -= len(p)
				break
			}
		}
		t.text = s[t.start:t.end]
		r, _ := utf8.DecodeRuneInString(t.text)
		t.capitalised = unicode.IsUpper(r)
		before := strings.TrimRightFunc(s[:t.start], unicode.IsSpace)
		p, _ := utf8.DecodeLastRuneInString(before)
		t.initial = len(out) == 0 || isOpener(p) || p == ':'
		out = append(out, t)
	}
	return out
}

type span struct{ start, end int }

// mentionMatcher finds entity names and aliases in sentences.
type mentionMatcher struct {
	names []*regexp.Regexp
}

// newMentionMatcher matches every entity's name and aliases as whole words,
// ignoring case, except that all-capital names (acronyms such as "IS" and
// "US") match only as written, lest they match the words "is" and "us".
func newMentionMatcher(entities []*Entity) *mentionMatcher {
	m := &mentionMatcher{}
	seen := map[string]bool{}
	for _, e := range entities {
		for _, n := range append([]string{e.Name}, e.Aliases...) {
			n = strings.TrimSpace(n)
			if n == "" || seen[n] {
				continue
			}
			seen[n] = true
			pat := strings.Join(strings.Fields(regexp.QuoteMeta(n)), `\s+`)
			if !isAcronym(n) {
				pat = "(?i)" + pat
			}
			m.names = append(m.names, regexp.MustCompile(pat))
		}
	}
	return m
}

func isAcronym(s string) bool {
	letters := false
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		letters = letters || unicode.IsLetter(r)
	}
	return letters
}

// find returns the mentions in s, longest first where they overlap, in
// text order.
func (m *mentionMatcher) find(s string) []span {
	var all []span
	for _, re := range m.names {
		for pos := 0; pos < len(s); {
			loc := re.FindStringIndex(s[pos:])
			if loc == nil {
				break
			}
			a, b := pos+loc[0], pos+loc[1]
			if wordBoundary(s, a, b) {
				all = append(all, span{a, b})
				pos = b
				continue
			}
			_, n := utf8.DecodeRuneInString(s[a:])
			pos = a + n
		}
	}
	slices.SortFunc(all, func(x, y span) int { return cmp.Or(x.start-y.start, y.end-x.end) })
	var out []span
	for _, sp := range all {
		if len(out) > 0 && sp.start < out[len(out)-1].end {
			continue
		}
		out = append(out, sp)
	}
	return out
}

func wordBoundary(s string, a, b int) bool {
	if a > 0 {
		r, _ := utf8.DecodeLastRuneInString(s[:a])
		if isWordRune(r) {
			return false
		}
	}
	if b < len(s) {
		r, _ := utf8.DecodeRuneInString(s[b:])
		if isWordRune(r) {
			return false
		}
	}
	return true
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// triggerPattern is a compiled entry of CoverageTriggers.
type triggerPattern struct {
	words  []string
	prefix bool // the last word is a prefix
}

var triggerPatterns = func() []triggerPattern {
	var out []triggerPattern
	for _, t := range CoverageTriggers {
		p := triggerPattern{words: strings.Fields(strings.ToLower(t))}
		last := p.words[len(p.words)-1]
		if s, ok := strings.CutSuffix(last, "*"); ok {
			p.words[len(p.words)-1], p.prefix = s, true
		}
		out = append(out, p)
	}
	return out
}()

// matchAt reports how many tokens from i the pattern matches, or 0.
func (p triggerPattern) matchAt(s string, tokens []token, i int) int {
	if i+len(p.words) > len(tokens) {
		return 0
	}
	for j, w := range p.words {
		t := strings.ToLower(s[tokens[i+j].start:tokens[i+j].end])
		if j == len(p.words)-1 && p.prefix {
			if !strings.HasPrefix(t, w) {
				return 0
			}
		} else if t != w {
			return 0
		}
		if j > 0 && strings.TrimSpace(s[tokens[i+j-1].end:tokens[i+j].start]) != "" {
			return 0
		}
	}
	return len(p.words)
}

// needReasons says why a sentence needs annotation: its trigger words and
// its mentions of known names, in text order, each once.
func needReasons(s string, tokens []token, mentions []span) []string {
	type reason struct {
		at   int
		text string
	}
	var rs []reason
	for i := range tokens {
		for _, p := range triggerPatterns {
			if n := p.matchAt(s, tokens, i); n > 0 {
				rs = append(rs, reason{tokens[i].start, "trigger: " + strings.ToLower(strings.Join(strings.Fields(s[tokens[i].start:tokens[i+n-1].end]), " "))})
				break
			}
		}
	}
	for _, m := range mentions {
		rs = append(rs, reason{m.start, "mention: " + strings.Join(strings.Fields(s[m.start:m.end]), " ")})
	}
	slices.SortStableFunc(rs, func(a, b reason) int { return a.at - b.at })
	var out []string
	seen := map[string]bool{}
	for _, r := range rs {
		key := strings.ToLower(r.text)
		if !seen[key] {
			seen[key] = true
			out = append(out, r.text)
		}
	}
	return out
}

// --- unknown names ---

// stopwords are common words that open sentences; capitalised at a
// sentence's start they are not names. They are also the openers after
// which an abbreviation ends a sentence.
var stopwords = setOf(
	"a", "an", "the", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we", "i", "you",
	"his", "her", "their", "our", "my", "your", "there", "here", "in", "on", "at", "as", "after", "before",
	"but", "and", "or", "so", "if", "when", "while", "since", "though", "although", "because", "some", "many",
	"most", "all", "both", "each", "other", "another", "such", "what", "who", "whom", "which", "where", "how",
	"why", "according", "about", "more", "also", "however", "meanwhile", "later", "earlier", "last", "next",
	"one", "two", "three", "for", "from", "by", "with", "to", "of", "no", "not", "yet", "still", "then",
	"during", "until", "despite", "among", "over", "under", "officials", "reports", "witnesses",
)

// notNames are capitalised words that are never names of entities.
var notNames = setOf(
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
	"january", "february", "march", "april", "may", "june", "july", "august", "september",
	"october", "november", "december", "i",
)

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// unknownNames returns the runs of capitalised words in a sentence that are
// not known names. A run ends at any punctuation except the full stop of an
// initial ("George W. Bush"), so also after a possessive. The first word of a
// sentence or quotation is dropped when it is a common word, and a one-word
// run there counts only if the document capitalises the word elsewhere too
// (midCaps).
func unknownNames(s string, tokens []token, mentions []span, midCaps map[string]bool) []string {
	inMention := func(t token) bool {
		for _, m := range mentions {
			if t.start < m.end && t.end > m.start {
				return true
			}
		}
		return false
	}
	var out []string
	var run []token
	flush := func() {
		if len(run) == 0 {
			return
		}
		if run[0].initial {
			switch {
			case stopwords[commonPart(run[0].text)]:
				run = run[1:]
			case len(run) == 1 && !midCaps[run[0].text]:
				run = nil
			}
		}
		if len(run) > 0 {
			out = append(out, s[run[0].start:run[len(run)-1].end])
		}
		run = nil
	}
	for _, t := range tokens {
		if !t.capitalised || notNames[strings.ToLower(t.text)] || inMention(t) {
			flush()
			continue
		}
		if len(run) > 0 && !joins(s, run[len(run)-1], t) {
			flush()
		}
		run = append(run, t)
	}
	flush()
	return out
}

// commonPart lower-cases a word and drops a contraction's ending, so that
// "We're" is looked up as "we".
func commonPart(w string) string {
	if i := strings.IndexAny(w, "'’"); i > 0 {
		w = w[:i]
	}
	return strings.ToLower(w)
}

// joins reports whether t continues the run that ends with prev: only
// spaces lie between them, or the full stop of an initial.
func joins(s string, prev, t token) bool {
	gap := s[prev.end:t.start]
	if utf8.RuneCountInString(prev.text) == 1 {
		gap = strings.TrimPrefix(gap, ".")
	}
	return gap != "" && strings.Trim(gap, " \t") == ""
}
