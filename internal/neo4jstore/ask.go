package neo4jstore

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/kgraph/kg/graph"
	"github.com/kgraph/kg/schema"
)

// Ask answers a named question with its Cypher file from schema/queries,
// giving the same Answer the embedded graph gives for the same data.
func (s *Store) Ask(ctx context.Context, name string, args ...string) (graph.Answer, error) {
	q, err := graph.FindQuestion(name)
	if err != nil {
		return graph.Answer{}, err
	}
	nodes, err := q.Resolve(args, func(n string) (*graph.Node, error) { return s.resolve(ctx, n) })
	if err != nil {
		return graph.Answer{}, err
	}
	params := map[string]any{"eventKinds": s.ontology.EventKinds()}
	for i, p := range q.Params {
		params[p] = nodes[i].ID
	}
	text, err := schema.Query(q.Name)
	if err != nil {
		return graph.Answer{}, fmt.Errorf("ask %s: %w", q.Name, err)
	}
	res, err := neo4j.ExecuteQuery(ctx, s.driver, text, params, neo4j.EagerResultTransformer,
		s.queryDB(), neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		return graph.Answer{}, fmt.Errorf("ask %s: %w", q.Name, err)
	}
	if !sameSet(res.Keys, q.Columns) {
		return graph.Answer{}, fmt.Errorf("ask %s: schema/queries/%s.cypher returns %v, want %v", q.Name, q.Name, res.Keys, q.Columns)
	}
	a := graph.Answer{Question: q.Name, Args: args, Columns: q.Columns}
	for _, rec := range res.Records {
		row := make([]string, len(q.Columns))
		for i, c := range q.Columns {
			v, _ := rec.Get(c)
			row[i] = cellText(v)
		}
		a.Rows = append(a.Rows, row)
	}
	a.Sort()
	if q.Name == "path" && len(a.Rows) > graph.MaxPaths {
		a.Rows = a.Rows[:graph.MaxPaths]
	}
	return a, nil
}

// cellText renders a Cypher value as the embedded graph renders it.
func cellText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case int64:
		return strconv.FormatInt(v, 10)
	}
	return fmt.Sprint(v)
}

func sameSet(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

// resolve finds the node a name means, as graph.Graph.Resolve does.
func (s *Store) resolve(ctx context.Context, name string) (*graph.Node, error) {
	text, err := schema.Query("resolve")
	if err != nil {
		return nil, err
	}
	res, err := neo4j.ExecuteQuery(ctx, s.driver, text, map[string]any{"name": name}, neo4j.EagerResultTransformer,
		s.queryDB(), neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		return nil, fmt.Errorf("resolve %q: %w", name, err)
	}
	var matches []*graph.Node
	for _, rec := range res.Records {
		id, _ := rec.Get("id")
		kind, _ := rec.Get("kind")
		n, _ := rec.Get("name")
		matches = append(matches, &graph.Node{ID: cellText(id), Kind: cellText(kind), Name: cellText(n)})
	}
	var knownErr error
	node, err := graph.PickNode(name, matches, func() []string {
		res, err := neo4j.ExecuteQuery(ctx, s.driver,
			"MATCH (n:"+KgLabel+") RETURN n.id AS id, n.name AS name, coalesce(n.aliases, []) AS aliases",
			nil, neo4j.EagerResultTransformer, s.queryDB(), neo4j.ExecuteQueryWithReadersRouting())
		if err != nil {
			knownErr = err
			return nil
		}
		var all []string
		for _, rec := range res.Records {
			for _, v := range rec.Values[:2] {
				all = append(all, strings.ToLower(cellText(v)))
			}
			aliases, _ := rec.Values[2].([]any)
			for _, a := range aliases {
				all = append(all, strings.ToLower(cellText(a)))
			}
		}
		slices.Sort(all)
		return slices.Compact(all)
	})
	if knownErr != nil {
		return nil, fmt.Errorf("resolve %q: %w", name, knownErr)
	}
	return node, err
}
