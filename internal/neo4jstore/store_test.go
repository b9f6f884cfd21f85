package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/kgraph/kg/graph"
	"github.com/kgraph/kg/internal/kgtest"
	"github.com/kgraph/kg/internal/neo4jtest"
)

func TestMain(m *testing.M) { os.Exit(neo4jtest.Main(m)) }

// open gives a store on the test server, emptied first.
func open(t *testing.T) (*Store, neo4jtest.Server) {
	t.Helper()
	srv := neo4jtest.Get(t)
	neo4jtest.Reset(t, srv)
	s, err := Open(context.Background(), Config{URI: srv.URI, Username: srv.Username, Password: srv.Password, Database: srv.Database}, kgtest.Ontology(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	return s, srv
}

func load(t *testing.T, s *Store, g *graph.Graph) graph.LoadStats {
	t.Helper()
	st, err := s.Load(context.Background(), g, graph.LoadOptions{BatchSize: 7})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// snapshot lists everything in the database, kg's or not, as sorted text.
func snapshot(t *testing.T, s *Store) string {
	t.Helper()
	return rows(t, s,
		"MATCH (n) RETURN 'node', [l IN labels(n) | l], properties(n)",
		"MATCH (a)-[r]->(b) RETURN 'rel', [type(r), a.id, b.id], properties(r)")
}

// rows runs the queries and returns their records, one per line, sorted.
func rows(t *testing.T, s *Store, queries ...string) string {
	t.Helper()
	var lines []string
	for _, q := range queries {
		res, err := neo4j.ExecuteQuery(context.Background(), s.driver, q, nil, neo4j.EagerResultTransformer, s.queryDB())
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res.Records {
			lines = append(lines, fmt.Sprint(r.Values...))
		}
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

func count(t *testing.T, s *Store, query string) int64 {
	t.Helper()
	res, err := neo4j.ExecuteQuery(context.Background(), s.driver, query, nil, neo4j.EagerResultTransformer, s.queryDB())
	if err != nil {
		t.Fatal(err)
	}
	n, _ := res.Records[0].Values[0].(int64)
	return n
}

func TestLoadTwiceChangesNothing(t *testing.T) {
	s, _ := open(t)
	g := kgtest.Seeds(t)
	first := load(t, s, g)
	if first.NodesCreated != len(g.Nodes) || first.RelsCreated != len(g.Statements) {
		t.Errorf("first load created %d nodes and %d relationships, want %d and %d", first.NodesCreated, first.RelsCreated, len(g.Nodes), len(g.Statements))
	}
	before := snapshot(t, s)
	second := load(t, s, g)
	if second.Changes() != 0 || second.RowsSent != 0 {
		t.Errorf("second load changed %d, sent %d rows: %+v", second.Changes(), second.RowsSent, second)
	}
	if after := snapshot(t, s); after != before {
		t.Error("second load changed the database")
	}
	if n := count(t, s, "MATCH (a)-[:BLAMED]->(b) RETURN count(*)"); n == 0 {
		t.Error("MATCH (a)-[:BLAMED]->(b) finds nothing")
	}
	dry, err := s.Load(context.Background(), g, graph.LoadOptions{DryRun: true})
	if err != nil || dry.Changes() != 0 {
		t.Errorf("dry run on loaded data: %+v, %v", dry, err)
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	s, _ := open(t)
	g := kgtest.Seeds(t)
	st, err := s.Load(context.Background(), g, graph.LoadOptions{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if st.NodesCreated != len(g.Nodes) || st.RelsCreated != len(g.Statements) {
		t.Errorf("dry run would create %+v", st)
	}
	if n := count(t, s, "MATCH (n) RETURN count(n)"); n != 0 {
		t.Errorf("dry run wrote %d nodes", n)
	}
}

// smallCorpus is a corpus to edit between loads.
func smallCorpus() *graph.Corpus {
	text := `Group X claimed the attack. O'Brien "the ` + "`Boss`" + `" MATCH (n) DETACH DELETE n blamed State B.`
	return &graph.Corpus{
		Documents: []*graph.Document{{ID: "doc", File: "doc.txt", Text: text}},
		Entities: []*graph.Entity{
			{ID: "group-x", Kind: "ArmedGroup", Name: "Group X"},
			{ID: "obrien", Kind: "Person", Name: `O'Brien "the ` + "`Boss`" + `" MATCH (n) DETACH DELETE n`, Aliases: []string{"// RETURN 1;", `\u0027`}},
			{ID: "state-b", Kind: "State", Name: "State B"},
			{ID: "attack", Kind: "Attack", Name: "The attack"},
		},
		Relations: []*graph.Relation{
			{Subject: "group-x", Type: "CLAIMED", Object: "attack", Evidence: graph.Evidence{Document: "doc", Quote: "Group X claimed the attack"}},
			{Subject: "obrien", Type: "BLAMED", Object: "state-b", About: "attack", Evidence: graph.Evidence{Document: "doc", Quote: "DETACH DELETE n blamed State B"}},
		},
	}
}

func build(t *testing.T, c *graph.Corpus) *graph.Graph {
	t.Helper()
	o := kgtest.Ontology(t)
	if ds := graph.Check(c, o); len(ds) > 0 {
		t.Fatal(ds)
	}
	g, err := graph.Build(c, o)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestPrune(t *testing.T) {
	s, _ := open(t)
	load(t, s, build(t, smallCorpus()))
	c := smallCorpus()
	c.Relations = c.Relations[:1]                // drop the BLAMED statement
	c.Entities = slices.Delete(c.Entities, 1, 3) // and the two entities only it used
	c.Entities[0].Aliases = []string{"GX"}       // and change a node
	st := load(t, s, build(t, c))
	if st.RelsDeleted != 1 || st.NodesDeleted != 2 || st.NodesUpdated != 1 || st.RelsCreated != 0 {
		t.Errorf("prune load: %+v", st)
	}
	if n := count(t, s, "MATCH ()-[r:BLAMED]->() RETURN count(r)"); n != 0 {
		t.Errorf("%d BLAMED relationships left", n)
	}
	if n := count(t, s, "MATCH (n:KgNode) RETURN count(n)"); n != 3 {
		t.Errorf("%d nodes left, want 3", n)
	}
	if n := count(t, s, "MATCH (n:KgNode {id: 'group-x'}) WHERE n.aliases = ['GX'] RETURN count(n)"); n != 1 {
		t.Error("updated node not updated")
	}
}

func TestForeignDataUntouched(t *testing.T) {
	s, _ := open(t)
	ctx := context.Background()
	// Someone else's data: a Person with an id kg also uses, their own
	// relationship between two of kg's nodes, and one from their node to kg's.
	setup := func(q string) {
		if _, err := neo4j.ExecuteQuery(ctx, s.driver, q, nil, neo4j.EagerResultTransformer, s.queryDB()); err != nil {
			t.Fatal(err)
		}
	}
	setup("CREATE (:Person {id: 'obrien', name: 'Not kg'}), (:Customer {id: 1})-[:BOUGHT {qty: 2}]->(:Product {sku: 'x'})")
	load(t, s, build(t, smallCorpus()))
	setup("MATCH (a:KgNode {id: 'group-x'}), (b:KgNode {id: 'state-b'}) CREATE (a)-[:USER_NOTE {text: 'mine'}]->(b)")
	setup("MATCH (c:Customer), (b:KgNode {id: 'state-b'}) CREATE (c)-[:VISITED]->(b)")
	foreign := func() string {
		res, err := neo4j.ExecuteQuery(ctx, s.driver, `
			MATCH (n) WHERE NOT n:KgNode AND NOT n:KgLoad RETURN 'n' AS what, properties(n) AS props
			UNION ALL MATCH ()-[r]->() WHERE r.kgId IS NULL RETURN type(r) AS what, properties(r) AS props`,
			nil, neo4j.EagerResultTransformer, s.queryDB())
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range res.Records {
			out = append(out, fmt.Sprint(r.Values...))
		}
		slices.Sort(out)
		return strings.Join(out, "\n")
	}
	before := foreign()
	// Remove everything from the YAML: kg prunes its own data only, and
	// keeps state-b because someone else's relationships still use it.
	c := smallCorpus()
	c.Relations, c.Entities = nil, nil
	st := load(t, s, build(t, c))
	if st.NodesKept != 2 || st.NodesDeleted != 2 {
		t.Errorf("prune with foreign relationships: %+v", st)
	}
	if after := foreign(); after != before {
		t.Errorf("foreign data changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if n := count(t, s, "MATCH (:KgNode {id: 'group-x'})-[r:USER_NOTE]->(:KgNode {id: 'state-b'}) RETURN count(r)"); n != 1 {
		t.Error("the user's relationship between kg's nodes is gone")
	}
}

func TestFailedLoadLeavesPreviousLoad(t *testing.T) {
	s, _ := open(t)
	// At 5 rows a batch, the seeds' load sends its nodes in its first few
	// dozen batches and its relationships after: the second case fails
	// while relationships are made as they are sent (writer.createRels).
	for _, tt := range []struct {
		failAfter int
		during    string // matches the error: what the failing batch was doing
	}{{2, ""}, {40, `^load: create [A-Z_]+ relationships: injected failure`}} {
		failAfter := tt.failAfter
		t.Run(fmt.Sprintf("after %d batches", failAfter), func(t *testing.T) {
			load(t, s, build(t, smallCorpus()))
			before := snapshot(t, s)
			failAfterBatches = failAfter
			_, err := s.Load(context.Background(), kgtest.Seeds(t), graph.LoadOptions{BatchSize: 5})
			failAfterBatches = 0
			if err == nil || !strings.Contains(err.Error(), "injected failure") {
				t.Fatalf("load did not fail: %v", err)
			}
			if !regexp.MustCompile(tt.during).MatchString(err.Error()) {
				t.Fatalf("load failed elsewhere than expected (%s): %v", tt.during, err)
			}
			if after := snapshot(t, s); after != before {
				t.Error("a failed load changed the database")
			}
			st := load(t, s, kgtest.Seeds(t))
			if st.RelsCreated == 0 || st.NodesDeleted == 0 {
				t.Errorf("the next load did not complete: %+v", st)
			}
		})
	}
}

func TestNamesStoredUnchanged(t *testing.T) {
	s, _ := open(t)
	c := smallCorpus()
	load(t, s, build(t, c))
	a, err := s.Ask(context.Background(), "blamed")
	if err != nil {
		t.Fatal(err)
	}
	if got := a.Column("subject"); len(got) != 1 || got[0] != c.Entities[1].Name {
		t.Errorf("name came back as %q, want %q", got, c.Entities[1].Name)
	}
	for _, name := range []string{c.Entities[1].Name, "// return 1;", `\u0027`} {
		a, err := s.Ask(context.Background(), "about", name)
		if err != nil || len(a.Rows) != 1 {
			t.Errorf("about %q: %v rows, %v", name, len(a.Rows), err)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	srv := neo4jtest.Get(t)
	ctx := context.Background()
	o := kgtest.Ontology(t)
	tests := []struct {
		name string
		cfg  Config
		want error
		hint string
	}{
		{"wrong password", Config{URI: srv.URI, Username: srv.Username, Password: "wrong", Database: srv.Database}, ErrAuth, "check NEO4J_USERNAME and NEO4J_PASSWORD"},
		{"unknown database", Config{URI: srv.URI, Username: srv.Username, Password: srv.Password, Database: "nosuchdb"}, ErrDatabase, "check NEO4J_DATABASE"},
		{"unreachable", Config{URI: "bolt://127.0.0.1:1", Username: "neo4j", Password: "x"}, ErrUnreachable, "docker compose up -d"},
		{"not a URI", Config{URI: "localhost"}, ErrUnreachable, "is not a Neo4j URI"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Open(ctx, tt.cfg, o)
			if err == nil {
				s.Close(ctx)
				t.Fatal("Open succeeded")
			}
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.hint) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q, want %v with %q on one line", err, tt.want, tt.hint)
			}
		})
	}
}

func TestSchemaStatementsFromOntology(t *testing.T) {
	s := &Store{ontology: kgtest.Ontology(t)}
	stmts := strings.Join(s.SchemaStatements(), "\n")
	for _, want := range []string{
		"CREATE CONSTRAINT kg_node_id IF NOT EXISTS FOR (n:KgNode) REQUIRE n.id IS UNIQUE",
		"CREATE INDEX kg_person_name IF NOT EXISTS FOR (n:Person) ON (n.name)",
		"CREATE INDEX kg_blamed_kgid IF NOT EXISTS FOR ()-[r:BLAMED]-() ON (r.kgId)",
	} {
		if !strings.Contains(stmts, want) {
			t.Errorf("missing %q", want)
		}
	}
	if _, err := s.label("Person) DETACH DELETE (n"); err == nil {
		t.Error("a label outside the ontology was accepted")
	}
}

// TestFirstLoadCommitsAsItGoes checks that a load into a database without
// kg's data commits its batches as it sends them (others see them before
// it ends), and that one over kg's data does not.
func TestFirstLoadCommitsAsItGoes(t *testing.T) {
	s, _ := open(t)
	ctx := context.Background()
	unfinished := func() bool {
		t.Helper()
		_, u, err := s.Unfinished(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	seen := func(first bool) (nodes int64, markedUnfinished bool) {
		if !first {
			load(t, s, build(t, smallCorpus()))
		}
		before := count(t, s, "MATCH (n:KgNode) RETURN count(n)")
		most := before
		opts := graph.LoadOptions{BatchSize: 5, Progress: func(done, total int) {
			if done < total { // another session, mid-load
				most = max(most, count(t, s, "MATCH (n:KgNode) RETURN count(n)"))
				markedUnfinished = markedUnfinished || unfinished()
			}
		}}
		if _, err := s.Load(ctx, kgtest.Seeds(t), opts); err != nil {
			t.Fatal(err)
		}
		if unfinished() {
			t.Errorf("after a complete load (first %v), the database still says a first load is unfinished", first)
		}
		return most - before, markedUnfinished
	}
	if n, marked := seen(true); n <= 0 || !marked {
		t.Errorf("during a first load, other sessions saw %d of its nodes (want some), marked unfinished %v (want true)", n, marked)
	}
	if n, marked := seen(false); n != 0 || marked {
		t.Errorf("during a load over kg's data, other sessions saw %d new nodes (want none until it commits), marked unfinished %v (want false)", n, marked)
	}
}

// TestFailedFirstLoadLeavesNothing checks that a first load that fails,
// after some of its batches were committed, deletes what it wrote and only
// that; and that what a first load killed midway leaves (skipUndo) is
// replaced by the next load.
func TestFailedFirstLoadLeavesNothing(t *testing.T) {
	s, srv := open(t)
	load(t, s, kgtest.Seeds(t))
	want := kgRows(t, s)
	ctx := context.Background()
	for _, tt := range []struct {
		failAfter int
		kill      bool
	}{{3, false}, {40, false}, {40, true}} {
		t.Run(fmt.Sprintf("after %d batches, killed %v", tt.failAfter, tt.kill), func(t *testing.T) {
			neo4jtest.Reset(t, srv)
			// Someone else's data, which the undoing leaves alone.
			if _, err := neo4j.ExecuteQuery(ctx, s.driver, "CREATE (:Customer {id: 1})-[:BOUGHT]->(:Product {sku: 'x'})", nil, neo4j.EagerResultTransformer, s.queryDB()); err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, s)
			failAfterBatches, skipUndo = tt.failAfter, tt.kill
			_, err := s.Load(ctx, kgtest.Seeds(t), graph.LoadOptions{BatchSize: 5})
			failAfterBatches, skipUndo = 0, false
			if err == nil || !strings.Contains(err.Error(), "injected failure") {
				t.Fatalf("load did not fail: %v", err)
			}
			written := count(t, s, "MATCH (n:KgNode) RETURN count(n)")
			switch {
			case tt.kill && written == 0:
				t.Fatal("a killed first load left nothing: the test shows nothing")
			case tt.kill:
				if _, unfinished, err := s.Unfinished(ctx); err != nil || !unfinished {
					t.Errorf("after a killed first load, Unfinished says %v (%v); want true", unfinished, err)
				}
			case !tt.kill:
				if after := snapshot(t, s); after != before {
					t.Errorf("a failed first load left the database changed:\n%s\nwant:\n%s", after, before)
				}
			}
			load(t, s, kgtest.Seeds(t))
			if got := kgRows(t, s); got != want {
				t.Errorf("the next load stored other data than a load into an empty database:\n%s\nwant:\n%s", got, want)
			}
			if _, unfinished, err := s.Unfinished(ctx); err != nil || unfinished {
				t.Errorf("after the next load, Unfinished says %v (%v); want false", unfinished, err)
			}
		})
	}
}

// TestLoadNamesAMissingGeneration checks that a load which finds kg's data
// complete but the load record without a generation (a first load killed
// after its last batch) names one, though it sends nothing: without it,
// no delta would ever apply.
func TestLoadNamesAMissingGeneration(t *testing.T) {
	s, _ := open(t)
	load(t, s, kgtest.Seeds(t))
	if _, err := neo4j.ExecuteQuery(context.Background(), s.driver, "MATCH (m:KgLoad {id: 'last'}) REMOVE m.generation", nil, neo4j.EagerResultTransformer, s.queryDB()); err != nil {
		t.Fatal(err)
	}
	st := load(t, s, kgtest.Seeds(t))
	if st.RowsSent != 0 || st.Generation == "" {
		t.Fatalf("second load: %d rows sent, generation %q; want 0 and a new one", st.RowsSent, st.Generation)
	}
	if n := count(t, s, "MATCH (m:KgLoad {id: 'last'}) WHERE m.generation = '"+st.Generation+"' RETURN count(m)"); n != 1 {
		t.Error("the generation the load returned is not the one stored")
	}
	again := load(t, s, kgtest.Seeds(t))
	if again.Generation != st.Generation {
		t.Errorf("a load that sends nothing renamed the generation: %q, then %q", st.Generation, again.Generation)
	}
}

// TestCanceledLoadLeavesNothing checks that a load whose context ends
// midway (kg's answer to Ctrl-C) leaves the database as it was: a first
// load deletes the batches it had committed, though ctx is done, and a
// load over kg's data rolls its one transaction back.
func TestCanceledLoadLeavesNothing(t *testing.T) {
	s, srv := open(t)
	seeds := kgtest.Seeds(t)
	changed := kgtest.Seeds(t)
	for _, n := range changed.Nodes {
		n.Name = "renamed " + n.ID
	}
	for _, over := range []bool{false, true} {
		t.Run(fmt.Sprintf("over kg's data %v", over), func(t *testing.T) {
			neo4jtest.Reset(t, srv)
			if over {
				load(t, s, seeds)
			}
			before := snapshot(t, s)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			batches := 0
			_, err := s.Load(ctx, changed, graph.LoadOptions{BatchSize: 5, Progress: func(done, total int) {
				if batches++; batches == 3 {
					cancel()
				}
			}})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("load canceled after 3 batches returned %v; want context.Canceled", err)
			}
			if after := snapshot(t, s); after != before {
				t.Errorf("a canceled load left the database changed:\n%s\nwant:\n%s", after, before)
			}
		})
	}
}
