// conflicts: Figures on which sources disagree (killed, wounded, attackers...), side by side.
// Parameters: none. A figure is kept as each source gives it; nothing is averaged.
MATCH (s:KgNode)-[r]->(e:KgNode)
WHERE r.kgId IS NOT NULL AND r.figureMeasures IS NOT NULL
UNWIND range(0, size(r.figureMeasures) - 1) AS i
WITH e, r, s, r.figureMeasures[i] AS measure, r.figureValues[i] AS value, r.figureQualifiers[i] AS qualifier
WITH e, measure, collect(DISTINCT value) AS values,
     collect({value: value, qualifier: qualifier, by: s.name, document: r.document, quote: r.quote}) AS reports
WHERE size(values) > 1
UNWIND reports AS rep
RETURN e.name AS event, measure, toString(rep.value) AS value, rep.by AS reportedBy,
       rep.document AS document, rep.quote AS quote, e.id AS eventId, rep.qualifier AS qualifier
ORDER BY event, measure, value, reportedBy, document, quote;
