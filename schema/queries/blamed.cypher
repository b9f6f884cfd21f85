// blamed: Who blamed whom, for what where the annotation says, with the evidence.
// One row per statement: a fact reported by two documents is two rows.
// Parameters: none.
MATCH (s:KgNode)-[r:BLAMED]->(o:KgNode)
WHERE r.kgId IS NOT NULL
OPTIONAL MATCH (e:KgNode {id: r.aboutId})
RETURN s.name AS subject, type(r) AS relation, o.name AS object,
       coalesce(e.name, "") AS about, coalesce(r.date, "") AS date,
       r.document AS document, r.quote AS quote,
       s.id AS subjectId, o.id AS objectId, coalesce(r.aboutId, "") AS aboutId,
       toString(r.quoteStart) AS quoteStart, toString(r.quoteEnd) AS quoteEnd
ORDER BY subject, relation, object, about, date, document, quote;
