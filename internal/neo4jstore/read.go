package neo4jstore

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/kgraph/kg/graph"
)

// ReadGraph reads back the graph kg wrote, so what works on the embedded
// graph (reports, exports) works on Neo4j too. Document texts are not
// stored; quotes keep their offsets.
func (s *Store) ReadGraph(ctx context.Context) (*graph.Graph, error) {
	c := &graph.Corpus{}
	res, err := neo4j.ExecuteQuery(ctx, s.driver, "MATCH (n:"+KgLabel+") RETURN properties(n) AS p ORDER BY n.id", nil,
		neo4j.EagerResultTransformer, s.queryDB(), neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		return nil, fmt.Errorf("read nodes: %w", err)
	}
	for _, rec := range res.Records {
		p := props(rec.Values[0])
		date, err := optionalDate(p.str("date"))
		if err != nil {
			return nil, fmt.Errorf("node %s: %w", p.str("id"), err)
		}
		if p.str("kind") == "Document" {
			c.Documents = append(c.Documents, &graph.Document{ID: p.str("id"), File: p.str("file"), Title: p.str("title"),
				Publisher: p.str("publisher"), URL: p.str("url"), Date: date, Reliability: p.str("reliability")})
			continue
		}
		c.Entities = append(c.Entities, &graph.Entity{ID: p.str("id"), Kind: p.str("kind"), Name: p.str("name"),
			Aliases: p.strs("aliases"), Date: date})
	}
	res, err = neo4j.ExecuteQuery(ctx, s.driver, "MATCH (a:"+KgLabel+")-[r]->(b:"+KgLabel+") WHERE r.kgId IS NOT NULL "+
		"RETURN a.id AS a, type(r) AS t, b.id AS b, properties(r) AS p ORDER BY r.kgId", nil,
		neo4j.EagerResultTransformer, s.queryDB(), neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		return nil, fmt.Errorf("read relationships: %w", err)
	}
	for _, rec := range res.Records {
		p := props(rec.Values[3])
		date, err := optionalDate(p.str("date"))
		if err != nil {
			return nil, fmt.Errorf("relationship %s: %w", p.str("kgId"), err)
		}
		r := &graph.Relation{Subject: cellText(rec.Values[0]), Type: cellText(rec.Values[1]), Object: cellText(rec.Values[2]),
			About: p.str("aboutId"), Date: date, DateText: p.str("dateText"), Credibility: p.str("credibility"),
			Role: p.str("role"), Note: p.str("note"),
			Evidence: graph.Evidence{Document: p.str("document"), Quote: p.str("quote"), Start: p.int("quoteStart"), End: p.int("quoteEnd")}}
		measures, qualifiers := p.strs("figureMeasures"), p.strs("figureQualifiers")
		values, _ := p["figureValues"].([]any)
		for i := range measures {
			f := graph.Figure{Measure: measures[i]}
			if i < len(values) {
				v, _ := values[i].(int64)
				f.Value = int(v)
			}
			if i < len(qualifiers) {
				f.Qualifier = qualifiers[i]
			}
			r.Figures = append(r.Figures, f)
		}
		c.Relations = append(c.Relations, r)
	}
	g, err := graph.Build(c, s.ontology)
	if err != nil {
		return nil, fmt.Errorf("read graph: %w", err)
	}
	return g, nil
}

type propMap map[string]any

func props(v any) propMap {
	m, _ := v.(map[string]any)
	return m
}

func (p propMap) str(k string) string {
	s, _ := p[k].(string)
	return s
}

func (p propMap) int(k string) int {
	n, _ := p[k].(int64)
	return int(n)
}

func (p propMap) strs(k string) []string {
	list, _ := p[k].([]any)
	var out []string
	for _, v := range list {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func optionalDate(s string) (graph.Date, error) {
	if s == "" {
		return graph.Date{}, nil
	}
	return graph.ParseDate(s)
}
