package neo4jstore

import (
	"fmt"
	"runtime"
	"testing"
)

// TestElementIDs checks that every element id comes back as it was put,
// whatever its shape: only Neo4j 5's usual one is kept as a number.
func TestElementIDs(t *testing.T) {
	const db = "4:1c3e2a9e-63b4-4a4f-9d0f-3c1a2b6f7e10:"
	for _, tt := range []struct {
		name      string
		puts      [][2]string // id, element id, in order
		wantShort int         // how many are kept as numbers
	}{
		{name: "one database", puts: [][2]string{{"a", db + "0"}, {"b", db + "17"}, {"c", db + "9223372036854775807"}}, wantShort: 3},
		{name: "another prefix", puts: [][2]string{{"a", db + "1"}, {"b", "4:other:2"}}, wantShort: 1},
		{name: "a number that does not print back", puts: [][2]string{{"a", db + "007"}, {"b", db + "+7"}, {"c", db + "-0"}}, wantShort: 0},
		{name: "too large", puts: [][2]string{{"a", db + "9223372036854775808"}}, wantShort: 0},
		{name: "no colon, no number", puts: [][2]string{{"a", "42"}, {"b", db}, {"c", ""}, {"d", "x:"}}, wantShort: 0},
		{name: "put again in another shape", puts: [][2]string{{"a", db + "1"}, {"a", "elsewhere"}, {"b", "elsewhere"}, {"b", db + "2"}}, wantShort: 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newElementIDs(nil)
			want := map[string]string{}
			for _, p := range tt.puts {
				e.put(p[0], p[1])
				want[p[0]] = p[1]
			}
			for id, eid := range want {
				if got, ok := e.get(id); !ok || got != eid {
					t.Errorf("get(%q) = %q, %v; want %q", id, got, ok, eid)
				}
				if !e.has(id) {
					t.Errorf("has(%q) is false", id)
				}
			}
			if _, ok := e.get("missing"); ok || e.has("missing") {
				t.Error("an id never put is there")
			}
			short := 0
			e.number.Each(func(id string, _ int64) bool {
				if _, whole := e.other[id]; !whole {
					short++
				}
				return true
			})
			if short != tt.wantShort || short+len(e.other) != len(want) {
				t.Errorf("%d kept as numbers and %d whole, want %d of %d as numbers", short, len(e.other), tt.wantShort, len(want))
			}
		})
	}
}

// BenchmarkElementIDsKeep reports what a load keeps for each node its new
// relationships join: "numbers" as elementIDs keeps them, "strings" as a
// map of the ids' element ids would (as kg did before). The ids and
// element ids are as a 1M-relation load's, fresh strings as the driver
// gives them; -benchtime 1x is enough.
func BenchmarkElementIDsKeep(b *testing.B) {
	const n = 160000 // the nodes of a 1M-relation corpus of kg gen
	const db = "4:1c3e2a9e-63b4-4a4f-9d0f-3c1a2b6f7e10:"
	forms := map[string]func() (kept any, put func(id, eid string)){
		"strings": func() (any, func(id, eid string)) {
			m := make(map[string]string, n)
			return m, func(id, eid string) { m[id] = eid }
		},
		"numbers": func() (any, func(id, eid string)) {
			e := newElementIDs(openScratch)
			return e, e.put
		},
	}
	for _, form := range []string{"strings", "numbers"} {
		b.Run(form, func(b *testing.B) {
			for b.Loop() {
				before := heapInUse()
				kept, put := forms[form]()
				for i := range n {
					put(fmt.Sprintf("person-%06d", i), fmt.Sprintf("%s%d", db, i))
				}
				b.ReportMetric(float64(heapInUse()-before)/n, "B/node")
				runtime.KeepAlive(kept)
			}
		})
	}
}

// heapInUse is the heap allocated after a collection, as the keep
// benchmarks of internal/yamlfile measure it (they cannot share it
// through kgtest, which imports yamlfile).
func heapInUse() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// BenchmarkElementIDsGet is the other side of BenchmarkElementIDsKeep: a
// number kept is made an element id again for each end of each new
// relationship, two per relation.
func BenchmarkElementIDsGet(b *testing.B) {
	const n = 1 << 14
	const db = "4:1c3e2a9e-63b4-4a4f-9d0f-3c1a2b6f7e10:"
	ids := make([]string, n)
	m, e := make(map[string]string, n), newElementIDs(nil)
	for i := range ids {
		ids[i] = fmt.Sprintf("person-%06d", i)
		m[ids[i]] = fmt.Sprintf("%s%d", db, i*7919)
		e.put(ids[i], m[ids[i]])
	}
	var sink string
	b.Run("strings", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sink = m[ids[i%n]]
		}
	})
	b.Run("numbers", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sink, _ = e.get(ids[i%n])
		}
	})
	_ = sink
}
