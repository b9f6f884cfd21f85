package graph

import (
	"cmp"
	"math/rand/v2"
	"os"
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
				ks := statementKeys{open: bb.open, compare: compare}
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
