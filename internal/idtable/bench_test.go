package idtable_test

import (
	"encoding/binary"
	"os"
	"strconv"
	"testing"

	"github.com/kgraph/kg/internal/idtable"
	"github.com/kgraph/kg/internal/kgtest"
	"github.com/kgraph/kg/internal/synth"
)

// BenchmarkTable does to a Table what a load does to each of its tables at
// 1M relations (the bench's corpus): put every entity, then, a document at
// a time, put the document and look up the ends (subject, object, about)
// of its relations. map is the same in a map, which every id stays in;
// keep-N keeps N in memory and the rest in a file in the temporary folder.
// ns/op is one corpus; ns/end, a lookup's share of it.
func BenchmarkTable(b *testing.B) {
	c := synth.Generate(kgtest.Ontology(b), synth.Options{Seed: 1, Relations: 1000000})
	var entities []string
	for _, e := range c.Entities {
		entities = append(entities, e.ID)
	}
	byDoc := map[string][]string{}
	ends := 0
	for _, r := range c.Relations {
		for _, id := range [...]string{r.Subject, r.Object, r.About} {
			if id != "" {
				byDoc[r.Evidence.Document] = append(byDoc[r.Evidence.Document], id)
				ends++
			}
		}
	}
	var docs []string
	for _, d := range c.Documents {
		docs = append(docs, d.ID)
	}
	c = nil
	u64 := idtable.Codec[uint64]{Size: 8,
		Put: func(b []byte, v uint64) { binary.LittleEndian.PutUint64(b, v) },
		Get: func(b []byte) uint64 { return binary.LittleEndian.Uint64(b) }}
	open := func() (idtable.File, error) {
		f, err := os.CreateTemp("", "kg-bench-ids-*")
		if err == nil {
			os.Remove(f.Name())
		}
		return f, err
	}
	report := func(b *testing.B) {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*ends), "ns/end")
	}
	b.Run("map", func(b *testing.B) {
		for b.Loop() {
			m := map[string]uint64{}
			for i, id := range entities {
				m[id] = uint64(i)
			}
			for i, d := range docs {
				m[d] = uint64(i)
				for _, id := range byDoc[d] {
					if _, ok := m[id]; !ok {
						b.Fatalf("%s not found", id)
					}
				}
			}
		}
		report(b)
	})
	for _, keep := range []int{1, 4096, 16384, 65536} {
		b.Run("keep-"+strconv.Itoa(keep), func(b *testing.B) {
			for b.Loop() {
				t := idtable.New(u64, keep, open)
				for i, id := range entities {
					t.Put(id, uint64(i))
				}
				for i, d := range docs {
					t.Put(d, uint64(i))
					for _, id := range byDoc[d] {
						if !t.Has(id) {
							b.Fatalf("%s not found", id)
						}
					}
				}
				if err := t.Err(); err != nil {
					b.Fatal(err)
				}
				t.Close()
			}
			report(b)
		})
	}
}
