package yamlfile

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/kgraph/kg/graph"
	"github.com/kgraph/kg/internal/synth"
)

// TestWriteCorpusRoundTrip writes a generated corpus and reads it back: the
// files are clean and hold the same entities, documents and relations.
func TestWriteCorpusRoundTrip(t *testing.T) {
	o := ontology(t)
	want := synth.Generate(o, synth.Options{Seed: 11, Relations: 2000})
	roundTrip(t, o, want)
}

// TestWriteCorpusRandomSmall round-trips many small random corpora, whose
// names are trickier on average.
func TestWriteCorpusRandomSmall(t *testing.T) {
	o := ontology(t)
	for seed := range int64(30) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) { roundTrip(t, o, synth.RandomSmall(o, seed)) })
	}
}

// TestWriteCorpusAwkwardStrings round-trips strings that YAML emitters get
// wrong: line breaks, edge white space, tabs, control characters, strings
// that read as other types.
func TestWriteCorpusAwkwardStrings(t *testing.T) {
	o := ontology(t)
	awkward := []string{"two\nlines", " leading", "trailing ", "tab\there", "null", "~", "- item", "a: b",
		"*alias", "&anchor", "!tag", "%directive", "@at", "`tick`", "'single'", `"double"`, "# hash", "x #y",
		"{flow}", "[seq]", "| >", "12", "1e3", "0o17", "yes", "<<", "...", "---", "bell\a", "nbsp\u00a0x",
		"ünïcødé 東方 🔥", "\u2028sep", "line\r\nCRLF", "ends with newline\n", "\n starts with newline",
		"  \n spaced \n  ", `back\slash`, "MATCH (n) DETACH DELETE n"}
	var text strings.Builder
	c := &graph.Corpus{}
	for i, s := range awkward {
		text.WriteString(s + "\n\n")
		id := fmt.Sprintf("e%d", i)
		c.Entities = append(c.Entities, &graph.Entity{ID: id, Kind: "Person", Name: fmt.Sprintf("Person %d %s", i, s),
			Aliases: []string{fmt.Sprintf("alias %d %s", i, s)}, Note: s})
		c.Relations = append(c.Relations, &graph.Relation{Subject: id, Type: "OPPOSES", Object: "e0", Note: s, DateText: s,
			Evidence: graph.Evidence{Document: "d", Quote: s}})
	}
	c.Documents = []*graph.Document{{ID: "d", File: "d.txt", Text: text.String(), Title: awkward[0], Publisher: awkward[1], Note: awkward[2]}}
	dir := t.TempDir()
	if err := WriteCorpus(dir, c); err != nil {
		t.Fatal(err)
	}
	got, ds, err := (&Reader{Ontology: o}).ReadCorpus(dir)
	if err != nil || len(ds) > 0 {
		t.Fatalf("read back: %v\n%s", err, ds.Error())
	}
	if got.Documents[0].Text != c.Documents[0].Text {
		t.Errorf("text changed")
	}
	d := got.Documents[0]
	if [3]string{d.Title, d.Publisher, d.Note} != [3]string{awkward[0], awkward[1], awkward[2]} {
		t.Errorf("document fields: %q %q %q", d.Title, d.Publisher, d.Note)
	}
	for i, e := range got.Entities {
		w := c.Entities[i]
		if e.Name != w.Name || !slices.Equal(e.Aliases, w.Aliases) || e.Note != w.Note {
			t.Errorf("entity %s: got %q %q %q, want %q %q %q", w.ID, e.Name, e.Aliases, e.Note, w.Name, w.Aliases, w.Note)
		}
	}
	for i, r := range got.Relations {
		w := c.Relations[i]
		if r.Evidence.Quote != w.Evidence.Quote || r.Note != w.Note || r.DateText != w.DateText {
			t.Errorf("relation %d: got %q %q %q, want %q", i, r.Evidence.Quote, r.Note, r.DateText, w.Note)
		}
	}
}

func TestWriteCorpusRefuses(t *testing.T) {
	for name, c := range map[string]*graph.Corpus{
		"unsafe id":        {Documents: []*graph.Document{{ID: "../x"}}},
		"entities clash":   {Documents: []*graph.Document{{ID: "entities"}}},
		"duplicate":        {Documents: []*graph.Document{{ID: "a"}, {ID: "a"}}},
		"unknown document": {Relations: []*graph.Relation{{Evidence: graph.Evidence{Document: "x"}}}},
		"not UTF-8":        {Entities: []*graph.Entity{{ID: "a", Kind: "Person", Name: "\xff"}}},
	} {
		if err := WriteCorpus(t.TempDir(), c); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func roundTrip(t *testing.T, o *graph.Ontology, want *graph.Corpus) {
	t.Helper()
	if ds := graph.Check(want, o); len(ds) > 0 {
		t.Fatalf("generated corpus is not clean:\n%s", ds.Error())
	}
	dir := t.TempDir()
	if err := WriteCorpus(dir, want); err != nil {
		t.Fatal(err)
	}
	got, ds, err := (&Reader{Ontology: o}).ReadCorpus(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) > 0 {
		t.Fatalf("read back: %d problems:\n%s", len(ds), ds[:min(len(ds), 10)].Error())
	}
	if ds := graph.Check(got, o); len(ds) > 0 {
		t.Fatalf("check after read back: %d problems:\n%s", len(ds), ds[:min(len(ds), 10)].Error())
	}
	if _, err := graph.Build(got, o); err != nil {
		t.Fatal(err)
	}

	type entity struct {
		ID, Kind, Name string
		Aliases        []string
		Date           graph.Date
		Note           string
	}
	entities := func(c *graph.Corpus) map[string]entity {
		m := map[string]entity{}
		for _, e := range c.Entities {
			m[e.ID] = entity{e.ID, e.Kind, e.Name, e.Aliases, e.Date, e.Note}
		}
		return m
	}
	if g, w := entities(got), entities(want); !reflect.DeepEqual(g, w) {
		for id, we := range w {
			if !reflect.DeepEqual(g[id], we) {
				t.Errorf("entity %s: got %+v, want %+v", id, g[id], we)
			}
		}
		t.Fatalf("entities differ: got %d, want %d", len(g), len(w))
	}

	type document struct {
		ID, Text, Title, Publisher, URL, Reliability, Note string
		Date                                               graph.Date
	}
	docs := func(c *graph.Corpus) map[string]document {
		m := map[string]document{}
		for _, d := range c.Documents {
			m[d.ID] = document{d.ID, d.Text, d.Title, d.Publisher, d.URL, d.Reliability, d.Note, d.Date}
		}
		return m
	}
	if g, w := docs(got), docs(want); !reflect.DeepEqual(g, w) {
		t.Fatalf("documents differ")
	}
	for _, d := range got.Documents {
		if d.File != d.ID+".txt" || d.Path != filepath.Join(dir, d.ID+".txt") {
			t.Errorf("document %s: file %q, path %q", d.ID, d.File, d.Path)
		}
	}

	// Relations compare as multisets: the reader reads files in name order.
	type relation struct {
		Subject, Type, Object, About, Doc, Quote, DateText, Credibility, Role, Note string
		Date                                                                        graph.Date
		Figures                                                                     string
	}
	relations := func(c *graph.Corpus) map[relation]int {
		m := map[relation]int{}
		for _, r := range c.Relations {
			m[relation{r.Subject, r.Type, r.Object, r.About, r.Evidence.Document, r.Evidence.Quote, r.DateText,
				r.Credibility, r.Role, r.Note, r.Date, fmt.Sprint(r.Figures)}]++
		}
		return m
	}
	if g, w := relations(got), relations(want); !reflect.DeepEqual(g, w) {
		n := 0
		for r, k := range w {
			if g[r] != k && n < 5 {
				t.Errorf("relation %+v: got %d, want %d", r, g[r], k)
				n++
			}
		}
		t.Fatalf("relations differ: got %d, want %d", len(got.Relations), len(want.Relations))
	}
	if len(got.Relations) != len(want.Relations) {
		t.Fatalf("got %d relations, want %d", len(got.Relations), len(want.Relations))
	}
}

func TestWriteCorpusLayout(t *testing.T) {
	o := ontology(t)
	c := synth.Generate(o, synth.Options{Seed: 1, Relations: 40, Documents: 2})
	dir := t.TempDir()
	if err := WriteCorpus(dir, c); err != nil {
		t.Fatal(err)
	}
	var names []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{"doc-1.txt", "doc-1.yaml", "doc-2.txt", "doc-2.yaml", "entities.yaml"}
	if !slices.Equal(names, want) {
		t.Errorf("files %v, want %v", names, want)
	}
	data, err := os.ReadFile(filepath.Join(dir, "doc-1.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"document:\n  id: doc-1\n  file: doc-1.txt\n", "relations:\n  - subject: "} {
		if !strings.Contains(string(data), s) {
			t.Errorf("doc-1.yaml lacks %q:\n%s", s, data)
		}
	}
	if strings.Contains(string(data), "\n    doc: ") {
		t.Errorf("doc-1.yaml repeats its document in relations:\n%s", data)
	}
}

func BenchmarkWriteCorpus(b *testing.B) {
	o := ontology(b)
	const n = 50000
	c := synth.Generate(o, synth.Options{Seed: 1, Relations: n})
	for b.Loop() {
		if err := WriteCorpus(b.TempDir(), c); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "relations/s")
}

// BenchmarkReadCorpus reads back what WriteCorpus wrote, to see how reading
// scales with the size of a corpus. Files are parsed on every core: to see
// what that gains, run it once with -cpu 1 and once with -cpu 2.
func BenchmarkReadCorpus(b *testing.B) {
	o := ontology(b)
	const n = 50000
	dir := b.TempDir()
	if err := WriteCorpus(dir, synth.Generate(o, synth.Options{Seed: 1, Relations: n})); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, ds, err := (&Reader{Ontology: o}).ReadCorpus(dir); err != nil || len(ds) > 0 {
			b.Fatal(err, ds)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "relations/s")
}

// BenchmarkFiles lists the files of a corpus of 50,000 relations (5,000
// annotation files and as many texts), which every reload does.
func BenchmarkFiles(b *testing.B) {
	o := ontology(b)
	dir := b.TempDir()
	if err := WriteCorpus(dir, synth.Generate(o, synth.Options{Seed: 1, Relations: 50000})); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if l, err := (&Reader{Ontology: o}).List(dir); err != nil || len(l.Problems) > 0 {
			b.Fatal(err, l.Problems)
		}
	}
}

// BenchmarkCheckerKeeps measures what a streamed check (graph.Checker)
// keeps between files once a corpus written by WriteCorpus has been read
// part by part: the heap after a collection with only the Checker left,
// per relation. "scratch" is the check as kg load and kg check run it,
// with its statement keys and names past the first run on scratch;
// "memory" keeps them all in memory, as every figure of it before
// 2ef60ea did. Each round reads the corpus once, and the figure does not
// depend on the rounds: -benchtime 1x is enough.
func BenchmarkCheckerKeeps(b *testing.B) {
	o := ontology(b)
	const n = 100000
	dir := b.TempDir()
	if err := WriteCorpus(dir, synth.Generate(o, synth.Options{Seed: 1, Relations: n})); err != nil {
		b.Fatal(err)
	}
	r := &Reader{Ontology: o}
	for _, spill := range []bool{false, true} {
		b.Run(map[bool]string{false: "memory", true: "scratch"}[spill], func(b *testing.B) {
			for b.Loop() {
				b.ReportMetric(float64(checkerKeeps(b, r, dir, spill))/n, "B/relation")
			}
		})
	}
}

// checkerKeeps is the heap a Checker holds once it has added every part
// of the corpus in dir, before Finish; with spill, it keeps its runs on
// the reader's scratch, as Scan's does.
func checkerKeeps(b *testing.B, r *Reader, dir string, spill bool) int64 {
	l := listed(b, r, dir)
	before := heapInUse()
	ch := graph.NewChecker(r.Ontology, r.Text)
	if spill {
		ch.SpillTo(r.Scratch)
	}
	ch.Files(l.Files)
	if err := r.ReadParts(context.Background(), func(part *graph.Corpus, _ graph.Diagnostics) { ch.Add(part) }, l.Files); err != nil {
		b.Fatal(err)
	}
	kept := heapInUse() - before
	if ds := ch.Finish(); len(ds) > 0 {
		b.Fatal(ds[0])
	}
	return kept
}

// BenchmarkKeepsPerDocument measures what a streamed check and feed keep
// of each document (graph.Checker while the files are read, with its runs
// on scratch as kg's are, and graph.Feed once its parts end), as the
// difference between two corpora with the same 100,000 relations and
// entities and more documents, per document more: from 5,000 to 50,000,
// and from 50,000 to 100,000, past the IDs the check and the feed keep in
// memory (the rest go to scratch). Memory that grows with the documents
// is what keeps a load's memory linear in the corpus (BENCHMARKS.md);
// -benchtime 1x is enough.
func BenchmarkKeepsPerDocument(b *testing.B) {
	keepsPer(b, "document", func(o *synth.Options, n int) { o.Documents = n },
		func(c *graph.Corpus) int { return len(c.Documents) }, 5000, 50000, 100000)
}

// BenchmarkKeepsPerEntity is BenchmarkKeepsPerDocument for the entities:
// the same 100,000 relations and 5,000 documents, and 10,000, 100,000 or
// 200,000 actors.
func BenchmarkKeepsPerEntity(b *testing.B) {
	keepsPer(b, "entity", func(o *synth.Options, n int) { o.Actors = n },
		func(c *graph.Corpus) int { return len(c.Entities) }, 10000, 100000, 200000)
}

// keepsPer reports what the check and the feed keep of each corpus beyond
// the one before, per unit (as count tells them) more, where the corpora
// are the same but for the sizes that set sets, in order.
func keepsPer(b *testing.B, unit string, set func(*synth.Options, int), count func(*graph.Corpus) int, sizes ...int) {
	o := ontology(b)
	dirs := make([]string, len(sizes))
	counts := make([]int, len(sizes))
	for i, n := range sizes {
		opts := synth.Options{Seed: 1, Relations: 100000, Documents: 5000, Actors: 10000, Events: 1250, Places: 500}
		set(&opts, n)
		dirs[i] = b.TempDir()
		c := synth.Generate(o, opts)
		counts[i] = count(c)
		if err := WriteCorpus(dirs[i], c); err != nil {
			b.Fatal(err)
		}
	}
	r := &Reader{Ontology: o}
	keeps := func(dir string) (checker, feed int64) {
		checker = checkerKeeps(b, r, dir, true)
		l := listed(b, r, dir)
		before := heapInUse()
		f := graph.Stream(context.Background(), r, o, nil, l)
		for {
			if _, ok, err := f.Next(context.Background()); err != nil || !ok {
				break
			}
		}
		feed = heapInUse() - before
		if err := f.Err(); err != nil {
			b.Fatal(err)
		}
		return checker, feed
	}
	for i := 1; i < len(sizes); i++ {
		b.Run(fmt.Sprint(sizes[i-1], "-", sizes[i]), func(b *testing.B) {
			for b.Loop() {
				checker0, feed0 := keeps(dirs[i-1])
				checker1, feed1 := keeps(dirs[i])
				more := float64(counts[i] - counts[i-1])
				b.ReportMetric(float64(checker1-checker0)/more, "check-B/"+unit)
				b.ReportMetric(float64(feed1-feed0)/more, "feed-B/"+unit)
			}
		})
	}
}

func heapInUse() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}
