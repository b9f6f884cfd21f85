package graph

import (
	"bufio"
	"bytes"
	"cmp"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
)

// BenchmarkStatementKeys adds a million statement keys, spilled to a
// temporary file in sorted runs, and merges them back in order: the cost
// the check pays, past the first run, to keep them out of memory.
func BenchmarkStatementKeys(b *testing.B) {
	const n = 1 << 20
	r := rand.New(rand.NewPCG(1, 2))
	keys := make([]keyAt, n)
	for i := range keys {
		keys[i] = keyAt{statementKey(r.Uint64()), place{uint32(i % 50_000), int32(i), 3}}
	}
	compare := func(a, b keyAt) int {
		return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.at.file, b.at.file), cmp.Compare(a.at.line, b.at.line))
	}
	for _, bb := range []struct {
		name string
		open func() (Scratch, error)
	}{
		{"memory", nil},
		{"scratch", func() (Scratch, error) { return os.CreateTemp(b.TempDir(), "keys-*") }},
	} {
		b.Run(bb.name, func(b *testing.B) {
			for b.Loop() {
				ks := newStatementKeys(bb.open, compare)
				for _, k := range keys {
					ks.add(k)
				}
				var last keyAt
				if err := ks.sorted(func(k keyAt) {
					if compare(k, last) < 0 {
						b.Fatal("out of order")
					}
					last = k
				}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/key")
		})
	}
}

// TestSortedRunsSpill checks that records spilled to scratch in runs come
// back as they went in, in the order a sort in memory gives them: names,
// and documents.
func TestSortedRunsSpill(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	words := []string{"", "islamic state", "ISIS", "Daech", "دولة", "a\x00b", strings.Repeat("x", 300)}
	var names []naming
	var docs []docAt
	for i := range 3*runLen + 5 {
		w := words[r.IntN(len(words))] + fmt.Sprint(r.IntN(runLen))
		at := place{uint32(i % 5), int32(i), int32(r.IntN(9))}
		names = append(names, naming{key: strings.ToLower(w), name: w, id: fmt.Sprint("id-", i%7), at: at})
		docs = append(docs, docAt{id: fmt.Sprint("doc-", r.IntN(runLen)), file: w + ".txt", at: at, n: uint32(i)})
	}
	spillsLikeMemory(t, "names", names, putNaming, getNaming, func(a, b naming) int {
		return cmp.Or(strings.Compare(a.key, b.key), cmp.Compare(a.at.file, b.at.file), cmp.Compare(a.at.line, b.at.line), cmp.Compare(a.at.col, b.at.col))
	})
	spillsLikeMemory(t, "documents", docs, putDocAt, getDocAt, func(a, b docAt) int {
		return cmp.Or(strings.Compare(a.id, b.id), cmp.Compare(a.n, b.n))
	})
}

func spillsLikeMemory[T comparable](t *testing.T, what string, records []T, put func([]byte, T) []byte, get func(*bufio.Reader, []byte) (T, error), compare func(a, b T) int) {
	want := slices.SortedFunc(slices.Values(records), compare)
	for _, tc := range []struct {
		name string
		open func() (Scratch, error)
	}{
		{"memory", nil},
		{"scratch", func() (Scratch, error) { return os.CreateTemp(t.TempDir(), "runs-*") }},
	} {
		t.Run(what+" in "+tc.name, func(t *testing.T) {
			rs := sortedRuns[T]{open: tc.open, compare: compare, put: put, get: get, what: what}
			for _, v := range records {
				rs.add(v)
			}
			if tc.open != nil && len(rs.runs) != 4 {
				t.Fatalf("%d runs on scratch, want 3 and where the last ends", len(rs.runs))
			}
			var got []T
			if err := rs.sorted(func(v T) { got = append(got, v) }); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("got %d records back, want %d, in order", len(got), len(want))
			}
		})
	}
}

// TestSortedRunsCutShort checks that a run that ends within a record is
// an error, not the end of the run.
func TestSortedRunsCutShort(t *testing.T) {
	cutShort(t, putNaming(nil, naming{key: "is", name: "IS", id: "islamic-state", at: place{1, 2, 3}}), getNaming)
	cutShort(t, putDocAt(nil, docAt{id: "doc-1", file: "doc-1.txt", at: place{1, 2, 3}, n: 4}), getDocAt)
}

func cutShort[T any](t *testing.T, b []byte, get func(*bufio.Reader, []byte) (T, error)) {
	for n := 1; n < len(b); n++ {
		if _, err := get(bufio.NewReader(bytes.NewReader(b[:n])), make([]byte, keyAtSize)); err != io.ErrUnexpectedEOF {
			t.Errorf("a record cut to %d of %d bytes: %v, want %v", n, len(b), err, io.ErrUnexpectedEOF)
		}
	}
	if _, err := get(bufio.NewReader(bytes.NewReader(nil)), make([]byte, keyAtSize)); err != io.EOF {
		t.Errorf("no record: %v, want io.EOF", err)
	}
}
