package neo4jstore

import (
	"bytes"
	"context"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/kgraph/kg/graph"
	"github.com/kgraph/kg/internal/export"
	"github.com/kgraph/kg/internal/kgtest"
	"github.com/kgraph/kg/internal/neo4jtest"
	"github.com/kgraph/kg/internal/report"
)

// kgData lists kg's nodes and relationships with their properties, leaving
// out kgHash, which only kg load writes.
func kgData(t *testing.T, s *Store) string {
	t.Helper()
	return rows(t, s,
		"MATCH (n:KgNode) RETURN [l IN labels(n) | l], n {.*, kgHash: null}",
		"MATCH (a:KgNode)-[r]->(b:KgNode) RETURN [type(r), a.id, b.id], r {.*, kgHash: null}")
}

// TestCypherExportRecreatesLoad runs kg export --format cypher's script on
// an empty database, as cypher-shell would, and requires the same data as
// kg load writes and the same answers to every question.
func TestCypherExportRecreatesLoad(t *testing.T) {
	s, srv := open(t)
	ctx := context.Background()
	g := kgtest.Seeds(t)
	var script bytes.Buffer
	if err := export.WriteCypher(&script, g); err != nil {
		t.Fatal(err)
	}
	statements := 0
	for _, stmt := range strings.Split(script.String(), ";\n") {
		var code []string
		for _, line := range strings.Split(stmt, "\n") {
			if l := strings.TrimSpace(line); l != "" && !strings.HasPrefix(l, "//") {
				code = append(code, line)
			}
		}
		if len(code) == 0 {
			continue
		}
		if _, err := neo4j.ExecuteQuery(ctx, s.driver, strings.Join(code, "\n"), nil, neo4j.EagerResultTransformer, s.queryDB()); err != nil {
			t.Fatalf("script statement %d: %v\n%s", statements+1, err, strings.Join(code, "\n"))
		}
		statements++
	}
	if statements < len(g.Nodes)+len(g.Statements) {
		t.Fatalf("ran %d statements for %d nodes and %d statements", statements, len(g.Nodes), len(g.Statements))
	}
	exported := kgData(t, s)
	r := rand.New(rand.NewPCG(3, 4))
	for _, call := range asks(g, r) {
		want, wantErr := g.Ask(call[0], call[1:]...)
		got, gotErr := s.Ask(ctx, call[0], call[1:]...)
		if (wantErr == nil) != (gotErr == nil) || !reflect.DeepEqual(want, got) {
			t.Errorf("%q on the exported graph differs from the embedded answer: %v / %v", call, gotErr, wantErr)
		}
	}
	neo4jtest.Reset(t, srv)
	load(t, s, g)
	if loaded := kgData(t, s); loaded != exported {
		t.Errorf("the Cypher export and kg load give different graphs:\nexport:\n%.2000s\nload:\n%.2000s", exported, loaded)
	}
}

// TestOpenRoutingURI: neo4j:// (routing, as for clusters and Aura) works
// against a single server too.
func TestOpenRoutingURI(t *testing.T) {
	srv := neo4jtest.Get(t)
	uri := strings.Replace(srv.URI, "bolt://", "neo4j://", 1)
	s, err := Open(context.Background(), Config{URI: uri, Username: srv.Username, Password: srv.Password, Database: srv.Database}, kgtest.Ontology(t))
	if err != nil {
		t.Fatalf("Open(%s): %v", uri, err)
	}
	defer s.Close(context.Background())
	if _, err := s.Ask(context.Background(), "blamed"); err != nil {
		t.Fatal(err)
	}
}

// TestReadGraph: the graph read back from Neo4j gives the same report as
// the embedded graph, byte for byte, and the same answers.
func TestReadGraph(t *testing.T) {
	s, _ := open(t)
	g := kgtest.Seeds(t)
	load(t, s, g)
	back, err := s.ReadGraph(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	render := func(g *graph.Graph) string {
		r, err := report.New(g, report.Options{Renderer: report.Builtin{}})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := r.WriteHTML(&b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	if want, got := render(g), render(back); want != got {
		t.Errorf("the report from Neo4j differs from the embedded one (%d vs %d bytes)", len(got), len(want))
	}
	for _, q := range graph.Questions {
		if len(q.Args) > 0 {
			continue
		}
		want, _ := g.Ask(q.Name)
		got, _ := back.Ask(q.Name)
		if !reflect.DeepEqual(want, got) {
			t.Errorf("%s differs on the graph read back", q.Name)
		}
	}
}
