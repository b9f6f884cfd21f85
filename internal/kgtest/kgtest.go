// Package kgtest holds what kg's tests share: the ontology and the graph of
// the seed annotations. Only tests import it.
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
