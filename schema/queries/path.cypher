// path: How two entities are connected: every shortest path between them, ignoring direction.
// Parameters: $a and $b, the two entities' ids (:param a => "irgc", :param b => "islamic-state").
// Only relationships kg wrote count, up to 10 hops. Parallel relationships
// (the same fact from several sources) give one path.
MATCH (a:KgNode {id: $a}), (b:KgNode {id: $b})
MATCH p = allShortestPaths((a)-[*..10]-(b))
WHERE all(r IN relationships(p) WHERE r.kgId IS NOT NULL)
WITH p, nodes(p) AS ns, relationships(p) AS rs
RETURN DISTINCT toString(length(p)) AS length,
       reduce(s = ns[0].name, i IN range(0, size(rs) - 1) |
         s + CASE WHEN startNode(rs[i]) = ns[i]
                  THEN " -" + type(rs[i]) + "-> "
                  ELSE " <-" + type(rs[i]) + "- " END + ns[i + 1].name) AS path
ORDER BY length, path
LIMIT 100;
