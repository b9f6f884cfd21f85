package neo4jtest_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kgraph/kg/internal/neo4jtest"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

func TestMain(m *testing.M) { os.Exit(neo4jtest.Main(m)) }

func TestConnectAndVersion(t *testing.T) {
	s := neo4jtest.Get(t)
	d := neo4jtest.Driver(t, s)
	ctx := context.Background()

	res, err := neo4j.ExecuteQuery(ctx, d, "RETURN 1 AS one", nil,
		neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(s.Database))
	if err != nil {
		t.Fatalf("RETURN 1: %v", err)
	}
	if one, _ := res.Records[0].Get("one"); one != int64(1) {
		t.Fatalf("RETURN 1 gave %#v", one)
	}

	res, err = neo4j.ExecuteQuery(ctx, d,
		"CALL dbms.components() YIELD name, versions WHERE name = 'Neo4j Kernel' RETURN versions[0] AS v", nil,
		neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(s.Database))
	if err != nil {
		t.Fatalf("dbms.components: %v", err)
	}
	v, _ := res.Records[0].Get("v")
	if !strings.HasPrefix(fmt.Sprint(v), "5.26") {
		t.Fatalf("server version %v, want 5.26.x", v)
	}
	t.Logf("Neo4j %v at %s", v, s.URI)
}

func TestWrongPasswordIsRejected(t *testing.T) {
	s := neo4jtest.Get(t)
	d, err := neo4j.NewDriverWithContext(s.URI, neo4j.BasicAuth(s.Username, s.Password+"-wrong", ""))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close(context.Background())
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	err = d.VerifyConnectivity(ctx)
	if err == nil {
		t.Fatal("connected with a wrong password; is authentication off?")
	}
	var nerr *neo4j.Neo4jError
	if !errors.As(err, &nerr) || !neo4j.IsNeo4jError(nerr) {
		t.Fatalf("want a *neo4j.Neo4jError, got %T: %v", err, err)
	}
	if nerr.Code != "Neo.ClientError.Security.Unauthorized" {
		t.Fatalf("code %q, want Neo.ClientError.Security.Unauthorized (%v)", nerr.Code, err)
	}
}

func TestReset(t *testing.T) {
	s := neo4jtest.Get(t)
	d := neo4jtest.Driver(t, s)
	ctx := context.Background()
	run := func(q string) *neo4j.EagerResult {
		t.Helper()
		res, err := neo4j.ExecuteQuery(ctx, d, q, nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(s.Database))
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return res
	}
	count := func(q string) int64 {
		t.Helper()
		n, _ := run(q).Records[0].Get("n")
		return n.(int64)
	}

	run("CREATE CONSTRAINT neo4jtest_k IF NOT EXISTS FOR (x:NeoTestThing) REQUIRE x.k IS UNIQUE")
	run("CREATE INDEX neo4jtest_i IF NOT EXISTS FOR (x:NeoTestThing) ON (x.v)")
	run("CREATE (:NeoTestThing {k: 1, v: 'a'})-[:REL]->(:NeoTestThing {k: 2, v: 'b'})")

	neo4jtest.Reset(t, s)

	if n := count("MATCH (n) RETURN count(n) AS n"); n != 0 {
		t.Errorf("%d nodes left after Reset", n)
	}
	if n := count("SHOW CONSTRAINTS YIELD name RETURN count(*) AS n"); n != 0 {
		t.Errorf("%d constraints left after Reset", n)
	}
	if n := count("SHOW INDEXES YIELD type WHERE type <> 'LOOKUP' RETURN count(*) AS n"); n != 0 {
		t.Errorf("%d indexes left after Reset", n)
	}
}
