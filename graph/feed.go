package graph

import (
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"sync"

	"github.com/kgraph/kg/internal/idtable"
)

// Part is a share of a graph on its way to a store (see Feed).
type Part struct {
	// Corpus is one file's items, or some of a large file's (see
	// PartReader), checked against the parts before it; nil for a part
	// that only carries statements.
	Corpus *Corpus
	// Nodes are the nodes of Corpus's documents and entities.
	Nodes []*Node
	// Statements are those now complete: both ends (and the event, if
	// any) are among the Nodes of this part or an earlier one, and the
	// quote's offsets are found. They may come from earlier files' parts,
	// whose statements waited for an end or for the whole corpus. Their
	// ends carry only ID and Kind, so that the feed need not keep every
	// node's names and titles to the end of a load: the nodes, whole, are
	// those among the Nodes.
	Statements []*Statement
	// Relations[i] is the relation Statements[i] is made from; nil for a
	// graph that was built whole (FeedOf).
	Relations []*Relation
}

// Feed is a graph that comes a file at a time, read, checked and built
// while a store writes the parts before, so that neither the graph nor its
// corpus is ever held whole: memory holds the files being read, the IDs
// and kinds of the nodes used last (the others on scratch), and what
// joins the files (see Checker). A store
// must keep none of what it wrote unless Err is nil once the parts end:
// the corpus may turn out invalid after some of its parts were written.
type Feed struct {
	ctx   context.Context // ends the reading, and the sending of parts
	parts chan Part
	err   error  // set before parts is closed
	n     Totals // likewise

	mu      sync.Mutex
	each    func(Part)
	nodes   *idtable.Table[uint16]        // the kind of each node in the feed, by ID
	kinds   kindList                      // the kinds nodes hold
	ends    map[string]*Node              // the ends the latest statements were given, by ID (see end)
	waiting map[string][]*waitingRelation // by an end not yet in the feed
	held    []*Relation                   // quoting another file's document
}

// waitingRelation is a relation whose statement waits for missing ends.
type waitingRelation struct {
	r       *Relation
	missing int
}

// Stream starts reading, checking and building the annotation files l
// lists, and returns the feed of their parts. each, if not nil, sees every
// part, in the order the feed gives them, before the store does. Once ctx
// is done the feed reads no other file and sends no other part: the parts
// end soon after, with ctx's error, and no one need take them.
func Stream(ctx context.Context, r PartReader, o *Ontology, each func(Part), l Listing) *Feed {
	// A few parts in flight keep the store busy while files are read, and
	// bound what waits for it.
	f := &Feed{ctx: ctx, parts: make(chan Part, 64), each: each, waiting: map[string][]*waitingRelation{}}
	f.nodes = newTable(idtable.Codec[uint16]{Size: 2,
		Put: func(b []byte, k uint16) { binary.LittleEndian.PutUint16(b, k) },
		Get: func(b []byte) uint16 { return binary.LittleEndian.Uint16(b) }}, r.Scratch)
	go func() {
		defer close(f.parts)
		defer f.nodes.Close()
		n, ds, err := Scan(ctx, r, o, f.add, l)
		f.n = n
		switch {
		case err != nil:
			f.err = err
		case len(ds) > 0:
			f.err = ds
		default:
			f.err = f.finish()
		}
	}()
	return f
}

// FeedOf is the feed of a graph already built: one part.
func FeedOf(g *Graph) *Feed {
	f := &Feed{ctx: context.Background(), parts: make(chan Part, 1)}
	f.parts <- Part{Nodes: g.Nodes, Statements: g.Statements}
	for _, n := range g.Nodes {
		if n.Kind == "Document" {
			f.n.Documents++
		} else {
			f.n.Entities++
		}
	}
	f.n.Relations = len(g.Statements)
	close(f.parts)
	return f
}

// Next returns the next part, or false when there are no more (then Err
// says whether the graph is whole and valid). It waits for files to be
// read; ctx ends the wait, not the reading.
func (f *Feed) Next(ctx context.Context) (Part, bool, error) {
	select {
	case p, ok := <-f.parts:
		return p, ok, nil
	case <-ctx.Done():
		return Part{}, false, ctx.Err()
	}
}

// Err is nil once every part has come and the corpus is valid. When the
// check found problems it is their Diagnostics, sorted. It must be called
// only after Next has returned false.
func (f *Feed) Err() error { return f.err }

// Drain discards the parts not yet taken and returns Err: a store that
// fails calls it so that the corpus's own problems, if any, are known, and
// a caller whose ctx ended calls it to know the feed has stopped (each is
// then called no more).
func (f *Feed) Drain() error {
	for range f.parts {
	}
	return f.err
}

// Totals counts what the corpus declared; known once the parts end.
func (f *Feed) Totals() Totals { return f.n }

// add turns a checked file into a part: Scan calls it from several
// goroutines, and the lock keeps the parts in an order where every
// statement comes after its ends.
func (f *Feed) add(c *Corpus) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := Part{Corpus: c}
	own := make(map[string]bool, len(c.Documents))
	for _, d := range c.Documents {
		own[d.ID] = true
		p.Nodes = append(p.Nodes, documentNode(d))
	}
	for _, e := range c.Entities {
		p.Nodes = append(p.Nodes, entityNode(e))
	}
	for _, n := range p.Nodes {
		if !f.nodes.Has(n.ID) { // a duplicate is the check's to report
			f.nodes.Put(n.ID, f.kinds.number(n.Kind))
		}
	}
	for _, r := range c.Relations {
		if !own[r.Evidence.Document] {
			// Its quote's offsets are known only once the document is
			// read, which may be after every file (Checker.Finish).
			f.held = append(f.held, r)
			continue
		}
		f.relation(r, &p)
	}
	for _, n := range p.Nodes {
		for _, w := range f.waiting[n.ID] {
			if w.missing--; w.missing == 0 {
				f.ready(w.r, &p)
			}
		}
		delete(f.waiting, n.ID)
	}
	f.send(p)
}

// maxEnds is how many ends statements share before the feed starts
// making new ones. Ends kept for the whole load would cost a node for
// each entity; ends made afresh for each part cost more than that while
// the statements of many parts wait to be written, each part holding its
// own ends of the few actors most statements are about. Sharing a
// bounded number keeps the hot ends shared and lets the rest go: see
// BenchmarkKeepsPerEntity in internal/yamlfile (feed 233 B an entity
// with ends kept; 73 B with this).
const maxEnds = 1 << 14

// end puts in f.ends the node id as statements have it for an end: its
// ID and kind, and nothing else of the corpus.
func (f *Feed) end(id string) {
	if _, ok := f.ends[id]; ok || id == "" {
		return
	}
	if kind, ok := f.nodes.Get(id); ok { // if not, makeStatement says so
		f.ends[id] = &Node{ID: id, Kind: f.kinds.name(kind)}
	}
}

// relation adds r's statement to p if its ends are in the feed, and
// otherwise waits for them.
func (f *Feed) relation(r *Relation, p *Part) {
	w := &waitingRelation{r: r}
	ends := [...]string{r.Subject, r.Object, r.About}
	for i, id := range ends {
		if id == "" || slices.Contains(ends[:i], id) {
			continue // no end, or one already counted
		}
		if !f.nodes.Has(id) {
			w.missing++
			f.waiting[id] = append(f.waiting[id], w)
		}
	}
	if w.missing == 0 {
		f.ready(r, p)
	}
}

// ready adds r's statement, whose ends are all in the feed, to p. A
// relation that cannot be made a statement is the check's to report.
func (f *Feed) ready(r *Relation, p *Part) {
	var s Statement
	// Room for all three ends at once: a new map between them would lose
	// the ends already put.
	if f.ends == nil || len(f.ends)+3 > maxEnds {
		f.ends = make(map[string]*Node, maxEnds)
	}
	f.end(r.Subject)
	f.end(r.Object)
	f.end(r.About)
	if makeStatement(r, &s, f.ends) == nil {
		p.Statements = append(p.Statements, &s)
		p.Relations = append(p.Relations, r)
	}
}

func (f *Feed) send(p Part) {
	if f.ctx.Err() != nil {
		return // no one waits for it
	}
	if f.each != nil {
		f.each(p)
	}
	select {
	case f.parts <- p:
	case <-f.ctx.Done():
	}
}

// finish sends the statements that waited for the whole corpus, once it
// is checked: every end is declared and every quote found.
func (f *Feed) finish() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	var p Part
	for _, r := range f.held {
		f.relation(r, &p)
	}
	f.held = nil
	if err := f.nodes.Err(); err != nil {
		return fmt.Errorf("build graph: %w", err)
	}
	for id := range f.waiting {
		return fmt.Errorf("build graph: %q is not declared", id) // the check would have said so
	}
	f.ends = nil
	if len(p.Statements) > 0 {
		f.send(p)
	}
	return nil
}

// FeedStore is a store that can load a graph as it comes, a part at a
// time, keeping nothing if the feed turns out invalid.
type FeedStore interface {
	Store
	LoadFeed(ctx context.Context, f *Feed, opts LoadOptions) (LoadStats, error)
}
