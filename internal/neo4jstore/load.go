package neo4jstore

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/kgraph/kg/graph"
	"github.com/kgraph/kg/internal/parallel"
)

// DefaultBatchSize is how many rows one UNWIND statement sends by default.
// Larger batches mean fewer round trips, which shows in full loads of large
// corpora (compare with BENCH_BATCH=2000 bench/run); 20000 keeps one batch
// to a few tens of MB on the wire.
const DefaultBatchSize = 20000

// KgLabel marks every node kg writes; kg never matches a node without it.
const KgLabel = "KgNode"

// LoadLabel marks kg's records of its loads: {id: 'last'}, the last load
// (its generation), and, while a first load is not complete,
// {id: 'unfinished'} (see Unfinished). They are kg's too, and never nodes
// of the graph.
const LoadLabel = "KgLoad"

// unfinishedID is the id of the record a first load commits before its
// first batch and deletes, with its last transaction, once complete.
const unfinishedID = "unfinished"

// Labels and relationship types cannot be Cypher parameters, so they are
// spliced into statements; they come from the ontology and must also match
// Neo4j's conventions, which rules out anything that could break a query.
var (
	labelPattern    = regexp.MustCompile(`^[A-Z][A-Za-z0-9]*$`)
	relTypePattern  = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)
	propertyPattern = regexp.MustCompile(`^[a-z][A-Za-z0-9]*$`)
)

func (s *Store) label(kind string) (string, error) {
	if _, ok := s.ontology.Kind(kind); !ok || !labelPattern.MatchString(kind) {
		return "", fmt.Errorf("kind %q is not a CamelCase kind of the ontology", kind)
	}
	return kind, nil
}

func (s *Store) relType(typ string) (string, error) {
	if _, ok := s.ontology.Relation(typ); !ok || !relTypePattern.MatchString(typ) {
		return "", fmt.Errorf("relation %q is not an UPPER_SNAKE relation of the ontology", typ)
	}
	return typ, nil
}

// SchemaStatements are the constraints and indexes kg needs, derived from
// the ontology; each is idempotent.
func (s *Store) SchemaStatements() []string {
	stmts := []string{
		fmt.Sprintf("CREATE CONSTRAINT kg_node_id IF NOT EXISTS FOR (n:%s) REQUIRE n.id IS UNIQUE", KgLabel),
		fmt.Sprintf("CREATE CONSTRAINT kg_load_id IF NOT EXISTS FOR (n:%s) REQUIRE n.id IS UNIQUE", LoadLabel),
	}
	for _, k := range s.ontology.Kinds {
		if l, err := s.label(k.Name); err == nil {
			stmts = append(stmts, fmt.Sprintf("CREATE INDEX kg_%s_name IF NOT EXISTS FOR (n:%s) ON (n.name)", strings.ToLower(l), l))
		}
	}
	for _, r := range s.ontology.Relations {
		if t, err := s.relType(r.Name); err == nil {
			stmts = append(stmts, fmt.Sprintf("CREATE INDEX kg_%s_kgid IF NOT EXISTS FOR ()-[r:%s]-() ON (r.kgId)", strings.ToLower(t), t))
		}
	}
	return stmts
}

// EnsureSchema creates the constraints and indexes that are missing and
// waits until they are online.
func (s *Store) EnsureSchema(ctx context.Context) error {
	for _, stmt := range s.SchemaStatements() {
		_, err := neo4j.ExecuteQuery(ctx, s.driver, stmt, nil, neo4j.EagerResultTransformer, s.queryDB())
		// IF NOT EXISTS still fails when a concurrent load creates the same
		// rule between the check and the creation; the rule exists, as wanted.
		var nerr *neo4j.Neo4jError
		if errors.As(err, &nerr) && nerr.Code == "Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists" {
			continue
		}
		if err != nil {
			return fmt.Errorf("create schema (%s): %w", stmt, err)
		}
	}
	if _, err := neo4j.ExecuteQuery(ctx, s.driver, "CALL db.awaitIndexes(300)", nil, neo4j.EagerResultTransformer, s.queryDB()); err != nil {
		return fmt.Errorf("wait for indexes: %w", err)
	}
	return nil
}

// row is one node or relationship as it is stored.
type row struct {
	id, kind   string // kind: the label, or the relationship type
	from, to   string // relationship ends; empty for nodes
	props      rowProps
	hash       string
	storedKind string // for an update: the kind as stored, when it differs
}

// rowProps are a row's properties, sorted by key, each key once. A full load
// makes a row of every node and statement: a list written in order, not a
// map whose keys are sorted for the hash, takes a quarter off making them
// (BenchmarkRows).
type rowProps []prop

type prop struct {
	key   string
	value any
}

// add appends a property; the caller adds them in the order of their keys.
func (p *rowProps) add(key string, v any) { *p = append(*p, prop{key, v}) }

func addNonEmpty[T string | []string](p *rowProps, key string, v T) {
	if len(v) > 0 {
		p.add(key, v)
	}
}

// asMap is what SET n = map reads: an update sends the row's map whole.
func (p rowProps) asMap() map[string]any {
	m := make(map[string]any, len(p))
	for _, kv := range p {
		m[kv.key] = kv.value
	}
	return m
}

// nodeRows and relRows add each row's properties in the order of their
// keys (TestRowPropsSorted); finish adds kgHash in its place.
func nodeRows(nodes []*graph.Node) []row {
	return rowsOf(nodes, func(n *graph.Node) row {
		p := make(rowProps, 0, 11)
		addNonEmpty(&p, "aliases", n.Aliases)
		addNonEmpty(&p, "date", n.Date.String())
		addNonEmpty(&p, "file", n.File)
		p.add("id", n.ID)
		p.add("kind", n.Kind)
		p.add("name", n.Name)
		addNonEmpty(&p, "publisher", n.Publisher)
		addNonEmpty(&p, "reliability", n.Reliability)
		addNonEmpty(&p, "title", n.Title)
		addNonEmpty(&p, "url", n.URL)
		return finish(row{id: n.ID, kind: n.Kind}, p)
	})
}

func relRows(statements []*graph.Statement) []row {
	return rowsOf(statements, func(st *graph.Statement) row {
		p := make(rowProps, 0, 15)
		if st.About != nil {
			p.add("aboutId", st.About.ID)
		}
		addNonEmpty(&p, "credibility", st.Credibility)
		addNonEmpty(&p, "date", st.Date.String())
		addNonEmpty(&p, "dateText", st.DateText)
		p.add("document", st.Evidence.Document)
		if len(st.Figures) > 0 {
			measures, qualifiers, values := make([]string, len(st.Figures)), make([]string, len(st.Figures)), make([]int64, len(st.Figures))
			for i, f := range st.Figures {
				measures[i], qualifiers[i], values[i] = f.Measure, f.Qualifier, int64(f.Value)
			}
			p.add("figureMeasures", measures)
			p.add("figureQualifiers", qualifiers)
			p.add("figureValues", values)
		}
		p.add("kgId", st.ID)
		addNonEmpty(&p, "note", st.Note)
		p.add("quote", st.Evidence.Quote)
		p.add("quoteEnd", st.Evidence.End)
		p.add("quoteStart", st.Evidence.Start)
		addNonEmpty(&p, "role", st.Role)
		return finish(row{id: st.ID, kind: st.Type, from: st.Subject.ID, to: st.Object.ID}, p)
	})
}

// rowsOf makes a row of each item on all CPUs: a full load of a large
// corpus makes over a million rows, each hashed.
func rowsOf[T any](items []T, f func(T) row) []row {
	rows := make([]row, len(items))
	parallel.EachSmall(len(items), func(i int) { rows[i] = f(items[i]) })
	return rows
}

// finish stamps a row with the hash of what it stores, so a reload can tell
// unchanged rows without comparing every property. p must be sorted by key
// (see rowProps) and hold no kgHash.
func finish(r row, p rowProps) row {
	// A full load hashes every row: the buffer is reused rather than made
	// for each.
	h := hashBuffers.Get().(*hashBuffer)
	buf := h.buf[:0]
	buf = appendField(buf, r.kind)
	buf = appendField(buf, r.from)
	buf = appendField(buf, r.to)
	for _, kv := range p {
		buf = appendField(buf, kv.key)
		buf = appendValue(buf, kv.value)
	}
	sum := sha256.Sum256(buf)
	h.buf = buf
	hashBuffers.Put(h)
	r.hash = hex.EncodeToString(sum[:12])
	i, _ := slices.BinarySearchFunc(p, "kgHash", func(kv prop, k string) int { return strings.Compare(kv.key, k) })
	r.props = slices.Insert(p, i, prop{"kgHash", r.hash})
	return r
}

type hashBuffer struct{ buf []byte }

var hashBuffers = sync.Pool{New: func() any { return &hashBuffer{buf: make([]byte, 0, 512)} }}

// appendField appends s with its length first, so no two different
// sequences of fields encode alike.
func appendField(buf []byte, s string) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(s)))
	return append(buf, s...)
}

// appendValue appends a property value, tagged with its type so that, say,
// "1" and 1 differ. The types are those nodeRows and relRows store.
func appendValue(buf []byte, v any) []byte {
	switch v := v.(type) {
	case string:
		return appendField(append(buf, 's'), v)
	case int:
		return binary.AppendVarint(append(buf, 'i'), int64(v))
	case int64:
		return binary.AppendVarint(append(buf, 'i'), v)
	case []string:
		buf = binary.AppendUvarint(append(buf, 'S'), uint64(len(v)))
		for _, s := range v {
			buf = appendField(buf, s)
		}
		return buf
	case []int64:
		buf = binary.AppendUvarint(append(buf, 'I'), uint64(len(v)))
		for _, n := range v {
			buf = binary.AppendVarint(buf, n)
		}
		return buf
	}
	panic(fmt.Sprintf("neo4jstore: no hash encoding for a %T property", v))
}

// stored is what the database holds of kg's data: hash and kind by id.
type stored map[string][2]string

// plan is what a load must do.
type plan struct {
	createNodes, updateNodes, updateRels []row
	// createRels are the statements to create: their rows are made as
	// they are sent (writer.createRels), not with the plan.
	createRels  []*graph.Statement
	deleteNodes []string
	deleteRels  map[string][]string // by type
	rows        int
}

// diff sorts want into the rows to create (not stored) and those to update
// (stored with another hash), and takes from have every id it sees: once
// every wanted row has been through diff, have holds what to delete.
func diff(want []row, have stored) (create, update []row) {
	for _, r := range want {
		h, ok := have[r.id]
		switch {
		case !ok:
			create = append(create, r)
			continue
		case h[0] != r.hash:
			if h[1] != r.kind {
				r.storedKind = h[1]
			}
			update = append(update, r)
		}
		delete(have, r.id)
	}
	return create, update
}

// makePlan compares the nodes and statements wanted with those stored:
// stored rows that are not wanted are deleted, so for a delta, stored holds
// only the rows of the files that changed.
func makePlan(wantNodes []row, wantRels []*graph.Statement, nodes, rels stored) plan {
	var p plan
	p.planNodes(wantNodes, nodes)
	p.planRels(wantRels, rels)
	p.planDeletes(nodes, rels)
	return p
}

// planNodes adds to p what to do with the nodes wanted.
func (p *plan) planNodes(wantNodes []row, nodes stored) {
	create, update := diff(wantNodes, nodes)
	p.createNodes, p.updateNodes = append(p.createNodes, create...), append(p.updateNodes, update...)
	p.rows += len(create) + len(update)
}

// planRels adds to p what to do with the statements wanted.
func (p *plan) planRels(wantRels []*graph.Statement, rels stored) {
	// Only a stored statement needs its row now, to compare hashes. The
	// others' rows are made as they are sent: a first load of a million
	// statements would otherwise hold every row at once, and make them
	// all before sending the first.
	var have []*graph.Statement
	for _, st := range wantRels {
		if _, ok := rels[st.ID]; ok {
			have = append(have, st)
		} else {
			p.createRels = append(p.createRels, st)
		}
	}
	_, update := diff(relRows(have), rels)
	p.updateRels = append(p.updateRels, update...)
	p.rows += len(wantRels) - len(have) + len(update)
}

// planDeletes adds to p the deletion of what is left of the stored rows,
// once planNodes and planRels have taken those still wanted.
func (p *plan) planDeletes(nodes, rels stored) {
	p.deleteNodes = slices.Sorted(maps.Keys(nodes))
	p.deleteRels = map[string][]string{}
	for _, id := range slices.Sorted(maps.Keys(rels)) {
		t := rels[id][1]
		p.deleteRels[t] = append(p.deleteRels[t], id)
	}
	p.rows += len(nodes) + len(rels)
}

// readInto runs query, which returns id, hash and kind, and adds its rows
// to into.
func readInto(ctx context.Context, tx neo4j.ManagedTransaction, query string, params map[string]any, into stored) error {
	res, err := tx.Run(ctx, query, params)
	if err != nil {
		return err
	}
	for res.Next(ctx) {
		v := res.Record().Values
		id, _ := v[0].(string)
		hash, _ := v[1].(string)
		kind, _ := v[2].(string)
		into[id] = [2]string{hash, kind}
	}
	return res.Err()
}

// readStored reads the ids, hashes and kinds of everything kg wrote.
func readStored(ctx context.Context, tx neo4j.ManagedTransaction) (nodes, rels stored, err error) {
	nodes, rels = stored{}, stored{}
	if err := readInto(ctx, tx, "MATCH (n:"+KgLabel+") RETURN n.id, n.kgHash, n.kind", nil, nodes); err != nil {
		return nil, nil, fmt.Errorf("read nodes: %w", err)
	}
	if err := readInto(ctx, tx, "MATCH (:"+KgLabel+")-[r]->(:"+KgLabel+") WHERE r.kgId IS NOT NULL RETURN r.kgId, r.kgHash, type(r)", nil, rels); err != nil {
		return nil, nil, fmt.Errorf("read relationships: %w", err)
	}
	return nodes, rels, nil
}

// Load makes the database hold exactly g's nodes and statements among the
// data kg wrote, leaving everything else alone. A load that fails at any
// point leaves the database as the previous load left it. Rows already
// stored unchanged are not sent again.
//
// A load over kg's data runs in one transaction. The first load, into a
// database that holds none of kg's data, commits each batch as it goes
// instead, as LOAD CSV ... IN TRANSACTIONS does: one transaction of a
// million relationships cost Neo4j half as much CPU again (BENCHMARKS.md),
// much of it in a commit that kept kg waiting for 40 seconds at the end,
// and it needs a server heap that holds the whole load. If such a load fails, kg
// deletes what it wrote (undoFirstLoad); if kg dies first, what it wrote
// stays, with the load record as it was (none, on a first load ever),
// until the next load, which compares it with the corpus like any other
// stored data.
func (s *Store) Load(ctx context.Context, g *graph.Graph, opts graph.LoadOptions) (graph.LoadStats, error) {
	return s.LoadFeed(ctx, graph.FeedOf(g), opts)
}

// LoadFeed is Load of a graph that comes a part at a time: it writes each
// chunk of parts as it comes, while the files after it are read and
// checked, so memory holds a chunk, not the graph. If the feed ends
// invalid, nothing is kept and the error is the feed's, the corpus's
// Diagnostics.
func (s *Store) LoadFeed(ctx context.Context, f *graph.Feed, opts graph.LoadOptions) (graph.LoadStats, error) {
	// A feed can be read once: a transaction the driver retries must fail
	// instead, and the user run kg load again.
	taken := false
	first, firstGeneration := false, ""
	run := func(w *writer, generation string) (graph.LoadStats, error) {
		if taken {
			return graph.LoadStats{}, errors.New("Neo4j asked to retry the transaction, which a load that reads its files as it goes cannot do; run it again")
		}
		taken = true
		// A full load compares every stored row, whatever the last load was.
		nodes, rels, err := readStored(ctx, w.tx)
		if err != nil {
			return graph.LoadStats{}, err
		}
		if len(nodes) == 0 && len(rels) == 0 && !w.dryRun {
			// The first load: its batches commit on their own, while
			// w.tx holds the load lock until the load is complete.
			first, firstGeneration = true, generation
			w.own = w.s.session(ctx, neo4j.AccessModeWrite)
			defer w.own.Close(ctx)
			// Readers then see the data grow; the record tells them it is
			// not complete, and stays if kg dies before it is.
			if _, err := w.own.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
				_, err := tx.Run(ctx, "MERGE (u:"+LoadLabel+" {id: $id}) SET u.startedAt = datetime()", map[string]any{"id": unfinishedID})
				return nil, err
			}); err != nil {
				return graph.LoadStats{}, fmt.Errorf("mark the first load unfinished: %w", err)
			}
		}
		return w.feed(ctx, f, nodes, rels)
	}
	if opts.DryRun {
		sess := s.session(ctx, neo4j.AccessModeRead)
		defer sess.Close(ctx)
		stats, err := neo4j.ExecuteRead(ctx, sess, func(tx neo4j.ManagedTransaction) (graph.LoadStats, error) {
			return run(&writer{s: s, tx: tx, size: batchSize(opts), dryRun: true}, "")
		})
		if err != nil {
			return graph.LoadStats{}, fmt.Errorf("load (dry run): %w", err)
		}
		return stats, nil
	}
	if err := s.EnsureSchema(ctx); err != nil {
		return graph.LoadStats{}, err
	}
	stats, err := s.write(ctx, opts, run)
	if err != nil && first {
		// Undone even when ctx is done: that is when it matters most.
		if uerr := s.undoFirstLoad(context.WithoutCancel(ctx), firstGeneration); uerr != nil {
			err = fmt.Errorf("%w; removing what this first load had written failed too (%v): %w", err, uerr, ErrPartialLoad)
		}
	}
	if err != nil && ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
		// The driver reports a cancelled write in words only.
		err = fmt.Errorf("%w: %w", ctx.Err(), err)
	}
	if err != nil {
		return graph.LoadStats{}, fmt.Errorf("load: %w", err)
	}
	return stats, nil
}

// ErrPartialLoad is in the error of a first load that failed and could not
// delete what it had written: the database holds part of the corpus, which
// the next load completes.
var ErrPartialLoad = errors.New("the database holds part of this first load, which the next kg load completes")

// Unfinished reports whether the database holds a first load that is not
// complete, and when it started: one still running, or one kg was killed
// in (see Load). Until a load completes it, questions may miss data.
func (s *Store) Unfinished(ctx context.Context) (startedAt time.Time, unfinished bool, err error) {
	sess := s.session(ctx, neo4j.AccessModeRead)
	defer sess.Close(ctx)
	_, err = sess.ExecuteRead(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		startedAt, unfinished, err = unfinishedIn(ctx, tx)
		return nil, err
	})
	return startedAt, unfinished, err
}

// unfinishedIn is Unfinished within a transaction.
func unfinishedIn(ctx context.Context, tx neo4j.ManagedTransaction) (startedAt time.Time, unfinished bool, err error) {
	var recs []*neo4j.Record
	res, err := tx.Run(ctx, "MATCH (u:"+LoadLabel+" {id: $id}) RETURN u.startedAt", map[string]any{"id": unfinishedID})
	if err == nil {
		recs, err = res.Collect(ctx)
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("look for an unfinished load: %w", err)
	}
	if len(recs) == 0 {
		return time.Time{}, false, nil
	}
	startedAt, _ = recs[0].Values[0].(time.Time)
	return startedAt, true, nil
}

// dropUnfinished deletes the record of an unfinished first load, if any:
// the caller holds the load lock, and the data is complete or gone.
func dropUnfinished(ctx context.Context, tx neo4j.ManagedTransaction) error {
	if _, err := tx.Run(ctx, "MATCH (u:"+LoadLabel+" {id: $id}) DELETE u", map[string]any{"id": unfinishedID}); err != nil {
		return fmt.Errorf("delete the unfinished load's record: %w", err)
	}
	return nil
}

// skipUndo, when set, makes a failed first load keep what it wrote, as if
// kg had died: tests use it to check the next load repairs it.
var skipUndo bool

// undoFirstLoad deletes what a failed first load wrote. Before that load
// the database held none of kg's data, so kg's relationships and nodes are
// what it wrote; they are deleted in batches, each its own transaction,
// under the load lock taken anew. If a load has completed since (the
// generation is no longer the one the first load found), that load has
// replaced what this one wrote, and nothing is deleted. As on any load, a
// node that data kg did not write points at is kept.
func (s *Store) undoFirstLoad(ctx context.Context, generation string) error {
	if skipUndo {
		return errors.New("skipped (test)")
	}
	sess := s.session(ctx, neo4j.AccessModeWrite)
	defer sess.Close(ctx)
	del := s.session(ctx, neo4j.AccessModeWrite)
	defer del.Close(ctx)
	_, err := sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		g, err := lockLoad(ctx, tx)
		if err != nil || g != generation {
			return nil, err
		}
		for _, q := range []string{
			"MATCH (:" + KgLabel + ")-[r]->(:" + KgLabel + ") WHERE r.kgId IS NOT NULL CALL { WITH r DELETE r } IN TRANSACTIONS OF 10000 ROWS",
			"MATCH (n:" + KgLabel + ") WHERE NOT (n)--() CALL { WITH n DELETE n } IN TRANSACTIONS OF 10000 ROWS",
		} {
			// CALL { } IN TRANSACTIONS needs an auto-commit transaction.
			res, err := del.Run(ctx, q, nil)
			if err == nil {
				_, err = res.Consume(ctx)
			}
			if err != nil {
				return nil, err
			}
		}
		if g == "" {
			// The record lockLoad made, or the first load's: no load has
			// completed, and a record without a generation says nothing.
			if _, err = tx.Run(ctx, "MATCH (m:"+LoadLabel+" {id: 'last'}) WHERE m.generation IS NULL DELETE m", nil); err != nil {
				return nil, err
			}
		}
		return nil, dropUnfinished(ctx, tx)
	})
	return err
}

// chunkBatches is how many batches' worth of rows LoadFeed gathers from a
// feed before it plans and writes them: enough that each label and type
// still gets batches near the batch size, few enough that memory holds
// little of a large corpus.
const chunkBatches = 4

// chunk is some of a feed's parts, written in one go.
type chunk struct {
	nodes      []*graph.Node
	statements []*graph.Statement
	last       bool  // the feed has ended
	err        error // why the feed failed
}

// gather adds a part's nodes and statements to c, and sends c on each
// time it holds limit rows. A part larger than that (a corpus's
// entities.yaml is one part) is cut, its nodes before its statements, so
// that no chunk holds more than limit rows and no statement comes before
// its ends. It returns false if send did.
func (c *chunk) gather(nodes []*graph.Node, statements []*graph.Statement, limit int, send func(chunk) bool) bool {
	for len(nodes)+len(statements) > 0 {
		room := limit - len(c.nodes) - len(c.statements)
		n := min(room, len(nodes))
		c.nodes, nodes = append(c.nodes, nodes[:n]...), nodes[n:]
		s := min(room-n, len(statements))
		c.statements, statements = append(c.statements, statements[:s]...), statements[s:]
		if len(c.nodes)+len(c.statements) >= limit {
			if !send(*c) {
				return false
			}
			*c = chunk{}
		}
	}
	return true
}

// feed writes f's parts a chunk at a time, comparing each with what is
// stored, and deletes what is stored and no longer wanted once the feed
// has ended valid. The next chunk is gathered while one is written, so
// that kg reads and checks files while Neo4j writes: with nothing to
// gather into, the reading waited for each chunk to be written, and Neo4j
// then for the reading (bench/cpu showed it idle a third of the time).
func (w *writer) feed(ctx context.Context, f *graph.Feed, nodes, rels stored) (graph.LoadStats, error) {
	chunks := make(chan chunk) // unbuffered: one chunk written, one gathered
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		defer close(chunks)
		send := func(c chunk) bool {
			select {
			case chunks <- c:
				return true
			case <-stop:
				return false
			}
		}
		var c chunk
		for {
			part, ok, err := f.Next(ctx)
			if err != nil {
				send(chunk{err: err})
				return
			}
			if !ok {
				break
			}
			if !c.gather(part.Nodes, part.Statements, chunkBatches*w.size, send) {
				return
			}
		}
		c.last, c.err = true, f.Err()
		send(c)
	}()
	var total graph.LoadStats
	for c := range chunks {
		if c.err != nil {
			return total, c.err
		}
		var p plan
		p.planNodes(nodeRows(c.nodes), nodes)
		p.planRels(c.statements, rels)
		if c.last {
			p.planDeletes(nodes, rels)
		}
		w.total += p.rows
		st, err := w.apply(ctx, &p)
		total.NodesCreated += st.NodesCreated
		total.NodesUpdated += st.NodesUpdated
		total.NodesDeleted += st.NodesDeleted
		total.NodesKept += st.NodesKept
		total.RelsCreated += st.RelsCreated
		total.RelsUpdated += st.RelsUpdated
		total.RelsDeleted += st.RelsDeleted
		total.RowsSent += st.RowsSent
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// LoadDelta applies d in one transaction, if the database still holds what
// the load named d.Generation wrote; otherwise it fails with
// graph.ErrStale and changes nothing. It reads back only the rows of the
// files that changed, so its cost follows the size of the change, and of
// those not the statements it updates in place.
func (s *Store) LoadDelta(ctx context.Context, d *graph.Delta, opts graph.LoadOptions) (graph.LoadStats, error) {
	wantNodes := nodeRows(d.Nodes)
	// A statement the changed files reported before, and report now with
	// other details, is updated in place without being read first: its id
	// and type say where it is, and a query not run is one Neo4j need not
	// plan, which on a one-file reload is much of Neo4j's part. The update
	// counts what it found, so a statement gone meanwhile is still noticed.
	old := make(map[string]bool, len(d.OldStatements))
	for _, r := range d.OldStatements {
		old[r.ID] = true
	}
	var kept, others []*graph.Statement
	now := make(map[string]bool, len(d.Statements))
	for _, st := range d.Statements {
		now[st.ID] = true
		if old[st.ID] {
			kept = append(kept, st)
		} else {
			others = append(others, st)
		}
	}
	keptRows := relRows(kept)
	var gone []graph.StatementRef // reported before, not now
	for _, r := range d.OldStatements {
		if !now[r.ID] {
			gone = append(gone, r)
		}
	}
	stats, err := s.write(ctx, opts, func(w *writer, generation string) (graph.LoadStats, error) {
		if generation == "" || generation != d.Generation {
			return graph.LoadStats{}, graph.ErrStale
		}
		// A first load killed since (over kg's data deleted by hand) left
		// the generation as it was, and part of a corpus.
		if _, unfinished, err := unfinishedIn(ctx, w.tx); err != nil || unfinished {
			return graph.LoadStats{}, cmp.Or(err, graph.ErrStale)
		}
		nodes, rels, err := readStoredRows(ctx, w.tx, d.OldNodes, gone, wantNodes, others)
		if err != nil {
			return graph.LoadStats{}, err
		}
		// A statement the changed files report now that is stored but
		// was not theirs belongs to a file that did not change: the
		// corpus now reports it twice, which only a full check explains.
		for _, st := range others {
			if _, stored := rels[st.ID]; stored {
				return graph.LoadStats{}, graph.ErrStale
			}
		}
		p := makePlan(wantNodes, others, nodes, rels)
		p.updateRels = append(p.updateRels, keptRows...)
		p.rows += len(keptRows)
		w.total = p.rows
		return w.apply(ctx, &p)
	})
	if err != nil {
		return graph.LoadStats{}, fmt.Errorf("load changes: %w", err)
	}
	return stats, nil
}

// readStoredRows reads the stored rows a delta concerns, looked up by id
// through kg's indexes: the nodes the changed files had and have now, and
// the statements they had (gone) or report anew (wantRels).
func readStoredRows(ctx context.Context, tx neo4j.ManagedTransaction, oldNodes []string, gone []graph.StatementRef, wantNodes []row, wantRels []*graph.Statement) (nodes, rels stored, err error) {
	read := func(query string, ids []string, into stored) error {
		if len(ids) == 0 {
			return nil // a query not run is one Neo4j need not plan
		}
		return readInto(ctx, tx, query, map[string]any{"ids": anys(ids)}, into)
	}
	nodeIDs := slices.Clone(oldNodes)
	for _, r := range wantNodes {
		nodeIDs = append(nodeIDs, r.id)
	}
	nodes = stored{}
	if err := read("UNWIND $ids AS id MATCH (n:"+KgLabel+" {id: id}) RETURN n.id, n.kgHash, n.kind", nodeIDs, nodes); err != nil {
		return nil, nil, fmt.Errorf("read nodes: %w", err)
	}
	byType := map[string][]string{}
	for _, r := range gone {
		byType[r.Type] = append(byType[r.Type], r.ID)
	}
	for _, st := range wantRels {
		byType[st.Type] = append(byType[st.Type], st.ID)
	}
	rels = stored{}
	for _, typ := range slices.Sorted(maps.Keys(byType)) {
		if !relTypePattern.MatchString(typ) { // from kg's own cache, but never spliced unchecked
			return nil, nil, fmt.Errorf("relationship type %q is not UPPER_SNAKE", typ)
		}
		q := "UNWIND $ids AS id MATCH (:" + KgLabel + ")-[r:" + typ + " {kgId: id}]->(:" + KgLabel + ") RETURN r.kgId, r.kgHash, type(r)"
		if err := read(q, byType[typ], rels); err != nil {
			return nil, nil, fmt.Errorf("read %s relationships: %w", typ, err)
		}
	}
	return nodes, rels, nil
}

// write runs one load transaction: it locks kg's load record, so loads into
// one database run one after another, has run do the work with what the
// record says, and names a new generation if anything changed.
func (s *Store) write(ctx context.Context, opts graph.LoadOptions, run func(w *writer, generation string) (graph.LoadStats, error)) (graph.LoadStats, error) {
	sess := s.session(ctx, neo4j.AccessModeWrite)
	defer sess.Close(ctx)
	// ExecuteWrite retries the whole function on transient errors; run
	// re-reads what is stored each time, so a retry plans afresh.
	return neo4j.ExecuteWrite(ctx, sess, func(tx neo4j.ManagedTransaction) (graph.LoadStats, error) {
		generation, err := lockLoad(ctx, tx)
		if err != nil {
			return graph.LoadStats{}, err
		}
		w := &writer{s: s, tx: tx, size: batchSize(opts), progress: opts.Progress}
		st, err := run(w, generation)
		if w.eids != nil {
			if err == nil {
				// Relationships whose ends it lost were not created.
				err = w.eids.err()
			}
			w.eids.close()
		}
		if err != nil {
			st.Generation = generation
			return st, err
		}
		// Whatever first load left data unfinished, this one has completed
		// it: it holds the lock, so that load is over.
		if err := dropUnfinished(ctx, tx); err != nil {
			return st, err
		}
		// A load that sends nothing keeps the generation, so that a delta
		// computed against it still applies. A record without one gets
		// one, though: the data of a first load killed after its last
		// batch has none, and every later load would otherwise be full.
		if st.RowsSent == 0 && generation != "" {
			st.Generation = generation
			return st, nil
		}
		st.Generation = newGeneration()
		_, err = tx.Run(ctx, "MATCH (m:"+LoadLabel+" {id: 'last'}) SET m.generation = $g, m.loadedAt = datetime()", map[string]any{"g": st.Generation})
		return st, err
	})
}

func batchSize(opts graph.LoadOptions) int {
	if opts.BatchSize <= 0 {
		return DefaultBatchSize
	}
	return opts.BatchSize
}

// lockLoad takes the write lock on kg's load record (creating it on the
// first load) and returns the generation it names. Setting and removing a
// property is how Cypher takes a node's write lock without changing it.
func lockLoad(ctx context.Context, tx neo4j.ManagedTransaction) (string, error) {
	res, err := tx.Run(ctx, "MERGE (m:"+LoadLabel+" {id: 'last'}) SET m.kgLock = true REMOVE m.kgLock RETURN m.generation", nil)
	if err != nil {
		return "", fmt.Errorf("lock kg's load record: %w", err)
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return "", fmt.Errorf("lock kg's load record: %w", err)
	}
	g, _ := rec.Values[0].(string)
	return g, nil
}

func newGeneration() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b[:])
}

func (p plan) stats() graph.LoadStats {
	dr := 0
	for _, ids := range p.deleteRels {
		dr += len(ids)
	}
	return graph.LoadStats{
		NodesCreated: len(p.createNodes), NodesUpdated: len(p.updateNodes), NodesDeleted: len(p.deleteNodes),
		RelsCreated: len(p.createRels), RelsUpdated: len(p.updateRels), RelsDeleted: dr,
	}
}

// writer sends a plan in batches, within one transaction or (own set)
// each in its own.
type writer struct {
	s        *Store
	tx       neo4j.ManagedTransaction
	size     int
	done     int
	total    int
	batches  int
	progress func(done, total int)
	eids     *elementIDs // of the nodes new relationships join
	dryRun   bool        // plan only: apply sends nothing
	// own, when set, is the session in which each batch runs as its own
	// transaction (a first load, see Load), rather than in tx.
	own neo4j.SessionWithContext
}

// failAfterBatches, when positive, makes a load fail after that many
// batches: tests use it to check a failed load leaves nothing behind.
var failAfterBatches int

// send runs query on items, w.size at a time; each, if given, reads the
// result of each batch (batch items long).
func (w *writer) send(ctx context.Context, query string, items []any, each func(res neo4j.ResultWithContext, batch int) error) error {
	for start := 0; start < len(items); start += w.size {
		batch := items[start:min(start+w.size, len(items))]
		if failAfterBatches > 0 && w.batches >= failAfterBatches {
			return fmt.Errorf("injected failure after %d batches", w.batches)
		}
		run := func(tx neo4j.ManagedTransaction) (any, error) {
			res, err := tx.Run(ctx, query, map[string]any{"rows": batch})
			if err != nil {
				return nil, err
			}
			if each != nil {
				if err := each(res, len(batch)); err != nil {
					return nil, err
				}
			}
			_, err = res.Consume(ctx)
			return nil, err
		}
		var err error
		if w.own != nil {
			// The batch is at hand, so the driver may retry it. A first
			// load only creates, and each then only collects element
			// ids, which a retry collects again.
			_, err = w.own.ExecuteWrite(ctx, run)
		} else {
			_, err = run(w.tx)
		}
		if err != nil {
			return err
		}
		w.batches++
		w.done += len(batch)
		if w.progress != nil {
			w.progress(w.done, w.total)
		}
	}
	return nil
}

// apply writes p: new and changed nodes, then new and changed
// relationships, then deletions. No id is both created and deleted (create
// means "not stored"), and a relationship created joins nodes still wanted,
// so the deletions can come last. A dry run only counts.
func (w *writer) apply(ctx context.Context, p *plan) (graph.LoadStats, error) {
	st := p.stats()
	if w.dryRun {
		return st, nil
	}
	st.RowsSent = p.rows
	// Relationships are created between nodes found by their element ids,
	// which kg learns as it creates nodes (or looks up, below): looking
	// both ends up by id instead goes through the id index, which within a
	// transaction that has just created most of the nodes costs more than
	// the creation itself (a third of a 1M-relation load).
	if w.eids == nil {
		w.eids = newElementIDs(openScratch)
	}
	for kind, rows := range groupBy(p.createNodes, func(r row) string { return r.kind }) {
		l, err := w.s.label(kind)
		if err != nil {
			return st, err
		}
		keys := keysOf(rows)
		props, err := propertyList("row", 0, keys)
		if err != nil {
			return st, err
		}
		q := "UNWIND $rows AS row CREATE (n:" + KgLabel + ":" + l + " " + props + ") RETURN n.id, elementId(n)"
		if err := w.send(ctx, q, valueLists(rows, keys), w.collectElementIDs(ctx)); err != nil {
			return st, fmt.Errorf("create %s nodes: %w", l, err)
		}
	}
	// Updates are few (the rows a reload found changed), so they send each
	// row's map whole, which SET n = map reads as it is.
	for change, rows := range groupBy(p.updateNodes, func(r row) string { return r.storedKind + ">" + r.kind }) {
		q := "UNWIND $rows AS row MATCH (n:" + KgLabel + " {id: row.props.id}) SET n = row.props"
		if old, kind, _ := strings.Cut(change, ">"); old != "" {
			if !labelPattern.MatchString(old) {
				return st, fmt.Errorf("stored kind %q is not CamelCase", old)
			}
			l, err := w.s.label(kind)
			if err != nil {
				return st, err
			}
			q += " REMOVE n:" + old + " SET n:" + l
		}
		if err := w.send(ctx, q, propsOf(rows), nil); err != nil {
			return st, fmt.Errorf("update nodes: %w", err)
		}
	}
	if err := w.readElementIDs(ctx, p.createRels); err != nil {
		return st, err
	}
	for typ, statements := range groupBy(p.createRels, func(st *graph.Statement) string { return st.Type }) {
		t, err := w.s.relType(typ)
		if err != nil {
			return st, err
		}
		query := func(props string) string {
			return "UNWIND $rows AS row MATCH (a:" + KgLabel + ") WHERE elementId(a) = row[0] MATCH (b:" + KgLabel + ") WHERE elementId(b) = row[1] " +
				"CREATE (a)-[r:" + t + " " + props + "]->(b)"
		}
		if err := w.createRels(ctx, query, statements); err != nil {
			return st, fmt.Errorf("create %s relationships: %w", t, err)
		}
	}
	for typ, rows := range groupBy(p.updateRels, func(r row) string { return r.kind }) {
		t, err := w.s.relType(typ)
		if err != nil {
			return st, err
		}
		q := "UNWIND $rows AS row MATCH (:" + KgLabel + ")-[r:" + t + " {kgId: row.props.kgId}]->(:" + KgLabel + ") SET r = row.props RETURN count(r)"
		err = w.send(ctx, q, propsOf(rows), func(res neo4j.ResultWithContext, batch int) error {
			// A delta updates statements it did not read: one not found
			// is gone since the load the delta was computed against.
			n, err := readCount(ctx, res)
			if err == nil && n < batch {
				err = fmt.Errorf("%w: %d of %d %s relationships to update are not in the database", graph.ErrStale, batch-n, batch, t)
			}
			return err
		})
		if err != nil {
			return st, fmt.Errorf("update %s relationships: %w", t, err)
		}
	}
	// Relationships go before nodes, so nodes that lose them can be deleted.
	for _, t := range slices.Sorted(maps.Keys(p.deleteRels)) {
		typ := t
		if !relTypePattern.MatchString(typ) { // written by an older ontology; still never spliced unchecked
			return st, fmt.Errorf("stored relationship type %q is not UPPER_SNAKE", typ)
		}
		q := "UNWIND $rows AS id MATCH (:" + KgLabel + ")-[r:" + typ + " {kgId: id}]->(:" + KgLabel + ") DELETE r"
		if err := w.send(ctx, q, anys(p.deleteRels[t]), nil); err != nil {
			return st, fmt.Errorf("delete %s relationships: %w", typ, err)
		}
	}
	// A node that data kg did not write still points at is kept, not
	// detached: kg never deletes what it did not write.
	q := "UNWIND $rows AS id MATCH (n:" + KgLabel + " {id: id}) WHERE NOT (n)--() DELETE n RETURN count(n)"
	deleted := 0
	err := w.send(ctx, q, anys(p.deleteNodes), func(res neo4j.ResultWithContext, _ int) error {
		n, err := readCount(ctx, res)
		deleted += n
		return err
	})
	if err != nil {
		return st, fmt.Errorf("delete nodes: %w", err)
	}
	st.NodesDeleted, st.NodesKept = deleted, len(p.deleteNodes)-deleted
	return st, nil
}

// collectElementIDs reads the (id, element id) records of a batch into
// w.eids.
func (w *writer) collectElementIDs(ctx context.Context) func(res neo4j.ResultWithContext, _ int) error {
	return func(res neo4j.ResultWithContext, _ int) error {
		for res.Next(ctx) {
			v := res.Record().Values
			id, _ := v[0].(string)
			eid, _ := v[1].(string)
			w.eids.put(id, eid)
		}
		return res.Err()
	}
}

// createRels sends the relationships of statements with the query that
// query makes from the property map of a batch (see propertyList), each
// row the list of the element ids of its ends, then its values. Each
// batch's rows are made while Neo4j writes the previous batch, and dropped
// once sent.
func (w *writer) createRels(ctx context.Context, query func(props string) string, statements []*graph.Statement) error {
	type batch struct {
		query string
		items []any
		err   error
	}
	// The element ids of a row's ends, which query reads as row[0] and row[1].
	ends := []func(row) any{
		func(r row) any { eid, _ := w.eids.get(r.from); return eid },
		func(r row) any { eid, _ := w.eids.get(r.to); return eid },
	}
	batches := make(chan batch, 1)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		defer close(batches)
		for start := 0; start < len(statements); start += w.size {
			select {
			case <-stop:
				return
			default:
			}
			rows := relRows(statements[start:min(start+w.size, len(statements))])
			keys := keysOf(rows)
			props, err := propertyList("row", len(ends), keys)
			select {
			case batches <- batch{query(props), valueLists(rows, keys, ends...), err}:
			case <-stop:
				return
			}
		}
	}()
	for b := range batches {
		if b.err != nil {
			return b.err
		}
		if err := w.send(ctx, b.query, b.items, nil); err != nil {
			return err
		}
	}
	return nil
}

// propertyList is a Cypher map literal taking each of keys from the list
// param, in order, from index first on: {kgId: row[2], note: row[3]}. A
// CREATE with it stores the properties a row has and skips those it lacks
// (null), as SET n = map would on a new node or relationship; but Neo4j
// resolves the keys once per query rather than once per row. The keys are
// those nodeRows and relRows write, and still never spliced unchecked.
func propertyList(param string, first int, keys []string) (string, error) {
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range keys {
		if !propertyPattern.MatchString(k) {
			return "", fmt.Errorf("property %q is not camelCase", k)
		}
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s: %s[%d]", k, param, first+i)
	}
	b.WriteByte('}')
	return b.String(), nil
}

// valueLists is what a create sends of rows, as propertyList reads it:
// each row the list of what each of lead gives it, then the value of each
// of keys, nil for a key it lacks. Lists rather than
// maps, whose keys are encoded and decoded again for every row: at 1M
// relations, lists took about an eighth less of Neo4j's CPU, and a tenth
// less time (BENCHMARKS.md).
func valueLists(rows []row, keys []string, lead ...func(row) any) []any {
	out := make([]any, len(rows))
	for i, r := range rows {
		l := make([]any, 0, len(lead)+len(keys))
		for _, f := range lead {
			l = append(l, f(r))
		}
		j := 0 // keys holds every key of r.props, and both are sorted
		for _, k := range keys {
			var v any
			if j < len(r.props) && r.props[j].key == k {
				v = r.props[j].value
				j++
			}
			l = append(l, v)
		}
		out[i] = l
	}
	return out
}

// keysOf returns the property keys any of rows has, sorted.
func keysOf(rows []row) []string {
	seen := map[string]bool{}
	for _, r := range rows {
		for _, kv := range r.props {
			seen[kv.key] = true
		}
	}
	return slices.Sorted(maps.Keys(seen))
}

// readElementIDs looks up the element ids of the stored nodes that the
// statements to create join and this load did not create. A node that is
// not there means the database no longer holds what the plan was made
// against.
func (w *writer) readElementIDs(ctx context.Context, statements []*graph.Statement) error {
	var missing []string
	seen := map[string]bool{}
	for _, st := range statements {
		for _, id := range []string{st.Subject.ID, st.Object.ID} {
			if !w.eids.has(id) && !seen[id] {
				seen[id] = true
				missing = append(missing, id)
			}
		}
	}
	if len(missing) == 0 {
		return nil
	}
	slices.Sort(missing)
	w.total += len(missing) // progress counts these lookups as rows too
	q := "UNWIND $rows AS id MATCH (n:" + KgLabel + " {id: id}) RETURN n.id, elementId(n)"
	if err := w.send(ctx, q, anys(missing), w.collectElementIDs(ctx)); err != nil {
		return fmt.Errorf("find the nodes of new relationships: %w", err)
	}
	for _, id := range missing {
		if !w.eids.has(id) {
			return fmt.Errorf("%w: node %q, an end of a new relationship, is not in the database", graph.ErrStale, id)
		}
	}
	return nil
}

// readCount reads the one number a query returns.
func readCount(ctx context.Context, res neo4j.ResultWithContext) (int, error) {
	rec, err := res.Single(ctx)
	if err != nil {
		return 0, err
	}
	n, _ := rec.Values[0].(int64)
	return int(n), nil
}

func anys(ids []string) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

func propsOf(rows []row) []any {
	out := make([]any, len(rows))
	for i, r := range rows {
		out[i] = map[string]any{"props": r.props.asMap()}
	}
	return out
}

// groupBy groups items by key; iteration order does not matter to the
// result, as every group is written in the same transaction.
func groupBy[T any](items []T, key func(T) string) map[string][]T {
	out := map[string][]T{}
	for _, it := range items {
		k := key(it)
		out[k] = append(out[k], it)
	}
	return out
}
