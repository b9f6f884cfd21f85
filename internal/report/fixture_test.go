package report

import (
	"testing"

	"github.com/kgraph/kg/graph"
	"github.com/kgraph/kg/internal/kgtest"
)

const (
	textA = `Group "X" <b>&amp; claimed the bombing of the market in Northtown on Monday. ` +
		`State A blamed State B for the bombing. At least 12 people were killed and 30 wounded. ` +
		`Minister P dismissed the bombing as minor. Group "X" <b>&amp; carried out the attack, officials said.`
	textB = "State C condemned the bombing, in which 17 died. State A also blamed State B for it. " +
		"State B supports Group X. The bombing targeted the market."
)

// smallGraph is a made-up graph with a little of everything a report
// shows, and names that need escaping in HTML and Markdown.
func smallGraph(t testing.TB) *graph.Graph {
	t.Helper()
	rel := func(doc, s, typ, o, about, quote string, figs ...graph.Figure) *graph.Relation {
		return &graph.Relation{Subject: s, Type: typ, Object: o, About: about,
			Evidence: graph.Evidence{Document: doc, Quote: quote}, Figures: figs}
	}
	c := &graph.Corpus{
		Documents: []*graph.Document{
			{ID: "doc-a", File: "a.txt", Text: textA, Title: "Bombing in Northtown", Publisher: "The Daily | Pipe",
				URL: "https://example.org/a", Date: graph.Date{Year: 2020, Month: 1, Day: 7}, Reliability: "B"},
			{ID: "doc-b", File: "b.txt", Text: textB},
		},
		Entities: []*graph.Entity{
			{ID: "group-x", Kind: "ArmedGroup", Name: `Group "X" <b>&amp;`, Aliases: []string{"Group X", "GX"}},
			{ID: "state-a", Kind: "State", Name: "State A"},
			{ID: "state-b", Kind: "State", Name: "State B"},
			{ID: "state-c", Kind: "State", Name: "State C"},
			{ID: "minister-p", Kind: "Person", Name: "Minister P"},
			{ID: "northtown-market", Kind: "Place", Name: "Northtown market"},
			{ID: "bombing", Kind: "Attack", Name: "Northtown bombing", Date: graph.Date{Year: 2020, Month: 1, Day: 6}},
			{ID: "summit", Kind: "Event", Name: "Summit"},
		},
		Relations: []*graph.Relation{
			rel("doc-a", "group-x", "CLAIMED", "bombing", "", `Group "X" <b>&amp; claimed the bombing`),
			rel("doc-a", "state-a", "BLAMED", "state-b", "bombing", "State A blamed State B for the bombing"),
			rel("doc-b", "state-a", "BLAMED", "state-b", "bombing", "State A also blamed State B for it"),
			rel("doc-b", "state-c", "CONDEMNED", "bombing", "", "State C condemned the bombing"),
			rel("doc-a", "minister-p", "DOWNPLAYED", "bombing", "", "Minister P dismissed the bombing as minor"),
			rel("doc-a", "group-x", "CARRIED_OUT", "bombing", "", `Group "X" <b>&amp; carried out the attack`),
			rel("doc-b", "bombing", "TARGETED", "northtown-market", "", "The bombing targeted the market"),
			rel("doc-a", "bombing", "OCCURRED_IN", "northtown-market", "", "the market in Northtown"),
			rel("doc-b", "state-b", "SUPPORTS", "group-x", "", "State B supports Group X"),
			rel("doc-a", "doc-a", "REPORTED", "bombing", "", "At least 12 people were killed and 30 wounded",
				graph.Figure{Measure: "killed", Value: 12, Qualifier: "at least"}, graph.Figure{Measure: "wounded", Value: 30}),
			rel("doc-b", "doc-b", "REPORTED", "bombing", "", "17 died", graph.Figure{Measure: "killed", Value: 17}),
		},
	}
	c.Relations[0].Date = graph.Date{Year: 2020, Month: 1, Day: 6}
	c.Relations[0].DateText = "Monday"
	for _, r := range c.Relations {
		for _, d := range c.Documents {
			if d.ID == r.Evidence.Document {
				start, end, ok := graph.FindQuote(d.Text, r.Evidence.Quote)
				if !ok {
					t.Fatalf("quote %q is not in %s", r.Evidence.Quote, d.ID)
				}
				r.Evidence.Start, r.Evidence.End = start, end
			}
		}
	}
	o := kgtest.Ontology(t)
	if ds := graph.Check(c, o); len(ds) > 0 {
		t.Fatalf("test corpus has problems:\n%v", ds)
	}
	g, err := graph.Build(c, o)
	if err != nil {
		t.Fatal(err)
	}
	return g
}
