package neo4jstore

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kgraph/kg/graph"
	"github.com/kgraph/kg/internal/kgtest"
	"github.com/kgraph/kg/internal/neo4jtest"
	"github.com/kgraph/kg/internal/synth"
	"github.com/kgraph/kg/internal/yamlfile"
)

// kgRows lists kg's nodes and relationships as stored, hashes included,
// without the load record (whose generation is new each load).
func kgRows(t *testing.T, s *Store) string {
	t.Helper()
	return rows(t, s,
		"MATCH (n:KgNode) RETURN 'node', [l IN labels(n) | l], properties(n)",
		"MATCH (a:KgNode)-[r]->(b:KgNode) RETURN 'rel', [type(r), a.id, b.id], properties(r)")
}

// generated writes a generated corpus to a new folder.
func generated(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	c := synth.Generate(kgtest.Ontology(t), synth.Options{Seed: 5, Relations: 300, Documents: 12})
	if err := yamlfile.WriteCorpus(dir, c); err != nil {
		t.Fatal(err)
	}
	return dir
}

func stream(t *testing.T, dir string) *graph.Feed {
	o := kgtest.Ontology(t)
	r := &yamlfile.Reader{Ontology: o}
	l, err := r.List(dir)
	if err != nil {
		t.Fatal(err)
	}
	return graph.Stream(context.Background(), r, o, nil, l)
}

// TestLoadFeedAsLoad checks that loading files as they are read, a few
// rows at a time over many chunks, stores what loading their graph whole
// stores, into an empty database and over another load (which it prunes).
func TestLoadFeedAsLoad(t *testing.T) {
	s, srv := open(t)
	dir := generated(t)
	o := kgtest.Ontology(t)
	g, ds, err := graph.Open(&yamlfile.Reader{Ontology: o}, o, dir)
	if err != nil || len(ds) > 0 {
		t.Fatal(err, ds)
	}
	load(t, s, g)
	want := kgRows(t, s)
	for _, before := range []*graph.Graph{nil, build(t, smallCorpus())} {
		neo4jtest.Reset(t, srv)
		if before != nil {
			load(t, s, before)
		}
		st, err := s.LoadFeed(context.Background(), stream(t, dir), graph.LoadOptions{BatchSize: 5})
		if err != nil {
			t.Fatal(err)
		}
		if got := kgRows(t, s); got != want {
			t.Errorf("after %d nodes deleted: the streamed load stored other data than Load:\n%s\nwant:\n%s", st.NodesDeleted, got, want)
		}
		if st.RelsCreated != len(g.Statements) || (before != nil) != (st.NodesDeleted > 0) {
			t.Errorf("stats %+v", st)
		}
	}
}

// TestLoadFeedInvalidKeepsNothing checks that a corpus found invalid only
// after many of its chunks were written leaves the database as it was.
func TestLoadFeedInvalidKeepsNothing(t *testing.T) {
	s, _ := open(t)
	load(t, s, build(t, smallCorpus()))
	before := kgRows(t, s)
	dir := generated(t)
	// The smallest file is read last; its quote is nowhere.
	bad := "relations:\n  - {subject: a, rel: BLAMED, object: b, doc: " + "no-such-doc" + ", quote: nowhere}\n"
	if err := os.WriteFile(filepath.Join(dir, "zz-bad.yaml"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	sent := 0
	_, err := s.LoadFeed(context.Background(), stream(t, dir), graph.LoadOptions{BatchSize: 3, Progress: func(done, _ int) { sent = done }})
	var problems graph.Diagnostics
	if !errors.As(err, &problems) || !strings.Contains(problems.Error(), `"no-such-doc" is not declared`) {
		t.Fatalf("load: %v; want the corpus's problems", err)
	}
	if sent == 0 {
		t.Fatal("nothing was sent before the problems were known: the test shows nothing")
	}
	if after := kgRows(t, s); after != before {
		t.Errorf("a load of an invalid corpus changed the database (%d rows had been sent)", sent)
	}
}
