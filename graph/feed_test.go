package graph_test

import (
	"cmp"
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/kgraph/kg/graph"
	"github.com/kgraph/kg/internal/kgtest"
	"github.com/kgraph/kg/internal/synth"
)

// partReader hands over fixed parts, in its order, one at a time.
type partReader struct {
	parts []*graph.Corpus
	texts map[string]string
}

func (r partReader) ReadCorpus(...string) (*graph.Corpus, graph.Diagnostics, error) {
	panic("a feed reads parts")
}

// List lists the files of every part but the last, whatever the paths, so
// that a check meets both files listed and a file that is not.
func (r partReader) List(...string) (graph.Listing, error) {
	var files []string
	for _, p := range r.parts[:max(len(r.parts)-1, 0)] {
		for _, e := range p.Entities {
			files = append(files, e.Pos.File)
		}
		for _, d := range p.Documents {
			files = append(files, d.Pos.File)
		}
		for _, r := range p.Relations {
			files = append(files, r.Pos.File)
		}
	}
	slices.Sort(files)
	return graph.Listing{Files: slices.Compact(files)}, nil
}

// ReadParts does not heed ctx, as if every part were read before it ended.
func (r partReader) ReadParts(_ context.Context, each func(*graph.Corpus, graph.Diagnostics), _ []string) error {
	for _, p := range r.parts {
		each(p, nil)
		for _, d := range p.Documents {
			d.Text = "" // gone once read, as for yamlfile.Reader
		}
	}
	return nil
}

// listed is what r lists.
func listed(r graph.PartReader) graph.Listing {
	l, err := r.List()
	if err != nil {
		panic(err)
	}
	return l
}

func (r partReader) Text(d *graph.Document) (string, error) { return r.texts[d.ID], nil }

func (r partReader) Scratch() (graph.Scratch, error) { return nil, nil }

// filed is a valid generated corpus written over files: one per document
// with most of its relations, the rest in relations.yaml (quoting other
// files' documents), the entities in entities.yaml.
func filed(o *graph.Ontology) *graph.Corpus { return filedN(o, 2000, 40) }

// filedN is filed with the relations and documents given.
func filedN(o *graph.Ontology, relations, documents int) *graph.Corpus {
	c := synth.Generate(o, synth.Options{Seed: 11, Relations: relations, Documents: documents})
	for _, d := range c.Documents {
		d.Pos = graph.Pos{File: d.ID + ".yaml", Line: 1, Col: 1}
	}
	for i, e := range c.Entities {
		e.Pos = graph.Pos{File: "entities.yaml", Line: i + 1, Col: 3}
	}
	for i, r := range c.Relations {
		r.Evidence.Start, r.Evidence.End = 0, 0
		r.Pos = graph.Pos{File: r.Evidence.Document + ".yaml", Line: i + 2, Col: 3}
		if i%10 == 0 {
			r.Pos.File = "relations.yaml"
		}
	}
	return c
}

// TestStream checks that a feed gives Build's nodes and statements, each
// statement after its ends, whatever order the files come in; and that a
// corpus with problems ends in Check's diagnostics.
func TestStream(t *testing.T) {
	o := kgtest.Ontology(t)
	built, err := graph.Build(checked(t, filed(o), o), o)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name           string
		entitiesFirst  bool
		spoil          func(c *graph.Corpus)
		wantDiagnostic string
	}{
		{name: "entities first", entitiesFirst: true},
		{name: "entities last: statements wait for their ends"},
		{name: "a quote not found", spoil: func(c *graph.Corpus) { c.Relations[3].Evidence.Quote = "words no document has" }, wantDiagnostic: "quote not found"},
		{name: "an end never declared", spoil: func(c *graph.Corpus) { c.Relations[5].Object = "nobody" }, wantDiagnostic: `object "nobody" is not declared`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := spoilt(o, tt.spoil)
			want := graph.Check(spoilt(o, tt.spoil), o)
			texts := textsOf(c)
			ps := parts(c)
			slices.SortStableFunc(ps, func(a, b *graph.Corpus) int {
				ea, eb := len(a.Entities) > 0, len(b.Entities) > 0
				if ea == eb {
					return 0
				}
				if ea == tt.entitiesFirst {
					return -1
				}
				return 1
			})
			f := graph.Stream(context.Background(), partReader{ps, texts}, o, nil, listed(partReader{ps, texts}))
			nodes, statements := takeAll(t, f)
			if tt.wantDiagnostic != "" {
				var ds graph.Diagnostics
				if !errors.As(f.Err(), &ds) || !reflect.DeepEqual(ds, want) || !strings.Contains(ds.Error(), tt.wantDiagnostic) {
					t.Fatalf("Err: %v\nwant Check's diagnostics:\n%v", f.Err(), want)
				}
				return
			}
			if f.Err() != nil {
				t.Fatal(f.Err())
			}
			if f.Totals().Relations != len(built.Statements) {
				t.Errorf("Totals: %+v", f.Totals())
			}
			sameGraph(t, nodes, statements, built)
		})
	}
}

// TestStreamSpillsNodes checks that a feed with more nodes than it keeps
// in memory, the rest on scratch, gives Build's graph, each statement
// after its ends, when the entities come last and every statement waits.
func TestStreamSpillsNodes(t *testing.T) {
	o := kgtest.Ontology(t)
	c := filedN(o, 200_000, 200) // 20,000 actors
	built, err := graph.Build(checked(t, filedN(o, 200_000, 200), o), o)
	if err != nil {
		t.Fatal(err)
	}
	texts := textsOf(c)
	ps := parts(c)
	slices.SortStableFunc(ps, func(a, b *graph.Corpus) int {
		return cmp.Compare(len(a.Entities), len(b.Entities)) // the one with entities last
	})
	s := &scratches{}
	r := scratchReader{partReader{ps, texts}, s}
	f := graph.Stream(context.Background(), r, o, nil, listed(r))
	nodes, statements := takeAll(t, f)
	if f.Err() != nil {
		t.Fatal(f.Err())
	}
	tables := s.writtenAt()
	if tables != 2 {
		t.Errorf("%d scratches written at, want two: the check's IDs and the feed's", tables)
	}
	sameGraph(t, nodes, statements, built)
}

// takeAll takes the parts of f, checking that each statement comes after
// its ends, and returns their nodes and statements.
func takeAll(t *testing.T, f *graph.Feed) ([]*graph.Node, []*graph.Statement) {
	t.Helper()
	seen := map[string]bool{}
	var nodes []*graph.Node
	var statements []*graph.Statement
	for {
		p, ok, err := f.Next(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			return nodes, statements
		}
		for _, n := range p.Nodes {
			seen[n.ID] = true
		}
		nodes = append(nodes, p.Nodes...)
		for i, s := range p.Statements {
			for _, end := range []*graph.Node{s.Subject, s.Object, s.About} {
				if end != nil && !seen[end.ID] {
					t.Fatalf("statement %s comes before its end %s", s.ID, end.ID)
				}
			}
			if r := p.Relations[i]; r.Subject != s.Subject.ID || r.Evidence.Quote != s.Evidence.Quote {
				t.Fatalf("Relations[%d] is not the relation of Statements[%d]", i, i)
			}
		}
		statements = append(statements, p.Statements...)
	}
}

// sameGraph checks that nodes and statements, in any order, are built's,
// with ends of an ID and a kind.
func sameGraph(t *testing.T, nodes []*graph.Node, statements []*graph.Statement, built *graph.Graph) {
	t.Helper()
	byID := func(a, b *graph.Node) int { return strings.Compare(a.ID, b.ID) }
	slices.SortFunc(nodes, byID)
	if !reflect.DeepEqual(nodes, built.Nodes) {
		t.Error("the feed's nodes are not Build's")
	}
	bySID := func(a, b *graph.Statement) int { return strings.Compare(a.ID, b.ID) }
	wantStatements := slices.SortedFunc(slices.Values(endsOnly(built.Statements)), bySID)
	slices.SortFunc(statements, bySID)
	if !reflect.DeepEqual(statements, wantStatements) {
		t.Errorf("the feed's %d statements are not Build's %d", len(statements), len(wantStatements))
	}
}

// TestStreamStops checks that once its context ends a feed calls each no
// more, and ends with the context's error without anyone taking its parts:
// kg load, interrupted, waits for it to stop before it drops the record
// each writes to.
func TestStreamStops(t *testing.T) {
	o := kgtest.Ontology(t)
	c := filed(o)
	ps := parts(c)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	f := graph.Stream(ctx, partReader{parts: ps}, o, func(graph.Part) {
		calls++
		cancel()
	}, graph.Listing{})
	if err := f.Drain(); !errors.Is(err, context.Canceled) {
		t.Errorf("Drain after the context ended: %v, want %v", err, context.Canceled)
	}
	if calls != 1 {
		t.Errorf("each was called %d times of %d parts, want once: the feed went on after its context ended", calls, len(ps))
	}
}

func spoilt(o *graph.Ontology, spoil func(*graph.Corpus)) *graph.Corpus {
	c := filed(o)
	if spoil != nil {
		spoil(c)
	}
	return c
}

func checked(t *testing.T, c *graph.Corpus, o *graph.Ontology) *graph.Corpus {
	t.Helper()
	if ds := graph.Check(c, o); len(ds) > 0 {
		t.Fatal(ds)
	}
	return c
}

// endsOnly is statements with ends that carry only ID and Kind, as a
// feed's do.
func endsOnly(statements []*graph.Statement) []*graph.Statement {
	end := func(n *graph.Node) *graph.Node {
		if n == nil {
			return nil
		}
		return &graph.Node{ID: n.ID, Kind: n.Kind}
	}
	out := make([]*graph.Statement, len(statements))
	for i, s := range statements {
		c := *s
		c.Subject, c.Object, c.About = end(s.Subject), end(s.Object), end(s.About)
		out[i] = &c
	}
	return out
}
