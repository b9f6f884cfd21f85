package graph

import "testing"

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

func FuzzFindQuote(f *testing.F) {
	f.Add("a “b” c", "\"b\"")
	f.Add("x\u2014y", "x-y")
	f.Fuzz(func(t *testing.T, text, quote string) {
		start, end, ok := FindQuote(text, quote)
		if ok && (start < 0 || end > len(text) || start >= end) {
			t.Fatalf("offsets [%d,%d) out of range for %d bytes", start, end, len(text))
		}
	})
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
