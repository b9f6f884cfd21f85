package graph

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/kgraph/kg/internal/parallel"
)

// Node is an entity, event or document in a built graph.
type Node struct {
	ID      string
	Kind    string
	Name    string
	Aliases []string
	Date    Date
	// Document fields; empty for other kinds.
	Title, Publisher, URL, Reliability, File string
}

// Statement is a relation with its evidence, as one document reports it.
// Two documents reporting the same fact are two statements of one edge.
type Statement struct {
	// ID is derived from the statement's content, so it stays the same from
	// one load to the next while the annotation is unchanged.
	ID          string
	Subject     *Node
	Type        string
	Object      *Node
	About       *Node // nil when the annotation does not say
	Date        Date
	DateText    string
	Evidence    Evidence
	Credibility string
	Role        string
	Figures     []Figure
	Note        string
}

// Graph is a checked corpus, indexed for the named questions. It needs no
// server: it is kg's embedded question engine.
type Graph struct {
	Ontology   *Ontology
	Nodes      []*Node      // sorted by ID
	Statements []*Statement // in the order of the corpus's relations
	byID       map[string]*Node

	// The indexes of names and of the statements touching each node are
	// built on first use: a load never asks a question, and building them
	// for a million statements takes seconds.
	indexed  sync.Once
	byName   map[string][]*Node // lower-cased id, name or alias
	touching map[string][]*Statement
}

// Build makes a graph from a corpus that Check found clean. It fails if the
// corpus still has unresolved references.
func Build(c *Corpus, o *Ontology) (*Graph, error) {
	g := withNodes(c, o)
	if err := g.addStatements(c); err != nil {
		return nil, err
	}
	return g, nil
}

// withNodes is the graph of c's nodes, without statements.
func withNodes(c *Corpus, o *Ontology) *Graph {
	g := &Graph{Ontology: o, byID: make(map[string]*Node, len(c.Documents)+len(c.Entities))}
	for _, d := range c.Documents {
		g.addNode(documentNode(d))
	}
	for _, e := range c.Entities {
		g.addNode(entityNode(e))
	}
	slices.SortFunc(g.Nodes, func(a, b *Node) int { return strings.Compare(a.ID, b.ID) })
	return g
}

func documentNode(d *Document) *Node {
	return &Node{ID: d.ID, Kind: "Document", Name: documentName(d), Date: d.Date,
		Title: d.Title, Publisher: d.Publisher, URL: d.URL, Reliability: d.Reliability, File: d.File}
}

func entityNode(e *Entity) *Node {
	return &Node{ID: e.ID, Kind: e.Kind, Name: e.Name, Aliases: e.Aliases, Date: e.Date}
}

// addStatements makes a statement of each of c's relations.
func (g *Graph) addStatements(c *Corpus) error {
	// Statements are independent of one another, and a large corpus has a
	// million, each hashed: they are made on every core, in one allocation.
	statements := make([]Statement, len(c.Relations))
	errs := make([]error, len(c.Relations))
	parallel.EachSmall(len(c.Relations), func(i int) {
		errs[i] = makeStatement(c.Relations[i], &statements[i], g.byID)
	})
	for _, err := range errs {
		if err != nil {
			return err // the first in corpus order, as if made one by one
		}
	}
	g.Statements = make([]*Statement, len(statements))
	for i := range statements {
		g.Statements[i] = &statements[i]
	}
	return nil
}

// makeStatement fills s with relation r, its ends resolved in byID.
func makeStatement(r *Relation, s *Statement, byID map[string]*Node) error {
	*s = Statement{Type: r.Type, Date: r.Date, DateText: r.DateText, Evidence: r.Evidence,
		Credibility: r.Credibility, Role: r.Role, Figures: r.Figures, Note: r.Note}
	var err error
	if s.Subject, err = mustNode(byID, r.Subject); err != nil {
		return err
	}
	if s.Object, err = mustNode(byID, r.Object); err != nil {
		return err
	}
	if r.About != "" {
		if s.About, err = mustNode(byID, r.About); err != nil {
			return err
		}
	}
	s.ID = statementID(s)
	return nil
}

// index builds the indexes of names and of statements by node, once.
func (g *Graph) index() {
	g.indexed.Do(func() {
		g.byName, g.touching = map[string][]*Node{}, map[string][]*Statement{}
		for _, n := range g.Nodes {
			for _, name := range append([]string{n.ID, n.Name}, n.Aliases...) {
				key := strings.ToLower(name)
				if !slices.Contains(g.byName[key], n) {
					g.byName[key] = append(g.byName[key], n)
				}
			}
		}
		for _, s := range g.Statements {
			g.touching[s.Subject.ID] = append(g.touching[s.Subject.ID], s)
			if s.Object != s.Subject {
				g.touching[s.Object.ID] = append(g.touching[s.Object.ID], s)
			}
			if s.About != nil && s.About != s.Subject && s.About != s.Object {
				g.touching[s.About.ID] = append(g.touching[s.About.ID], s)
			}
		}
	})
}

func documentName(d *Document) string {
	if d.Title != "" {
		return d.Title
	}
	return d.ID
}

func (g *Graph) addNode(n *Node) {
	g.Nodes = append(g.Nodes, n)
	g.byID[n.ID] = n
}

func mustNode(byID map[string]*Node, id string) (*Node, error) {
	n, ok := byID[id]
	if !ok {
		return nil, fmt.Errorf("build graph: %q is not declared", id)
	}
	return n, nil
}

// Node returns the node with the given ID.
func (g *Graph) Node(id string) (*Node, bool) {
	n, ok := g.byID[id]
	return n, ok
}

// Touching returns the statements n is the subject, object or about of,
// each once, in the order of g.Statements. The slice is the graph's own:
// copy it to change it.
func (g *Graph) Touching(n *Node) []*Statement {
	g.index()
	return g.touching[n.ID]
}

// statementID hashes what makes a statement itself: who said what of whom,
// about what, where. Editing any of these makes it a new statement.
func statementID(s *Statement) string {
	about := ""
	if s.About != nil {
		about = s.About.ID
	}
	return fmt.Sprintf("%016x", uint64(keyOf(s.Subject.ID, s.Type, s.Object.ID, about, s.Evidence.Document, s.Evidence.Quote)))
}

// keyOf hashes what makes a relation the same statement: its subject,
// type, object, event, document and quote.
func keyOf(parts ...string) statementKey {
	h := sha256.New()
	for _, part := range parts {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	var sum [sha256.Size]byte
	return statementKey(binary.BigEndian.Uint64(h.Sum(sum[:0])))
}

// Resolve finds the node a user means by name: an ID, a name or an alias,
// ignoring case. An unknown or ambiguous name is an error that lists the
// candidates.
func (g *Graph) Resolve(name string) (*Node, error) {
	g.index()
	return PickNode(name, g.byName[strings.ToLower(strings.TrimSpace(name))], func() []string {
		all := make([]string, 0, len(g.byName))
		for k := range g.byName {
			all = append(all, k)
		}
		return all
	})
}

// PickNode returns the one node among matches that name means, or an error
// that says why there is none: an unknown name lists the closest of known
// names (called only then), an ambiguous one lists the matches. Every
// backend resolves names through it, so they fail alike.
func PickNode(name string, matches []*Node, known func() []string) (*Node, error) {
	switch len(matches) {
	case 1:
		return matches[0], nil
	case 0:
		all := known()
		slices.Sort(all)
		if close := Closest(strings.ToLower(name), all, 5); len(close) > 0 {
			return nil, nameErrorf("no entity is called %q; did you mean %s?", name, quoteAll(close))
		}
		return nil, nameErrorf("no entity is called %q; give an id, a name or an alias", name)
	}
	var ids []string
	for _, n := range matches {
		ids = append(ids, fmt.Sprintf("%s (%s %q)", n.ID, n.Kind, n.Name))
	}
	slices.Sort(ids)
	return nil, nameErrorf("%q is ambiguous: it names %s; use an id", name, strings.Join(ids, ", "))
}

// NameError is a question's argument that names no entity, or more than
// one: the user's mistake, not the backend's.
type NameError struct{ msg string }

func (e *NameError) Error() string { return e.msg }

func nameErrorf(format string, args ...any) error {
	return &NameError{fmt.Sprintf(format, args...)}
}

// LoadOptions tunes a load into a store.
type LoadOptions struct {
	// BatchSize is how many rows one statement sends; 0 means the store's default.
	BatchSize int
	// DryRun computes what would change without writing.
	DryRun bool
	// Progress, when set, is told how many rows of the total have been written.
	Progress func(done, total int)
}

// LoadStats says what a load changed.
type LoadStats struct {
	NodesCreated, NodesUpdated, NodesDeleted int
	RelsCreated, RelsUpdated, RelsDeleted    int
	// NodesKept counts nodes no longer in the data that were kept because
	// data kg did not write still points at them.
	NodesKept int
	// RowsSent counts the rows sent to the store.
	RowsSent int
	// Generation names the load the store now holds: a new name when the
	// load changed something, the previous one otherwise. A Delta computed
	// against it applies to the store until another load changes it.
	Generation string
}

// Changes is the total number of nodes and relationships changed.
func (s LoadStats) Changes() int {
	return s.NodesCreated + s.NodesUpdated + s.NodesDeleted + s.RelsCreated + s.RelsUpdated + s.RelsDeleted
}

// Store is a graph database kg loads into and asks the named questions of.
// internal/neo4jstore implements it.
type Store interface {
	Load(ctx context.Context, g *Graph, opts LoadOptions) (LoadStats, error)
	Ask(ctx context.Context, question string, args ...string) (Answer, error)
}
