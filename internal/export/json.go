package export

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/kgraph/kg/graph"
)

// JSONVersion is the version of the JSON shape; it changes only when a
// field changes meaning or goes away.
const JSONVersion = 1

// JSONGraph is the JSON shape of a graph (docs/exports.md):
//
//	{"version": 1, "nodes": [...], "statements": [...]}
//
// Every key is always present; an unknown value is "" (or 0 for offsets),
// a missing list is []. Nodes are sorted by id; statements keep the order of
// the annotation files.
type JSONGraph struct {
	Version    int             `json:"version"`
	Nodes      []JSONNode      `json:"nodes"`
	Statements []JSONStatement `json:"statements"`
}

// JSONNode is a node: an actor, place, event or document.
type JSONNode struct {
	ID      string   `json:"id"`
	Kind    string   `json:"kind"`
	Name    string   `json:"name"`
	Aliases []string `json:"aliases"`
	Date    string   `json:"date"` // YYYY, YYYY-MM or YYYY-MM-DD; "" when unknown
	// Source is present on documents only, its fields inline.
	*JSONSource
}

// JSONSource holds a document's fields.
type JSONSource struct {
	Title       string `json:"title"`
	Publisher   string `json:"publisher"`
	URL         string `json:"url"`
	Reliability string `json:"reliability"` // Admiralty A-F, "" when not graded
	File        string `json:"file"`        // the text file, relative to its annotation file
}

// JSONStatement is one statement with its evidence.
type JSONStatement struct {
	ID       string `json:"id"`
	Subject  string `json:"subject"` // node ids
	Type     string `json:"type"`
	Object   string `json:"object"`
	About    string `json:"about"`
	Date     string `json:"date"`
	DateText string `json:"dateText"`
	Document string `json:"document"`
	Quote    string `json:"quote"`
	// QuoteStart and QuoteEnd are the quote's byte offsets [start, end) in
	// the document's UTF-8 text.
	QuoteStart  int          `json:"quoteStart"`
	QuoteEnd    int          `json:"quoteEnd"`
	Credibility string       `json:"credibility"` // Admiralty 1-6, "" when not graded
	Role        string       `json:"role"`
	Figures     []JSONFigure `json:"figures"`
	Note        string       `json:"note"`
}

// JSONFigure is a number a source reports, as it phrases it.
type JSONFigure struct {
	Measure   string `json:"measure"`
	Value     int    `json:"value"`
	Qualifier string `json:"qualifier"` // "", "at least", "about", "up to"
}

// ToJSON converts g to its JSON shape.
func ToJSON(g *graph.Graph) JSONGraph {
	out := JSONGraph{Version: JSONVersion, Nodes: []JSONNode{}, Statements: []JSONStatement{}}
	for _, n := range g.Nodes {
		jn := JSONNode{ID: n.ID, Kind: n.Kind, Name: n.Name, Aliases: nonNil(n.Aliases), Date: n.Date.String()}
		if isDocument(g, n) {
			jn.JSONSource = &JSONSource{Title: n.Title, Publisher: n.Publisher, URL: n.URL, Reliability: n.Reliability, File: n.File}
		}
		out.Nodes = append(out.Nodes, jn)
	}
	for _, s := range g.Statements {
		js := JSONStatement{ID: s.ID, Subject: s.Subject.ID, Type: s.Type, Object: s.Object.ID, About: aboutID(s),
			Date: s.Date.String(), DateText: s.DateText, Document: s.Evidence.Document, Quote: s.Evidence.Quote,
			QuoteStart: s.Evidence.Start, QuoteEnd: s.Evidence.End, Credibility: s.Credibility, Role: s.Role,
			Figures: []JSONFigure{}, Note: s.Note}
		for _, f := range s.Figures {
			js.Figures = append(js.Figures, JSONFigure(f))
		}
		out.Statements = append(out.Statements, js)
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// WriteJSON writes g in its JSON shape, indented.
func WriteJSON(w io.Writer, g *graph.Graph) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(ToJSON(g))
}

// ReadJSON reads what WriteJSON writes back into a corpus, which
// graph.Build turns into the same graph (documents come back without their
// text). Nodes of the ontology's source kinds become documents.
func ReadJSON(r io.Reader, o *graph.Ontology) (*graph.Corpus, error) {
	var jg JSONGraph
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&jg); err != nil {
		return nil, fmt.Errorf("read kg JSON: %w", err)
	}
	if jg.Version != JSONVersion {
		return nil, fmt.Errorf("read kg JSON: version %d, want %d", jg.Version, JSONVersion)
	}
	date := func(what, s string) (graph.Date, error) {
		if s == "" {
			return graph.Date{}, nil
		}
		d, err := graph.ParseDate(s)
		if err != nil {
			return d, fmt.Errorf("read kg JSON: %s: %w", what, err)
		}
		return d, nil
	}
	c := &graph.Corpus{}
	for _, n := range jg.Nodes {
		d, err := date("node "+n.ID, n.Date)
		if err != nil {
			return nil, err
		}
		k, ok := o.Kind(n.Kind)
		if !ok {
			return nil, fmt.Errorf("read kg JSON: node %s: unknown kind %q", n.ID, n.Kind)
		}
		if k.Category == graph.CategorySource {
			src := n.JSONSource
			if src == nil {
				src = &JSONSource{}
			}
			c.Documents = append(c.Documents, &graph.Document{ID: n.ID, Title: src.Title, Publisher: src.Publisher, URL: src.URL,
				Reliability: src.Reliability, File: src.File, Date: d})
			continue
		}
		var aliases []string
		if len(n.Aliases) > 0 {
			aliases = n.Aliases
		}
		c.Entities = append(c.Entities, &graph.Entity{ID: n.ID, Kind: n.Kind, Name: n.Name, Aliases: aliases, Date: d})
	}
	for _, s := range jg.Statements {
		d, err := date("statement "+s.ID, s.Date)
		if err != nil {
			return nil, err
		}
		r := &graph.Relation{Subject: s.Subject, Type: s.Type, Object: s.Object, About: s.About, Date: d, DateText: s.DateText,
			Evidence:    graph.Evidence{Document: s.Document, Quote: s.Quote, Start: s.QuoteStart, End: s.QuoteEnd},
			Credibility: s.Credibility, Role: s.Role, Note: s.Note}
		for _, f := range s.Figures {
			r.Figures = append(r.Figures, graph.Figure(f))
		}
		c.Relations = append(c.Relations, r)
	}
	return c, nil
}
