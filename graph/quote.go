package graph

import (
	"bytes"
	"unicode"
	"unicode/utf8"
)

// FindQuote finds quote verbatim in text and returns its byte offsets
// [start, end) in text. Runs of white space, typographic quotes and dashes
// are treated as their plain forms on both sides; nothing else is forgiven,
// so a quote either is in its document or is reported.
func FindQuote(text, quote string) (start, end int, ok bool) {
	nq, _ := normalise(quote)
	if len(nq) == 0 {
		return 0, 0, false
	}
	nt, offsets := normalise(text)
	i := bytes.Index(nt, nq)
	if i < 0 {
		return 0, 0, false
	}
	last := i + len(nq) - 1
	end = offsets[last] + runeLenAt(text, offsets[last])
	return offsets[i], end, true
}

func runeLenAt(s string, i int) int {
	_, n := utf8.DecodeRuneInString(s[i:])
	return n
}

// normalise folds s for quote matching and returns, for each byte of the
// result, the byte offset in s of the character it came from.
func normalise(s string) ([]byte, []int) {
	out := make([]byte, 0, len(s))
	offsets := make([]int, 0, len(s))
	space := false
	start := true
	for i, r := range s {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && !start {
			out = append(out, ' ')
			offsets = append(offsets, i-1)
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
			offsets = append(offsets, i)
		}
	}
	return out, offsets
}
