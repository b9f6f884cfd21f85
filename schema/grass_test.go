package schema_test

import (
	"os"
	"strings"
	"testing"

	"github.com/kgraph/kg/graph"
	"github.com/kgraph/kg/internal/yamlfile"
	"github.com/kgraph/kg/schema"
)

// TestGrassCoversOntology fails when a kind is added to the ontology without
// a colour in the Browser style sheet.
func TestGrassCoversOntology(t *testing.T) {
	grass, err := os.ReadFile("browser.grass")
	if err != nil {
		t.Fatal(err)
	}
	o, err := yamlfile.ReadOntology(schema.OntologyFile, schema.Ontology)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range o.KindNames() {
		if !strings.Contains(string(grass), "node."+k+" ") {
			t.Errorf("browser.grass has no style for %s", k)
		}
	}
}

// TestQueriesHaveTheirMeaning checks each question's Cypher file exists and
// starts by saying what it answers, as users read them in Browser.
func TestQueriesHaveTheirMeaning(t *testing.T) {
	names := []string{"resolve"}
	for _, q := range graph.Questions {
		names = append(names, q.Name)
	}
	for _, name := range names {
		text, err := schema.Query(name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !strings.HasPrefix(text, "// "+name+": ") {
			t.Errorf("queries/%s.cypher does not start with // %s: <what it answers>", name, name)
		}
	}
}
