// Package export writes a knowledge graph in formats other tools read:
// GraphML (Gephi, yEd, networkx), kg's JSON shape, the CSV files of
// `neo4j-admin database import`, and a Cypher script that recreates the
// graph in an empty Neo4j database. docs/exports.md describes each.
//
// Every format carries every node and every statement (one edge per
// statement, so two sources reporting the same fact are two edges), each
// statement with its evidence: document, verbatim quote and the quote's
// byte offsets in the document.
package export

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/kgraph/kg/graph"
)

// Formats are the export formats, in the order `kg export --help` lists them.
var Formats = []string{"graphml", "json", "cypher", "csv"}

// IsDir reports whether format writes a folder of files rather than one file.
func IsDir(format string) bool { return format == "csv" }

// figuresText gives a statement's figures as one string, as the sources
// phrase them: "killed=at least 12; wounded=30".
func figuresText(fs []graph.Figure) string {
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = f.Measure + "=" + f.String()
	}
	return strings.Join(parts, "; ")
}

func aboutID(s *graph.Statement) string {
	if s.About == nil {
		return ""
	}
	return s.About.ID
}

// NodeLabel is the label every node has in Neo4j besides its kind's, as
// `kg load` writes it; kg's Cypher questions match on it.
const NodeLabel = "KgNode"

// identifier is what a label, relationship type or property key taken from
// the ontology must look like to be written into Neo4j's formats.
var identifier = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

// checkNames makes sure every kind and relation type in g is declared by
// its ontology and is a plain identifier, so it can be written unquoted as
// a Neo4j label or relationship type.
func checkNames(g *graph.Graph) error {
	for _, n := range g.Nodes {
		if _, ok := g.Ontology.Kind(n.Kind); !ok || !identifier.MatchString(n.Kind) {
			return fmt.Errorf("node %s: kind %q is not an ontology kind usable as a Neo4j label", n.ID, n.Kind)
		}
	}
	for _, s := range g.Statements {
		if _, ok := g.Ontology.Relation(s.Type); !ok || !identifier.MatchString(s.Type) {
			return fmt.Errorf("statement %s: type %q is not an ontology relation usable as a Neo4j type", s.ID, s.Type)
		}
	}
	return nil
}

func isDocument(g *graph.Graph, n *graph.Node) bool {
	k, _ := g.Ontology.Kind(n.Kind)
	return k.Category == graph.CategorySource
}
