package graph

import (
	"errors"
	"reflect"
	"testing"
)

// corpusReader returns a fixed corpus and parse problems.
type corpusReader struct {
	c  *Corpus
	ds Diagnostics
}

func (r corpusReader) ReadCorpus(...string) (*Corpus, Diagnostics, error) { return r.c, r.ds, nil }

func TestStage(t *testing.T) {
	o := testOntology()
	parseProblem := Diagnostic{Pos: Pos{File: "a.yaml", Line: 3, Col: 5}, Message: "unknown field"}
	tests := []struct {
		name      string
		mutate    func(c *Corpus)
		parse     Diagnostics
		wantEarly int  // problems Stage returns itself, without staging
		wantWait  bool // whether Wait fails with the check's problems
	}{
		{name: "clean", mutate: func(*Corpus) {}},
		{name: "check finds a problem", mutate: func(c *Corpus) { c.Relations[0].Evidence.Quote = "Group X denied it" }, wantWait: true},
		{name: "duplicate id", mutate: func(c *Corpus) { c.Entities[1].ID = "group-x" }, wantWait: true},
		// Parse problems come back at once, with the check's, as Read's do.
		{name: "parse problem", mutate: func(c *Corpus) { c.Entities[1].ID = "group-x" }, parse: Diagnostics{parseProblem}, wantEarly: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := testCorpus()
			tt.mutate(c)
			s, ds, err := Stage(corpusReader{c, tt.parse}, o)
			if err != nil {
				t.Fatal(err)
			}
			if len(ds) != tt.wantEarly || (tt.wantEarly > 0) != (s == nil) {
				t.Fatalf("Stage: %d problems (%v), staged %v; want %d", len(ds), ds, s != nil, tt.wantEarly)
			}
			if s == nil {
				return
			}
			g, err := s.Wait()
			var checked Diagnostics
			if got := errors.As(err, &checked); got != tt.wantWait {
				t.Fatalf("Wait: %v; want the check's problems: %v", err, tt.wantWait)
			}
			if tt.wantWait {
				if want := Check(testCorpusMutated(tt.mutate), o); !reflect.DeepEqual(checked, want) {
					t.Errorf("Wait's problems:\n%v\nwant Check's:\n%v", checked, want)
				}
				return
			}
			// The staged graph is Build's, on the very nodes staged first.
			want, err := Build(testCorpusChecked(t, tt.mutate), o)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(g.Nodes, want.Nodes) || !reflect.DeepEqual(g.Statements, want.Statements) {
				t.Errorf("staged graph differs from Build's")
			}
			if len(s.Nodes) != len(g.Nodes) || &s.Nodes[0] != &g.Nodes[0] {
				t.Errorf("Nodes are not the graph's nodes")
			}
		})
	}
}

func testCorpusMutated(mutate func(*Corpus)) *Corpus {
	c := testCorpus()
	mutate(c)
	return c
}

func testCorpusChecked(t *testing.T, mutate func(*Corpus)) *Corpus {
	t.Helper()
	c := testCorpusMutated(mutate)
	if ds := Check(c, testOntology()); len(ds) > 0 {
		t.Fatal(ds)
	}
	return c
}
