package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/pflag"

	"github.com/kgraph/kg/internal/neo4jstore"
)

// neo4jFlags are the connection settings, named as Neo4j's own tools name
// them; a flag overrides its environment variable.
type neo4jFlags struct {
	uri, username, password, database string
}

func (f *neo4jFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.uri, "uri", "", "Neo4j URI: bolt://, neo4j:// or their +s/+ssc TLS forms (env NEO4J_URI, default bolt://localhost:7687)")
	fs.StringVar(&f.username, "username", "", "Neo4j user (env NEO4J_USERNAME, default neo4j)")
	fs.StringVar(&f.password, "password", "", "Neo4j password (env NEO4J_PASSWORD; prefer the environment or .env to a flag)")
	fs.StringVar(&f.database, "database", "", "Neo4j database (env NEO4J_DATABASE, default the server's default)")
}

func (a *app) neo4jConfig(f *neo4jFlags) neo4jstore.Config {
	pick := func(flag, env, def string) string {
		if flag != "" {
			return flag
		}
		if v := a.getenv(env); v != "" {
			return v
		}
		return def
	}
	return neo4jstore.Config{
		URI:      pick(f.uri, "NEO4J_URI", "bolt://localhost:7687"),
		Username: pick(f.username, "NEO4J_USERNAME", "neo4j"),
		Password: pick(f.password, "NEO4J_PASSWORD", ""),
		Database: pick(f.database, "NEO4J_DATABASE", ""),
	}
}

// openStore connects to Neo4j; connection problems exit with ExitNeo4j.
func (a *app) openStore(ctx context.Context, f *neo4jFlags) (*neo4jstore.Store, error) {
	o, err := a.ontology()
	if err != nil {
		return nil, err
	}
	s, err := neo4jstore.Open(ctx, a.neo4jConfig(f), o)
	if err != nil {
		return nil, neo4jError(err)
	}
	return s, nil
}

// neo4jError gives Neo4j's connection problems their exit code.
func neo4jError(err error) error {
	if errors.Is(err, neo4jstore.ErrUnreachable) || errors.Is(err, neo4jstore.ErrAuth) || errors.Is(err, neo4jstore.ErrDatabase) {
		return &exitError{ExitNeo4j, err}
	}
	return err
}

// openReader is openStore for commands that read what kg load wrote: it
// warns, on stderr, when that is a first load not yet complete, whose
// answers may miss data.
func (a *app) openReader(ctx context.Context, f *neo4jFlags) (*neo4jstore.Store, error) {
	s, err := a.openStore(ctx, f)
	if err != nil {
		return nil, err
	}
	// Best effort: if Neo4j cannot say, the question that follows fails
	// with the reason.
	if startedAt, unfinished, err := s.Unfinished(ctx); err == nil && unfinished {
		fmt.Fprintf(a.stderr, "kg: warning: Neo4j holds a first load that is not complete (started %s): it is still running, or it stopped midway; answers may miss data until kg load completes it\n",
			startedAt.UTC().Format(time.RFC3339))
	}
	return s, nil
}
