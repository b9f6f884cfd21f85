"""Read a kg GraphML export with networkx and print what the Go test checks, as JSON."""
import json
import sys

import networkx as nx

g = nx.read_graphml(sys.argv[1])
subject, obj = sys.argv[2], sys.argv[3]
edges = []
if g.has_edge(subject, obj):
    data = g.get_edge_data(subject, obj)
    # A MultiDiGraph maps edge keys to attributes; a DiGraph gives them directly.
    edges = list(data.values()) if g.is_multigraph() else [data]
print(json.dumps({
    "directed": g.is_directed(),
    "nodes": g.number_of_nodes(),
    "edges": g.number_of_edges(),
    "node": dict(g.nodes[subject]) if subject in g else None,
    "edge": [e for e in edges if e.get("type") == "BLAMED"],
}))
