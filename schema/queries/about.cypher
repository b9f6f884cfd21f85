// about: Every statement that touches an entity (as subject, object or the event it is about).
// Parameters: $id, the entity's id (kg resolves a name or alias to it;
// in Neo4j Browser, first run :param id => "islamic-state").
MATCH (n:KgNode {id: $id})
MATCH (s:KgNode)-[r]->(o:KgNode)
WHERE r.kgId IS NOT NULL AND (s = n OR o = n OR r.aboutId = n.id)
OPTIONAL MATCH (e:KgNode {id: r.aboutId})
RETURN s.name AS subject, type(r) AS relation, o.name AS object,
       coalesce(e.name, "") AS about, coalesce(r.date, "") AS date,
       r.document AS document, r.quote AS quote,
       s.id AS subjectId, o.id AS objectId, coalesce(r.aboutId, "") AS aboutId,
       toString(r.quoteStart) AS quoteStart, toString(r.quoteEnd) AS quoteEnd
ORDER BY subject, relation, object, about, date, document, quote;
