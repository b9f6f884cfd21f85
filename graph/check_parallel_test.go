package graph_test

import (
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/kgraph/kg/graph"
	"github.com/kgraph/kg/internal/kgtest"
	"github.com/kgraph/kg/internal/synth"
)

// flawed generates a corpus and spoils some of it, so that Check has quote,
// document and reference problems to report, in several documents.
func flawed(o *graph.Ontology) *graph.Corpus {
	c := synth.Generate(o, synth.Options{Seed: 7, Relations: 3000, Documents: 60})
	// Generated items have no position; give them one, so that no two
	// diagnostics are merged as duplicates by Diagnostics.Sort.
	for i, r := range c.Relations {
		r.Pos = graph.Pos{File: "relations.yaml", Line: i + 1, Col: 3}
		r.Evidence.Start, r.Evidence.End = 0, 0 // Check must find them again
		switch i % 97 {
		case 1:
			r.Evidence.Quote = "words no document has"
		case 2:
			r.Evidence.Document = "no-such-doc"
		case 3:
			r.Subject = "nobody-declared"
		case 4:
			r.Evidence.Document = c.Documents[(i/97)%len(c.Documents)].ID // a quote from elsewhere
		}
	}
	for i, d := range c.Documents {
		d.Pos = graph.Pos{File: d.ID + ".yaml", Line: 1, Col: 1}
		first := c.Relations[i*len(c.Relations)/len(c.Documents)]
		c.Waivers = append(c.Waivers,
			&graph.Waiver{Document: d.ID, Quote: first.Evidence.Quote, Reason: "found", Start: -1, End: -1},
			&graph.Waiver{Document: d.ID, Quote: "not in it", Reason: "missing", Start: -1, End: -1},
			&graph.Waiver{Document: "no-such-doc", Quote: "x", Reason: "undeclared", Start: -1, End: -1})
	}
	for i, w := range c.Waivers {
		w.Pos = graph.Pos{File: "waivers.yaml", Line: i + 1, Col: 3}
	}
	// A document declared twice: the last one's text counts, as before.
	dup := *c.Documents[1]
	dup.Text = "Other words entirely."
	c.Documents = append(c.Documents, &dup)
	return c
}

// TestCheckParallelIdentical checks that Check gives the same diagnostics
// and the same quote offsets with one worker as with several.
func TestCheckParallelIdentical(t *testing.T) {
	o := kgtest.Ontology(t)
	check := func(procs int) (*graph.Corpus, graph.Diagnostics) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		c := flawed(o)
		return c, graph.Check(c, o)
	}
	c1, ds1 := check(1)
	c4, ds4 := check(4)
	if !reflect.DeepEqual(ds1, ds4) {
		t.Errorf("diagnostics differ: %d with one worker, %d with four", len(ds1), len(ds4))
	}
	if !reflect.DeepEqual(c1, c4) {
		t.Error("corpus differs between one worker and four")
	}
	for _, want := range []string{"quote not found", "document \"no-such-doc\" is not declared", "subject \"nobody-declared\" is not declared"} {
		if !strings.Contains(ds1.Error(), want) {
			t.Errorf("no %q among the diagnostics", want)
		}
	}
	// The offsets are FindQuote's, in the document that counts.
	docs := map[string]*graph.Document{}
	for _, d := range c4.Documents {
		docs[d.ID] = d
	}
	found := 0
	for _, r := range c4.Relations {
		d := docs[r.Evidence.Document]
		if d == nil {
			continue
		}
		start, end, ok := graph.FindQuote(d.Text, r.Evidence.Quote)
		if !ok {
			start, end = 0, 0
		}
		if r.Evidence.Start != start || r.Evidence.End != end {
			t.Fatalf("%s: quote at [%d, %d), want [%d, %d)", r.Pos, r.Evidence.Start, r.Evidence.End, start, end)
		}
		if ok {
			found++
		}
	}
	for _, w := range c4.Waivers {
		want := [2]int{}
		if d := docs[w.Document]; d != nil {
			if start, end, ok := graph.FindQuote(d.Text, w.Quote); ok {
				want = [2]int{start, end}
			}
		}
		if got := [2]int{w.Start, w.End}; got != want {
			t.Fatalf("waiver %q in %s at %v, want %v", w.Quote, w.Document, got, want)
		}
	}
	t.Logf("%d diagnostics, %d of %d quotes found", len(ds1), found, len(c4.Relations))
}
