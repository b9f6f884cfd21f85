package neo4jtest

import (
	"errors"
	"testing"
)

// Imported starts a second, private server for t on the database that Neo4j's
// own import tool writes when a user runs
//
//	neo4j-admin database import full ARGS...
//
// with ARGS = args, which must import into database neo4j (the one the server
// serves). The tool and the server run in one harness JVM on a fresh store,
// stopped and deleted at t's cleanup. It needs the harness (a JDK and Maven)
// even when NEO4J_URI is set, whose server it never touches. Without Java or
// the harness it skips t, or fails it when CI=true, as Get does; if the
// import or the server on it fails, it fails t.
func Imported(t testing.TB, args ...string) Server {
	t.Helper()
	if len(args) == 0 {
		t.Fatal("neo4jtest.Imported: no arguments for neo4j-admin database import full")
	}
	h, err := startHarness(args)
	var lf launchFailed
	if errors.As(err, &lf) {
		t.Fatalf("neo4j: neo4j-admin database import full, or the server on what it imported, failed: %v", err)
	}
	if err != nil {
		if inCI() {
			t.Fatalf("neo4j: no harness for the import and CI=true, so this is a failure: %v", err)
		}
		t.Skipf("neo4j: skipped, no harness for the import: %s; to run it install a JDK 17+ and Maven (mvn)", firstLine(err))
	}
	t.Cleanup(func() {
		if err := h.stop(); err != nil {
			t.Logf("neo4j: stopping the imported server: %v", err)
		}
	})
	return h.server
}
