package loadcache

import (
	"bytes"
	"fmt"
	"reflect"
	"testing"

	"github.com/kgraph/kg/graph"
	"github.com/kgraph/kg/internal/kgtest"
	"github.com/kgraph/kg/internal/synth"
)

// TestPrintsCoverEveryField: a change to any field of a node or a
// statement changes its print; otherwise a reload would not send it. A
// field added to graph.Node or graph.Statement fails this test until the
// print covers it.
func TestPrintsCoverEveryField(t *testing.T) {
	date := func(s string) graph.Date {
		d, err := graph.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	node := func() *graph.Node {
		return &graph.Node{ID: "a", Kind: "Person", Name: "A", Aliases: []string{"x", "y"}, Date: date("2017-06-07"),
			Title: "t", Publisher: "p", URL: "u", Reliability: "B", File: "f"}
	}
	nodeEdits := map[string]func(n *graph.Node){
		"ID": func(n *graph.Node) { n.ID = "b" }, "Kind": func(n *graph.Node) { n.Kind = "State" },
		"Name": func(n *graph.Node) { n.Name = "B" }, "Aliases": func(n *graph.Node) { n.Aliases = []string{"xy"} },
		"Date": func(n *graph.Node) { n.Date = date("2017-06") }, "Title": func(n *graph.Node) { n.Title = "" },
		"Publisher": func(n *graph.Node) { n.Publisher = "q" }, "URL": func(n *graph.Node) { n.URL = "v" },
		"Reliability": func(n *graph.Node) { n.Reliability = "C" }, "File": func(n *graph.Node) { n.File = "g" },
	}
	statement := func() *graph.Statement {
		return &graph.Statement{ID: "s", Subject: node(), Type: "BLAMED", Object: &graph.Node{ID: "o"}, About: &graph.Node{ID: "e"},
			Date: date("2017-06-07"), DateText: "Wednesday", Evidence: graph.Evidence{Document: "d", Quote: "q", Start: 1, End: 2},
			Credibility: "2", Role: "r", Figures: []graph.Figure{{Measure: "killed", Value: 12, Qualifier: "at least"}}, Note: "n"}
	}
	statementEdits := map[string]func(s *graph.Statement){
		"ID": func(s *graph.Statement) { s.ID = "t" }, "Subject": func(s *graph.Statement) { s.Subject = &graph.Node{ID: "b"} },
		"Type": func(s *graph.Statement) { s.Type = "CLAIMED" }, "Object": func(s *graph.Statement) { s.Object = &graph.Node{ID: "p"} },
		"About": func(s *graph.Statement) { s.About = nil }, "Date": func(s *graph.Statement) { s.Date = graph.Date{} },
		"DateText":    func(s *graph.Statement) { s.DateText = "" },
		"Evidence":    func(s *graph.Statement) { s.Evidence.End = 3 },
		"Credibility": func(s *graph.Statement) { s.Credibility = "3" }, "Role": func(s *graph.Statement) { s.Role = "" },
		"Figures": func(s *graph.Statement) { s.Figures[0].Qualifier = "about" }, "Note": func(s *graph.Statement) { s.Note = "m" },
	}
	everyFieldChangesPrint(t, node, nodeEdits, nodePrint)
	everyFieldChangesPrint(t, statement, statementEdits, statementPrint)
	for _, edit := range []func(s *graph.Statement){
		func(s *graph.Statement) { s.Evidence.Document = "e" }, func(s *graph.Statement) { s.Evidence.Quote = "r" },
		func(s *graph.Statement) { s.Evidence.Start = 0 }, func(s *graph.Statement) { s.Figures[0].Value = 13 },
		func(s *graph.Statement) { s.Figures[0].Measure = "wounded" }, func(s *graph.Statement) { s.Figures = nil },
	} {
		s := statement()
		edit(s)
		if bytes.Equal(statementPrint(s), statementPrint(statement())) {
			t.Errorf("a change to evidence or figures leaves the print unchanged: %+v", s)
		}
	}
}

// everyFieldChangesPrint checks that edits has an edit for every field of
// T, and that each changes the print of a fresh value.
func everyFieldChangesPrint[T any](t *testing.T, fresh func() *T, edits map[string]func(*T), print func(*T) []byte) {
	t.Helper()
	for _, f := range reflect.VisibleFields(reflect.TypeFor[T]()) {
		edit, ok := edits[f.Name]
		if !ok {
			t.Errorf("%T.%s: no edit here; make the print cover it and add one", *new(T), f.Name)
			continue
		}
		v := fresh()
		edit(v)
		if bytes.Equal(print(v), print(fresh())) {
			t.Errorf("changing %T.%s leaves the print unchanged", *new(T), f.Name)
		}
	}
}

// TestPrintsStayTheSame pins the prints of a node and two statements: a
// cache written by an earlier kg must still match, or the first reload
// after an upgrade sends every row again.
func TestPrintsStayTheSame(t *testing.T) {
	n, full, bare := kgtest.Pinned(t)
	for _, c := range []struct {
		name string
		got  []byte
		want string
	}{
		{"node", nodePrint(n), "b7defde248a48c1d"},
		{"statement", statementPrint(full), "954ed6e489df5513"},
		{"bare statement", statementPrint(bare), "02249c9bd32f8f25"},
	} {
		if got := fmt.Sprintf("%x", c.got); got != c.want {
			t.Errorf("%s: print %s, want %s", c.name, got, c.want)
		}
	}
}

// BenchmarkPrints prints the nodes and statements of a 20,000-relation
// corpus, as the recorder of a full load does.
func BenchmarkPrints(b *testing.B) {
	o := kgtest.Ontology(b)
	g, err := graph.Build(synth.Generate(o, synth.Options{Seed: 1, Relations: 20000}), o)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, n := range g.Nodes {
			nodePrint(n)
		}
		for _, s := range g.Statements {
			statementPrint(s)
		}
	}
	b.ReportMetric(float64(len(g.Statements))*float64(b.N)/b.Elapsed().Seconds(), "relations/s")
}
