package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/kgraph/kg/internal/neo4jtest"
)

// withNeo4j runs the tests with the shared Neo4j test server; testscript
// runs the kg commands in subprocesses before this is ever reached.
type withNeo4j struct{ m *testing.M }

func (w withNeo4j) Run() int { return neo4jtest.Main(w.m) }

func TestMain(m *testing.M) {
	testscript.Main(withNeo4j{m}, map[string]func(){
		"kg": func() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestNeo4jScripts runs the scripts in testdata/neo4j against the real
// Neo4j test server, emptied before each script.
func TestNeo4jScripts(t *testing.T) {
	srv := neo4jtest.Get(t)
	driver := neo4jtest.Driver(t, srv)
	files, err := filepath.Glob("testdata/neo4j/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts in testdata/neo4j: %v", err)
	}
	// The scripts share one database, so they run one at a time: each Run
	// returns only when its (parallel) script has finished.
	for _, file := range files {
		params := scriptParams(t, "")
		params.Files = []string{file}
		setup := params.Setup
		params.Setup = func(env *testscript.Env) error {
			neo4jtest.Reset(t, srv)
			env.Setenv("NEO4J_URI", srv.URI)
			env.Setenv("NEO4J_USERNAME", srv.Username)
			env.Setenv("NEO4J_PASSWORD", srv.Password)
			env.Setenv("NEO4J_DATABASE", srv.Database)
			return setup(env)
		}
		params.Cmds["cypher"] = func(ts *testscript.TestScript, neg bool, args []string) { cypher(ts, driver, srv.Database, neg, args) }
		params.Cmds["await"] = func(ts *testscript.TestScript, neg bool, args []string) { await(ts, driver, srv.Database, neg, args) }
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) { testscript.Run(t, params) })
	}
}

// query runs a Cypher statement on database and returns each row's values,
// space-separated.
func query(driver neo4j.DriverWithContext, database, statement string) ([]string, error) {
	res, err := neo4j.ExecuteQuery(context.Background(), driver, statement, nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(database))
	if err != nil {
		return nil, err
	}
	var rows []string
	for _, r := range res.Records {
		vals := make([]string, len(r.Values))
		for i, v := range r.Values {
			vals[i] = fmt.Sprint(v)
		}
		rows = append(rows, strings.Join(vals, " "))
	}
	return rows, nil
}

// cypher STATEMENT runs STATEMENT on the test server and prints its rows
// to stdout, one per line, so scripts can look at what Neo4j holds.
func cypher(ts *testscript.TestScript, driver neo4j.DriverWithContext, database string, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: cypher STATEMENT")
	}
	rows, err := query(driver, database, args[0])
	if err != nil {
		ts.Fatalf("cypher: %v", err)
	}
	for _, r := range rows {
		fmt.Fprintln(ts.Stdout(), r)
	}
}

// await STATEMENT runs STATEMENT every few milliseconds until it returns
// one row, true (for a script to act while a background kg is at work),
// and fails after a minute.
func await(ts *testscript.TestScript, driver neo4j.DriverWithContext, database string, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: await STATEMENT")
	}
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		rows, err := query(driver, database, args[0])
		if err != nil {
			ts.Fatalf("await: %v", err)
		}
		if len(rows) == 1 && rows[0] == "true" {
			return
		}
	}
	ts.Fatalf("await: %s was not true within a minute", args[0])
}

// TestScripts runs the end-to-end scripts in testdata/script: each is a
// txtar archive of input files and the kg commands to run on them, with the
// output and exit code they must give.
func TestScripts(t *testing.T) {
	testscript.Run(t, scriptParams(t, "testdata/script"))
}

func scriptParams(t *testing.T, dir string) testscript.Params {
	seeds, err := filepath.Abs("../../seeds")
	if err != nil {
		t.Fatal(err)
	}
	return testscript.Params{
		Dir:                 dir,
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			env.Setenv("SEEDS", seeds)
			// kg load remembers loads in the user's cache folder; a
			// script's own keeps scripts apart and the user's untouched.
			env.Setenv("KG_CACHE_DIR", filepath.Join(env.WorkDir, ".kgcache"))
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			// exits CODE CMD ARGS... runs CMD and requires exit status CODE,
			// so scripts pin kg's documented exit codes, not just "failed".
			"exits": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) < 2 {
					ts.Fatalf("usage: exits CODE CMD [ARGS...]")
				}
				want, err := strconv.Atoi(args[0])
				if err != nil {
					ts.Fatalf("exits: bad code %q", args[0])
				}
				got := 0
				if err := ts.Exec(args[1], args[2:]...); err != nil {
					var ee *exec.ExitError
					if !errors.As(err, &ee) {
						ts.Fatalf("exits: %v", err)
					}
					got = ee.ExitCode()
				}
				if got != want {
					ts.Fatalf("%s exited %d, want %d", args[1], got, want)
				}
			},
		},
	}
}
