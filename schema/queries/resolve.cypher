// resolve: the entities a name could mean: an id, a name or an alias, ignoring case.
// Parameters: $name (:param name => "isil"). kg asks this before questions that take names.
MATCH (n:KgNode)
WHERE toLower(n.id) = toLower(trim($name)) OR toLower(n.name) = toLower(trim($name))
   OR any(a IN coalesce(n.aliases, []) WHERE toLower(a) = toLower(trim($name)))
RETURN n.id AS id, n.kind AS kind, n.name AS name
ORDER BY id;
