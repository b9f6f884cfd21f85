// timeline: Events and dated statements in date order.
// Parameters: $eventKinds, the ontology's event kinds (:param eventKinds => ["Attack", "Event"]).
// Dates are text (2017-06-07, 2017-06 or 2017), which sorts in date order.
MATCH (n:KgNode)
WHERE n.kind IN $eventKinds AND n.date IS NOT NULL
RETURN n.date AS date, "event" AS what, n.name AS subject, "" AS relation, "" AS object,
       "" AS document, "" AS quote
UNION ALL
MATCH (s:KgNode)-[r]->(o:KgNode)
WHERE r.kgId IS NOT NULL AND r.date IS NOT NULL
RETURN r.date AS date, "statement" AS what, s.name AS subject, type(r) AS relation, o.name AS object,
       r.document AS document, r.quote AS quote;
