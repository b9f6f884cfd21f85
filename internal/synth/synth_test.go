package synth

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/kgraph/kg/graph"
	"github.com/kgraph/kg/internal/kgtest"
)

// valid requires c to pass graph.Check cleanly and to build.
func valid(t *testing.T, o *graph.Ontology, c *graph.Corpus) {
	t.Helper()
	if ds := graph.Check(c, o); len(ds) > 0 {
		max := min(len(ds), 10)
		t.Fatalf("%d problems, first %d:\n%s", len(ds), max, ds[:max].Error())
	}
	if _, err := graph.Build(c, o); err != nil {
		t.Fatal(err)
	}
}

func TestGenerateValid(t *testing.T) {
	o := kgtest.Ontology(t)
	for _, n := range []int{0, 1, 18, 100, 1000, 20000} {
		c := Generate(o, Options{Seed: int64(n), Relations: n})
		if len(c.Relations) != n {
			t.Errorf("n=%d: %d relations", n, len(c.Relations))
		}
		valid(t, o, c)
		if n < 1000 {
			continue
		}
		kinds := map[string]bool{}
		for _, e := range c.Entities {
			kinds[e.Kind] = true
			if k, _ := o.Kind(e.Kind); k.Category == graph.CategoryEvent && e.Date.IsZero() {
				t.Errorf("event %s has no date", e.ID)
			}
		}
		for _, k := range o.Kinds {
			if k.Category != graph.CategorySource && !kinds[k.Name] {
				t.Errorf("n=%d: no entity of kind %s", n, k.Name)
			}
		}
		used, withAbout := map[string]bool{}, map[string]bool{}
		for _, r := range c.Relations {
			used[r.Type] = true
			if r.About != "" {
				withAbout[r.Type] = true
			}
			if r.Evidence.Document == "" || r.Evidence.Quote == "" {
				t.Fatalf("relation without evidence: %+v", r)
			}
		}
		for _, rt := range o.Relations {
			if !used[rt.Name] {
				t.Errorf("n=%d: relation type %s unused", n, rt.Name)
			}
			if rt.Allows("about") && !withAbout[rt.Name] {
				t.Errorf("n=%d: %s never has about", n, rt.Name)
			}
		}
		for _, d := range c.Documents {
			if d.File != d.ID+".txt" || d.Path != d.ID+".txt" {
				t.Errorf("document %s: file %q path %q", d.ID, d.File, d.Path)
			}
		}
	}
}

func TestRandomSmall(t *testing.T) {
	o := kgtest.Ontology(t)
	for seed := range int64(200) {
		c := RandomSmall(o, seed)
		if n := len(c.Relations); n < 5 || n > 40 {
			t.Fatalf("seed %d: %d relations", seed, n)
		}
		valid(t, o, c)
	}
	if !reflect.DeepEqual(RandomSmall(o, 7), RandomSmall(o, 7)) {
		t.Error("RandomSmall is not deterministic")
	}
}

func TestDeterministic(t *testing.T) {
	o := kgtest.Ontology(t)
	a := Generate(o, Options{Seed: 1, Relations: 3000})
	b := Generate(o, Options{Seed: 1, Relations: 3000})
	if !reflect.DeepEqual(a, b) {
		t.Error("same seed, different corpora")
	}
	c := Generate(o, Options{Seed: 2, Relations: 3000})
	if reflect.DeepEqual(a.Relations, c.Relations) || reflect.DeepEqual(a.Documents[0].Text, c.Documents[0].Text) {
		t.Error("different seeds, same corpus")
	}
}

// TestHeavyTail checks that a few actors are in many relations: the top 1%
// of actors average far more relations than the median actor.
func TestHeavyTail(t *testing.T) {
	o := kgtest.Ontology(t)
	c := Generate(o, Options{Seed: 3, Relations: 50000})
	count := map[string]int{}
	for _, e := range c.Entities {
		if k, _ := o.Kind(e.Kind); k.Category == graph.CategoryActor {
			count[e.ID] = 0
		}
	}
	for _, r := range c.Relations {
		for _, id := range []string{r.Subject, r.Object} {
			if _, actor := count[id]; actor {
				count[id]++
			}
		}
	}
	var counts []int
	for _, n := range count {
		counts = append(counts, n)
	}
	slices.Sort(counts)
	slices.Reverse(counts)
	top := max(1, len(counts)/100)
	sum := 0
	for _, n := range counts[:top] {
		sum += n
	}
	topMean, median := float64(sum)/float64(top), float64(counts[len(counts)/2])
	t.Logf("%d actors; top 1%% average %.1f relations, median %.0f, busiest %d", len(counts), topMean, median, counts[0])
	if topMean < 20*max(median, 1) {
		t.Errorf("no heavy tail: top 1%% average %.1f relations, median %.0f", topMean, median)
	}
}

func TestConflictingFigures(t *testing.T) {
	o := kgtest.Ontology(t)
	c := Generate(o, Options{Seed: 4, Relations: 10000})
	type key struct{ event, measure string }
	seen := map[key]map[int]bool{}
	docsPerEvent := map[string]map[string]bool{}
	for _, r := range c.Relations {
		for _, f := range r.Figures {
			k := key{r.Object, f.Measure}
			if seen[k] == nil {
				seen[k] = map[int]bool{}
			}
			seen[k][f.Value] = true
		}
		if r.About != "" {
			if docsPerEvent[r.About] == nil {
				docsPerEvent[r.About] = map[string]bool{}
			}
			docsPerEvent[r.About][r.Evidence.Document] = true
		}
	}
	conflicts := 0
	for _, vs := range seen {
		if len(vs) > 1 {
			conflicts++
		}
	}
	if conflicts == 0 {
		t.Error("no two sources disagree on a figure")
	}
	several := 0
	for _, docs := range docsPerEvent {
		if len(docs) >= 3 {
			several++
		}
	}
	if several == 0 {
		t.Error("no event is reported by several documents")
	}
	t.Logf("%d event figures reported differently; %d events in 3+ documents", conflicts, several)
}

func TestTrickyNames(t *testing.T) {
	o := kgtest.Ontology(t)
	c := Generate(o, Options{Seed: 5, Relations: 10000})
	want := map[string]func(string) bool{
		"apostrophe":   func(s string) bool { return strings.Contains(s, "'") },
		"double quote": func(s string) bool { return strings.Contains(s, `"`) },
		"backtick":     func(s string) bool { return strings.Contains(s, "`") },
		"non-ASCII": func(s string) bool {
			return strings.ContainsFunc(s, func(r rune) bool { return r > 127 })
		},
		"Cypher keyword": func(s string) bool { return strings.Contains(s, "MATCH") || strings.Contains(s, "DELETE") },
	}
	found := map[string]int{}
	aliases := 0
	for _, e := range c.Entities {
		aliases += len(e.Aliases)
		for what, has := range want {
			if has(e.Name) {
				found[what]++
			}
		}
	}
	for what := range want {
		if found[what] == 0 {
			t.Errorf("no name with a %s", what)
		}
	}
	if aliases == 0 {
		t.Error("no aliases")
	}
	t.Logf("%v; %d aliases", found, aliases)
}

func BenchmarkGenerate(b *testing.B) {
	o := kgtest.Ontology(b)
	const n = 100000
	b.ReportAllocs()
	for b.Loop() {
		Generate(o, Options{Seed: 1, Relations: n})
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "relations/s")
}

// BenchmarkCheck measures graph.Check on a generated corpus, to see how
// checking scales with the size of a corpus. Quotes are found on every
// core: to see what that gains, run it once with -cpu 1 and once with
// -cpu 2 (in one run, -cpu 1,2 gave unsteady figures for the first).
func BenchmarkCheck(b *testing.B) {
	o := kgtest.Ontology(b)
	const n = 100000
	c := Generate(o, Options{Seed: 1, Relations: n})
	b.ReportAllocs()
	for b.Loop() {
		if ds := graph.Check(c, o); len(ds) > 0 {
			b.Fatal(ds[0])
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "relations/s")
}

// BenchmarkBuild measures graph.Build, which kg load runs between checking
// and sending the first row, on a generated corpus.
func BenchmarkBuild(b *testing.B) {
	o := kgtest.Ontology(b)
	const n = 100000
	c := Generate(o, Options{Seed: 1, Relations: n})
	if ds := graph.Check(c, o); len(ds) > 0 {
		b.Fatal(ds[0])
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := graph.Build(c, o); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "relations/s")
}
