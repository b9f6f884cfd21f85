package graph

import (
	"bytes"
	"sort"
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
	text   string
	folded []byte
	// segs map folded back to text: the bytes of folded from segs[k].at
	// up to the next segment came from the bytes of text from segs[k].from
	// on, one to one. Text is mostly copied as it is, so a document has a
	// segment per folded run of white space or folded character, not an
	// offset per byte: folding a corpus is then mostly copying.
	segs []segment
}

type segment struct{ at, from int32 }

// NewQuoteIndex prepares text for Find.
func NewQuoteIndex(text string) *QuoteIndex {
	x := &QuoteIndex{text: text}
	x.folded = fold(text, x)
	return x
}

// Find returns quote's byte offsets [start, end) in the document.
func (x *QuoteIndex) Find(quote string) (start, end int, ok bool) {
	fq := fold(quote, nil)
	if len(fq) == 0 {
		return 0, 0, false
	}
	i := bytes.Index(x.folded, fq)
	if i < 0 {
		return 0, 0, false
	}
	// The last byte of the match came from the last byte of a character
	// copied as it was, or from the first byte of one folded: either way
	// the character that starts there ends the quote.
	last := x.from(i + len(fq) - 1)
	_, n := utf8.DecodeRuneInString(x.text[last:])
	return x.from(i), last + n, true
}

// from returns the offset in the text of the byte that folded byte i came from.
func (x *QuoteIndex) from(i int) int {
	k := sort.Search(len(x.segs), func(k int) bool { return int(x.segs[k].at) > i }) - 1
	return int(x.segs[k].from) + i - int(x.segs[k].at)
}

// mark records that the folded bytes from at on come from the bytes of the
// text from offset from on. A nil index records nothing.
func (x *QuoteIndex) mark(at, from int) {
	if x == nil {
		return
	}
	if n := len(x.segs); n > 0 && int(x.segs[n-1].from)+at-int(x.segs[n-1].at) == from {
		return // the current segment goes on
	}
	x.segs = append(x.segs, segment{at: int32(at), from: int32(from)})
}

// fold normalises s for quote matching: white space runs become one space
// (and leading and trailing space goes), typographic quotes and dashes
// become plain. With an index, it also records in it where each byte of
// the result came from in s: a space from the byte before the character
// that ends its run, any other byte from the character it is part of.
func fold(s string, x *QuoteIndex) []byte {
	out := make([]byte, 0, len(s))
	space, start := false, true
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		if isFoldSpace(r) {
			space = true
			i += size
			continue
		}
		if space && !start {
			x.mark(len(out), i-1)
			out = append(out, ' ')
		}
		space, start = false, false
		if r < utf8.RuneSelf {
			// A run of plain ASCII is copied as it is.
			j := i + 1
			for j < len(s) && s[j] < utf8.RuneSelf && !isFoldSpace(rune(s[j])) {
				j++
			}
			x.mark(len(out), i)
			out = append(out, s[i:j]...)
			i = j
			continue
		}
		verbatim := true
		switch r {
		case '\u2018', '\u2019', '\u201A', '\u201B', '\u2032':
			r, verbatim = '\'', false
		case '\u201C', '\u201D', '\u201E', '\u201F', '\u2033':
			r, verbatim = '"', false
		case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212':
			r, verbatim = '-', false
		case utf8.RuneError:
			verbatim = size == len(string(utf8.RuneError)) // an invalid byte becomes three
		}
		if verbatim {
			x.mark(len(out), i)
			out = append(out, s[i:i+size]...)
		} else {
			// Every byte of a folded character comes from its first byte.
			for n := range utf8.RuneLen(r) {
				x.mark(len(out)+n, i)
			}
			out = utf8.AppendRune(out, r)
		}
		i += size
	}
	return out
}

// isFoldSpace reports whether fold treats r as white space.
func isFoldSpace(r rune) bool {
	return r == ' ' || r == '\n' || r == '\t' || r == '\r' || (r >= utf8.RuneSelf && unicode.IsSpace(r))
}
