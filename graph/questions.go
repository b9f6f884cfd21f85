package graph

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Question is a named question kg can answer, on the embedded graph here
// and, through the Cypher file of the same name in schema/queries, on Neo4j.
type Question struct {
	Name string
	// Args names the arguments the question takes, in order. Each is the
	// name of an entity, resolved before the question runs.
	Args []string
	// Params are the Cypher parameters the resolved arguments' ids are
	// passed as, in the order of Args.
	Params []string
	// Meaning is one line saying what the question answers.
	Meaning string
	// Columns are the answer's columns; Table names the ones a person sees
	// by default, narrower than the full answer.
	Columns, Table []string
	run            func(g *Graph, args []*Node) ([][]string, error)
}

// StatementColumns are the columns of every question that lists statements.
var StatementColumns = []string{"subject", "relation", "object", "about", "date", "document", "quote",
	"subjectId", "objectId", "aboutId", "quoteStart", "quoteEnd"}

var statementTable = []string{"subject", "relation", "object", "about", "document", "quote"}

// eventTable leaves out about, for questions whose object is the event.
var eventTable = []string{"subject", "relation", "object", "document", "quote"}

// Questions are the named questions, in the order `kg ask --list` shows them.
var Questions = []Question{
	{Name: "blamed", Meaning: "Who blamed whom, for what where the annotation says, with the evidence.",
		Columns: StatementColumns, Table: statementTable, run: ofType("BLAMED")},
	{Name: "claimed", Meaning: "Who claimed responsibility for which attack, with the evidence.",
		Columns: StatementColumns, Table: eventTable, run: ofType("CLAIMED")},
	{Name: "condemned", Meaning: "Who condemned what, with the evidence.",
		Columns: StatementColumns, Table: eventTable, run: ofType("CONDEMNED")},
	{Name: "about", Args: []string{"NAME"}, Params: []string{"id"}, Meaning: "Every statement that touches an entity (as subject, object or the event it is about).",
		Columns: StatementColumns, Table: statementTable, run: about},
	{Name: "path", Args: []string{"A", "B"}, Params: []string{"a", "b"}, Meaning: "How two entities are connected: every shortest path between them, ignoring direction.",
		Columns: []string{"length", "path"}, Table: []string{"length", "path"}, run: path},
	{Name: "conflicts", Meaning: "Figures on which sources disagree (killed, wounded, attackers...), side by side.",
		Columns: []string{"event", "measure", "value", "reportedBy", "document", "quote", "eventId", "qualifier"},
		Table:   []string{"event", "measure", "qualifier", "value", "reportedBy", "document", "quote"}, run: conflicts},
	{Name: "timeline", Meaning: "Events and dated statements in date order.",
		Columns: []string{"date", "what", "subject", "relation", "object", "document", "quote"},
		Table:   []string{"date", "what", "subject", "relation", "object", "document"}, run: timeline},
}

// FindQuestion returns the named question.
func FindQuestion(name string) (Question, error) {
	for _, q := range Questions {
		if q.Name == name {
			return q, nil
		}
	}
	var names []string
	for _, q := range Questions {
		names = append(names, q.Name)
	}
	return Question{}, fmt.Errorf("no question %q; %s", name, hintOneOf(name, names))
}

// Usage shows how to ask q: "path A B".
func (q Question) Usage() string {
	return strings.TrimSpace(q.Name + " " + strings.Join(q.Args, " "))
}

// CheckArgs reports a wrong number of arguments.
func (q Question) CheckArgs(args []string) error {
	if len(args) != len(q.Args) {
		return fmt.Errorf("%s takes %d argument(s), got %d; usage: kg ask %s", q.Name, len(q.Args), len(args), q.Usage())
	}
	return nil
}

// Resolve turns the question's arguments into the nodes they name, with
// resolve (a backend's name lookup), and checks that two arguments do not
// name the same node.
func (q Question) Resolve(args []string, resolve func(string) (*Node, error)) ([]*Node, error) {
	if err := q.CheckArgs(args); err != nil {
		return nil, err
	}
	nodes := make([]*Node, len(args))
	for i, a := range args {
		n, err := resolve(a)
		if err != nil {
			return nil, err
		}
		for j := range i {
			if nodes[j].ID == n.ID {
				return nil, nameErrorf("%q and %q are the same entity (%s)", args[j], a, n.ID)
			}
		}
		nodes[i] = n
	}
	return nodes, nil
}

// Ask answers the named question on the embedded graph.
func (g *Graph) Ask(name string, args ...string) (Answer, error) {
	q, err := FindQuestion(name)
	if err != nil {
		return Answer{}, err
	}
	if err := q.CheckArgs(args); err != nil {
		return Answer{}, err
	}
	nodes, err := q.Resolve(args, g.Resolve)
	if err != nil {
		return Answer{}, err
	}
	rows, err := q.run(g, nodes)
	if err != nil {
		return Answer{}, err
	}
	a := Answer{Question: q.Name, Args: args, Columns: q.Columns, Rows: rows}
	a.Sort()
	return a, nil
}

func ofType(t string) func(*Graph, []*Node) ([][]string, error) {
	return func(g *Graph, _ []*Node) ([][]string, error) {
		var rows [][]string
		for _, s := range g.Statements {
			if s.Type == t {
				rows = append(rows, statementRow(s))
			}
		}
		return rows, nil
	}
}

func about(g *Graph, args []*Node) ([][]string, error) {
	n := args[0]
	var rows [][]string
	g.index()
	for _, s := range g.touching[n.ID] {
		rows = append(rows, statementRow(s))
	}
	return rows, nil
}

func statementRow(s *Statement) []string {
	aboutName, aboutID := "", ""
	if s.About != nil {
		aboutName, aboutID = s.About.Name, s.About.ID
	}
	return []string{s.Subject.Name, s.Type, s.Object.Name, aboutName, s.Date.String(), s.Evidence.Document, s.Evidence.Quote,
		s.Subject.ID, s.Object.ID, aboutID, strconv.Itoa(s.Evidence.Start), strconv.Itoa(s.Evidence.End)}
}

// MaxPathLength bounds the path question, as Cypher needs a bound.
const MaxPathLength = 10

// MaxPaths bounds how many shortest paths the path question lists.
const MaxPaths = 100

type edge struct {
	typ      string
	to       *Node
	forwards bool
}

// path finds every shortest path between two nodes over distinct
// (subject, type, object) edges, ignoring direction, by breadth-first search.
func path(g *Graph, args []*Node) ([][]string, error) {
	a, b := args[0], args[1]
	adj := map[*Node][]edge{}
	seen := map[[3]string]bool{}
	for _, s := range g.Statements {
		k := [3]string{s.Subject.ID, s.Type, s.Object.ID}
		if seen[k] || s.Subject == s.Object {
			continue
		}
		seen[k] = true
		adj[s.Subject] = append(adj[s.Subject], edge{s.Type, s.Object, true})
		adj[s.Object] = append(adj[s.Object], edge{s.Type, s.Subject, false})
	}
	// dist from a, and for each node the edges that reach it on a shortest path.
	dist := map[*Node]int{a: 0}
	parents := map[*Node][]edge{} // edge.to is the parent
	frontier := []*Node{a}
	for d := 1; d <= MaxPathLength && len(frontier) > 0 && dist[b] == 0; d++ {
		var next []*Node
		for _, n := range frontier {
			for _, e := range adj[n] {
				if dd, ok := dist[e.to]; ok && dd < d {
					continue
				}
				if _, ok := dist[e.to]; !ok {
					dist[e.to] = d
					next = append(next, e.to)
				}
				parents[e.to] = append(parents[e.to], edge{e.typ, n, e.forwards})
			}
		}
		frontier = next
	}
	if _, ok := dist[b]; !ok {
		return nil, nil
	}
	var rows [][]string
	var walk func(n *Node, suffix string)
	walk = func(n *Node, suffix string) {
		if len(rows) >= MaxPaths*4 {
			return
		}
		if n == a {
			rows = append(rows, []string{strconv.Itoa(dist[b]), n.Name + suffix})
			return
		}
		for _, p := range parents[n] {
			step := " <-" + p.typ + "- "
			if p.forwards {
				step = " -" + p.typ + "-> "
			}
			walk(p.to, step+n.Name+suffix)
		}
	}
	walk(b, "")
	slices.SortFunc(rows, func(x, y []string) int { return slices.Compare(x, y) })
	rows = slices.CompactFunc(rows, func(x, y []string) bool { return slices.Equal(x, y) })
	if len(rows) > MaxPaths {
		rows = rows[:MaxPaths]
	}
	return rows, nil
}

func conflicts(g *Graph, _ []*Node) ([][]string, error) {
	type key struct{ event, measure string }
	values := map[key]map[int]bool{}
	for _, s := range g.Statements {
		for _, f := range s.Figures {
			k := key{s.Object.ID, f.Measure}
			if values[k] == nil {
				values[k] = map[int]bool{}
			}
			values[k][f.Value] = true
		}
	}
	var rows [][]string
	for _, s := range g.Statements {
		for _, f := range s.Figures {
			if len(values[key{s.Object.ID, f.Measure}]) < 2 {
				continue
			}
			rows = append(rows, []string{s.Object.Name, f.Measure, strconv.Itoa(f.Value), s.Subject.Name,
				s.Evidence.Document, s.Evidence.Quote, s.Object.ID, f.Qualifier})
		}
	}
	return rows, nil
}

func timeline(g *Graph, _ []*Node) ([][]string, error) {
	var rows [][]string
	for _, n := range g.Nodes {
		if k, _ := g.Ontology.Kind(n.Kind); k.Category == CategoryEvent && !n.Date.IsZero() {
			rows = append(rows, []string{n.Date.String(), "event", n.Name, "", "", "", ""})
		}
	}
	for _, s := range g.Statements {
		if !s.Date.IsZero() {
			rows = append(rows, []string{s.Date.String(), "statement", s.Subject.Name, s.Type, s.Object.Name,
				s.Evidence.Document, s.Evidence.Quote})
		}
	}
	return rows, nil
}
