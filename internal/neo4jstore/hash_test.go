package neo4jstore

import (
	"maps"
	"slices"
	"testing"

	"github.com/kgraph/kg/graph"
	"github.com/kgraph/kg/internal/kgtest"
	"github.com/kgraph/kg/internal/synth"
)

// TestRowHashTellsValuesApart checks that rows which store different
// properties never share a hash, including values that would print alike.
func TestRowHashTellsValuesApart(t *testing.T) {
	hash := func(kind, from, to string, props map[string]any) string {
		return finish(row{kind: kind, from: from, to: to}, sortedProps(props)).hash
	}
	same := hash("KILLED", "a", "b", map[string]any{"quote": "x", "quoteStart": 1})
	if again := hash("KILLED", "a", "b", map[string]any{"quoteStart": 1, "quote": "x"}); again != same {
		t.Fatalf("the same row hashed twice: %s and %s", same, again)
	}
	differ := []struct {
		name           string
		kind, from, to string
		props          map[string]any
	}{
		{"type", "BLAMED", "a", "b", map[string]any{"quote": "x", "quoteStart": 1}},
		{"ends moved across the boundary", "KILLED", "ab", "", map[string]any{"quote": "x", "quoteStart": 1}},
		{"ends swapped", "KILLED", "b", "a", map[string]any{"quote": "x", "quoteStart": 1}},
		{"value", "KILLED", "a", "b", map[string]any{"quote": "y", "quoteStart": 1}},
		{"string for int", "KILLED", "a", "b", map[string]any{"quote": "x", "quoteStart": "1"}},
		{"key renamed", "KILLED", "a", "b", map[string]any{"quote": "x", "quoteEnd": 1}},
		{"property added", "KILLED", "a", "b", map[string]any{"quote": "x", "quoteStart": 1, "note": ""}},
		{"list split differently", "KILLED", "a", "b", map[string]any{"quote": "x", "quoteStart": 1, "aliases": []string{"ab"}}},
	}
	seen := map[string]string{same: "the original"}
	for _, c := range differ {
		h := hash(c.kind, c.from, c.to, c.props)
		if other, ok := seen[h]; ok {
			t.Errorf("%s: hash %s is also that of %s", c.name, h, other)
		}
		seen[h] = c.name
	}
	a := hash("X", "", "", map[string]any{"aliases": []string{"a", "b"}})
	b := hash("X", "", "", map[string]any{"aliases": []string{"ab"}})
	c := hash("X", "", "", map[string]any{"figureValues": []int64{1, 2}})
	d := hash("X", "", "", map[string]any{"figureValues": []int64{12}})
	if a == b || c == d {
		t.Errorf("lists that join alike share a hash: %s %s %s %s", a, b, c, d)
	}
}

// sortedProps is m as a row holds it.
func sortedProps(m map[string]any) rowProps {
	var p rowProps
	for _, k := range slices.Sorted(maps.Keys(m)) {
		p.add(k, m[k])
	}
	return p
}

// TestRowPropsSorted checks that nodeRows and relRows add every property
// in the order of the keys, once, with kgHash in its place: finish's hash,
// valueLists and keysOf read them in that order.
func TestRowPropsSorted(t *testing.T) {
	n, full, bare := kgtest.Pinned(t)
	rows := append(nodeRows([]*graph.Node{n}), relRows([]*graph.Statement{full, bare})...)
	for i, r := range rows {
		keys := make([]string, len(r.props))
		for j, kv := range r.props {
			keys[j] = kv.key
		}
		if !slices.IsSorted(keys) || len(slices.Compact(slices.Clone(keys))) != len(keys) || !slices.Contains(keys, "kgHash") {
			t.Errorf("row %d: keys %v, want sorted, each once, with kgHash", i, keys)
		}
	}
	if got := len(rows[1].props); got != 15 {
		t.Errorf("the full statement's row has %d properties, want all 15", got)
	}
}

// TestRowHashStaysTheSame pins the hashes of a node and two relationship
// rows: Neo4j keeps them (kgHash), and a load by a kg whose hashes moved
// would update every row it finds stored.
func TestRowHashStaysTheSame(t *testing.T) {
	n, full, bare := kgtest.Pinned(t)
	rels := relRows([]*graph.Statement{full, bare})
	for _, c := range []struct{ name, got, want string }{
		{"node", nodeRows([]*graph.Node{n})[0].hash, "a258a755f7f3872be3125acb"},
		{"relationship", rels[0].hash, "6121cbede920b8771ba59ca0"},
		{"bare relationship", rels[1].hash, "d6b3ced2fc8189874221f581"},
	} {
		if c.got != c.want {
			t.Errorf("%s: hash %s, want %s", c.name, c.got, c.want)
		}
	}
}

// BenchmarkRows makes the node and relationship rows of a 20,000-relation
// corpus, as a full load does for each chunk.
func BenchmarkRows(b *testing.B) {
	o := kgtest.Ontology(b)
	g, err := graph.Build(synth.Generate(o, synth.Options{Seed: 1, Relations: 20000}), o)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		nodeRows(g.Nodes)
		relRows(g.Statements)
	}
	b.ReportMetric(float64(len(g.Statements))*float64(b.N)/b.Elapsed().Seconds(), "relations/s")
}
