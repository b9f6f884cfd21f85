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
	return NewQuoteIndex(text).Find(quote)
}

// QuoteIndex finds quotes in one document. It folds the document once, so
// checking many quotes against one document costs one pass over its text.
type QuoteIndex struct {
	text    string
	folded  []byte
	offsets []int32 // for each byte of folded, the offset in text it came from
}

// NewQuoteIndex prepares text for Find.
func NewQuoteIndex(text string) *QuoteIndex {
	folded, offsets := fold(text, true)
	return &QuoteIndex{text: text, folded: folded, offsets: offsets}
}

// Find returns quote's byte offsets [start, end) in the document.
func (x *QuoteIndex) Find(quote string) (start, end int, ok bool) {
	fq, _ := fold(quote, false)
	if len(fq) == 0 {
		return 0, 0, false
	}
	i := bytes.Index(x.folded, fq)
	if i < 0 {
		return 0, 0, false
	}
	last := int(x.offsets[i+len(fq)-1])
	_, n := utf8.DecodeRuneInString(x.text[last:])
	return int(x.offsets[i]), last + n, true
}

// fold normalises s for quote matching: white space runs become one space
// (and leading and trailing space goes), typographic quotes and dashes
// become plain. With offsets, it also returns for each byte of the result
// the byte offset in s of the character it came from.
func fold(s string, withOffsets bool) ([]byte, []int32) {
	out := make([]byte, 0, len(s))
	var offsets []int32
	if withOffsets {
		offsets = make([]int32, 0, len(s))
	}
	space, start := false, true
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		if r == ' ' || r == '\n' || r == '\t' || r == '\r' || (r >= utf8.RuneSelf && unicode.IsSpace(r)) {
			space = true
			i += size
			continue
		}
		if space && !start {
			out = append(out, ' ')
			if withOffsets {
				offsets = append(offsets, int32(i-1))
			}
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
		if withOffsets {
			for range len(out) - n {
				offsets = append(offsets, int32(i))
			}
		}
		i += size
	}
	return out, offsets
}
