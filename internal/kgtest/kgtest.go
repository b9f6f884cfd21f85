// Package kgtest holds what kg's tests share: the ontology, the graph of
// the seed annotations, and fixtures. Only tests import it.
package kgtest

import (
	"path/filepath"
	"runtime"
	"testing"

	"github.com/kgraph/kg/graph"
	"github.com/kgraph/kg/internal/yamlfile"
	"github.com/kgraph/kg/schema"
)

// Ontology is the ontology in schema/ontology.yaml.
func Ontology(t testing.TB) *graph.Ontology {
	t.Helper()
	o, err := yamlfile.ReadOntology(schema.OntologyFile, schema.Ontology)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// SeedsDir is the path of the repository's seeds/ folder.
func SeedsDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "seeds")
}

// Seeds is the graph of the seed annotations. They grow as curation goes
// on, so tests on it assert facts already there and structure, not counts.
func Seeds(t testing.TB) *graph.Graph {
	t.Helper()
	o := Ontology(t)
	g, ds, err := graph.Open(&yamlfile.Reader{Ontology: o}, o, SeedsDir())
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) > 0 {
		t.Fatalf("seed annotations have problems:\n%v", ds)
	}
	return g
}

// Pinned is a node and two statements, one with every field set and one
// with few, for the tests that pin the hashes kg keeps (in Neo4j and in
// the load cache): those must not move from one kg to the next.
func Pinned(t testing.TB) (n *graph.Node, full, bare *graph.Statement) {
	t.Helper()
	d, err := graph.ParseDate("2017-06-07")
	if err != nil {
		t.Fatal(err)
	}
	n = &graph.Node{ID: "a", Kind: "Person", Name: "A", Aliases: []string{"x", "y"}, Date: d, Title: "t", Publisher: "p", URL: "u", Reliability: "B", File: "f"}
	full = &graph.Statement{ID: "s", Subject: n, Type: "BLAMED", Object: &graph.Node{ID: "o"}, About: &graph.Node{ID: "e"},
		Date: d, DateText: "Wednesday", Evidence: graph.Evidence{Document: "d", Quote: "q", Start: 1, End: 2},
		Credibility: "2", Role: "r", Figures: []graph.Figure{{Measure: "killed", Value: 12, Qualifier: "at least"}}, Note: "n"}
	bare = &graph.Statement{ID: "s2", Subject: n, Type: "CLAIMED", Object: n, Evidence: graph.Evidence{Document: "d", Quote: "a much longer quote, repeated", Start: 100, End: 129}}
	return n, full, bare
}
