package neo4jtest

import (
	"context"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// TestRefuseToWipe: a database with data is not used through NEO4J_URI
// unless the user says it may be wiped.
func TestRefuseToWipe(t *testing.T) {
	s := Get(t)
	Reset(t, s)
	if err := refuseToWipe(s); err != nil {
		t.Fatalf("empty database refused: %v", err)
	}
	d := Driver(t, s)
	if _, err := neo4j.ExecuteQuery(context.Background(), d, "CREATE (:UserData)", nil, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(s.Database)); err != nil {
		t.Fatal(err)
	}
	t.Setenv(WipeEnv, "")
	if err := refuseToWipe(s); err == nil || !strings.Contains(err.Error(), "holds 1 nodes") {
		t.Errorf("database with data: %v", err)
	}
	t.Setenv(WipeEnv, "1")
	if err := refuseToWipe(s); err != nil {
		t.Errorf("with %s=1: %v", WipeEnv, err)
	}
	Reset(t, s)
}
