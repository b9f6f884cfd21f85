package graph

import (
	"bytes"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestFindQuote(t *testing.T) {
	text := "Iran’s IRGC says This terrorist attack happened.\nThe “minor issue” — said Larijani."
	tests := []struct {
		quote string
		want  string // the text found, or "" when not found
	}{
		{"Iran’s IRGC says", "Iran’s IRGC says"},
		{"Iran's IRGC says", "Iran’s IRGC says"},                 // typographic apostrophe
		{"happened. The", "happened.\nThe"},                      // line break as space
		{`The "minor issue" - said`, "The “minor issue” — said"}, // quotes and dashes
		{"  IRGC   says  ", "IRGC says"},                         // surrounding and inner white space
		{"IRGC said", ""},                                        // a changed word is not forgiven
		{"irgc says", ""},                                        // nor is case
		{"", ""},                                                 // an empty quote is never found
		{"Larijani.", "Larijani."},                               // at the very end
	}
	for _, tt := range tests {
		start, end, ok := FindQuote(text, tt.quote)
		got := ""
		if ok {
			got = text[start:end]
		}
		if got != tt.want {
			t.Errorf("FindQuote(%q) found %q, want %q", tt.quote, got, tt.want)
		}
	}
}

// TestFindQuoteAsReference checks that the index finds what folding with
// an offset per byte, as kg did before, finds, at the same offsets.
func TestFindQuoteAsReference(t *testing.T) {
	texts := []string{
		"Iran’s IRGC says This terrorist attack happened.\nThe “minor issue” — said Larijani.",
		"  lead\t\tand  trail  ",
		"naïve café — “déjà vu”\u00a0again\u2003and\u2028on",
		"bad \xff byte \xe2\x80 and \ufffd kept",
		"x\u2014y\u2014\u2014z",
	}
	for _, text := range texts {
		// Every substring of the text, as a quote, and a few folded forms.
		for i := 0; i <= len(text); i++ {
			for j := i; j <= len(text); j++ {
				checkAsReference(t, text, text[i:j])
			}
		}
		checkAsReference(t, text, "\"minor issue\" - said")
		checkAsReference(t, text, "deja")
	}
}

func checkAsReference(t *testing.T, text, quote string) {
	t.Helper()
	s1, e1, ok1 := FindQuote(text, quote)
	s2, e2, ok2 := findReference(text, quote)
	if s1 != s2 || e1 != e2 || ok1 != ok2 {
		t.Fatalf("FindQuote(%q, %q) = %d, %d, %v; the reference gives %d, %d, %v", text, quote, s1, e1, ok1, s2, e2, ok2)
	}
}

func FuzzFindQuote(f *testing.F) {
	f.Add("a “b” c", "\"b\"")
	f.Add("x\u2014y", "x-y")
	f.Add("a\xffb  c", "\xffb c")
	f.Fuzz(func(t *testing.T, text, quote string) {
		start, end, ok := FindQuote(text, quote)
		if ok && (start < 0 || end > len(text) || start >= end) {
			t.Fatalf("offsets [%d,%d) out of range for %d bytes", start, end, len(text))
		}
		checkAsReference(t, text, quote)
	})
}

// findReference is FindQuote as it was before QuoteIndex kept segments:
// slower, plainly right, and the oracle the index is tested against.
func findReference(text, quote string) (start, end int, ok bool) {
	folded, offsets := foldReference(text)
	fq, _ := foldReference(quote)
	if len(fq) == 0 {
		return 0, 0, false
	}
	i := bytes.Index(folded, fq)
	if i < 0 {
		return 0, 0, false
	}
	last := int(offsets[i+len(fq)-1])
	_, n := utf8.DecodeRuneInString(text[last:])
	return int(offsets[i]), last + n, true
}

func foldReference(s string) ([]byte, []int32) {
	var out []byte
	var offsets []int32
	space, start := false, true
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == ' ' || r == '\n' || r == '\t' || r == '\r' || (r >= utf8.RuneSelf && unicode.IsSpace(r)) {
			space = true
			i += size
			continue
		}
		if space && !start {
			out = append(out, ' ')
			offsets = append(offsets, int32(i-1))
		}
		space, start = false, false
		switch r {
		case '\u2018', '\u2019', '\u201A', '\u201B', '\u2032':
			r = '\''
		case '\u201C', '\u201D', '\u201E', '\u201F', '\u2033':
			r = '"'
		case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212':
			r = '-'
		}
		n := len(out)
		out = utf8.AppendRune(out, r)
		for range len(out) - n {
			offsets = append(offsets, int32(i))
		}
		i += size
	}
	return out, offsets
}

func TestParseDate(t *testing.T) {
	tests := []struct{ in, want, err string }{
		{"2017-06-07", "2017-06-07", ""},
		{"2017-06", "2017-06", ""},
		{"2017", "2017", ""},
		{"2024-02-29", "2024-02-29", ""},
		{"2023-02-29", "", `date "2023-02-29": February has no day 29`},
		{"2017-13", "", `date "2017-13": month 13 is not 01 to 12`},
		{"17-06-07", "", `date "17-06-07": want YYYY-MM-DD, YYYY-MM or YYYY`},
		{"2017-6-7", "", `date "2017-6-7": want YYYY-MM-DD, YYYY-MM or YYYY`},
		{"June 2017", "", `date "June 2017": want YYYY-MM-DD, YYYY-MM or YYYY`},
	}
	for _, tt := range tests {
		d, err := ParseDate(tt.in)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("ParseDate(%q) error %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || d.String() != tt.want {
			t.Errorf("ParseDate(%q) = %q, %v; want %q", tt.in, d, err, tt.want)
		}
	}
}

func TestParseFigure(t *testing.T) {
	tests := []struct {
		in   string
		want Figure
		ok   bool
	}{
		{"12", Figure{"killed", 12, ""}, true},
		{"at least 12", Figure{"killed", 12, "at least"}, true},
		{"about 40", Figure{"killed", 40, "about"}, true},
		{"twelve", Figure{}, false},
		{"-3", Figure{}, false},
		{"at least", Figure{}, false},
		{"+4", Figure{}, false},
	}
	for _, tt := range tests {
		got, err := ParseFigure("killed", tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseFigure(%q) = %+v, %v", tt.in, got, err)
		}
	}
}

func TestClosest(t *testing.T) {
	choices := []string{"quote", "subject", "object", "about"}
	for in, want := range map[string]string{"qoute": "quote", "subjet": "subject", "Objcet": "object", "zzz": ""} {
		got := Closest(in, choices, 1)
		if (want == "" && len(got) != 0) || (want != "" && (len(got) != 1 || got[0] != want)) {
			t.Errorf("Closest(%q) = %v, want %q", in, got, want)
		}
	}
}
