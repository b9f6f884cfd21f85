package graph

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestSplitSentences(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"plain", "One died. Two were hurt! Was it IS? Nobody knows.",
			[]string{"One died.", "Two were hurt!", "Was it IS?", "Nobody knows."}},
		{"heading line without punctuation", "Attack in Tehran\nGunmen stormed the parliament.",
			[]string{"Attack in Tehran", "Gunmen stormed the parliament."}},
		{"blank lines and CRLF", "Title\r\n\r\n  First line.  \r\nSecond line",
			[]string{"Title", "First line.", "Second line"}},
		{"titles never end a sentence", "Mr. Smith met Dr. Jones. They spoke.",
			[]string{"Mr. Smith met Dr. Jones.", "They spoke."}},
		{"initials", "President George W. Bush spoke. J. R. Ewing did not.",
			[]string{"President George W. Bush spoke.", "J. R. Ewing did not."}},
		{"dotted acronym before a name", "The U.S. State Department condemned it.",
			[]string{"The U.S. State Department condemned it."}},
		{"dotted acronym ending a sentence", "Iran blamed the U.S. The next day it was quiet.",
			[]string{"Iran blamed the U.S.", "The next day it was quiet."}},
		{"abbreviation before a number", "He lives at No. 10 Downing Street. Police came.",
			[]string{"He lives at No. 10 Downing Street.", "Police came."}},
		{"lower case after a full stop", "It was 3 p.m. on Monday. Then it ended.",
			[]string{"It was 3 p.m. on Monday.", "Then it ended."}},
		{"closing quote", `He said "we are staying." Then he left.`,
			[]string{`He said "we are staying."`, "Then he left."}},
		{"quoted abbreviation-like word still ends", `She answered "no." Police left.`,
			[]string{`She answered "no."`, "Police left."}},
		{"ellipsis followed by lower case", "Saudi Arabia... shows they are involved. Next.",
			[]string{"Saudi Arabia... shows they are involved.", "Next."}},
		{"decimal number", "Turnout was 3.5 percent. Few voted.",
			[]string{"Turnout was 3.5 percent.", "Few voted."}},
		{"opening quote starts a sentence", `It ended. "We won," he said.`,
			[]string{"It ended.", `"We won," he said.`}},
		{"non-ASCII", "Le café a brûlé. Über alles.",
			[]string{"Le café a brûlé.", "Über alles."}},
		{"empty", "\n\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SplitSentences(tt.text)
			var texts []string
			for _, s := range got {
				if tt.text[s.Start:s.End] != s.Text {
					t.Errorf("offsets [%d,%d) give %q, want the sentence %q", s.Start, s.End, tt.text[s.Start:s.End], s.Text)
				}
				texts = append(texts, s.Text)
			}
			if !reflect.DeepEqual(texts, tt.want) {
				t.Errorf("SplitSentences(%q)\n got %q\nwant %q", tt.text, texts, tt.want)
			}
		})
	}
}

// coverageCorpus builds a corpus of one document "d1" and the shared
// entities; quotes are located as Check would locate them.
type coverageCorpus struct {
	t *testing.T
	c *Corpus
}

func newCoverageCorpus(t *testing.T, texts ...string) *coverageCorpus {
	c := &Corpus{Entities: []*Entity{
		{ID: "islamic-state", Kind: "ArmedGroup", Name: "Islamic State", Aliases: []string{"IS", "Isil", "Islamic State group"}},
		{ID: "iran", Kind: "State", Name: "Iran"},
		{ID: "united-states", Kind: "State", Name: "United States", Aliases: []string{"US", "U.S."}},
	}}
	for i, text := range texts {
		id := "d" + string(rune('1'+i))
		c.Documents = append(c.Documents, &Document{ID: id, File: id + ".txt", Path: "seeds/" + id + ".txt", Text: text})
	}
	return &coverageCorpus{t, c}
}

func (cc *coverageCorpus) span(doc, quote string) (int, int) {
	cc.t.Helper()
	for _, d := range cc.c.Documents {
		if d.ID == doc {
			start, end, ok := FindQuote(d.Text, quote)
			if !ok {
				cc.t.Fatalf("quote %q not in %s", quote, doc)
			}
			return start, end
		}
	}
	cc.t.Fatalf("no document %s", doc)
	return 0, 0
}

func (cc *coverageCorpus) evidence(doc, quote string) *coverageCorpus {
	cc.t.Helper()
	s, e := cc.span(doc, quote)
	return cc.evidenceAt(doc, s, e)
}

func (cc *coverageCorpus) evidenceAt(doc string, start, end int) *coverageCorpus {
	cc.c.Relations = append(cc.c.Relations, &Relation{Subject: "x", Type: "CLAIMED", Object: "y",
		Evidence: Evidence{Document: doc, Quote: "q", Start: start, End: end}})
	return cc
}

func (cc *coverageCorpus) waiver(doc, quote string) *coverageCorpus {
	cc.t.Helper()
	s, e := cc.span(doc, quote)
	cc.c.Waivers = append(cc.c.Waivers, &Waiver{Document: doc, Quote: quote, Reason: "r", Start: s, End: e})
	return cc
}

func TestCoverage(t *testing.T) {
	const text = "Isil claimed the attack. The weather was fine.\nMr. Smith blamed the US. Iran said nothing."
	// Sentences: [0] "Isil claimed the attack." (trigger, mention), [1] no reason,
	// [2] "Mr. Smith blamed the US." (line 2, col 1), [3] "Iran said nothing." (line 2, col 26).
	s := SplitSentences(text)
	if len(s) != 4 {
		t.Fatalf("want 4 sentences, got %+v", s)
	}
	tests := []struct {
		name                     string
		build                    func(cc *coverageCorpus)
		needing, covered, waived int
		percent                  float64
		uncovered                []UncoveredSentence
	}{
		{
			name: "nothing annotated", build: func(cc *coverageCorpus) {},
			needing: 3, percent: 0,
			uncovered: []UncoveredSentence{
				{Line: 1, Col: 1, Text: "Isil claimed the attack.", Reasons: []string{"mention: Isil", "trigger: claimed", "trigger: attack"}},
				{Line: 2, Col: 1, Text: "Mr. Smith blamed the US.", Reasons: []string{"trigger: blamed", "mention: US"}},
				{Line: 2, Col: 26, Text: "Iran said nothing.", Reasons: []string{"mention: Iran"}},
			},
		},
		{
			name: "a quote covers its sentence",
			build: func(cc *coverageCorpus) {
				cc.evidence("d1", "claimed the attack")
			},
			needing: 3, covered: 1, percent: 33.3,
			uncovered: []UncoveredSentence{
				{Line: 2, Col: 1, Text: "Mr. Smith blamed the US.", Reasons: []string{"trigger: blamed", "mention: US"}},
				{Line: 2, Col: 26, Text: "Iran said nothing.", Reasons: []string{"mention: Iran"}},
			},
		},
		{
			name: "a waiver counts as covered, apart from quotes",
			build: func(cc *coverageCorpus) {
				cc.evidence("d1", "Isil claimed the attack.").evidence("d1", "Mr. Smith blamed the US.")
				cc.waiver("d1", "Iran said nothing.")
			},
			needing: 3, covered: 2, waived: 1, percent: 100,
		},
		{
			name: "a sentence with both a quote and a waiver is covered, not waived",
			build: func(cc *coverageCorpus) {
				cc.evidence("d1", "Iran said nothing.").waiver("d1", "Iran said")
			},
			needing: 3, covered: 1, percent: 33.3,
			uncovered: []UncoveredSentence{
				{Line: 1, Col: 1, Text: "Isil claimed the attack.", Reasons: []string{"mention: Isil", "trigger: claimed", "trigger: attack"}},
				{Line: 2, Col: 1, Text: "Mr. Smith blamed the US.", Reasons: []string{"trigger: blamed", "mention: US"}},
			},
		},
		{
			name: "a quote ending where a sentence starts does not cover it",
			build: func(cc *coverageCorpus) {
				cc.evidenceAt("d1", s[1].Start, s[2].Start) // ends at the start of sentence 2
				cc.evidenceAt("d1", s[0].End, s[1].End)     // starts at the end of sentence 0
			},
			needing: 3, percent: 0,
			uncovered: []UncoveredSentence{
				{Line: 1, Col: 1, Text: "Isil claimed the attack.", Reasons: []string{"mention: Isil", "trigger: claimed", "trigger: attack"}},
				{Line: 2, Col: 1, Text: "Mr. Smith blamed the US.", Reasons: []string{"trigger: blamed", "mention: US"}},
				{Line: 2, Col: 26, Text: "Iran said nothing.", Reasons: []string{"mention: Iran"}},
			},
		},
		{
			name: "one byte of overlap at either end covers; a quote may span sentences",
			build: func(cc *coverageCorpus) {
				cc.evidenceAt("d1", s[0].End-1, s[0].End)     // the last byte of sentence 1
				cc.evidenceAt("d1", s[2].End-1, s[3].Start+1) // across sentences 3 and 4
			},
			needing: 3, covered: 3, percent: 100,
		},
		{
			name: "another document's quote covers nothing here",
			build: func(cc *coverageCorpus) {
				cc.evidenceAt("d2", 0, len(text))
			},
			needing: 3, percent: 0,
			uncovered: []UncoveredSentence{
				{Line: 1, Col: 1, Text: "Isil claimed the attack.", Reasons: []string{"mention: Isil", "trigger: claimed", "trigger: attack"}},
				{Line: 2, Col: 1, Text: "Mr. Smith blamed the US.", Reasons: []string{"trigger: blamed", "mention: US"}},
				{Line: 2, Col: 26, Text: "Iran said nothing.", Reasons: []string{"mention: Iran"}},
			},
		},
		{
			name: "a quote Check did not find covers nothing",
			build: func(cc *coverageCorpus) {
				cc.evidenceAt("d1", 0, 0)
			},
			needing: 3, percent: 0,
			uncovered: []UncoveredSentence{
				{Line: 1, Col: 1, Text: "Isil claimed the attack.", Reasons: []string{"mention: Isil", "trigger: claimed", "trigger: attack"}},
				{Line: 2, Col: 1, Text: "Mr. Smith blamed the US.", Reasons: []string{"trigger: blamed", "mention: US"}},
				{Line: 2, Col: 26, Text: "Iran said nothing.", Reasons: []string{"mention: Iran"}},
			},
		},
		{
			name: "rounded down, so 100 means all",
			build: func(cc *coverageCorpus) {
				cc.evidence("d1", "Isil claimed").evidence("d1", "Smith blamed")
			},
			needing: 3, covered: 2, percent: 66.6,
			uncovered: []UncoveredSentence{
				{Line: 2, Col: 26, Text: "Iran said nothing.", Reasons: []string{"mention: Iran"}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cc := newCoverageCorpus(t, text, "Unrelated.")
			tt.build(cc)
			rep := Coverage(cc.c, &Ontology{})
			if len(rep.Documents) != 2 {
				t.Fatalf("want 2 documents, got %d", len(rep.Documents))
			}
			d := rep.Documents[0]
			if d.ID != "d1" || d.File != "seeds/d1.txt" || d.Sentences != 4 {
				t.Errorf("document: id %q file %q sentences %d, want d1 seeds/d1.txt 4", d.ID, d.File, d.Sentences)
			}
			if d.Needing != tt.needing || d.Covered != tt.covered || d.Waived != tt.waived || d.Percent != tt.percent {
				t.Errorf("needing %d covered %d waived %d percent %v, want %d %d %d %v",
					d.Needing, d.Covered, d.Waived, d.Percent, tt.needing, tt.covered, tt.waived, tt.percent)
			}
			want := tt.uncovered
			if want == nil {
				want = []UncoveredSentence{}
			}
			if !reflect.DeepEqual(d.Uncovered, want) {
				t.Errorf("uncovered:\n got %+v\nwant %+v", d.Uncovered, want)
			}
			// The second document needs nothing, so the totals are the first's.
			if rep.Needing != tt.needing || rep.Covered != tt.covered || rep.Waived != tt.waived || rep.Percent != tt.percent {
				t.Errorf("overall needing %d covered %d waived %d percent %v, want %d %d %d %v",
					rep.Needing, rep.Covered, rep.Waived, rep.Percent, tt.needing, tt.covered, tt.waived, tt.percent)
			}
			if p := rep.Documents[1].Percent; p != 100 {
				t.Errorf("a document needing nothing is %v%% covered, want 100", p)
			}
		})
	}
}

func TestCoverageOverallSumsDocuments(t *testing.T) {
	cc := newCoverageCorpus(t, "Iran condemned it. Iran warned them.", "IS claimed it.")
	cc.evidence("d1", "Iran condemned it.").evidence("d2", "IS claimed it.")
	rep := Coverage(cc.c, &Ontology{})
	if rep.Needing != 3 || rep.Covered != 2 || rep.Percent != 66.6 {
		t.Errorf("overall needing %d covered %d percent %v, want 3 2 66.6", rep.Needing, rep.Covered, rep.Percent)
	}
	if got := []float64{rep.Documents[0].Percent, rep.Documents[1].Percent}; !reflect.DeepEqual(got, []float64{50, 100}) {
		t.Errorf("document percents %v, want [50 100]", got)
	}
}

func TestCoverageNeeds(t *testing.T) {
	tests := []struct {
		sentence string
		reasons  []string // nil: does not need annotation
	}{
		{"This is it, thus us.", nil}, // acronym aliases IS and US match only in capitals
		{"The Islamic State group said so.", []string{"mention: Islamic State group"}}, // longest name wins
		{"ISIL fighters crossed.", []string{"mention: ISIL"}},                          // mixed-case alias ignores case
		{"Isilism is a made-up word.", nil},                                            // whole words only
		{"Iran's envoy spoke.", []string{"mention: Iran"}},                             // possessive
		{"Officials accused the group.", []string{"trigger: accused"}},                 // prefix trigger
		{"Officials ACCUSED the group.", []string{"trigger: accused"}},                 // triggers ignore case
		{"The attackers were killed; the attack failed.", []string{"trigger: attackers", "trigger: killed", "trigger: attack"}},
		{"They carried  out the raid.", []string{"trigger: carried out"}}, // phrase across white space
		{"They carried the boxes out.", nil},
		{"Children played in the park.", nil},
		{"The U.S. envoy spoke.", []string{"mention: U.S."}},
	}
	for _, tt := range tests {
		t.Run(tt.sentence, func(t *testing.T) {
			cc := newCoverageCorpus(t, tt.sentence)
			d := Coverage(cc.c, &Ontology{}).Documents[0]
			if tt.reasons == nil {
				if d.Needing != 0 {
					t.Errorf("needs annotation (%+v), want not", d.Uncovered)
				}
				return
			}
			if d.Needing != 1 || len(d.Uncovered) != 1 {
				t.Fatalf("needing %d, uncovered %+v; want one", d.Needing, d.Uncovered)
			}
			if got := d.Uncovered[0].Reasons; !reflect.DeepEqual(got, tt.reasons) {
				t.Errorf("reasons %q, want %q", got, tt.reasons)
			}
		})
	}
}

func TestCoverageUnknownNames(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []NameCount
	}{
		{"unknown name counted once per use",
			"Pir Hossein Kolivand said 40 were hurt. Later Pir Hossein Kolivand said more.",
			[]NameCount{{"Pir Hossein Kolivand", 2}}},
		{"known names and aliases are not listed",
			"The Islamic State group and Iran met the U.S. envoy.",
			[]NameCount{}},
		{"a run stops at a known name and at punctuation",
			"Iran's Supreme Leader spoke to Jenny Norton, Kremlin aides and BBC Persian.",
			[]NameCount{{"BBC Persian", 1}, {"Jenny Norton", 1}, {"Kremlin", 1}, {"Supreme Leader", 1}}},
		{"a possessive ends a run",
			"They met Jenny Norton's Kremlin sources.",
			[]NameCount{{"Jenny Norton", 1}, {"Kremlin", 1}}},
		{"sentence-initial common words are skipped",
			"The Kremlin spoke. However, it was late. Gunmen fled. Heavy rain fell.",
			[]NameCount{{"Kremlin", 1}}},
		{"a sentence-initial word counts when capitalised elsewhere",
			"Kremlin aides spoke. They met the Kremlin envoy.",
			[]NameCount{{"Kremlin", 2}}},
		{"quotation openings are like sentence openings",
			`He said: "We're staying." Then "Nobody" came.`,
			[]NameCount{}},
		{"initials join a name; months and days do not count",
			"On Monday in June, George W. Bush spoke.",
			[]NameCount{{"George W. Bush", 1}}},
		{"most frequent first, then by name",
			"Aden fell. Then Aden and Zabid and Basra fell. Basra held.",
			[]NameCount{{"Aden", 2}, {"Basra", 2}, {"Zabid", 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cc := newCoverageCorpus(t, tt.text)
			got := Coverage(cc.c, &Ontology{}).Documents[0].UnknownNames
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("unknown names\n got %v\nwant %v", got, tt.want)
			}
		})
	}
}

func TestCoverageJSONShape(t *testing.T) {
	cc := newCoverageCorpus(t, "Isil claimed it. Pir Kolivand said so.")
	b, err := json.Marshal(Coverage(cc.c, &Ontology{}))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"documents":[{"id":"d1","file":"seeds/d1.txt","sentences":2,"needing":1,"covered":0,"waived":0,"percent":0,` +
		`"uncovered":[{"line":1,"col":1,"text":"Isil claimed it.","reasons":["mention: Isil","trigger: claimed"]}],` +
		`"unknownNames":[{"name":"Pir Kolivand","count":1}]}],"needing":1,"covered":0,"waived":0,"percent":0}`
	if string(b) != want {
		t.Errorf("JSON\n got %s\nwant %s", b, want)
	}
	empty, _ := json.Marshal(Coverage(&Corpus{}, &Ontology{}))
	if got := string(empty); !strings.Contains(got, `"documents":[]`) || !strings.Contains(got, `"percent":100`) {
		t.Errorf("empty corpus gives %s, want documents [] and percent 100", got)
	}
}
