package graph

import (
	"slices"
	"strings"
	"testing"
)

// testOntology is a small ontology for unit tests; the real one lives in
// schema/ontology.yaml and is tested through the YAML reader.
func testOntology() *Ontology {
	actors := []string{"Person", "State", "ArmedGroup"}
	return &Ontology{
		Kinds: []Kind{{Name: "Person", Category: CategoryActor}, {Name: "State", Category: CategoryActor},
			{Name: "ArmedGroup", Category: CategoryActor}, {Name: "Attack", Category: CategoryEvent},
			{Name: "Document", Category: CategorySource}},
		Relations: []RelationType{
			{Name: "BLAMED", From: actors, To: actors, Properties: []string{"about"}},
			{Name: "CLAIMED", From: actors, To: []string{"Attack"}},
			{Name: "CONDEMNED", From: actors, To: []string{"Attack"}},
			{Name: "SUPPORTS", From: actors, To: actors},
			{Name: "REPORTED", From: []string{"Document"}, To: []string{"Attack"}, Properties: []string{"figures"}},
		},
		Figures:     []Term{{Name: "killed"}, {Name: "wounded"}},
		Credibility: []Term{{Name: "1"}, {Name: "2"}},
	}
}

const (
	textA = "Group X claimed the attack. State A blamed State B for it. At least 12 were killed."
	textB = "State C condemned the attack, in which 17 died. State B supports Group X."
)

func testCorpus() *Corpus {
	rel := func(doc, s, t, o, about, quote string, figs ...Figure) *Relation {
		return &Relation{Subject: s, Type: t, Object: o, About: about, Evidence: Evidence{Document: doc, Quote: quote}, Figures: figs}
	}
	return &Corpus{
		Documents: []*Document{
			{ID: "doc-a", File: "a.txt", Text: textA, Date: Date{2020, 1, 2}},
			{ID: "doc-b", File: "b.txt", Text: textB},
		},
		Entities: []*Entity{
			{ID: "group-x", Kind: "ArmedGroup", Name: "Group X", Aliases: []string{"GX", "The Group"}},
			{ID: "state-a", Kind: "State", Name: "State A"},
			{ID: "state-b", Kind: "State", Name: "State B"},
			{ID: "state-c", Kind: "State", Name: "State C"},
			{ID: "attack", Kind: "Attack", Name: "The attack", Date: Date{2020, 1, 1}},
		},
		Relations: []*Relation{
			rel("doc-a", "group-x", "CLAIMED", "attack", "", "Group X claimed the attack"),
			rel("doc-a", "state-a", "BLAMED", "state-b", "attack", "State A blamed State B"),
			rel("doc-b", "state-c", "CONDEMNED", "attack", "", "State C condemned the attack"),
			rel("doc-b", "state-b", "SUPPORTS", "group-x", "", "State B supports Group X"),
			rel("doc-a", "doc-a", "REPORTED", "attack", "", "At least 12 were killed", Figure{"killed", 12, "at least"}),
			rel("doc-b", "doc-b", "REPORTED", "attack", "", "17 died", Figure{"killed", 17, ""}),
		},
	}
}

func testGraph(t *testing.T) *Graph {
	t.Helper()
	c, o := testCorpus(), testOntology()
	if ds := Check(c, o); len(ds) > 0 {
		t.Fatalf("test corpus has problems:\n%v", ds)
	}
	g, err := Build(c, o)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestQuestions(t *testing.T) {
	g := testGraph(t)
	tests := []struct {
		question string
		args     []string
		column   string
		want     []string
	}{
		{"blamed", nil, "object", []string{"State B"}},
		{"blamed", nil, "about", []string{"The attack"}},
		{"claimed", nil, "subject", []string{"Group X"}},
		{"condemned", nil, "subject", []string{"State C"}},
		{"about", []string{"gx"}, "relation", []string{"CLAIMED", "SUPPORTS"}},
		{"about", []string{"the attack"}, "relation", []string{"CLAIMED", "BLAMED", "CONDEMNED", "REPORTED", "REPORTED"}},
		{"path", []string{"State A", "State C"}, "path", []string{"State A -BLAMED-> State B -SUPPORTS-> Group X -CLAIMED-> The attack <-CONDEMNED- State C"}},
		{"path", []string{"State A", "State C"}, "length", []string{"4"}},
		{"conflicts", nil, "value", []string{"12", "17"}},
		{"conflicts", nil, "qualifier", []string{"at least", ""}},
		{"timeline", nil, "date", []string{"2020-01-01"}},
	}
	for _, tt := range tests {
		t.Run(tt.question+" "+strings.Join(tt.args, " ")+" "+tt.column, func(t *testing.T) {
			a, err := g.Ask(tt.question, tt.args...)
			if err != nil {
				t.Fatal(err)
			}
			if got := a.Column(tt.column); !slices.Equal(got, tt.want) {
				t.Errorf("%s: %v, want %v", tt.column, got, tt.want)
			}
		})
	}
}

func TestStatementEvidence(t *testing.T) {
	g := testGraph(t)
	a, err := g.Ask("blamed")
	if err != nil {
		t.Fatal(err)
	}
	row := a.Rows[0]
	get := func(col string) string { return row[slices.Index(a.Columns, col)] }
	if get("document") != "doc-a" || get("quote") != "State A blamed State B" {
		t.Errorf("evidence = %s %q", get("document"), get("quote"))
	}
	if got := textA[atoi(get("quoteStart")):atoi(get("quoteEnd"))]; got != "State A blamed State B" {
		t.Errorf("offsets point at %q", got)
	}
}

func atoi(s string) int {
	n, _ := ParseFigure("", s)
	return n.Value
}

func TestResolve(t *testing.T) {
	g := testGraph(t)
	for _, name := range []string{"group-x", "Group X", "gx", "  the group ", "GROUP X"} {
		if n, err := g.Resolve(name); err != nil || n.ID != "group-x" {
			t.Errorf("Resolve(%q) = %v, %v", name, n, err)
		}
	}
	if _, err := g.Resolve("Group Y"); err == nil || !strings.Contains(err.Error(), `did you mean "group x"`) {
		t.Errorf("unknown name: %v", err)
	}
	c := testCorpus()
	c.Entities = append(c.Entities, &Entity{ID: "group-x2", Kind: "ArmedGroup", Name: "Group X2", Aliases: []string{"Shared"}},
		&Entity{ID: "group-x3", Kind: "ArmedGroup", Name: "Group X3"})
	g2, _ := Build(c, testOntology())
	g2.index()
	g2.byName["shared"] = append(g2.byName["shared"], g2.byID["group-x3"]) // Check forbids this; Resolve must still cope
	if _, err := g2.Resolve("shared"); err == nil || !strings.Contains(err.Error(), "ambiguous") {
		t.Errorf("ambiguous name: %v", err)
	}
}

func TestAskErrors(t *testing.T) {
	g := testGraph(t)
	for _, tt := range []struct {
		q    string
		args []string
		want string
	}{
		{"blame", nil, `no question "blame"; did you mean "blamed"?`},
		{"about", nil, "about takes 1 argument(s), got 0"},
		{"path", []string{"gx", "Group X"}, "are the same entity"},
	} {
		if _, err := g.Ask(tt.q, tt.args...); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Ask(%s %v) error %v, want %q", tt.q, tt.args, err, tt.want)
		}
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(c *Corpus)
		want   string
	}{
		{"clean", func(c *Corpus) {}, ""},
		{"duplicate id", func(c *Corpus) { c.Entities[1].ID = "group-x" }, `duplicate id "group-x"`},
		{"bad id", func(c *Corpus) { c.Entities[0].ID = "Group X" }, `id "Group X" is not a valid id`},
		{"undeclared object", func(c *Corpus) { c.Relations[0].Object = "atack" }, `object "atack" is not declared; did you mean "attack"?`},
		{"wrong kind", func(c *Corpus) { c.Relations[1].Object = "attack" }, `object "attack" is a Attack; allowed kinds here: Person, State, ArmedGroup`},
		{"about not an event", func(c *Corpus) { c.Relations[1].About = "state-c" }, `about "state-c" is a State; allowed kinds here: Attack`},
		{"property not allowed", func(c *Corpus) { c.Relations[0].About = "attack" }, "CLAIMED does not take about"},
		{"quote missing", func(c *Corpus) { c.Relations[0].Evidence.Quote = "Group X denied the attack" }, `quote not found in document "doc-a"`},
		{"alias twice", func(c *Corpus) { c.Entities[1].Aliases = []string{"gx"} }, `"gx" already names "group-x"`},
		{"date on a state", func(c *Corpus) { c.Entities[1].Date = Date{Year: 2020} }, `State "state-a" has a date`},
		{"bad grade", func(c *Corpus) { c.Relations[0].Credibility = "9" }, `credibility "9" is not a grade`},
		{"duplicate relation", func(c *Corpus) { c.Relations = append(c.Relations, c.Relations[0]) }, "the same relation, with the same quote, is already at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := testCorpus()
			tt.mutate(c)
			ds := Check(c, testOntology())
			if tt.want == "" {
				if len(ds) > 0 {
					t.Errorf("unexpected: %v", ds)
				}
				return
			}
			if !strings.Contains(ds.Error(), tt.want) {
				t.Errorf("got %v, want %q", ds, tt.want)
			}
		})
	}
}

func TestStatementIDStable(t *testing.T) {
	a, b := testGraph(t), testGraph(t)
	for i := range a.Statements {
		if a.Statements[i].ID != b.Statements[i].ID {
			t.Fatalf("statement %d: ID differs between builds", i)
		}
	}
	seen := map[string]bool{}
	for _, s := range a.Statements {
		if seen[s.ID] {
			t.Errorf("statement ID %s used twice", s.ID)
		}
		seen[s.ID] = true
	}
}
