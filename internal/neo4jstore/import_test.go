package neo4jstore

import (
	"context"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/kgraph/kg/internal/export"
	"github.com/kgraph/kg/internal/kgtest"
	"github.com/kgraph/kg/internal/neo4jtest"
)

// kgTypedData is kgData with each property's Cypher type: kgData's text
// cannot tell 12 from "12", nor [12] from ["12"], and neo4j-admin stores
// whatever type the CSV header gives. Labels and keys are sorted, since their
// order in a store depends on how it was written.
func kgTypedData(t *testing.T, s *Store) string {
	t.Helper()
	const types = "COLLECT { UNWIND keys(x) AS k WITH k WHERE k <> 'kgHash' RETURN k + ' ' + valueType(x[k]) ORDER BY k }"
	return rows(t, s,
		"MATCH (x:KgNode) RETURN COLLECT { UNWIND labels(x) AS l RETURN l ORDER BY l }, x {.*, kgHash: null}, "+types,
		"MATCH (a:KgNode)-[x]->(b:KgNode) RETURN [type(x), a.id, b.id], x {.*, kgHash: null}, "+types)
}

// TestCSVExportImportsAsLoad runs Neo4j's own import tool on kg export
// --format csv's files, with the arguments of the command kg prints, starts a
// server on the imported store, runs export.AfterImport there as
// docs/exports.md says, and requires the same nodes, relationships,
// properties and property types as kg load writes, and the same answers to
// every question.
func TestCSVExportImportsAsLoad(t *testing.T) {
	s, _ := open(t)
	ctx := context.Background()
	g := kgtest.Seeds(t)
	paths, err := export.WriteCSV(t.TempDir(), g)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	srv := neo4jtest.Imported(t, export.ImportArgs(paths, "neo4j")...)
	t.Logf("neo4j-admin database import full and a server on its store: ready in %.1fs", time.Since(start).Seconds())
	imp, err := Open(ctx, Config{URI: srv.URI, Username: srv.Username, Password: srv.Password, Database: srv.Database}, kgtest.Ontology(t))
	if err != nil {
		t.Fatal(err)
	}
	defer imp.Close(ctx)
	for _, stmt := range export.AfterImport {
		if _, err := neo4j.ExecuteQuery(ctx, imp.driver, stmt, nil, neo4j.EagerResultTransformer, imp.queryDB()); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}

	load(t, s, g)
	if imported, loaded := kgTypedData(t, imp), kgTypedData(t, s); imported != loaded {
		t.Errorf("the CSV export imported with neo4j-admin and kg load give different graphs:\n%s", lineDiff(imported, loaded))
	}
	r := rand.New(rand.NewPCG(5, 6))
	for _, call := range asks(g, r) {
		want, wantErr := s.Ask(ctx, call[0], call[1:]...)
		got, gotErr := imp.Ask(ctx, call[0], call[1:]...)
		if (wantErr == nil) != (gotErr == nil) || !reflect.DeepEqual(want, got) {
			t.Errorf("%q on the imported graph differs from the loaded one: %v / %v", call, gotErr, wantErr)
		}
	}
}

// lineDiff lists the lines of two sorted listings that are only in one.
func lineDiff(imported, loaded string) string {
	a, b := strings.Split(imported, "\n"), strings.Split(loaded, "\n")
	var out []string
	for len(a) > 0 || len(b) > 0 {
		switch {
		case len(b) == 0 || len(a) > 0 && a[0] < b[0]:
			out, a = append(out, "import only: "+a[0]), a[1:]
		case len(a) == 0 || b[0] < a[0]:
			out, b = append(out, "load only:   "+b[0]), b[1:]
		default:
			a, b = a[1:], b[1:]
		}
	}
	return strings.Join(out, "\n")
}
