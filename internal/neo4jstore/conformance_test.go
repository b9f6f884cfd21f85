package neo4jstore

import (
	"context"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/kgraph/kg/graph"
	"github.com/kgraph/kg/internal/kgtest"
	"github.com/kgraph/kg/internal/synth"
)

// RandomGraphs is how many random graphs the conformance test loads.
const RandomGraphs = 100

// asks lists the questions to put to g: each question without arguments,
// and those with arguments on a few entities picked with r (by id, by name
// and by alias in upper case, to exercise resolution).
func asks(g *graph.Graph, r *rand.Rand) [][]string {
	var out [][]string
	var entities []*graph.Node
	for _, n := range g.Nodes {
		if n.Kind != "Document" {
			entities = append(entities, n)
		}
	}
	nameOf := func(n *graph.Node) string {
		switch r.IntN(3) {
		case 0:
			return n.ID
		case 1:
			return n.Name
		}
		if len(n.Aliases) > 0 {
			return n.Aliases[r.IntN(len(n.Aliases))]
		}
		return n.Name
	}
	for _, q := range graph.Questions {
		if len(q.Args) == 0 {
			out = append(out, []string{q.Name})
			continue
		}
		for range 3 {
			call := []string{q.Name}
			for range q.Args {
				call = append(call, nameOf(entities[r.IntN(len(entities))]))
			}
			out = append(out, call)
		}
	}
	return out
}

// conform loads g and requires every question to give the same answer, or
// the same error, on Neo4j as on the embedded graph.
func conform(t *testing.T, s *Store, g *graph.Graph, r *rand.Rand) {
	t.Helper()
	ctx := context.Background()
	if _, err := s.Load(ctx, g, graph.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, call := range asks(g, r) {
		want, wantErr := g.Ask(call[0], call[1:]...)
		got, gotErr := s.Ask(ctx, call[0], call[1:]...)
		if (wantErr == nil) != (gotErr == nil) || (wantErr != nil && wantErr.Error() != gotErr.Error()) {
			t.Errorf("%q: embedded error %v, neo4j error %v", call, wantErr, gotErr)
			continue
		}
		if !reflect.DeepEqual(want, got) {
			t.Errorf("%q: answers differ\nembedded: %d rows %q\nneo4j:    %d rows %q", call, len(want.Rows), want.Rows, len(got.Rows), got.Rows)
		}
	}
}

func TestConformanceSeeds(t *testing.T) {
	s, _ := open(t)
	conform(t, s, kgtest.Seeds(t), rand.New(rand.NewPCG(1, 2)))
}

func TestConformanceRandomGraphs(t *testing.T) {
	s, _ := open(t)
	o := kgtest.Ontology(t)
	for seed := range int64(RandomGraphs) {
		c := synth.RandomSmall(o, seed)
		if ds := graph.Check(c, o); len(ds) > 0 {
			t.Fatalf("seed %d: generated corpus has problems: %v", seed, ds)
		}
		g, err := graph.Build(c, o)
		if err != nil {
			t.Fatal(err)
		}
		conform(t, s, g, rand.New(rand.NewPCG(uint64(seed), 7)))
		if t.Failed() {
			t.Fatalf("seed %d: backends disagree (see above)", seed)
		}
	}
}
