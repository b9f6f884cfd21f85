package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/kgraph/kg/graph"
	"github.com/kgraph/kg/internal/kgtest"
)

// irgcBlamesSaudi is the seed statement the tests look for.
func irgcBlamesSaudi(t *testing.T, g *graph.Graph) *graph.Statement {
	t.Helper()
	for _, s := range g.Statements {
		if s.Type == "BLAMED" && s.Subject.ID == "irgc" && s.Object.ID == "saudi-arabia" && s.About != nil && s.About.ID == "tehran-2017" {
			return s
		}
	}
	t.Fatal("seed graph lacks the IRGC blaming Saudi Arabia for the 2017 Tehran attacks")
	return nil
}

// needTool skips a test whose tool is missing, except in CI, where every
// test must run.
func needTool(t *testing.T, err error, what string) {
	t.Helper()
	if err == nil {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s: %v", what, err)
	}
	t.Skipf("skipping: %s: %v", what, err)
}

func TestGraphMLNetworkx(t *testing.T) {
	g := kgtest.Seeds(t)
	blame := irgcBlamesSaudi(t, g)
	path := filepath.Join(t.TempDir(), "kg.graphml")
	var b bytes.Buffer
	if err := WriteGraphML(&b, g); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	python, err := exec.LookPath("python3")
	needTool(t, err, "python3 is needed to read GraphML with networkx")
	err = exec.Command(python, "-c", "import networkx").Run()
	needTool(t, err, "networkx is needed (pip install networkx)")

	out, err := exec.Command(python, filepath.Join("testdata", "read_graphml.py"), path, "irgc", "saudi-arabia").Output()
	if err != nil {
		t.Fatalf("networkx could not read the GraphML: %v\n%s", err, stderr(err))
	}
	var got struct {
		Directed bool
		Nodes    int
		Edges    int
		Node     map[string]any
		Edge     []map[string]any
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if !got.Directed || got.Nodes != len(g.Nodes) || got.Edges != len(g.Statements) {
		t.Errorf("networkx read directed=%v, %d nodes, %d edges; want directed, %d nodes, %d edges",
			got.Directed, got.Nodes, got.Edges, len(g.Nodes), len(g.Statements))
	}
	if got.Node["label"] != "Islamic Revolutionary Guard Corps" || got.Node["kind"] != "Organisation" {
		t.Errorf("irgc node = %v", got.Node)
	}
	found := false
	for _, e := range got.Edge {
		if e["quote"] == blame.Evidence.Quote && e["about"] == "tehran-2017" && e["document"] == blame.Evidence.Document &&
			e["quoteStart"] == float64(blame.Evidence.Start) && e["quoteEnd"] == float64(blame.Evidence.End) {
			found = true
		}
	}
	if !found {
		t.Errorf("no BLAMED edge irgc -> saudi-arabia with quote %q; got %v", blame.Evidence.Quote, got.Edge)
	}
}

func stderr(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}

func TestGraphMLEscaping(t *testing.T) {
	g := trickyGraph(t)
	var b bytes.Buffer
	if err := WriteGraphML(&b, g); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `<data key="n_label">O&#39;Brien &#34;`+"`"+`MATCH (n) DETACH DELETE n //`+"`"+` \ &lt;x&gt;&amp;</data>`) {
		t.Errorf("GraphML does not escape the name:\n%s", b.String())
	}
}

func TestJSONRoundTrip(t *testing.T) {
	for name, g := range map[string]*graph.Graph{"seeds": kgtest.Seeds(t), "tricky": trickyGraph(t)} {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteJSON(&b, g); err != nil {
				t.Fatal(err)
			}
			// The documented shape: every key present.
			var raw map[string][]map[string]any
			_ = json.Unmarshal(b.Bytes(), &raw)
			for _, k := range []string{"id", "kind", "name", "aliases", "date"} {
				if _, ok := raw["nodes"][0][k]; !ok {
					t.Errorf("node lacks key %q", k)
				}
			}
			for _, k := range []string{"id", "subject", "type", "object", "about", "date", "dateText", "document", "quote",
				"quoteStart", "quoteEnd", "credibility", "role", "figures", "note"} {
				if _, ok := raw["statements"][0][k]; !ok {
					t.Errorf("statement lacks key %q", k)
				}
			}

			c, err := ReadJSON(bytes.NewReader(b.Bytes()), g.Ontology)
			if err != nil {
				t.Fatal(err)
			}
			back, err := graph.Build(c, g.Ontology)
			if err != nil {
				t.Fatal(err)
			}
			if len(back.Nodes) != len(g.Nodes) || len(back.Statements) != len(g.Statements) {
				t.Fatalf("round trip: %d nodes, %d statements; want %d, %d", len(back.Nodes), len(back.Statements), len(g.Nodes), len(g.Statements))
			}
			for i, n := range g.Nodes {
				m := back.Nodes[i]
				if n.ID != m.ID || n.Kind != m.Kind || n.Name != m.Name || !slices.Equal(n.Aliases, m.Aliases) || n.Date != m.Date ||
					n.Title != m.Title || n.Publisher != m.Publisher || n.URL != m.URL || n.Reliability != m.Reliability || n.File != m.File {
					t.Errorf("node %s: got %+v, want %+v", n.ID, *m, *n)
				}
			}
			for i, s := range g.Statements {
				r := back.Statements[i]
				if s.ID != r.ID || s.Evidence != r.Evidence || s.Date != r.Date || s.DateText != r.DateText || !slices.Equal(s.Figures, r.Figures) ||
					s.Credibility != r.Credibility || s.Role != r.Role || s.Note != r.Note {
					t.Errorf("statement %s: got %+v, want %+v", s.ID, *r, *s)
				}
			}
			// Writing the read graph gives the same bytes.
			var again bytes.Buffer
			if err := WriteJSON(&again, back); err != nil {
				t.Fatal(err)
			}
			if again.String() != b.String() {
				t.Error("JSON changes on a second round trip")
			}
		})
	}
}

func TestJSONRejects(t *testing.T) {
	o := kgtest.Ontology(t)
	for _, src := range []string{`{"version": 2, "nodes": [], "statements": []}`, `{"version": 1, "nodes": [], "statements": [], "extra": 1}`,
		`{"version": 1, "nodes": [{"id": "a", "kind": "Dragon", "name": "A", "aliases": [], "date": ""}], "statements": []}`} {
		if _, err := ReadJSON(strings.NewReader(src), o); err == nil {
			t.Errorf("ReadJSON accepted %s", src)
		}
	}
}

func TestCSV(t *testing.T) {
	g := kgtest.Seeds(t)
	blame := irgcBlamesSaudi(t, g)
	dir := t.TempDir()
	paths, err := WriteCSV(dir, g)
	if err != nil {
		t.Fatal(err)
	}
	nodes, rels := 0, 0
	foundBlame := false
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		records, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		header, rows := records[0], records[1:]
		base := filepath.Base(p)
		switch {
		case strings.HasPrefix(base, "nodes-"):
			label := strings.TrimSuffix(strings.TrimPrefix(base, "nodes-"), ".csv")
			if !slices.Equal(header, NodeHeader) || header[0] != "id:ID" || header[1] != ":LABEL" {
				t.Errorf("%s header = %v", base, header)
			}
			for _, r := range rows {
				if r[1] != "KgNode;"+label {
					t.Errorf("%s: row %v has label %s", base, r, r[1])
				}
			}
			nodes += len(rows)
		case strings.HasPrefix(base, "relationships-"):
			typ := strings.TrimSuffix(strings.TrimPrefix(base, "relationships-"), ".csv")
			if !slices.Equal(header[:3], []string{":START_ID", ":END_ID", ":TYPE"}) || !slices.Equal(header, RelationshipHeader) {
				t.Errorf("%s header = %v", base, header)
			}
			col := func(name string) int { return slices.Index(header, name) }
			for _, r := range rows {
				_, startOK := g.Node(r[0])
				_, endOK := g.Node(r[1])
				if r[2] != typ || !startOK || !endOK {
					t.Errorf("%s: bad row %v", base, r)
				}
				if typ == "BLAMED" && r[0] == "irgc" && r[1] == "saudi-arabia" && r[col("quote")] == blame.Evidence.Quote &&
					r[col("aboutId")] == "tehran-2017" && r[col("kgId")] == blame.ID && r[col("quoteStart:long")] == strconv.Itoa(blame.Evidence.Start) {
					foundBlame = true
				}
			}
			if typ == "REPORTED" {
				for _, r := range rows {
					if r[col("figureMeasures:string[]")] == "" || r[col("figureValues:long[]")] == "" {
						t.Errorf("REPORTED row without figures: %v", r)
					}
				}
			}
			rels += len(rows)
		default:
			t.Errorf("unexpected file %s", base)
		}
	}
	if nodes != len(g.Nodes) || rels != len(g.Statements) {
		t.Errorf("CSV has %d nodes and %d relationships, want %d and %d", nodes, rels, len(g.Nodes), len(g.Statements))
	}
	if !foundBlame {
		t.Error("relationships-BLAMED.csv lacks irgc -> saudi-arabia with its quote")
	}
	// The database name goes first: after --relationships=FILE, neo4j-admin
	// reads it as one more file (internal/neo4jstore runs the real tool).
	if cmd := ImportCommand(paths, "neo4j"); !strings.HasPrefix(cmd, "neo4j-admin database import full neo4j --") ||
		!strings.Contains(cmd, " --nodes=") || !strings.Contains(cmd, " --relationships=") || strings.HasSuffix(cmd, " neo4j") {
		t.Errorf("import command = %s", cmd)
	}
	if cmd := ImportCommand([]string{"my dir/nodes-Person.csv"}, "neo4j"); !strings.HasSuffix(cmd, ` --nodes='my dir/nodes-Person.csv'`) {
		t.Errorf("import command = %s", cmd)
	}
}

func TestCypherString(t *testing.T) {
	for in, want := range map[string]string{
		``:                   `''`,
		`plain`:              `'plain'`,
		`O'Brien`:            `'O\'Brien'`,
		`say "hi"`:           `'say \"hi\"'`,
		`back\slash`:         `'back\\slash'`,
		`\'`:                 `'\\\''`,
		"two\nlines\r\ttab":  `'two\nlines\r\ttab'`,
		"nul\x00bell\x07":    `'nul\u0000bell\u0007'`,
		"`tick` MATCH // x":  "'`tick` MATCH // x'",
		"Ünïcode — “quotes”": "'Ünïcode — “quotes”'",
	} {
		if got := CypherString(in); got != want {
			t.Errorf("CypherString(%q) = %s, want %s", in, got, want)
		}
		if back, rest, ok := unquoteCypher(CypherString(in)); !ok || back != in || rest != "" {
			t.Errorf("CypherString(%q) does not read back: %q, rest %q", in, back, rest)
		}
	}
	for in, want := range map[string]string{"Person": "Person", "CARRIED_OUT": "CARRIED_OUT", "MATCH": "`MATCH`", "a`b c": "`a``b c`", "1x": "`1x`"} {
		if got := CypherName(in); got != want {
			t.Errorf("CypherName(%q) = %s, want %s", in, got, want)
		}
	}
}

// unquoteCypher reads one Cypher string literal at the start of s, as
// Neo4j's lexer does, and returns its value and what follows it.
func unquoteCypher(s string) (value, rest string, ok bool) {
	if s == "" || (s[0] != '\'' && s[0] != '"') {
		return "", s, false
	}
	q := s[0]
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == q:
			return b.String(), s[i+1:], true
		case c == '\n' || c == '\r':
			return "", s, false
		case c == '\\' && i+1 < len(s):
			i++
			switch s[i] {
			case '\\', '\'', '"':
				b.WriteByte(s[i])
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'u':
				var r rune
				for _, h := range s[i+1 : i+5] {
					r = r*16 + rune(strings.IndexRune("0123456789ABCDEF", h))
				}
				b.WriteRune(r)
				i += 4
			default:
				return "", s, false
			}
		default:
			b.WriteByte(c)
		}
	}
	return "", s, false
}

func TestCypherScript(t *testing.T) {
	g := trickyGraph(t)
	var b bytes.Buffer
	if err := WriteCypher(&b, g); err != nil {
		t.Fatal(err)
	}
	script := b.String()
	for _, want := range []string{
		"CREATE CONSTRAINT kg_node_id IF NOT EXISTS FOR (n:KgNode) REQUIRE n.id IS UNIQUE;",
		`CREATE (:KgNode:ArmedGroup {id: 'evil', name: 'O\'Brien \"` + "`MATCH (n) DETACH DELETE n //`" + ` \\ <x>&', kind: 'ArmedGroup', aliases: ['\'; DROP', 'RETURN 1']});`,
		"MATCH (a:KgNode {id: 'evil'}), (b:KgNode {id: 'attack'}) CREATE (a)-[:CLAIMED {kgId: '",
		`, document: 'doc', quote: 'O\'Brien \"` + "`MATCH (n) DETACH DELETE n //`" + ` \\ <x>& claimed it', quoteStart: 0, quoteEnd: 57}]->(b);`,
		"CREATE (a)-[:REPORTED {kgId: '",
		"figureMeasures: ['killed'], figureValues: [12], figureQualifiers: ['at least']}]->(b);",
	} {
		if !strings.Contains(script, want) {
			t.Errorf("script lacks\n  %s\nscript:\n%s", want, script)
		}
	}
	// Every statement line is one statement: its literals close where
	// they should, and nothing of a name escapes into code.
	creates, matches := 0, 0
	for _, line := range strings.Split(script, "\n") {
		if line == "" || strings.HasPrefix(line, "//") {
			continue
		}
		code := stripLiterals(t, line)
		if strings.Count(code, ";") != 1 || !strings.HasSuffix(code, ";") || strings.Contains(code, "DELETE") || strings.Contains(code, "DROP") {
			t.Errorf("line is not one safe statement once literals are removed: %s\n  code: %s", line, code)
		}
		switch {
		case strings.HasPrefix(line, "CREATE ("):
			creates++
		case strings.HasPrefix(line, "MATCH "):
			matches++
		}
	}
	if creates != len(g.Nodes) || matches != len(g.Statements) {
		t.Errorf("%d node CREATEs and %d MATCHes, want %d and %d", creates, matches, len(g.Nodes), len(g.Statements))
	}
}

// stripLiterals replaces each string literal in a line of Cypher by ”.
func stripLiterals(t *testing.T, line string) string {
	var code strings.Builder
	for line != "" {
		if line[0] == '\'' || line[0] == '"' {
			_, rest, ok := unquoteCypher(line)
			if !ok {
				t.Fatalf("unterminated literal in %s", line)
			}
			code.WriteString("''")
			line = rest
			continue
		}
		code.WriteByte(line[0])
		line = line[1:]
	}
	return code.String()
}

func TestCypherSeeds(t *testing.T) {
	g := kgtest.Seeds(t)
	var b bytes.Buffer
	if err := WriteCypher(&b, g); err != nil {
		t.Fatal(err)
	}
	blame := irgcBlamesSaudi(t, g)
	if !strings.Contains(b.String(), "MATCH (a:KgNode {id: 'irgc'}), (b:KgNode {id: 'saudi-arabia'}) CREATE (a)-[:BLAMED {kgId: '"+blame.ID+"', document: "+CypherString(blame.Evidence.Document)+", quote: "+CypherString(blame.Evidence.Quote)) {
		t.Error("script lacks the IRGC blaming Saudi Arabia")
	}
}

func TestUnknownNamesRefused(t *testing.T) {
	g := trickyGraph(t)
	g.Statements[0].Type = "BLAMED`]->() DETACH DELETE n //"
	if err := WriteCypher(&bytes.Buffer{}, g); err == nil {
		t.Error("WriteCypher accepted a relation type not in the ontology")
	}
	if _, err := ToCSV(g); err == nil {
		t.Error("ToCSV accepted a relation type not in the ontology")
	}
}

const trickyName = `O'Brien "` + "`MATCH (n) DETACH DELETE n //`" + ` \ <x>&`

// trickyGraph has a name with quotes, backticks, a backslash, markup and
// Cypher keywords.
func trickyGraph(t testing.TB) *graph.Graph {
	t.Helper()
	text := trickyName + " claimed it. At least 12 died."
	c := &graph.Corpus{
		Documents: []*graph.Document{{ID: "doc", File: "doc.txt", Text: text, Title: "Doc", Date: graph.Date{Year: 2021, Month: 3}}},
		Entities: []*graph.Entity{
			{ID: "evil", Kind: "ArmedGroup", Name: trickyName, Aliases: []string{`'; DROP`, "RETURN 1"}},
			{ID: "attack", Kind: "Attack", Name: "Attack", Date: graph.Date{Year: 2021, Month: 3, Day: 2}},
		},
		Relations: []*graph.Relation{
			{Subject: "evil", Type: "CLAIMED", Object: "attack", Evidence: graph.Evidence{Document: "doc", Quote: trickyName + " claimed it"}},
			{Subject: "doc", Type: "REPORTED", Object: "attack", Evidence: graph.Evidence{Document: "doc", Quote: "At least 12 died"},
				Figures: []graph.Figure{{Measure: "killed", Value: 12, Qualifier: "at least"}}},
		},
	}
	for _, r := range c.Relations {
		start, end, ok := graph.FindQuote(text, r.Evidence.Quote)
		if !ok {
			t.Fatalf("quote %q not found", r.Evidence.Quote)
		}
		r.Evidence.Start, r.Evidence.End = start, end
	}
	o := kgtest.Ontology(t)
	if ds := graph.Check(c, o); len(ds) > 0 {
		t.Fatalf("tricky corpus has problems:\n%v", ds)
	}
	g, err := graph.Build(c, o)
	if err != nil {
		t.Fatal(err)
	}
	return g
}
