// Package neo4jstore keeps kg's graph in Neo4j: it loads a built graph
// (atomically, idempotently, and touching only what kg wrote) and answers the
// named questions with the Cypher files in schema/queries.
//
// The model: every node kg writes has the label KgNode plus its ontology
// kind (Person, Attack, Document, ...) and a unique id; every statement is
// one relationship of its ontology type carrying its evidence (document,
// quote, offsets) and a kgId. kg reads, changes and deletes only KgNode
// nodes, relationships with a kgId between them, and its KgLoad nodes,
// which record the last load and a first load not yet complete. See
// schema/neo4j.md.
package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"

	"github.com/kgraph/kg/graph"
)

// Config says how to reach Neo4j. Its fields are named as Neo4j's own tools
// name their environment variables.
type Config struct {
	URI      string // NEO4J_URI: bolt://, neo4j:// and their +s / +ssc forms
	Username string // NEO4J_USERNAME
	Password string // NEO4J_PASSWORD
	Database string // NEO4J_DATABASE; empty means the server's default
}

// Errors a user can act on; Open and the store's methods wrap them.
var (
	ErrUnreachable = errors.New("Neo4j is unreachable")
	ErrAuth        = errors.New("Neo4j refused the credentials")
	ErrDatabase    = errors.New("Neo4j has no such database")
)

// Store is a connection to one Neo4j database.
type Store struct {
	driver   neo4j.DriverWithContext
	database string
	ontology *graph.Ontology
}

var (
	_ graph.FeedStore  = (*Store)(nil)
	_ graph.DeltaStore = (*Store)(nil)
)

// Open connects to Neo4j and checks that the credentials and the database
// work, so a mistake is reported once, clearly, before any work starts.
func Open(ctx context.Context, cfg Config, o *graph.Ontology) (*Store, error) {
	u, err := url.Parse(cfg.URI)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("%w: %q is not a Neo4j URI; use bolt://host:7687 or neo4j://host:7687 (+s or +ssc for TLS)", ErrUnreachable, cfg.URI)
	}
	driver, err := neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.Username, cfg.Password, ""), func(c *config.Config) {
		c.UserAgent = "kg"
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnreachable, err)
	}
	s := &Store{driver: driver, database: cfg.Database, ontology: o}
	if err := driver.VerifyConnectivity(ctx); err != nil {
		driver.Close(ctx)
		return nil, s.explain(err, cfg)
	}
	// VerifyConnectivity does not touch the database; a trivial read does.
	if _, err := neo4j.ExecuteQuery(ctx, driver, "RETURN 1", nil, neo4j.EagerResultTransformer, s.queryDB()); err != nil {
		driver.Close(ctx)
		return nil, s.explain(err, cfg)
	}
	return s, nil
}

// Close releases the connection.
func (s *Store) Close(ctx context.Context) error { return s.driver.Close(ctx) }

func (s *Store) queryDB() neo4j.ExecuteQueryConfigurationOption {
	return neo4j.ExecuteQueryWithDatabase(s.database)
}

func (s *Store) session(ctx context.Context, mode neo4j.AccessMode) neo4j.SessionWithContext {
	return s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.database, AccessMode: mode})
}

// explain turns a driver error into one line saying what is wrong and what
// to do.
func (s *Store) explain(err error, cfg Config) error {
	var nerr *neo4j.Neo4jError
	if errors.As(err, &nerr) {
		switch {
		case strings.HasPrefix(nerr.Code, "Neo.ClientError.Security"):
			return fmt.Errorf("%w: user %q at %s (%s); check NEO4J_USERNAME and NEO4J_PASSWORD", ErrAuth, cfg.Username, cfg.URI, nerr.Msg)
		case nerr.Code == "Neo.ClientError.Database.DatabaseNotFound":
			return fmt.Errorf("%w: %q at %s; check NEO4J_DATABASE (community edition has only \"neo4j\")", ErrDatabase, cfg.Database, cfg.URI)
		}
		return fmt.Errorf("neo4j: %s: %s", nerr.Code, nerr.Msg)
	}
	var cerr *neo4j.ConnectivityError
	if errors.As(err, &cerr) || strings.Contains(err.Error(), "connect") {
		return fmt.Errorf("%w at %s; start it (docker compose up -d) or set NEO4J_URI (%v)", ErrUnreachable, cfg.URI, firstLine(err))
	}
	return fmt.Errorf("neo4j at %s: %w", cfg.URI, err)
}

func firstLine(err error) string {
	msg := err.Error()
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	return msg
}
