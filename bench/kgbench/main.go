// Command kgbench is the Go half of bench/run: it talks to the Neo4j server
// bench/run started (NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD; loopback
// only) and prints one JSON object per subcommand on stdout.
//
//	kgbench info                  Neo4j version and import directory
//	kgbench reset                 empty the database (batched DETACH DELETE), keep kg's schema
//	kgbench schema CORPUS         create kg's constraints and indexes (as kg load does)
//	kgbench naive CORPUS N        naive loader: one auto-commit MERGE per fact, first N relations
//	kgbench loadcsv CSVDIR        LOAD CSV of `kg export --format csv` files, IN TRANSACTIONS
//	kgbench loadcsv1 CSVDIR       the same LOAD CSV statements, all in one transaction (all or nothing, as a kg reload)
//	kgbench ask CORPUS RUNS       latency of each named question, embedded and on Neo4j
//	kgbench count                 nodes and relationships in the database
//	kgbench cypher QUERY          run one auto-commit query (for debugging)
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/kgraph/kg/graph"
	"github.com/kgraph/kg/internal/neo4jstore"
	"github.com/kgraph/kg/internal/yamlfile"
	"github.com/kgraph/kg/schema"
)

func main() {
	if len(os.Args) < 2 {
		fail(fmt.Errorf("usage: kgbench info|reset|schema|naive|loadcsv|ask|count ..."))
	}
	ctx := context.Background()
	var out any
	var err error
	switch os.Args[1] {
	case "info":
		out, err = info(ctx)
	case "reset":
		out, err = reset(ctx)
	case "cypher": // for debugging: run one auto-commit query
		var d neo4j.DriverWithContext
		if d, err = driver(ctx); err == nil {
			err = auto(ctx, d, arg(2), nil)
			d.Close(ctx)
		}
		out = "ok"
	case "count":
		out, err = count(ctx)
	case "schema":
		out, err = ensureSchema(ctx)
	case "naive":
		n, _ := strconv.Atoi(arg(3))
		out, err = naive(ctx, arg(2), n)
	case "loadcsv":
		out, err = loadCSV(ctx, arg(2), false)
	case "loadcsv1":
		out, err = loadCSV(ctx, arg(2), true)
	case "ask":
		n, _ := strconv.Atoi(arg(3))
		out, err = ask(ctx, arg(2), n)
	default:
		err = fmt.Errorf("unknown subcommand %q", os.Args[1])
	}
	if err != nil {
		fail(err)
	}
	json.NewEncoder(os.Stdout).Encode(out)
}

func arg(i int) string {
	if i >= len(os.Args) {
		fail(fmt.Errorf("%s: missing argument %d", os.Args[1], i-1))
	}
	return os.Args[i]
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "kgbench:", err)
	os.Exit(1)
}

func cfg() neo4jstore.Config {
	user := os.Getenv("NEO4J_USERNAME")
	if user == "" {
		user = "neo4j"
	}
	return neo4jstore.Config{URI: os.Getenv("NEO4J_URI"), Username: user, Password: os.Getenv("NEO4J_PASSWORD"), Database: os.Getenv("NEO4J_DATABASE")}
}

func driver(ctx context.Context) (neo4j.DriverWithContext, error) {
	c := cfg()
	d, err := neo4j.NewDriverWithContext(c.URI, neo4j.BasicAuth(c.Username, c.Password, ""))
	if err != nil {
		return nil, err
	}
	return d, d.VerifyConnectivity(ctx)
}

func run(ctx context.Context, d neo4j.DriverWithContext, q string, params map[string]any) (*neo4j.EagerResult, error) {
	res, err := neo4j.ExecuteQuery(ctx, d, q, params, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(cfg().Database))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", firstLine(q), err)
	}
	return res, nil
}

// auto runs q in an auto-commit transaction, which CALL { } IN TRANSACTIONS needs.
func auto(ctx context.Context, d neo4j.DriverWithContext, q string, params map[string]any) error {
	s := d.NewSession(ctx, neo4j.SessionConfig{DatabaseName: cfg().Database})
	defer s.Close(ctx)
	res, err := s.Run(ctx, q, params)
	if err == nil {
		_, err = res.Consume(ctx)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", firstLine(q), err)
	}
	return nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 100 {
		s = s[:100] + "..."
	}
	return s
}

func info(ctx context.Context) (any, error) {
	d, err := driver(ctx)
	if err != nil {
		return nil, err
	}
	defer d.Close(ctx)
	res, err := run(ctx, d, "CALL dbms.components() YIELD versions, edition RETURN versions[0] AS v, edition AS e", nil)
	if err != nil {
		return nil, err
	}
	v, _ := res.Records[0].Get("v")
	e, _ := res.Records[0].Get("e")
	out := map[string]any{"version": fmt.Sprint(v) + " " + fmt.Sprint(e)}
	res, err = run(ctx, d, "SHOW SETTINGS YIELD name, value WHERE name IN ['server.directories.import', 'server.memory.pagecache.size', 'dbms.security.allow_csv_import_from_file_urls', 'db.memory.transaction.total.max'] RETURN name, value", nil)
	if err != nil {
		return nil, err
	}
	for _, r := range res.Records {
		n, _ := r.Get("name")
		val, _ := r.Get("value")
		out[fmt.Sprint(n)] = val
	}
	return out, nil
}

func count(ctx context.Context) (any, error) {
	d, err := driver(ctx)
	if err != nil {
		return nil, err
	}
	defer d.Close(ctx)
	// The graph's nodes: kg load also keeps a KgLoad node, its record of
	// the last load, which LOAD CSV does not write.
	res, err := run(ctx, d, "MATCH (n:KgNode) WITH count(n) AS n CALL { MATCH ()-[r]->() RETURN count(r) AS r } RETURN n, r", nil)
	if err != nil {
		return nil, err
	}
	n, _ := res.Records[0].Get("n")
	r, _ := res.Records[0].Get("r")
	return map[string]any{"nodes": n, "relationships": r}, nil
}

func reset(ctx context.Context) (any, error) {
	d, err := driver(ctx)
	if err != nil {
		return nil, err
	}
	defer d.Close(ctx)
	start := time.Now()
	if err := auto(ctx, d, "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS", nil); err != nil {
		return nil, err
	}
	return map[string]any{"seconds": time.Since(start).Seconds()}, nil
}

func ontology() (*graph.Ontology, error) {
	return yamlfile.ReadOntology(schema.OntologyFile, schema.Ontology)
}

func openGraph(path string) (*graph.Graph, error) {
	o, err := ontology()
	if err != nil {
		return nil, err
	}
	g, ds, err := graph.Open(&yamlfile.Reader{Ontology: o}, o, path)
	if err != nil {
		return nil, err
	}
	if len(ds) > 0 {
		return nil, fmt.Errorf("%s: %d problems, first: %v", path, len(ds), ds[0])
	}
	return g, nil
}

func ensureSchema(ctx context.Context) (any, error) {
	o, err := ontology()
	if err != nil {
		return nil, err
	}
	s, err := neo4jstore.Open(ctx, cfg(), o)
	if err != nil {
		return nil, err
	}
	defer s.Close(ctx)
	start := time.Now()
	if err := s.EnsureSchema(ctx); err != nil {
		return nil, err
	}
	return map[string]any{"statements": len(s.SchemaStatements()), "seconds": time.Since(start).Seconds()}, nil
}

// naive writes the first n relations of the corpus and the nodes they join
// the way a first attempt would: one auto-commit MERGE statement per fact
// (node or relationship), each its own transaction and round trip, through
// the same Go driver kg load uses. The schema (unique id on KgNode) is in
// place, so the MATCH/MERGE on id use the index.
func naive(ctx context.Context, path string, n int) (any, error) {
	g, err := openGraph(path)
	if err != nil {
		return nil, err
	}
	d, err := driver(ctx)
	if err != nil {
		return nil, err
	}
	defer d.Close(ctx)
	sts := g.Statements
	if n > 0 && n < len(sts) {
		sts = sts[:n]
	}
	need := map[string]bool{}
	var ids []string
	for _, st := range sts {
		for _, id := range []string{st.Subject.ID, st.Object.ID} {
			if !need[id] {
				need[id] = true
				ids = append(ids, id)
			}
		}
	}
	sess := d.NewSession(ctx, neo4j.SessionConfig{DatabaseName: cfg().Database})
	defer sess.Close(ctx)
	exec := func(q string, p map[string]any) error {
		res, err := sess.Run(ctx, q, p)
		if err == nil {
			_, err = res.Consume(ctx)
		}
		return err
	}
	start := time.Now()
	for _, id := range ids {
		nd, _ := g.Node(id)
		q := "MERGE (n:KgNode:" + nd.Kind + " {id: $id}) SET n.name = $name, n.kind = $kind, n.aliases = $aliases"
		if err := exec(q, map[string]any{"id": nd.ID, "name": nd.Name, "kind": nd.Kind, "aliases": nd.Aliases}); err != nil {
			return nil, fmt.Errorf("node %s: %w", id, err)
		}
	}
	nodesDone := time.Since(start)
	for _, st := range sts {
		q := "MATCH (a:KgNode {id: $from}) MATCH (b:KgNode {id: $to}) MERGE (a)-[r:" + st.Type + " {kgId: $kgId}]->(b) " +
			"SET r.document = $document, r.quote = $quote, r.quoteStart = $qs, r.quoteEnd = $qe"
		p := map[string]any{"from": st.Subject.ID, "to": st.Object.ID, "kgId": st.ID, "document": st.Evidence.Document,
			"quote": st.Evidence.Quote, "qs": st.Evidence.Start, "qe": st.Evidence.End}
		if err := exec(q, p); err != nil {
			return nil, fmt.Errorf("statement %s: %w", st.ID, err)
		}
	}
	secs := time.Since(start).Seconds()
	return map[string]any{"relations": len(sts), "nodes": len(ids), "facts": len(sts) + len(ids),
		"seconds": secs, "nodeSeconds": nodesDone.Seconds(),
		"relationsPerSecond": float64(len(sts)) / secs, "factsPerSecond": float64(len(sts)+len(ids)) / secs}, nil
}

// loadCSV loads the files of `kg export --format csv`, which bench/run has
// copied into the server's import directory, with LOAD CSV: node files
// first, then relationship files. Each file's statement commits every 10,000
// rows (CALL { } IN TRANSACTIONS, the usual way to bulk-load), or, with
// oneTx, all statements run in one transaction, all or nothing as a kg
// reload is: the two say what one transaction costs, which is why kg's
// first load commits batch by batch.
func loadCSV(ctx context.Context, dir string, oneTx bool) (any, error) {
	d, err := driver(ctx)
	if err != nil {
		return nil, err
	}
	defer d.Close(ctx)
	// The harness leaves LOAD CSV's file root unset, so file URLs are
	// absolute paths; bench/run puts the files in the import directory anyway.
	dir, err = filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var nodes, rels []string
	for _, e := range entries {
		switch {
		case strings.HasPrefix(e.Name(), "nodes-"):
			nodes = append(nodes, e.Name())
		case strings.HasPrefix(e.Name(), "relationships-"):
			rels = append(rels, e.Name())
		}
	}
	str := func(col string) string { // an empty field stores no property
		return "CASE row.`" + col + "` WHEN '' THEN null ELSE row.`" + col + "` END"
	}
	arr := func(col, conv string) string {
		return "CASE coalesce(row.`" + col + "`, '') WHEN '' THEN null ELSE " + conv + "(split(row.`" + col + "`, ';')) END"
	}
	// Each statement is "LOAD CSV ... AS row" followed by what it does with a row.
	type statement struct{ load, body string }
	var stmts []statement
	for _, f := range nodes {
		kind := strings.TrimSuffix(strings.TrimPrefix(f, "nodes-"), ".csv")
		stmts = append(stmts, statement{f, "CREATE (n:KgNode:" + kind + " {id: row.`id:ID`}) SET n.name = " + str("name") + ", n.kind = row.kind, " +
			"n.aliases = " + arr("aliases:string[]", "") + ", n.date = " + str("date") + ", n.title = " + str("title") +
			", n.publisher = " + str("publisher") + ", n.url = " + str("url") + ", n.reliability = " + str("reliability") +
			", n.file = " + str("file")})
	}
	for _, f := range rels {
		typ := strings.TrimSuffix(strings.TrimPrefix(f, "relationships-"), ".csv")
		stmts = append(stmts, statement{f, "MATCH (a:KgNode {id: row.`:START_ID`}) MATCH (b:KgNode {id: row.`:END_ID`}) " +
			"CREATE (a)-[r:" + typ + " {kgId: row.kgId}]->(b) SET r.document = " + str("document") + ", r.quote = " + str("quote") +
			", r.quoteStart = toInteger(row.`quoteStart:long`), r.quoteEnd = toInteger(row.`quoteEnd:long`)" +
			", r.aboutId = " + str("aboutId") + ", r.date = " + str("date") + ", r.dateText = " + str("dateText") +
			", r.credibility = " + str("credibility") + ", r.role = " + str("role") + ", r.note = " + str("note") +
			", r.figureMeasures = " + arr("figureMeasures:string[]", "") +
			", r.figureValues = " + arr("figureValues:long[]", "toIntegerList") +
			", r.figureQualifiers = " + arr("figureQualifiers:string[]", "")})
	}
	from := func(f string) string {
		return "LOAD CSV WITH HEADERS FROM 'file://" + filepath.ToSlash(filepath.Join(dir, f)) + "' AS row "
	}
	var nodeSecs float64
	start := time.Now()
	if oneTx {
		s := d.NewSession(ctx, neo4j.SessionConfig{DatabaseName: cfg().Database})
		defer s.Close(ctx)
		_, err := s.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
			for i, st := range stmts {
				res, err := tx.Run(ctx, from(st.load)+st.body, nil)
				if err == nil {
					_, err = res.Consume(ctx)
				}
				if err != nil {
					return nil, fmt.Errorf("%s: %w", st.load, err)
				}
				if i == len(nodes)-1 {
					nodeSecs = time.Since(start).Seconds()
				}
			}
			return nil, nil
		})
		if err != nil {
			return nil, err
		}
	} else {
		for i, st := range stmts {
			if err := auto(ctx, d, from(st.load)+"CALL { WITH row "+st.body+" } IN TRANSACTIONS OF 10000 ROWS", nil); err != nil {
				return nil, err
			}
			if i == len(nodes)-1 {
				nodeSecs = time.Since(start).Seconds()
			}
		}
	}
	secs := time.Since(start).Seconds()
	return map[string]any{"files": len(nodes) + len(rels), "seconds": secs, "nodeSeconds": nodeSecs}, nil
}

type lat struct {
	Question string  `json:"question"`
	Where    string  `json:"where"`
	Rows     int     `json:"rows"`
	MedianMs float64 `json:"medianMs"`
	P95Ms    float64 `json:"p95Ms"`
}

// ask times each named question runs times on the embedded graph (graph.Ask,
// the graph already built) and on Neo4j (the store's Ask, as kg ask --from
// neo4j runs it, connection already open), after one warm-up run each.
func ask(ctx context.Context, path string, runs int) (any, error) {
	if runs <= 0 {
		runs = 20
	}
	g, err := openGraph(path)
	if err != nil {
		return nil, err
	}
	s, err := neo4jstore.Open(ctx, cfg(), g.Ontology)
	if err != nil {
		return nil, err
	}
	defer s.Close(ctx)
	// Arguments: the most-connected actor, and a path between it and the
	// object of the last statement.
	deg := map[string]int{}
	for _, st := range g.Statements {
		deg[st.Subject.ID]++
	}
	var top string
	for id, n := range deg {
		if n > deg[top] || (n == deg[top] && id < top) {
			top = id
		}
	}
	other := g.Statements[len(g.Statements)-1].Object.ID
	if other == top {
		other = g.Statements[0].Object.ID
	}
	var out []lat
	for _, q := range graph.Questions {
		var args []string
		switch len(q.Args) {
		case 1:
			args = []string{top}
		case 2:
			args = []string{top, other}
		}
		for _, where := range []string{"embedded", "neo4j"} {
			f := func() (graph.Answer, error) { return g.Ask(q.Name, args...) }
			if where == "neo4j" {
				f = func() (graph.Answer, error) { return s.Ask(ctx, q.Name, args...) }
			}
			a, err := f() // warm-up
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w", where, q.Name, err)
			}
			var ds []float64
			for range runs {
				t := time.Now()
				if _, err := f(); err != nil {
					return nil, err
				}
				ds = append(ds, float64(time.Since(t).Microseconds())/1000)
			}
			sort.Float64s(ds)
			out = append(out, lat{Question: q.Name + " " + strings.Join(args, " "), Where: where, Rows: len(a.Rows),
				MedianMs: ds[len(ds)/2], P95Ms: ds[min(len(ds)-1, (len(ds)*95+99)/100-1)]})
		}
	}
	return out, nil
}
