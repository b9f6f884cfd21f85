// Package report writes a readable report of a knowledge graph: one
// self-contained HTML file and a Markdown file with SVG pictures beside it.
//
// A report is computed once from a *graph.Graph into a Report (plain data in
// a stable order), then rendered by html/template and text/template, so the
// two formats say the same and the same graph always gives the same bytes.
// Pictures are drawn by Graphviz when `dot` is installed and by a small
// built-in layout otherwise (see diagram.go and docs/reports.md).
package report

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/kgraph/kg/graph"
)

// Report is everything a report shows, in the order it shows it.
type Report struct {
	Title    string
	Renderer string // the layout that drew the pictures: "graphviz" or "builtin"
	Overview Overview
	Sources  []Source

	Blamed, Claimed, Condemned Table
	Network                    *Picture

	Events   []Dossier
	Actors   []ActorSection
	Timeline Table

	// Warnings say what went wrong but did not stop the report, such as a
	// picture Graphviz failed to draw (the built-in layout drew it instead).
	Warnings []string
}

// Overview counts what the graph holds.
type Overview struct {
	Documents, Entities, Statements int
	Kinds                           []Count // entities by kind, in ontology order
	Relations                       []Count // statements by relation type, in ontology order
}

// Count is a named number with its meaning from the ontology.
type Count struct {
	Name, Meaning string
	N             int
}

// Source is a source document, with "unknown" for what its annotation does
// not say.
type Source struct {
	ID, Anchor                               string
	Title, Publisher, Date, Reliability, URL string
	File                                     string
	Statements                               int
}

// Table is a table of cells with its column names. Empty says what to show
// when it has no rows.
type Table struct {
	Columns []string
	Rows    [][]Cell
	Empty   string
}

// Cell is one table cell: text, a link to a section of the report, or a
// quote.
type Cell struct {
	Text   string
	Anchor string // the id of the section the text links to, if any
	Title  string // a tooltip, if any
	Quote  bool   // the text is a verbatim quote from a source
	Class  string // a CSS class for the HTML cell, if any
}

// Group is a titled table within a dossier or an actor's section.
type Group struct {
	Title string
	Table Table
}

// Dossier is everything the sources say about one event.
type Dossier struct {
	ID, Anchor, Name, Kind, Date, Aliases string
	Picture                               *Picture
	Groups                                []Group
	// Figures has one row per source that reports figures (killed,
	// wounded...), each source's numbers side by side, never combined.
	Figures Table
	// Disagreements names the measures on which the sources differ:
	// "killed: 12, 17".
	Disagreements []string
}

// ActorSection is everything an actor did and everything done to it.
type ActorSection struct {
	ID, Anchor, Name, Kind, Aliases string
	Groups                          []Group
}

// Options configure a report.
type Options struct {
	// Title heads the report; "Knowledge graph report" when empty.
	Title string
	// Renderer draws the pictures; Auto() when nil.
	Renderer Renderer
}

// None is what an empty table says.
const None = "None in the annotations."

// Unknown stands for what a source's annotation does not say.
const Unknown = "unknown"

// New computes the report of g.
func New(g *graph.Graph, opts Options) (*Report, error) {
	if opts.Title == "" {
		opts.Title = "Knowledge graph report"
	}
	if opts.Renderer == nil {
		opts.Renderer = Auto()
	}
	b := &builder{g: g, anchors: map[*graph.Node]string{}}
	b.index()
	r := &Report{Title: opts.Title, Renderer: opts.Renderer.Name()}
	r.Overview = b.overview()
	r.Sources = b.sources()
	r.Blamed = b.typeTable("BLAMED", []string{"Who blamed", "Whom", "For", "Date", "Document", "Quote"})
	r.Claimed = b.typeTable("CLAIMED", []string{"Who claimed", "What", "Date", "Document", "Quote"})
	r.Condemned = b.typeTable("CONDEMNED", []string{"Who condemned", "What", "Date", "Document", "Quote"})
	for _, n := range b.events {
		r.Events = append(r.Events, b.dossier(n))
	}
	for _, n := range b.actors {
		r.Actors = append(r.Actors, b.actor(n))
	}
	r.Timeline = b.timeline()

	draw := func(d *Diagram) *Picture {
		if d == nil {
			return nil
		}
		p, err := render(opts.Renderer, d)
		if err != nil {
			r.Warnings = append(r.Warnings, err.Error())
		}
		return p
	}
	r.Network = draw(b.networkDiagram())
	for i := range r.Events {
		r.Events[i].Picture = draw(b.eventDiagram(b.events[i]))
	}
	return r, nil
}

// NetworkTypes are the relations the network picture shows.
var NetworkTypes = []string{"CLAIMED", "BLAMED", "CONDEMNED", "DOWNPLAYED"}

type builder struct {
	g     *graph.Graph
	stmts []*graph.Statement // in canonical order
	// touching holds, for each event and actor, the statements that touch
	// it (graph.Touching) in canonical order: their sections read only
	// those, where scanning every statement for each node took most of a
	// 100k-relation report's time.
	touching map[*graph.Node][]*graph.Statement
	events   []*graph.Node // by date (unknown last), name, id
	actors   []*graph.Node // by name, id
	docs     []*graph.Node // by id
	anchors  map[*graph.Node]string
}

func (b *builder) category(n *graph.Node) graph.Category {
	k, _ := b.g.Ontology.Kind(n.Kind)
	return k.Category
}

func (b *builder) index() {
	b.stmts = slices.Clone(b.g.Statements)
	slices.SortFunc(b.stmts, compareStatements)
	b.touching = map[*graph.Node][]*graph.Statement{}
	touching := func(n *graph.Node) {
		stmts := slices.Clone(b.g.Touching(n))
		slices.SortFunc(stmts, compareStatements)
		b.touching[n] = stmts
	}
	for _, n := range b.g.Nodes {
		switch b.category(n) {
		case graph.CategoryEvent:
			b.events = append(b.events, n)
			b.anchors[n] = anchor("event", n.ID)
			touching(n)
		case graph.CategoryActor:
			b.actors = append(b.actors, n)
			b.anchors[n] = anchor("actor", n.ID)
			touching(n)
		case graph.CategorySource:
			b.docs = append(b.docs, n)
			b.anchors[n] = anchor("doc", n.ID)
		}
	}
	slices.SortFunc(b.events, func(x, y *graph.Node) int {
		if c := compareDates(x.Date, y.Date); c != 0 {
			return c
		}
		return compareNodes(x, y)
	})
	slices.SortFunc(b.actors, compareNodes)
}

func compareNodes(x, y *graph.Node) int {
	return cmp.Or(strings.Compare(strings.ToLower(x.Name), strings.ToLower(y.Name)), strings.Compare(x.Name, y.Name),
		strings.Compare(x.ID, y.ID))
}

// compareDates orders known dates first, by their text (which sorts
// correctly), and unknown dates last.
func compareDates(x, y graph.Date) int {
	if x.IsZero() != y.IsZero() {
		if x.IsZero() {
			return 1
		}
		return -1
	}
	return strings.Compare(x.String(), y.String())
}

func compareStatements(x, y *graph.Statement) int {
	about := func(s *graph.Statement) string {
		if s.About == nil {
			return ""
		}
		return s.About.Name
	}
	return cmp.Or(
		strings.Compare(x.Subject.Name, y.Subject.Name),
		strings.Compare(x.Type, y.Type),
		strings.Compare(x.Object.Name, y.Object.Name),
		strings.Compare(about(x), about(y)),
		compareDates(x.Date, y.Date),
		strings.Compare(x.Evidence.Document, y.Evidence.Document),
		cmp.Compare(x.Evidence.Start, y.Evidence.Start),
		strings.Compare(x.Evidence.Quote, y.Evidence.Quote),
		strings.Compare(x.ID, y.ID),
	)
}

// anchor makes an HTML id from a prefix and a node ID, keeping letters,
// digits, '-' and '_' and replacing anything else.
func anchor(prefix, id string) string {
	var sb strings.Builder
	sb.WriteString(prefix)
	sb.WriteByte('-')
	for _, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			sb.WriteRune(r)
		default:
			sb.WriteString("_" + strconv.FormatInt(int64(r), 16) + "_")
		}
	}
	return sb.String()
}

func orUnknown(s string) string {
	if strings.TrimSpace(s) == "" {
		return Unknown
	}
	return s
}

func (b *builder) overview() Overview {
	var ov Overview
	kinds := map[string]int{}
	for _, n := range b.g.Nodes {
		if b.category(n) == graph.CategorySource {
			ov.Documents++
			continue
		}
		ov.Entities++
		kinds[n.Kind]++
	}
	for _, k := range b.g.Ontology.Kinds {
		if kinds[k.Name] > 0 {
			ov.Kinds = append(ov.Kinds, Count{k.Name, k.Meaning, kinds[k.Name]})
		}
	}
	types := map[string]int{}
	for _, s := range b.stmts {
		types[s.Type]++
	}
	ov.Statements = len(b.stmts)
	for _, rt := range b.g.Ontology.Relations {
		if types[rt.Name] > 0 {
			ov.Relations = append(ov.Relations, Count{rt.Name, rt.Meaning, types[rt.Name]})
		}
	}
	return ov
}

func (b *builder) sources() []Source {
	perDoc := map[string]int{}
	for _, s := range b.stmts {
		perDoc[s.Evidence.Document]++
	}
	grades := map[string]string{}
	for _, t := range b.g.Ontology.Reliability {
		grades[t.Name] = t.Meaning
	}
	var out []Source
	for _, d := range b.docs {
		rel := orUnknown(d.Reliability)
		if m := grades[d.Reliability]; m != "" {
			rel = d.Reliability + " (" + strings.ToLower(m) + ")"
		}
		url := d.URL
		if l := strings.ToLower(url); !strings.HasPrefix(l, "https://") && !strings.HasPrefix(l, "http://") {
			url = "" // link to web pages only
		}
		out = append(out, Source{ID: d.ID, Anchor: b.anchors[d], Title: orUnknown(d.Title), Publisher: orUnknown(d.Publisher),
			Date: orUnknown(d.Date.String()), Reliability: rel, URL: url, File: d.File, Statements: perDoc[d.ID]})
	}
	return out
}

// Cells.

func (b *builder) node(n *graph.Node) Cell {
	if n == nil {
		return Cell{}
	}
	c := Cell{Text: n.Name, Anchor: b.anchors[n]}
	if b.category(n) == graph.CategorySource {
		c.Text, c.Title = n.ID, n.Name
		if n.Publisher != "" {
			c.Text += " (" + n.Publisher + ")"
		}
	}
	return c
}

func (b *builder) doc(id string) Cell {
	n, ok := b.g.Node(id)
	if !ok {
		return Cell{Text: id}
	}
	var title []string
	for _, part := range []string{n.Publisher, n.Title} {
		if part != "" {
			title = append(title, part)
		}
	}
	return Cell{Text: id, Anchor: b.anchors[n], Title: strings.Join(title, ": ")}
}

func text(s string) Cell { return Cell{Text: s} }

func quote(s *graph.Statement) Cell { return Cell{Text: s.Evidence.Quote, Quote: true} }

// evidence is a statement's document and quote cells.
func (b *builder) evidence(s *graph.Statement) []Cell {
	return []Cell{b.doc(s.Evidence.Document), quote(s)}
}

func date(s *graph.Statement) Cell {
	c := Cell{Text: s.Date.String(), Class: "date"}
	switch {
	case s.DateText == "" || s.DateText == c.Text:
	case c.Text == "":
		c.Text = s.DateText // the source's own words, when they give no date
	default:
		c.Title = s.DateText
	}
	return c
}

func (b *builder) typeTable(typ string, cols []string) Table {
	t := Table{Columns: cols, Empty: None}
	for _, s := range b.stmts {
		if s.Type != typ {
			continue
		}
		row := []Cell{b.node(s.Subject), b.node(s.Object)}
		if typ == "BLAMED" {
			row = append(row, b.node(s.About))
		}
		row = append(row, date(s))
		t.Rows = append(t.Rows, append(row, b.evidence(s)...))
	}
	return t
}

// Dossiers.

type dossierPart struct {
	title, who  string
	typ         string
	eventIsSubj bool // the event is the statement's subject (OCCURRED_IN, TARGETED)
}

var dossierParts = []dossierPart{
	{"Place", "Place", "OCCURRED_IN", true},
	{"Targets", "Target", "TARGETED", true},
	{"Perpetrators", "Perpetrator", "CARRIED_OUT", false},
	{"Claimed by", "Who claimed", "CLAIMED", false},
	{"Condemned by", "Who condemned", "CONDEMNED", false},
	{"Downplayed by", "Who downplayed", "DOWNPLAYED", false},
}

func (b *builder) dossier(n *graph.Node) Dossier {
	d := Dossier{ID: n.ID, Anchor: b.anchors[n], Name: n.Name, Kind: n.Kind, Date: orUnknown(n.Date.String()),
		Aliases: strings.Join(n.Aliases, ", ")}
	used := map[*graph.Statement]bool{}
	for _, p := range dossierParts {
		t := Table{Columns: []string{p.who, "Date", "Document", "Quote"}, Empty: None}
		for _, s := range b.touching[n] {
			if s.Type != p.typ || (p.eventIsSubj && s.Subject != n) || (!p.eventIsSubj && s.Object != n) {
				continue
			}
			used[s] = true
			who := s.Subject
			if p.eventIsSubj {
				who = s.Object
			}
			t.Rows = append(t.Rows, append([]Cell{b.node(who), date(s)}, b.evidence(s)...))
		}
		d.Groups = append(d.Groups, Group{p.title, t})
		if p.typ == "CLAIMED" {
			d.Groups = append(d.Groups, b.blamedFor(n, used))
		}
	}
	d.Figures, d.Disagreements = b.figures(n, used)
	other := Table{Columns: []string{"Subject", "Relation", "Object", "About", "Date", "Document", "Quote"}, Empty: None}
	for _, s := range b.touching[n] {
		if used[s] {
			continue
		}
		other.Rows = append(other.Rows, append([]Cell{b.node(s.Subject), text(s.Type), b.node(s.Object), b.node(s.About), date(s)},
			b.evidence(s)...))
	}
	if len(other.Rows) > 0 {
		d.Groups = append(d.Groups, Group{"Other statements", other})
	}
	return d
}

// blamedFor lists who was blamed for the event, and by whom: BLAMED
// statements about it.
func (b *builder) blamedFor(n *graph.Node, used map[*graph.Statement]bool) Group {
	t := Table{Columns: []string{"Who blamed", "Whom", "Date", "Document", "Quote"}, Empty: None}
	for _, s := range b.touching[n] {
		if s.Type == "BLAMED" && s.About == n {
			used[s] = true
			t.Rows = append(t.Rows, append([]Cell{b.node(s.Subject), b.node(s.Object), date(s)}, b.evidence(s)...))
		}
	}
	return Group{"Blamed for it", t}
}

// figures tabulates the REPORTED statements about event n: one row per
// statement, one column per measure any of them gives, in ontology order.
func (b *builder) figures(n *graph.Node, used map[*graph.Statement]bool) (Table, []string) {
	var reports []*graph.Statement
	given := map[string]bool{}
	values := map[string][]int{}
	for _, s := range b.touching[n] {
		if s.Type != "REPORTED" || s.Object != n {
			continue
		}
		used[s] = true
		reports = append(reports, s)
		for _, f := range s.Figures {
			given[f.Measure] = true
			if !slices.Contains(values[f.Measure], f.Value) {
				values[f.Measure] = append(values[f.Measure], f.Value)
			}
		}
	}
	var measures []string
	for _, m := range graph.TermNames(b.g.Ontology.Figures) {
		if given[m] {
			measures = append(measures, m)
		}
	}
	var extra []string // measures the ontology does not list, if any
	for m := range given {
		if !slices.Contains(measures, m) {
			extra = append(extra, m)
		}
	}
	slices.Sort(extra)
	measures = append(measures, extra...)

	t := Table{Columns: slices.Concat([]string{"Reported by"}, measures, []string{"Date", "Document", "Quote"}), Empty: "No source reports figures."}
	for _, s := range reports {
		row := []Cell{b.node(s.Subject)}
		for _, m := range measures {
			c := Cell{}
			for _, f := range s.Figures {
				if f.Measure == m {
					c.Text = f.String()
				}
			}
			row = append(row, c)
		}
		t.Rows = append(t.Rows, append(append(row, date(s)), b.evidence(s)...))
	}
	var disagree []string
	for _, m := range measures {
		if vs := slices.Sorted(slices.Values(values[m])); len(vs) > 1 {
			var parts []string
			for _, v := range vs {
				parts = append(parts, strconv.Itoa(v))
			}
			disagree = append(disagree, m+": "+strings.Join(parts, ", "))
		}
	}
	return t, disagree
}

// Actors.

func (b *builder) actor(n *graph.Node) ActorSection {
	a := ActorSection{ID: n.ID, Anchor: b.anchors[n], Name: n.Name, Kind: n.Kind, Aliases: strings.Join(n.Aliases, ", ")}
	did := Table{Columns: []string{"Relation", "Object", "About", "Date", "Document", "Quote"}, Empty: "Nothing in the annotations."}
	done := Table{Columns: []string{"Subject", "Relation", "About", "Date", "Document", "Quote"}, Empty: "Nothing in the annotations."}
	about := Table{Columns: []string{"Subject", "Relation", "Object", "Date", "Document", "Quote"}, Empty: None}
	for _, s := range b.touching[n] {
		switch {
		case s.Subject == n:
			did.Rows = append(did.Rows, append([]Cell{text(s.Type), b.node(s.Object), b.node(s.About), date(s)}, b.evidence(s)...))
		case s.Object == n:
			done.Rows = append(done.Rows, append([]Cell{b.node(s.Subject), text(s.Type), b.node(s.About), date(s)}, b.evidence(s)...))
		case s.About == n:
			about.Rows = append(about.Rows, append([]Cell{b.node(s.Subject), text(s.Type), b.node(s.Object), date(s)}, b.evidence(s)...))
		}
	}
	a.Groups = []Group{{"What it did", did}, {"What others did to it or said of it", done}}
	if len(about.Rows) > 0 {
		a.Groups = append(a.Groups, Group{"Statements about it", about})
	}
	return a
}

// Timeline.

func (b *builder) timeline() Table {
	type entry struct {
		date  graph.Date
		order int // events, then documents, then statements on the same date
		row   []Cell
	}
	var es []entry
	for _, n := range b.events {
		if !n.Date.IsZero() {
			es = append(es, entry{n.Date, 0, []Cell{{Text: n.Date.String(), Class: "date"}, text(n.Kind), b.node(n), {}, {}}})
		}
	}
	for _, n := range b.docs {
		if !n.Date.IsZero() {
			what := "published"
			if n.Publisher != "" {
				what = "published by " + n.Publisher
			}
			es = append(es, entry{n.Date, 1, []Cell{{Text: n.Date.String(), Class: "date"}, text("Document"), text(n.ID + " " + what), b.doc(n.ID), {}}})
		}
	}
	for _, s := range b.stmts {
		if s.Date.IsZero() {
			continue
		}
		what := s.Subject.Name + " " + s.Type + " " + s.Object.Name
		if s.About != nil {
			what += " (about " + s.About.Name + ")"
		}
		es = append(es, entry{s.Date, 2, append([]Cell{date(s), text(s.Type), text(what)}, b.evidence(s)...)})
	}
	slices.SortStableFunc(es, func(x, y entry) int {
		return cmp.Or(compareDates(x.date, y.date), cmp.Compare(x.order, y.order))
	})
	t := Table{Columns: []string{"Date", "Kind", "What", "Document", "Quote"}, Empty: "Nothing in the annotations is dated."}
	for _, e := range es {
		t.Rows = append(t.Rows, e.row)
	}
	return t
}

// Diagrams.

func (b *builder) diagramNode(n *graph.Node) DiagramNode {
	label := n.Name
	if b.category(n) == graph.CategorySource {
		label = n.ID
		if n.Publisher != "" {
			label += " (" + n.Publisher + ")"
		}
	}
	return DiagramNode{ID: n.ID, Label: label, Category: string(b.category(n)), Link: "#" + b.anchors[n]}
}

// diagram collects the nodes and merged edges of stmts: one edge per
// subject, type and object, counting the statements behind it.
func (b *builder) diagram(name, title string, stmts []*graph.Statement, label func(*graph.Statement) string) *Diagram {
	if len(stmts) == 0 {
		return nil
	}
	d := &Diagram{Name: name, Title: title}
	seen := map[*graph.Node]bool{}
	edges := map[[3]string]int{}
	for _, s := range stmts {
		for _, n := range []*graph.Node{s.Subject, s.Object} {
			if !seen[n] {
				seen[n] = true
				d.Nodes = append(d.Nodes, b.diagramNode(n))
			}
		}
		l := s.Type
		if label != nil {
			l = label(s)
		}
		k := [3]string{s.Subject.ID, l, s.Object.ID}
		if i, ok := edges[k]; ok {
			d.Edges[i].Count++
			continue
		}
		edges[k] = len(d.Edges)
		d.Edges = append(d.Edges, DiagramEdge{From: s.Subject.ID, To: s.Object.ID, Type: s.Type, Label: l, Count: 1})
	}
	order := map[string]int{"event": 0, "actor": 1, "place": 2, "source": 3}
	slices.SortFunc(d.Nodes, func(x, y DiagramNode) int {
		return cmp.Or(cmp.Compare(order[x.Category], order[y.Category]), strings.Compare(x.Label, y.Label), strings.Compare(x.ID, y.ID))
	})
	slices.SortFunc(d.Edges, func(x, y DiagramEdge) int {
		return cmp.Or(strings.Compare(x.From, y.From), strings.Compare(x.To, y.To), strings.Compare(x.Label, y.Label))
	})
	return d
}

func (b *builder) networkDiagram() *Diagram {
	var stmts []*graph.Statement
	for _, s := range b.stmts {
		if slices.Contains(NetworkTypes, s.Type) {
			stmts = append(stmts, s)
		}
	}
	return b.diagram("network", "Who claimed, blamed, condemned and downplayed what", stmts, nil)
}

func (b *builder) eventDiagram(n *graph.Node) *Diagram {
	d := b.diagram(anchor("event", n.ID), n.Name, b.touching[n], func(s *graph.Statement) string {
		if s.About == n && s.Subject != n && s.Object != n {
			return s.Type + " (for it)"
		}
		if s.Type != "REPORTED" || len(s.Figures) == 0 {
			return s.Type
		}
		var fs []string
		for _, f := range s.Figures {
			fs = append(fs, fmt.Sprintf("%s %s", f.Measure, f))
		}
		return s.Type + ": " + strings.Join(fs, ", ")
	})
	if d == nil {
		return nil
	}
	d.Center = n.ID
	if !slices.ContainsFunc(d.Nodes, func(x DiagramNode) bool { return x.ID == n.ID }) {
		// Only BLAMED statements about it: the event itself is no edge's end.
		d.Nodes = append([]DiagramNode{b.diagramNode(n)}, d.Nodes...)
	}
	return d
}
