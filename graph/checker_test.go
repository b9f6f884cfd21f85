package graph_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/kgraph/kg/graph"
	"github.com/kgraph/kg/internal/kgtest"
)

// clashing is flawed with relations spread over the documents' files and
// clashes across files: an ID and a name each written twice, the second
// time in a file that sorts first, and a relation three times, the second
// time in a file that sorts first and the third in one that sorts last.
func clashing(o *graph.Ontology) *graph.Corpus {
	c := flawed(o)
	for i, e := range c.Entities {
		e.Pos = graph.Pos{File: "entities.yaml", Line: i + 1, Col: 3}
	}
	for i, r := range c.Relations {
		if i%2 == 0 {
			r.Pos = graph.Pos{File: r.Evidence.Document + ".yaml", Line: 100 + i, Col: 3}
		}
	}
	dupEntity := *c.Entities[5]
	dupEntity.Pos = graph.Pos{File: "a-first.yaml", Line: 1, Col: 3}
	dupEntity.Name, dupEntity.Aliases = "a fresh name", nil
	sameName := *c.Entities[7]
	sameName.ID, sameName.Aliases = "another-id", nil
	sameName.Pos = graph.Pos{File: "a-first.yaml", Line: 9, Col: 3}
	c.Entities = append(c.Entities, &dupEntity, &sameName)
	dupRel := *c.Relations[10]
	dupRel.Pos = graph.Pos{File: "a-first.yaml", Line: 20, Col: 3}
	thirdRel := dupRel
	thirdRel.Pos = graph.Pos{File: "z-last.yaml", Line: 2, Col: 3}
	c.Relations = append(c.Relations, &dupRel, &thirdRel)
	return c
}

// parts splits c by file, in the corpus's order within each.
func parts(c *graph.Corpus) []*graph.Corpus {
	byFile := map[string]*graph.Corpus{}
	var files []string
	part := func(p graph.Pos) *graph.Corpus {
		if byFile[p.File] == nil {
			byFile[p.File] = &graph.Corpus{}
			files = append(files, p.File)
		}
		return byFile[p.File]
	}
	for _, d := range c.Documents {
		part(d.Pos).Documents = append(part(d.Pos).Documents, d)
	}
	for _, e := range c.Entities {
		part(e.Pos).Entities = append(part(e.Pos).Entities, e)
	}
	for _, r := range c.Relations {
		part(r.Pos).Relations = append(part(r.Pos).Relations, r)
	}
	for _, w := range c.Waivers {
		part(w.Pos).Waivers = append(part(w.Pos).Waivers, w)
	}
	out := make([]*graph.Corpus, len(files))
	for i, f := range files {
		out[i] = byFile[f]
	}
	return out
}

// offsets are where the check put each quote.
func offsets(c *graph.Corpus) [][2]int {
	var out [][2]int
	for _, r := range c.Relations {
		out = append(out, [2]int{r.Evidence.Start, r.Evidence.End})
	}
	for _, w := range c.Waivers {
		out = append(out, [2]int{w.Start, w.End})
	}
	return out
}

// TestCheckerPartsAnyOrder checks that adding a corpus file by file, in
// any order and from many goroutines, with each part's texts dropped once
// added, finds what Check finds of it whole, and the same quote offsets.
func TestCheckerPartsAnyOrder(t *testing.T) {
	o := kgtest.Ontology(t)
	whole := clashing(o)
	want := graph.Check(whole, o)
	for _, msg := range []string{`duplicate id "` + whole.Entities[5].ID + `" (first declared at a-first.yaml:1:3)`, "already names \"another-id\"", "is already at a-first.yaml:20:3"} {
		if !slices.ContainsFunc(want, func(d graph.Diagnostic) bool { return strings.Contains(d.Message, msg) }) {
			t.Fatalf("Check does not report %q: the earlier-written item must count as the first", msg)
		}
	}
	if n := len(slices.DeleteFunc(slices.Clone(want), func(d graph.Diagnostic) bool { return !strings.Contains(d.Message, "is already at a-first.yaml:20:3") })); n != 2 {
		t.Fatalf("Check reports %d repeats of the relation written three times, want 2, each pointing at the first", n)
	}
	for seed := range uint64(8) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			c := clashing(o)
			texts := textsOf(c) // the last declared counts, as in Check
			ps := parts(c)
			rand.New(rand.NewPCG(seed, 1)).Shuffle(len(ps), func(i, j int) { ps[i], ps[j] = ps[j], ps[i] })
			ch := graph.NewChecker(o, func(d *graph.Document) (string, error) { return texts[d.ID], nil })
			var wg sync.WaitGroup
			for _, p := range ps {
				wg.Go(func() {
					ch.Add(p)
					for _, d := range p.Documents {
						d.Text = "" // a streamed part's text is gone once added
					}
				})
				if seed%2 == 0 {
					wg.Wait() // one at a time, in the shuffled order
				}
			}
			wg.Wait()
			got := ch.Finish()
			if !reflect.DeepEqual(got, want) {
				t.Errorf("diagnostics differ from Check's:\n got %d: %v\nwant %d: %v", len(got), got, len(want), want)
			}
			if !reflect.DeepEqual(offsets(c), offsets(whole)) {
				t.Error("quote offsets differ from Check's")
			}
		})
	}
}
